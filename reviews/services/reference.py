"""The newsroom's reference data, edited in the admin: outlets, an article's details (title,
byline, topics …), ratings, party sources. Evidence and flag rules have their own services
(``verdicts``, ``flags``): their edits carry rules of their own."""

from django.db import models, transaction

from .history import save_with_history


class ReferenceEditError(Exception):
    """An edit that is not allowed; the message says why."""


@transaction.atomic
def reference_save(*, obj: models.Model, actor, reason: str) -> models.Model:
    """Create or change a reference row, if ``actor`` holds the model's add or change permission."""
    opts = obj._meta
    action = "change" if obj.pk and type(obj).objects.filter(pk=obj.pk).exists() else "add"
    if not actor.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        raise ReferenceEditError(f"{actor.get_username()} may not {action} {opts.verbose_name_plural}")
    save_with_history(obj, actor=actor, reason=reason)
    return obj
