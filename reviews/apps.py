from django.apps import AppConfig
from django.db.models.signals import pre_delete


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Editorial review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .matching import claim_unindex

        pre_delete.connect(claim_unindex, sender="reviews.Claim", dispatch_uid="reviews.claim_unindex")

        from django.conf import settings

        from .modelstore import ModelStore

        # Score with the newsroom's active trained models, if `manage.py train` made one.
        ModelStore(settings.MODEL_DIR).apply()
