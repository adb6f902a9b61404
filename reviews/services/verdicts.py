"""Verdict services: submit, approve, return; and the evidence a verdict cites.

Every step is atomic, guarded by the declared workflow (``services.workflow``) and
history-attributed; approval is by a second person (four eyes).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from ..models import Claim, ClaimStatus, Evidence, MediaRating, Rating, Verdict, VerdictStatus
from ..textproc.shorten import shorten
from .common import claim_guard, claim_save, current_verdict, locked_claim, notify
from .history import save_with_history
from .webhooks import verdict_approved_emitted
from .workflow import ACTIONS, Context, WorkflowError, guard

S = ClaimStatus


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
    claim_reviewed: str = "",
    media_rating: str = "",
) -> Verdict:
    """Record the assigned fact-checker's verdict and send it for approval.

    ``evidence`` reuses sources already stored; ``new_evidence`` holds the fields of
    sources recorded with this verdict, created in the same transaction. ``claim_reviewed``
    is the claim as checked, in one statement (published as ClaimReview's claimReviewed);
    ``media_rating`` rates the claim's media item (MediaReview).
    """
    claim = locked_claim(claim, version)
    if claim.status == S.ASSIGNED and claim.assignee_id == actor.pk:
        # A verdict written straight away (reused from a matching claim, say) starts the review.
        claim_guard("start", actor, claim)
        claim.status = ACTIONS["start"].target
        claim_save(claim, actor=actor, reason="review started")
    claim_guard("submit", actor, claim)
    if current_verdict(claim) is not None:
        raise WorkflowError("this claim already has a verdict awaiting approval or approved")
    if not summary.strip():
        raise WorkflowError("a verdict needs a summary")
    claim_reviewed = " ".join(claim_reviewed.split())
    if len(claim_reviewed) > 200:
        raise WorkflowError(f"state the claim in at most 200 characters (this is {len(claim_reviewed)})")
    if media_rating and not claim.media_url:
        raise WorkflowError("a media rating needs the claim's media item: record it first")
    if media_rating not in ("", *MediaRating.values):
        raise WorkflowError(f"unknown media rating “{media_rating}”")
    verdict = Verdict(
        claim=claim,
        rating=rating,
        summary=summary.strip(),
        claim_reviewed=claim_reviewed,
        media_rating=media_rating,
        explanation=explanation,
        author=actor,
        reused_from=reused_from,
    )
    save_with_history(verdict, actor=actor, reason=reason[:500])
    evidence = list(evidence) + [_evidence_create(fields, actor) for fields in new_evidence]
    if evidence:
        verdict._history_user = actor
        verdict.evidence.add(*evidence)
    claim.status = ACTIONS["submit"].target
    claim_save(claim, actor=actor, reason=f"verdict submitted: {rating.label}")
    return verdict


def _evidence_create(fields: dict, actor, reason: str = "recorded with a verdict") -> Evidence:
    fields = {
        k: v.strip() if isinstance(v, str) else v
        for k, v in fields.items()
        if k not in ("created_by", "created_by_id", "id", "pk")
    }
    evidence = Evidence(**fields, created_by=actor)
    try:
        evidence.full_clean()
    except ValidationError as exc:
        named = fields.get("url") or Truncator(fields.get("description", "")).chars(60)
        raise WorkflowError(f"evidence{' ' + named if named else ''}: {'; '.join(exc.messages)}") from None
    save_with_history(evidence, actor=actor, reason=reason)
    return evidence


@transaction.atomic
def evidence_create(*, fields: dict, actor, reason: str = "recorded") -> Evidence:
    """Record a source for later use; its creator is always the actor."""
    if not actor.has_perm("reviews.add_evidence"):
        raise WorkflowError(f"{actor.get_username()} may not record evidence")
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
    verdict = current_verdict(claim)
    guard(action, actor, claim, Context(author_id=verdict.author_id if verdict else None))
    if verdict is None:
        raise WorkflowError(f"there is no submitted verdict to {action}")
    return verdict


@transaction.atomic
def verdict_approve(*, claim: Claim, actor, version: int | None = None) -> Verdict:
    """A second person approves the submitted verdict (never its author)."""
    claim = locked_claim(claim, version)
    verdict = _submitted_verdict(claim, actor, "approve")
    verdict.status, verdict.approved_by, verdict.approved_at = VerdictStatus.APPROVED, actor, timezone.now()
    verdict.version += 1
    save_with_history(verdict, actor=actor, reason="verdict approved")
    claim.status = ACTIONS["approve"].target
    claim_save(claim, actor=actor, reason=f"approved: {verdict.rating.label}")
    verdict_approved_emitted(verdict, claim)
    notify(
        verdict.author,
        f"Verdict approved: {shorten(claim.text, 60)}",
        f"{actor.get_username()} approved your verdict ({verdict.rating.label}) on:\n\n{claim.text}",
        claim=claim,
    )
    return verdict


@transaction.atomic
def verdict_return(*, claim: Claim, actor, comment: str, version: int | None = None) -> Verdict:
    """Send a submitted verdict back to its author with a comment."""
    claim = locked_claim(claim, version)
    verdict = _submitted_verdict(claim, actor, "return")
    if not comment.strip():
        raise WorkflowError("say what needs to change: a comment is required")
    verdict.status, verdict.return_comment = VerdictStatus.RETURNED, comment.strip()
    verdict.returned_by, verdict.returned_at = actor, timezone.now()
    verdict.version += 1
    save_with_history(verdict, actor=actor, reason=f"returned: {comment.strip()}"[:500])
    claim.status = ACTIONS["return"].target
    claim_save(claim, actor=actor, reason=f"returned: {comment.strip()}"[:500])
    notify(
        verdict.author,
        f"Verdict returned: {shorten(claim.text, 60)}",
        f"{actor.get_username()} returned your verdict on:\n\n{claim.text}\n\nComment: {comment.strip()}",
        claim=claim,
    )
    return verdict
