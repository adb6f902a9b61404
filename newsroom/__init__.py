# The Celery app is loaded with Django, so tasks queued from any process go to its broker.
from .celery import app as celery_app

__all__ = ["celery_app"]
