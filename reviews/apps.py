from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_delete


def groups_sync(sender, **kwargs):
    """After every migrate (and flush), the groups hold exactly the permissions roles.py gives."""
    from django.apps import apps

    from .roles import sync_groups

    sync_groups(apps, require_all=False)


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Editorial review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .matching import claim_unindex

        pre_delete.connect(claim_unindex, sender="reviews.Claim", dispatch_uid="reviews.claim_unindex")
        post_migrate.connect(groups_sync, sender=self, dispatch_uid="reviews.groups_sync")
