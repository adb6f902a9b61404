"""A model added after the app's migrations, with a permission a group is given (used by
tests/test_migrations.py to migrate a database from zero with it installed)."""

from django.db import models


class Gadget(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "throwaway"
        permissions = [("use_gadget", "Can use gadgets")]

    def __str__(self):
        return self.name
