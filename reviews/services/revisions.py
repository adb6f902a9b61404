"""New versions of an article: a new revision, and every claim re-anchored to it.

Each claim of the current revision meets the new text's sentences in order (a diff of
the two sentence lists): a sentence found again unchanged moves its span and keeps its
state and verdict; a sentence edited in place turns its claim *stale* (back to review,
its verdict superseded but kept in history); a sentence that vanished withdraws its
claim; a sentence that is new becomes a new claim. Flags are raised again on the new
revision, and a passage dismissed before stays dismissed.
"""

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import rules
from ..models import Article, ArticleRevision, Claim, ClaimStatus, Verdict, VerdictStatus
from ..textproc import Analysis
from .flags import RuleBook, revision_flag, revision_flags_close
from .history import save_with_history
from .rows import claim_fields

UNCHANGED, CHANGED, WITHDRAWN, NEW = "unchanged", "changed", "withdrawn", "new"
# How alike two sentences must be, word for word, to count as one sentence edited.
SAME_SENTENCE = 0.5
# How much of a stored version a page found by its URL alone must keep (sentences found
# again, unchanged or edited) to be taken as its next version; see docs/architecture.md.
SAME_ARTICLE = 0.5


@dataclass(frozen=True)
class Fate:
    kind: str
    old: int | None  # index in the old revision
    new: int | None  # index in the new revision


def _words(text: str) -> list[str]:
    return text.lower().split()


def align(old: list[str], new: list[str]) -> list[Fate]:
    """Pair the old revision's sentences with the new one's, in order."""
    a = [" ".join(_words(t)) for t in old]
    b = [" ".join(_words(t)) for t in new]
    fates: list[Fate] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            fates += [Fate(UNCHANGED, i, j) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        # Within a replaced stretch, an old sentence is "edited" into the most alike new
        # one after the last paired, if alike enough; the rest vanished or are new.
        paired: dict[int, int] = {}
        next_j = j1
        for i in range(i1, i2):
            best, best_ratio = None, SAME_SENTENCE
            for j in range(next_j, j2):
                ratio = SequenceMatcher(a=_words(old[i]), b=_words(new[j]), autojunk=False).ratio()
                if ratio >= best_ratio:
                    best, best_ratio = j, ratio
            if best is not None:
                paired[i] = best
                next_j = best + 1
        for i in range(i1, i2):
            fates.append(Fate(CHANGED, i, paired[i]) if i in paired else Fate(WITHDRAWN, i, None))
        fates += [Fate(NEW, None, j) for j in range(j1, j2) if j not in paired.values()]
    return fates


def kept_share(fates: list[Fate]) -> float:
    """The share of the old version's sentences found again in the new one (unchanged or edited)."""
    old = [f for f in fates if f.old is not None]
    if not old:
        return 1.0
    return sum(f.kind in (UNCHANGED, CHANGED) for f in old) / len(old)


def _apply_candidate(claim: Claim, candidate) -> None:
    for field, value in claim_fields(candidate).items():
        setattr(claim, field, value)


def revision_changes(old: list[Claim], analysis: Analysis, fates: list[Fate]) -> list[dict]:
    """What a new revision does to the claims, as stored on the revision for its diff page."""
    return [
        {
            "fate": f.kind,
            "claim": old[f.old].pk if f.old is not None else None,
            "old": old[f.old].text if f.old is not None else "",
            "new_index": f.new,
            "new": analysis.claims[f.new].text if f.new is not None else "",
        }
        for f in fates
        if f.kind != UNCHANGED
    ]


def _locked_as_now(old: list[Claim]) -> list[Claim]:
    """Lock the claims a new version rewrites and take them as they are now.

    ``old`` was read (and diffed) without locks. A workflow step that landed since then (a
    verdict submitted, a claim assigned) bumped the claim's version: writing ``old`` back
    would undo it, so the fates are applied to the locked row instead. A step that waits for
    these locks then finds a new version and is refused as stale.
    """
    revisions = {c.revision_id for c in old}
    locked = {
        c.pk: c for c in Claim.objects.select_for_update().filter(revision_id__in=revisions).order_by("pk")
    }
    now = []
    for claim in old:
        fresh = locked.get(claim.pk)
        if fresh is None or fresh.revision_id != claim.revision_id or fresh.text != claim.text:
            # The article row is locked while a version is stored, so only a bug gets here.
            raise ValueError(f"claim {claim.pk} was re-anchored by another version meanwhile")
        now.append(fresh)
    return now


@transaction.atomic
def revision_add(
    *,
    article: Article,
    revision: ArticleRevision,
    analysis: Analysis,
    hits: list[rules.Hit],
    book: RuleBook,
    old: list[Claim],
    fates: list[Fate],
    actor,
) -> tuple[Counter, list[Claim]]:
    """Make ``revision`` (saved, ``analysis`` of its body) the article's current one and move
    the ``old`` claims of the previous revision as ``fates`` say, then raise ``hits`` (the
    rules of ``book`` on the new text) as its flags; returns the fate counts and the claims
    whose text is new or changed (to be matched again)."""
    candidates = list(analysis.claims)
    now, n = timezone.now(), revision.number
    old = _locked_as_now(old)
    moved, edited, withdrawn, created = [], [], [], []
    for fate in fates:
        claim = old[fate.old] if fate.old is not None else None
        if fate.kind == NEW:
            created.append(Claim(article=article, revision=revision))
            _apply_candidate(created[-1], candidates[fate.new])
            continue
        claim.version += 1
        claim.updated_at = now
        if fate.kind == WITHDRAWN:
            claim.status = ClaimStatus.WITHDRAWN
            withdrawn.append(claim)
            continue
        claim.revision = revision
        _apply_candidate(claim, candidates[fate.new])
        if fate.kind == CHANGED:
            claim.status = ClaimStatus.STALE
            edited.append(claim)
        else:
            moved.append(claim)
    fields = ["revision", "index", "start", "end", "text", "kind", "score", "checkworthy", "checkables"]
    fields += ["status", "version", "updated_at"]
    # Withdrawn claims stay anchored in the revision that had their sentence.
    for claims, reason in [
        (withdrawn, f"withdrawn: the sentence is gone from revision {n}"),
        (moved, f"re-anchored to revision {n}, text unchanged"),
        (edited, f"stale: the sentence was edited in revision {n}"),
    ]:
        if claims:
            bulk_update_with_history(claims, Claim, fields, default_user=actor, default_change_reason=reason)
    if created:
        created = bulk_create_with_history(
            created, Claim, default_user=actor, default_change_reason=f"new in revision {n}"
        )
    current = Verdict.objects.filter(
        claim__in=edited, status__in=[VerdictStatus.SUBMITTED, VerdictStatus.APPROVED]
    )
    for verdict in current:
        verdict.status = VerdictStatus.SUPERSEDED
        verdict.version += 1
        save_with_history(verdict, actor=actor, reason=f"superseded: the claim was edited in revision {n}")
    # A verdict awaiting approval on a sentence that is gone would wait for ever: it closes with
    # its claim (an approved one stays approved: it was true of the text it was given).
    for verdict in Verdict.objects.filter(claim__in=withdrawn, status=VerdictStatus.SUBMITTED):
        verdict.status = VerdictStatus.SUPERSEDED
        verdict.version += 1
        save_with_history(verdict, actor=actor, reason=f"closed: the sentence is gone from revision {n}")
    article.current_revision = revision
    save_with_history(
        article, actor=actor, reason=f"revision {n} attached", update_fields=["current_revision"]
    )
    revision_flags_close(article=article, actor=actor, reason=f"closed: revision {n} replaced this text")
    revision_flag(revision=revision, hits=hits, book=book, actor=actor, reason=f"flags of revision {n}")
    return Counter(f.kind for f in fates), edited + list(created)
