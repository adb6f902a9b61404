"""The Celery application: `celery -A newsroom worker` and `celery -A newsroom beat`.

Its settings are the CELERY_* names of newsroom/settings.py; tasks are in reviews/tasks.py.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def use_broker(url: str, *, queue: str, eager: bool = False) -> None:
    """Send this process's tasks to ``url`` and ``queue`` from now on (a benchmark or a test
    that drives real workers). The producers made for the previous broker are dropped: Celery
    keeps them, and would go on publishing there."""
    app.close()
    app.amqp._producer_pool = None
    app.conf.update(broker_url=url, task_default_queue=queue, task_always_eager=eager)
