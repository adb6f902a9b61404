"""What every claim service shares: the locked, version-checked claim and its save, the
current verdict, and e-mail sent once a write commits."""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..jobs import email_later
from ..models import Claim, Verdict, VerdictStatus
from .history import save_with_history
from .workflow import Context, StaleWriteError, WorkflowError, guard


def locked_claim(claim: Claim, version: int | None) -> Claim:
    """The claim locked for this transaction; refused when it changed since ``version``."""
    fresh = (
        Claim.objects.select_for_update(of=("self",)).select_related("article", "assignee").get(pk=claim.pk)
    )
    if version is not None and fresh.version != version:
        last = fresh.history.select_related("history_user").first()
        who = last.history_user.get_username() if last and last.history_user else "someone"
        when = timezone.localtime(last.history_date).strftime("%H:%M") if last else ""
        raise StaleWriteError(
            f"claim #{fresh.index + 1} was changed by {who} at {when} "
            f"(now {fresh.get_status_display().lower()}); reload it and try again"
        )
    return fresh


def claim_save(claim: Claim, *, actor, reason: str) -> Claim:
    """Save a claim with its version bumped (what ``locked_claim`` compares against)."""
    claim.version += 1
    claim.updated_at = timezone.now()
    save_with_history(claim, actor=actor, reason=reason)
    return claim


def current_verdict(claim: Claim, *, lock: bool = True) -> Verdict | None:
    """The claim's verdict awaiting approval or approved, if any."""
    verdicts = Verdict.objects.select_for_update() if lock else Verdict.objects
    return verdicts.filter(claim=claim, status__in=[VerdictStatus.SUBMITTED, VerdictStatus.APPROVED]).first()


def claim_context(claim: Claim, *, author_id: int | None = None) -> Context:
    """What the declared workflow needs to decide on ``claim`` besides the user."""
    if author_id is None:
        verdict = current_verdict(claim, lock=False)
        author_id = verdict.author_id if verdict else None
    # The claim's article is loaded with it (locked_claim, the pages' selectors): no query.
    return Context(
        author_id=author_id, current_version=claim.article.current_revision_id == claim.revision_id
    )


def claim_guard(name: str, actor, claim: Claim) -> None:
    """The declared workflow's check of ``name`` on a locked claim."""
    guard(name, actor, claim, claim_context(claim))


def notify(user, subject: str, body: str, *, claim: Claim | None = None, anchor: str = "") -> None:
    """E-mail one person once the transaction commits (nothing is sent for a write rolled
    back); a message about a claim ends with the link to its page."""
    if not (user and user.email):
        return
    if claim is not None:
        path = reverse("admin:reviews_claim_change", args=[claim.pk])
        body = f"{body}\n\nOpen the claim: {settings.SITE_URL.rstrip('/')}{path}{anchor}"
    email_later(to=user.email, subject=subject, body=body)  # a job, queued on commit


def require_future(due: date | None, current: date | None) -> None:
    """A new due date is today or later (an overdue claim may keep the date it has)."""
    if due is not None and due != current and due < timezone.localdate():
        raise WorkflowError(f"the due date {due:%d %b %Y} is in the past")


__all__ = [
    "StaleWriteError",
    "WorkflowError",
    "claim_context",
    "claim_guard",
    "claim_save",
    "current_verdict",
    "locked_claim",
    "notify",
    "require_future",
]
