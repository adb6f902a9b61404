"""The Celery application: `celery -A newsroom worker` and `celery -A newsroom beat`.

Its settings are the CELERY_* names of newsroom/settings.py; tasks are in reviews/tasks.py.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
