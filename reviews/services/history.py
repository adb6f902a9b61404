"""History attribution shared by every service."""


def save_with_history(obj, *, actor, reason: str, **kwargs) -> None:
    """Save a tracked model instance with its history attributed to ``actor``."""
    obj._history_user = actor
    obj._change_reason = reason
    obj.save(**kwargs)


def delete_with_history(obj, *, actor, reason: str) -> None:
    """Delete a tracked model instance, recording who deleted it and why."""
    obj._history_user = actor
    obj._change_reason = reason
    obj.delete()


def history_copy(model, *, where: str, params: list, actor, reason: str) -> int:
    """Write the "created" history row of every ``model`` row matching ``where``, copied by the
    database itself (INSERT … SELECT): the bulk paths' history, attributed like any other.

    ``where`` is an SQL condition on the model's table with %s placeholders for ``params``.
    """
    from django.db import connection
    from django.utils import timezone

    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
    history = model.history.model._meta.db_table
    sql = (
        f"INSERT INTO {quote(history)} ({columns}, history_date, history_change_reason, history_type, "
        f"history_user_id) SELECT {columns}, %s, %s, '+', %s FROM {quote(model._meta.db_table)} WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), reason, actor.pk if actor else None, *params])
        return cursor.rowcount
