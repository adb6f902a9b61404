"""Claim services: assign, schedule, start, dismiss, correct check-worthiness.

Every step is atomic, guarded by the declared workflow (``services.workflow``),
history-attributed, and checked against the version the actor saw, so a stale write is
refused instead of overwriting.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ..models import CheckworthyDecision, Claim, ClaimStatus, Priority, Verdict
from ..roles import FACT_CHECKERS, has_role
from ..textproc.shorten import shorten
from .common import claim_guard, claim_save, locked_claim, notify, require_future
from .webhooks import article_reviewed_check
from .workflow import ACTIONS, WorkflowError

S = ClaimStatus


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    assignee,
    actor,
    due: date | None = None,
    priority: int | None = None,
    version: int | None = None,
) -> Claim:
    """Give a claim to a fact-checker (or move it to another)."""
    claim = locked_claim(claim, version)
    claim_guard("assign", actor, claim)
    if not has_role(assignee, FACT_CHECKERS):
        raise WorkflowError(f"{assignee.get_username()} is not a fact-checker")
    approver = Verdict.objects.filter(claim=claim, approved_by=assignee).exists()
    if approver:
        raise WorkflowError(f"{assignee.get_username()} approved a verdict on this claim (four eyes)")
    require_future(due, claim.due)
    newly = claim.assignee_id != assignee.pk or claim.assigned_at is None
    if newly:
        claim.assigned_at = timezone.now()
    claim.assignee, claim.assigned_by = assignee, actor
    claim.status = S.ASSIGNED if claim.status != S.RETURNED else S.RETURNED
    if due is not None:
        claim.due = due
    if priority is not None:
        claim.priority = Priority(priority)
    claim_save(claim, actor=actor, reason=f"assigned to {assignee.get_username()}")
    if newly:  # the same person again (a new due date, a new priority) is not a new assignment
        notify(
            assignee,
            f"Claim assigned: {shorten(claim.text, 60)}",
            f"{actor.get_username()} assigned you a claim in “{claim.article.title}”"
            f"{f', due {claim.due:%d %b}' if claim.due else ''}:\n\n{claim.text}",
            claim=claim,
        )
    return claim


@transaction.atomic
def claim_schedule(*, claim: Claim, actor, due: date, version: int | None = None) -> Claim:
    """Set an assigned claim's due date; its fact-checker is told of the new date."""
    claim = locked_claim(claim, version)
    if claim.assignee is None:
        raise WorkflowError("assign it before setting a due date")
    claim_guard("schedule", actor, claim)
    require_future(due, claim.due)
    if claim.due == due:
        return claim
    claim.due = due
    claim_save(claim, actor=actor, reason=f"due {due:%d %b %Y}")
    notify(
        claim.assignee,
        f"Due date {due:%d %b}: {shorten(claim.text, 60)}",
        f"{actor.get_username()} set the due date of your claim in “{claim.article.title}” "
        f"to {due:%A %d %B}:\n\n{claim.text}",
        claim=claim,
    )
    return claim


def _open_load() -> dict[int, int]:
    rows = Claim.objects.open().values("assignee").annotate(n=Count("id"))
    return {r["assignee"]: r["n"] for r in rows}


@transaction.atomic
def claims_auto_assign(*, claims: Iterable[Claim], actor) -> list[Claim]:
    """Spread claims over fact-checkers: matching expertise first, then the lightest open load.

    Never gives a claim to someone who approved a verdict on it.
    """
    if not actor.has_perm("reviews.assign_claim"):
        raise WorkflowError(f"{actor.get_username()} may not assign claims")
    checkers = list(
        get_user_model().objects.filter(groups__name=FACT_CHECKERS, is_active=True).order_by("username")
    )
    if not checkers:
        raise WorkflowError("there are no active fact-checkers to assign to")
    load = _open_load()
    claims = list(
        Claim.objects.filter(pk__in=[c.pk for c in claims]).select_related("article").order_by("pk")
    )
    approvers: dict[int, set[int]] = {}
    for claim_id, user_id in Verdict.objects.filter(claim__in=claims, approved_by__isnull=False).values_list(
        "claim_id", "approved_by_id"
    ):
        approvers.setdefault(claim_id, set()).add(user_id)
    assigned = []
    for claim in claims:
        topics = {t.strip().lower() for t in claim.article.topics.split(",") if t.strip()}
        candidates = [u for u in checkers if u.pk not in approvers.get(claim.pk, set())]
        if not candidates:
            raise WorkflowError(f"no fact-checker may take claim #{claim.index + 1} (four eyes)")
        best = min(
            candidates, key=lambda u: (not (topics & u.expertise_tags()), load.get(u.pk, 0), u.username)
        )
        assigned.append(claim_assign(claim=claim, assignee=best, actor=actor))
        load[best.pk] = load.get(best.pk, 0) + 1
    return assigned


@transaction.atomic
def claim_start(*, claim: Claim, actor, version: int | None = None) -> Claim:
    """The assigned fact-checker starts work: others see "being reviewed by …"."""
    claim = locked_claim(claim, version)
    claim_guard("start", actor, claim)
    claim.status = ACTIONS["start"].target
    return claim_save(claim, actor=actor, reason="review started")


@transaction.atomic
def claim_dismiss(*, claim: Claim, actor, reason: str, version: int | None = None) -> Claim:
    """Mark a claim not check-worthy (opinion, rhetoric), with the reason."""
    claim = locked_claim(claim, version)
    claim_guard("dismiss", actor, claim)
    if not reason.strip():
        raise WorkflowError("say why the claim is not check-worthy")
    claim.status = ACTIONS["dismiss"].target
    claim.assignee = None
    claim_save(claim, actor=actor, reason=f"not check-worthy: {reason.strip()}"[:500])
    article_reviewed_check(claim.article)
    return claim


@transaction.atomic
def claim_mark_checkworthy(*, claim: Claim, actor, checkworthy: bool, version: int | None = None) -> Claim:
    """Correct the model's check-worthiness ("check this" / "not a claim"); `manage.py train`
    learns from these decisions."""
    claim = locked_claim(claim, version)
    claim_guard("checkworthiness", actor, claim)
    decision = CheckworthyDecision.CHECK if checkworthy else CheckworthyDecision.NOT_A_CLAIM
    if claim.checkworthy_decision == decision:
        raise WorkflowError(f"the claim is already marked “{decision.label.lower()}”")
    claim.checkworthy = checkworthy
    claim.checkworthy_decision = decision
    return claim_save(claim, actor=actor, reason=f"check-worthiness: {decision.label.lower()}")
