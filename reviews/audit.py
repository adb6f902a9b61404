"""Who did what: one timeline merged from the history tables of every editorial model."""

from dataclasses import dataclass
from datetime import datetime
from heapq import merge

from .models import (
    Article,
    ArticleRevision,
    Claim,
    ClaimMatch,
    Evidence,
    Flag,
    FlagRule,
    Outlet,
    PartySource,
    Rating,
    Verdict,
)

AUDITED = (
    Article,
    ArticleRevision,
    Claim,
    Verdict,
    Evidence,
    Flag,
    FlagRule,
    ClaimMatch,
    Outlet,
    PartySource,
    Rating,
)
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    model: str  # model name, e.g. "claim"
    label: str  # verbose name
    object_id: int
    action: str
    reason: str


def audit_trail(
    *, user_id: int | None = None, model: str = "", before: datetime | None = None, limit: int = 100
):
    """The newest ``limit`` history rows across the audited models (one query per model)."""
    streams = []
    for audited in AUDITED:
        name = audited._meta.model_name
        if model and model != name:
            continue
        rows = audited.history.select_related("history_user").order_by("-history_date", "-history_id")
        if user_id:
            rows = rows.filter(history_user_id=user_id)
        if before:
            rows = rows.filter(history_date__lt=before)
        streams.append(
            [
                AuditEntry(
                    when=h.history_date,
                    who=h.history_user.get_username() if h.history_user else "system",
                    model=name,
                    label=str(audited._meta.verbose_name),
                    object_id=h.id,
                    action=CHANGE_TYPES.get(h.history_type, h.history_type),
                    reason=h.history_change_reason or "",
                )
                for h in rows.only(
                    "id", "history_date", "history_type", "history_change_reason", "history_user"
                )[:limit]
            ]
        )
    return list(merge(*streams, key=lambda e: e.when, reverse=True))[:limit]
