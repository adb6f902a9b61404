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
