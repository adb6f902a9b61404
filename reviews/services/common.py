"""What every claim service shares: the locked, version-checked claim and its save, the
current verdict, and e-mail sent once a write commits."""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..jobs import email_later
from ..models import Claim, ClaimStatus, Verdict, VerdictStatus
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
        seen = fresh.history.filter(version__lte=version).order_by("-history_date", "-history_id").first()
        changes = claim_changes(seen, fresh) if seen is not None else []
        raise StaleWriteError(
            f"claim #{fresh.index + 1} was changed by {who} at {when} "
            f"({'; '.join(changes) or f'now {fresh.get_status_display().lower()}'}); reload it and try again",
            claim=fresh,
            who=who,
            when=when,
            changes=changes,
        )
    return fresh


# What a change of status tells the person whose write it refused.
STATUS_CHANGES = {
    ClaimStatus.STALE: "uploaded a new version of the article that edits this claim's sentence",
    ClaimStatus.WITHDRAWN: "uploaded a new version of the article without this claim's sentence",
    ClaimStatus.NOT_CHECKWORTHY: "dismissed this claim as not check-worthy",
    ClaimStatus.IN_REVIEW: "started the review of this claim",
    ClaimStatus.SUBMITTED: "submitted a verdict on this claim",
    ClaimStatus.APPROVED: "approved the verdict on this claim",
    ClaimStatus.RETURNED: "returned the verdict on this claim",
    ClaimStatus.ASSIGNED: "assigned this claim",
    ClaimStatus.NEW: "set this claim back to new",
}


def claim_changes(before, after: Claim) -> list[str]:
    """What changed on a claim between ``before`` (a history row) and ``after``, in words."""
    changes = []
    if before.assignee_id != after.assignee_id:
        who = after.assignee.get_username() if after.assignee_id else ""
        changes.append(f"reassigned this claim to {who}" if who else "unassigned this claim")
    if before.status != after.status and not (changes and after.status == ClaimStatus.ASSIGNED):
        changes.append(STATUS_CHANGES.get(after.status, f"set this claim to {after.get_status_display()}"))
    elif before.text != after.text:
        changes.append("edited this claim's sentence")
    elif before.revision_id != after.revision_id:
        changes.append("uploaded a new version of the article")
    if before.due != after.due:
        due = f"changed the due date to {after.due:%d %b %Y}" if after.due else "removed the due date"
        changes.append(due)
    if before.priority != after.priority:
        changes.append(f"changed the priority to {after.get_priority_display().lower()}")
    return changes or ["changed the claim's details"]


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
    "claim_changes",
    "claim_context",
    "claim_guard",
    "claim_save",
    "current_verdict",
    "locked_claim",
    "notify",
    "require_future",
]
