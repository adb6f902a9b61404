"""The review workflow: assign, start, submit, approve or return, dismiss.

Claim: new -> assigned -> in_review -> submitted -> approved, with returned (an
editor sends it back) and not_checkworthy (dismissed with a reason). Every
transition is a service: atomic, guarded, history-attributed, and checked against
the version the actor saw, so a stale write is refused instead of overwriting.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .history import save_with_history
from .jobs import email_later
from .models import (
    CheckworthyDecision,
    Claim,
    ClaimStatus,
    Evidence,
    Priority,
    Rating,
    Verdict,
    VerdictStatus,
)
from .roles import FACT_CHECKERS, has_role

S = ClaimStatus


class WorkflowError(Exception):
    """A transition that is not allowed; the message says why."""


class StaleWriteError(WorkflowError):
    """The object changed since the actor loaded it."""


def _locked_claim(claim: Claim, version: int | None) -> Claim:
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


def _save_claim(claim: Claim, *, actor, reason: str) -> Claim:
    claim.version += 1
    claim.updated_at = timezone.now()
    save_with_history(claim, actor=actor, reason=reason)
    return claim


def _require_status(claim: Claim, allowed: Iterable[str], action: str) -> None:
    if claim.status not in allowed:
        raise WorkflowError(f"cannot {action} a claim that is {claim.get_status_display().lower()}")


def _require_perm(actor, perm: str, action: str) -> None:
    if not actor.has_perm(f"reviews.{perm}"):
        raise WorkflowError(f"{actor.get_username()} may not {action}")


def _current_verdict(claim: Claim) -> Verdict | None:
    return (
        Verdict.objects.select_for_update()
        .filter(claim=claim, status__in=[VerdictStatus.SUBMITTED, VerdictStatus.APPROVED])
        .first()
    )


def notify(user, subject: str, body: str, *, claim: Claim | None = None, anchor: str = "") -> None:
    """E-mail one person once the transaction commits (nothing is sent for a write rolled
    back); a message about a claim ends with the link to its page."""
    if not (user and user.email):
        return
    if claim is not None:
        path = reverse("admin:reviews_claim_change", args=[claim.pk])
        body = f"{body}\n\nOpen the claim: {settings.SITE_URL.rstrip('/')}{path}{anchor}"
    email_later(to=user.email, subject=subject, body=body)  # a job, queued on commit


def _require_future(due: date | None, current: date | None) -> None:
    """A new due date is today or later (an overdue claim may keep the date it has)."""
    if due is not None and due != current and due < timezone.localdate():
        raise WorkflowError(f"the due date {due:%d %b %Y} is in the past")


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
    claim = _locked_claim(claim, version)
    _require_perm(actor, "assign_claim", "assign claims")
    if not has_role(assignee, FACT_CHECKERS):
        raise WorkflowError(f"{assignee.get_username()} is not a fact-checker")
    _require_status(claim, (S.NEW, S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.STALE), "assign")
    approver = Verdict.objects.filter(claim=claim, approved_by=assignee).exists()
    if approver:
        raise WorkflowError(f"{assignee.get_username()} approved a verdict on this claim (four eyes)")
    _require_future(due, claim.due)
    newly = claim.assignee_id != assignee.pk or claim.assigned_at is None
    if newly:
        claim.assigned_at = timezone.now()
    claim.assignee, claim.assigned_by = assignee, actor
    claim.status = S.ASSIGNED if claim.status != S.RETURNED else S.RETURNED
    if due is not None:
        claim.due = due
    if priority is not None:
        claim.priority = Priority(priority)
    _save_claim(claim, actor=actor, reason=f"assigned to {assignee.get_username()}")
    if newly:  # the same person again (a new due date, a new priority) is not a new assignment
        notify(
            assignee,
            f"Claim assigned: {claim.text[:60]}",
            f"{actor.get_username()} assigned you a claim in “{claim.article.title}”"
            f"{f', due {claim.due:%d %b}' if claim.due else ''}:\n\n{claim.text}",
            claim=claim,
        )
    return claim


@transaction.atomic
def claim_schedule(*, claim: Claim, actor, due: date, version: int | None = None) -> Claim:
    """Set an assigned claim's due date; its fact-checker is told of the new date."""
    claim = _locked_claim(claim, version)
    _require_perm(actor, "assign_claim", "set due dates")
    if claim.assignee is None:
        raise WorkflowError("assign it before setting a due date")
    _require_status(claim, (S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.STALE), "set a due date on")
    _require_future(due, claim.due)
    if claim.due == due:
        return claim
    claim.due = due
    _save_claim(claim, actor=actor, reason=f"due {due:%d %b %Y}")
    notify(
        claim.assignee,
        f"Due date {due:%d %b}: {claim.text[:60]}",
        f"{actor.get_username()} set the due date of your claim in “{claim.article.title}” "
        f"to {due:%A %d %B}:\n\n{claim.text}",
        claim=claim,
    )
    return claim


def _open_load() -> dict[int, int]:
    from django.db.models import Count

    rows = Claim.objects.open().values("assignee").annotate(n=Count("id"))
    return {r["assignee"]: r["n"] for r in rows}


@transaction.atomic
def claims_auto_assign(*, claims: Iterable[Claim], actor) -> list[Claim]:
    """Spread claims over fact-checkers: matching expertise first, then the lightest open load.

    Never gives a claim to someone who approved a verdict on it.
    """
    _require_perm(actor, "assign_claim", "assign claims")
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
    claim = _locked_claim(claim, version)
    if claim.assignee_id != actor.pk:
        raise WorkflowError("only the assigned fact-checker can start this claim")
    _require_status(claim, (S.ASSIGNED, S.RETURNED, S.STALE), "start")
    claim.status = S.IN_REVIEW
    return _save_claim(claim, actor=actor, reason="review started")


@transaction.atomic
def verdict_submit(
    *,
    claim: Claim,
    rating: Rating,
    summary: str,
    explanation: str = "",
    evidence: Iterable[Evidence] = (),
    new_evidence: Iterable[dict] = (),
    actor,
    version: int | None = None,
    reused_from: Verdict | None = None,
    reason: str = "verdict submitted",
) -> Verdict:
    """Record the assigned fact-checker's verdict and send it for approval.

    ``evidence`` reuses sources already stored; ``new_evidence`` holds the fields of
    sources recorded with this verdict, created in the same transaction.
    """
    claim = _locked_claim(claim, version)
    _require_perm(actor, "add_verdict", "write verdicts")
    if claim.assignee_id != actor.pk:
        who = claim.assignee.get_username() if claim.assignee else "nobody"
        raise WorkflowError(f"this claim is assigned to {who}, not to {actor.get_username()}")
    _require_status(claim, (S.ASSIGNED, S.IN_REVIEW, S.RETURNED), "submit a verdict on")
    if _current_verdict(claim) is not None:
        raise WorkflowError("this claim already has a verdict awaiting approval or approved")
    if not summary.strip():
        raise WorkflowError("a verdict needs a summary")
    verdict = Verdict(
        claim=claim,
        rating=rating,
        summary=summary.strip(),
        explanation=explanation,
        author=actor,
        reused_from=reused_from,
    )
    save_with_history(verdict, actor=actor, reason=reason[:500])
    evidence = list(evidence) + [_evidence_create(fields, actor) for fields in new_evidence]
    if evidence:
        verdict._history_user = actor
        verdict.evidence.add(*evidence)
    claim.status = S.SUBMITTED
    _save_claim(claim, actor=actor, reason=f"verdict submitted: {rating.label}")
    return verdict


def _evidence_create(fields: dict, actor, reason: str = "recorded with a verdict") -> Evidence:
    fields = {k: v for k, v in fields.items() if k not in ("created_by", "created_by_id", "id", "pk")}
    evidence = Evidence(**fields, created_by=actor)
    try:
        evidence.full_clean()
    except ValidationError as exc:
        raise WorkflowError(f"evidence {fields.get('url', '')}: {'; '.join(exc.messages)}") from None
    save_with_history(evidence, actor=actor, reason=reason)
    return evidence


@transaction.atomic
def evidence_create(*, fields: dict, actor, reason: str = "recorded") -> Evidence:
    """Record a source for later use; its creator is always the actor."""
    _require_perm(actor, "add_evidence", "record evidence")
    return _evidence_create(fields, actor, reason)


def evidence_edit_refusal(evidence: Evidence, user) -> str | None:
    """Why ``user`` may not edit ``evidence``, or None when they may.

    A source cited by a verdict is part of that verdict's record and never changes (a
    corrected source is a new piece of evidence); one not yet cited is its creator's to edit.
    """
    if evidence.pk and evidence.verdicts.exists():
        return "this evidence is cited by a verdict and cannot be changed; record a new source instead"
    if evidence.created_by_id != user.pk:
        who = evidence.created_by.get_username() if evidence.created_by else "someone else"
        return f"only {who}, who recorded this evidence, may edit it"
    if not user.has_perm("reviews.change_evidence"):
        return "you may not edit evidence"
    return None


@transaction.atomic
def evidence_update(*, evidence: Evidence, actor, reason: str = "edited") -> Evidence:
    """Save edits to a source that no verdict cites yet, by the person who recorded it."""
    locked = Evidence.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=evidence.pk)
    refusal = evidence_edit_refusal(locked, actor)
    if refusal:
        raise WorkflowError(refusal)
    evidence.created_by_id = locked.created_by_id
    evidence.created_at = locked.created_at
    try:
        evidence.full_clean()
    except ValidationError as exc:
        raise WorkflowError("; ".join(exc.messages)) from None
    save_with_history(evidence, actor=actor, reason=reason)
    return evidence


def _submitted_verdict(claim: Claim, actor, action: str) -> Verdict:
    """The claim's submitted verdict, if ``actor`` may approve or return it."""
    _require_perm(actor, "approve_verdict", f"{action} verdicts")
    _require_status(claim, (S.SUBMITTED,), action)
    verdict = _current_verdict(claim)
    if verdict is None:
        raise WorkflowError(f"there is no submitted verdict to {action}")
    if verdict.author_id == actor.pk:
        raise WorkflowError(f"you cannot {action} your own verdict (four eyes)")
    return verdict


@transaction.atomic
def verdict_approve(*, claim: Claim, actor, version: int | None = None) -> Verdict:
    """A second person approves the submitted verdict (never its author)."""
    claim = _locked_claim(claim, version)
    verdict = _submitted_verdict(claim, actor, "approve")
    verdict.status, verdict.approved_by, verdict.approved_at = VerdictStatus.APPROVED, actor, timezone.now()
    verdict.version += 1
    save_with_history(verdict, actor=actor, reason="verdict approved")
    claim.status = S.APPROVED
    _save_claim(claim, actor=actor, reason=f"approved: {verdict.rating.label}")
    notify(
        verdict.author,
        f"Verdict approved: {claim.text[:60]}",
        f"{actor.get_username()} approved your verdict ({verdict.rating.label}) on:\n\n{claim.text}",
        claim=claim,
    )
    return verdict


@transaction.atomic
def verdict_return(*, claim: Claim, actor, comment: str, version: int | None = None) -> Verdict:
    """Send a submitted verdict back to its author with a comment."""
    claim = _locked_claim(claim, version)
    verdict = _submitted_verdict(claim, actor, "return")
    if not comment.strip():
        raise WorkflowError("say what needs to change: a comment is required")
    verdict.status, verdict.return_comment = VerdictStatus.RETURNED, comment.strip()
    verdict.returned_by, verdict.returned_at = actor, timezone.now()
    verdict.version += 1
    save_with_history(verdict, actor=actor, reason=f"returned: {comment.strip()}"[:500])
    claim.status = S.RETURNED
    _save_claim(claim, actor=actor, reason=f"returned: {comment.strip()}"[:500])
    notify(
        verdict.author,
        f"Verdict returned: {claim.text[:60]}",
        f"{actor.get_username()} returned your verdict on:\n\n{claim.text}\n\nComment: {comment.strip()}",
        claim=claim,
    )
    return verdict


@transaction.atomic
def claim_dismiss(*, claim: Claim, actor, reason: str, version: int | None = None) -> Claim:
    """Mark a claim not check-worthy (opinion, rhetoric), with the reason."""
    claim = _locked_claim(claim, version)
    _require_perm(actor, "assign_claim", "dismiss claims")
    _require_status(claim, (S.NEW, S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.STALE), "dismiss")
    if not reason.strip():
        raise WorkflowError("say why the claim is not check-worthy")
    claim.status = S.NOT_CHECKWORTHY
    claim.assignee = None
    return _save_claim(claim, actor=actor, reason=f"not check-worthy: {reason.strip()}"[:500])


@transaction.atomic
def claim_mark_checkworthy(*, claim: Claim, actor, checkworthy: bool, version: int | None = None) -> Claim:
    """Correct the model's check-worthiness ("check this" / "not a claim"); `manage.py train`
    learns from these decisions."""
    claim = _locked_claim(claim, version)
    if not (actor.has_perm("reviews.add_verdict") or actor.has_perm("reviews.assign_claim")):
        raise WorkflowError(f"{actor.get_username()} may not correct check-worthiness")
    decision = CheckworthyDecision.CHECK if checkworthy else CheckworthyDecision.NOT_A_CLAIM
    if claim.checkworthy_decision == decision:
        raise WorkflowError(f"the claim is already marked “{decision.label.lower()}”")
    claim.checkworthy = checkworthy
    claim.checkworthy_decision = decision
    return _save_claim(claim, actor=actor, reason=f"check-worthiness: {decision.label.lower()}")
