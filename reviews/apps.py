from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_delete


def reference_data_sync(sender, **kwargs):
    """After every migrate (and flush): the groups hold exactly the permissions roles.py gives,
    and every built-in flag rule and default rating exists (none is ever overwritten)."""
    from .defaults import ratings_sync
    from .roles import sync_groups
    from .services.flags import flagrules_sync

    sync_groups()
    flagrules_sync()
    ratings_sync()


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Editorial review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .services.match_index import claim_unindex

        pre_delete.connect(claim_unindex, sender="reviews.Claim", dispatch_uid="reviews.claim_unindex")
        post_migrate.connect(reference_data_sync, sender=self, dispatch_uid="reviews.reference_data_sync")

        from django.conf import settings

        from .modelstore import ModelStore

        # Score with the newsroom's active trained models, if `manage.py train` made one.
        ModelStore(settings.MODEL_DIR).apply()
