"""Load a JSON backup (``dumpdata reviews auth.group --natural-foreign --natural-primary``)
into a newly migrated database."""

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reviews.defaults import ratings_sync
from reviews.models import Article, FlagRule, Rating
from reviews.roles import sync_groups
from reviews.services.flags import flagrules_sync


class Command(BaseCommand):
    help = (
        "Restore a JSON backup into a newly migrated database. The reference rows migrate sets "
        "up (groups, built-in rules, default ratings) give way to the backup's own, history and "
        "all; then anything newer than the backup (a new rule, a new permission) is added."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the JSON file dumpdata wrote")

    @transaction.atomic
    def handle(self, *args, backup, **options):
        if Article.objects.exists():
            raise CommandError("this database already holds articles: restore into a newly migrated database")
        # Rows migrate made a moment ago, not editorial records: the backup has the newsroom's own.
        for model in (Rating, FlagRule):
            model.objects.all().delete()
            model.history.all().delete()  # with the deletion rows just written
        Group.objects.all().delete()
        call_command("loaddata", backup, verbosity=options["verbosity"])
        sync_groups()
        flagrules_sync()
        ratings_sync()
        self.stdout.write(f"restored {backup}")
