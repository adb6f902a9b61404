"""Editable claims: split a sentence into two claims, merge a claim with the next one, narrow a
claim to the checkable fragment of its sentence.

What every edit keeps true (see docs/architecture.md, "Editable claims"):

- spans: ``revision.body[start:end] == text`` for every claim, and the claims of a revision
  are numbered 0, 1, 2 … in body order with no gap (the claim page's context, the article's
  text, the flag rules and the next version's alignment all read them by ``index``);
- who: an editor, or the fact-checker the claim is assigned to while it is in their queue;
  only claims of the article's current revision, never a withdrawn one;
- verdicts: a verdict awaiting approval blocks every edit (approve or return it first); an
  approved verdict was given on the old text, so it is superseded (kept in history) and the
  claim goes back to its checker as stale; returned and superseded verdicts stay with the claim
  (on a merge, the second claim's move to the merged one);
- flags: a flag lying wholly in the part that becomes a new claim moves to it; one spanning the
  split point stays with the first part; a merge joins both claims' flags; narrowing may not
  leave an open flag out (it must stay in front of the checker), and a decided flag left out is
  detached from the claim (it stays on the article);
- history: every row written is attributed to the actor with a reason; renumbered claims keep
  their ``version`` (their text and state did not change, so work in progress on them is not
  refused as stale);
- matching: the edited claims are indexed and matched again.
"""

import re

from django.db import transaction
from django.utils import timezone

from ..models import (
    TODO_STATUSES,
    Article,
    Claim,
    ClaimMatch,
    ClaimStatus,
    Flag,
    FlagStatus,
    Verdict,
    VerdictStatus,
)
from ..textproc import load_model
from ..textproc.classify import analyse_sentence, kind_of
from .common import claim_save, locked_claim
from .history import delete_with_history, save_with_history
from .matches import claims_match
from .workflow import Context, WorkflowError, refusal

S = ClaimStatus
_WORD = re.compile(r"\w")


def edit_refusal(claim: Claim, user) -> str | None:
    """Why ``user`` may not split, merge or narrow ``claim``, or None when they may (the
    declared workflow's ``edit`` action)."""
    current = claim.article.current_revision_id == claim.revision_id
    return refusal("edit", user, claim, Context(current_version=current))


def fragment_span(claim: Claim, fragment: str) -> tuple[int, int]:
    """The body span of ``fragment`` inside the claim's text; it must occur there exactly once."""
    fragment = fragment.strip()
    if not fragment:
        raise WorkflowError("type the words of the claim to keep")
    found = claim.text.count(fragment)
    if found == 0:
        raise WorkflowError("the fragment is not in the claim's text: copy it exactly from the sentence")
    if found > 1:
        raise WorkflowError(f"the fragment occurs {found} times in the sentence: include more words")
    start = claim.start + claim.text.index(fragment)
    return start, start + len(fragment)


def _locked(claim: Claim, version: int | None) -> tuple[Claim, list[Claim]]:
    """Lock the article, then all claims of the claim's revision (as a new version does), and
    return the claim as it is now with its revision's claims in order."""
    # The article first: a new version holds it while it moves claims to another revision, so
    # the revision read after it is the claim's for the rest of this transaction.
    Article.objects.select_for_update(of=("self",)).filter(pk=claim.article_id).first()
    revision_id = Claim.objects.filter(pk=claim.pk).values_list("revision_id", flat=True).first()
    if revision_id is None:
        raise WorkflowError("this claim no longer exists (it was merged into another): reload the article")
    locked = list(
        Claim.objects.select_for_update(of=("self",)).filter(revision_id=revision_id).order_by("pk")
    )
    fresh = locked_claim(claim, version)
    fresh = Claim.objects.select_related("article", "revision", "assignee").get(pk=fresh.pk)
    return fresh, sorted(locked, key=lambda c: c.index)


def _require_editable(claim: Claim, actor) -> None:
    refusal = edit_refusal(claim, actor)
    if refusal:
        raise WorkflowError(refusal)


def _words_in(text: str, what: str) -> None:
    if not _WORD.search(text):
        raise WorkflowError(f"the {what} would hold no words")


def _reanalysed(claim: Claim, body: str, start: int, end: int) -> None:
    """Give the claim a new span and what the pipeline reads in its text (kind, score, checkables).

    Check-worthiness is an editorial designation and is left as it is.
    """
    text = body[start:end]
    features, checkables = analyse_sentence(text)
    claim.start, claim.end, claim.text = start, end, text
    claim.kind = kind_of(text, features, checkables)
    claim.score = min(max(load_model().score(text, features), 0.0), 1.0)
    claim.checkables = checkables.as_dict()


def _supersede_approved(claim: Claim, *, actor, reason: str) -> bool:
    """An approved verdict was given on the old text: set it aside and send the claim back to
    its checker as stale (as a new version editing the sentence does)."""
    approved = list(Verdict.objects.select_for_update().filter(claim=claim, status=VerdictStatus.APPROVED))
    for verdict in approved:
        verdict.status = VerdictStatus.SUPERSEDED
        verdict.version += 1
        save_with_history(verdict, actor=actor, reason=f"superseded: {reason}"[:500])
    if approved:
        claim.status = S.STALE if claim.assignee_id else S.NEW
    return bool(approved)


def _renumber(claims: list[Claim], by: int, *, actor, reason: str) -> None:
    """Shift these claims' indexes by ``by``, one row at a time in the order that never lets two
    claims of the revision hold one index (the constraint is checked on every row)."""
    for claim in sorted(claims, key=lambda c: c.index, reverse=by > 0):
        claim.index += by
        save_with_history(claim, actor=actor, reason=reason, update_fields=["index"])


def _quote(text: str, n: int = 60) -> str:
    return f"“{text if len(text) <= n else text[: n - 1] + '…'}”"


@transaction.atomic
def claim_split(*, claim: Claim, at: int, actor, version: int | None) -> tuple[Claim, Claim]:
    """Cut a claim in two at body offset ``at`` (inside its text); the first part keeps the claim,
    the second becomes the next claim. Returns (first, second)."""
    claim, ordered = _locked(claim, version)
    _require_editable(claim, actor)
    if not claim.start < at < claim.end:
        raise WorkflowError(
            f"the split point must fall inside the claim (offsets {claim.start + 1}–{claim.end - 1})"
        )
    body, n = claim.revision.body, claim.index
    first_end = claim.start + len(body[claim.start : at].rstrip())
    rest = body[at : claim.end]
    second_start = at + len(rest) - len(rest.lstrip())
    _words_in(body[claim.start : first_end], "first part")
    _words_in(body[second_start : claim.end], "second part")
    end = claim.end
    _renumber(
        [c for c in ordered if c.index > n], +1, actor=actor, reason=f"renumbered: claim #{n + 1} was split"
    )
    second = Claim(
        article=claim.article,
        revision=claim.revision,
        index=n + 1,
        checkworthy=claim.checkworthy,
        priority=claim.priority,
    )
    _reanalysed(second, body, second_start, end)
    _reanalysed(claim, body, claim.start, first_end)
    _supersede_approved(claim, actor=actor, reason=f"claim #{n + 1} was split")
    if claim.assignee_id and claim.status in (*TODO_STATUSES, S.APPROVED):
        # Both assertions need checking, by the person who had the sentence.
        second.status, second.assignee, second.assigned_by = S.ASSIGNED, claim.assignee, actor
        second.assigned_at, second.due = timezone.now(), claim.due
    elif claim.status == S.NOT_CHECKWORTHY:
        second.status = S.NOT_CHECKWORTHY
    claim_save(claim, actor=actor, reason=f"split: the rest, {_quote(second.text)}, is claim #{n + 2}")
    save_with_history(second, actor=actor, reason=f"split from claim #{n + 1}")
    for flag in Flag.objects.filter(
        claim=claim, revision_id=claim.revision_id, field="body", start__gte=second_start
    ):
        flag.claim = second
        save_with_history(flag, actor=actor, reason=f"moved with its passage to claim #{n + 2} (split)")
    claims_match([claim, second], actor=actor, reason=f"proposed after claim #{n + 1} was split")
    return claim, second


@transaction.atomic
def claim_merge(*, claim: Claim, actor, version: int | None) -> Claim:
    """Join a claim with the next claim of its revision (two sentences that are one assertion)."""
    claim, ordered = _locked(claim, version)
    _require_editable(claim, actor)
    n = claim.index
    second = next((c for c in ordered if c.index == n + 1), None)
    if second is None:
        raise WorkflowError(
            f"claim #{n + 1} is the last of the article: there is no next claim to merge with"
        )
    if second.status == S.WITHDRAWN:
        raise WorkflowError(f"claim #{n + 2} is withdrawn and cannot be merged")
    if second.status == S.SUBMITTED:
        raise WorkflowError(f"a verdict on claim #{n + 2} awaits approval: approve or return it first")
    if second.assignee_id and second.assignee_id != claim.assignee_id:
        raise WorkflowError(
            f"claim #{n + 2} is assigned to {second.assignee.get_username()}: "
            "assign both claims to one fact-checker first"
        )
    reason = f"claims #{n + 1} and #{n + 2} were merged"
    _supersede_approved(claim, actor=actor, reason=reason)
    _supersede_approved(second, actor=actor, reason=reason)
    for verdict in Verdict.objects.select_for_update().filter(claim=second):
        verdict.claim = claim
        save_with_history(verdict, actor=actor, reason=f"moved to claim #{n + 1}: {reason}")
    for flag in Flag.objects.filter(claim=second):
        flag.claim = claim
        save_with_history(flag, actor=actor, reason=f"moved to claim #{n + 1}: {reason}")
    for flag in Flag.objects.filter(related_claim=second):
        flag.related_claim = claim
        save_with_history(flag, actor=actor, reason=f"points to claim #{n + 1}: {reason}")
    # Matches were judged on the second sentence alone; the merged claim is matched afresh.
    for match in ClaimMatch.objects.filter(claim=second) | ClaimMatch.objects.filter(other=second):
        delete_with_history(match, actor=actor, reason=f"removed: {reason}")
    delete_with_history(second, actor=actor, reason=f"merged into claim #{n + 1}")
    _renumber([c for c in ordered if c.index > n + 1], -1, actor=actor, reason=f"renumbered: {reason}")
    claim.checkworthy = claim.checkworthy or second.checkworthy
    _reanalysed(claim, claim.revision.body, claim.start, second.end)
    claim_save(claim, actor=actor, reason=f"merged with the next sentence, {_quote(second.text)}")
    claims_match([claim], actor=actor, reason=f"proposed after {reason}")
    return claim


@transaction.atomic
def claim_narrow(*, claim: Claim, start: int, end: int, actor, version: int | None) -> Claim:
    """Keep only body[start:end] of a claim: the checkable part of its sentence."""
    claim, _ordered = _locked(claim, version)
    _require_editable(claim, actor)
    n, body = claim.index, claim.revision.body
    if start >= end:
        raise WorkflowError("the fragment is empty")
    if not claim.start <= start < end <= claim.end:
        raise WorkflowError("the fragment must lie inside the claim's text")
    fragment = body[start:end]
    if not fragment.strip():
        raise WorkflowError("the fragment holds only spaces")
    if fragment != fragment.strip():
        raise WorkflowError("the fragment begins or ends with a space")
    _words_in(fragment, "fragment")
    if (start, end) == (claim.start, claim.end):
        raise WorkflowError("the fragment is the whole claim: nothing to narrow")
    flags = list(
        Flag.objects.filter(claim=claim, revision_id=claim.revision_id, field="body").select_related("rule")
    )
    left_out = [f for f in flags if f.end <= start or f.start >= end]
    for flag in left_out:
        if flag.status == FlagStatus.OPEN:
            raise WorkflowError(
                f"the fragment leaves out the open flag “{flag.rule.title}” on {_quote(flag.text, 40)}: "
                "keep that passage, or have the flag resolved first"
            )
    for flag in left_out:
        flag.claim = None
        save_with_history(
            flag, actor=actor, reason=f"detached: claim #{n + 1} was narrowed to leave this out"
        )
    _reanalysed(claim, body, start, end)
    _supersede_approved(claim, actor=actor, reason=f"claim #{n + 1} was narrowed")
    claim_save(claim, actor=actor, reason=f"narrowed to {_quote(fragment)}")
    claims_match([claim], actor=actor, reason=f"proposed after claim #{n + 1} was narrowed")
    return claim
