"""Claims that recur: find a new claim's likely twins in other articles, for a person to judge.

Each claim's terms are stored in an inverted index (``ClaimTerm``, written by
``services.match_index`` with the term counts that weigh them). A new claim looks up
only its rarest terms there (an indexed query that never scans all claims), takes the
claims of other articles sharing the rarest of them, and scores each with the match
model (``textproc.matchmodel``): the words, names, figures and sources the two share.
The best few at or above the suggestion threshold become *proposed* matches, in two
tiers: *likely the same* (shown first) and *suggested*; each says in words what the two
claims share. A person confirms or rejects each; a rejection is remembered and never
proposed again, and decisions are training data for the next model (``manage.py
train``). When two matched claims state different figures for what looks like the same
quantity, a ``conflicting_figures`` flag links them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ..models import (
    Claim,
    ClaimMatch,
    ClaimStatus,
    ClaimTerm,
    Flag,
    MatchStatus,
    MatchTier,
    Verdict,
    VerdictStatus,
)
from ..rules import RULES_VERSION
from ..textproc import matchmodel as mm
from ..textproc import similarity as sim
from ..textproc.shorten import shorten
from .common import locked_claim
from .flags import flagrules_sync
from .history import save_with_history
from .match_index import ALL_CLAIMS, claims_index, term_counts
from .publishing import DETAILS, claim_details_change


class MatchError(Exception):
    """A match decision or a verdict reuse that is not allowed; the message says why."""


@dataclass(frozen=True)
class Candidate:
    other_id: int
    score: float
    tier: str | None  # None: never shown (``MatchModel.proposal_tier``)
    shared: tuple[str, ...]
    figures_differ: bool


class Scorer:
    """One matching run: the term counts it has read, the weights it has worked out, the model."""

    def __init__(self, model: mm.MatchModel | None = None):
        stored = term_counts([ALL_CLAIMS]).get(ALL_CLAIMS, 0)
        self.df: dict[str, int] = {}
        self._weight = mm.term_weight(self.df, max(stored, 1))
        self._weights: dict[str, float] = {}
        self.model = model or mm.active()

    def load(self, terms: Iterable[str]) -> None:
        missing = set(terms) - self.df.keys()
        if missing:
            found = term_counts(missing)
            self.df.update({t: found.get(t, 0) for t in missing})

    def weight(self, term: str) -> float:
        if term not in self._weights:
            self._weights[term] = self._weight(term)
        return self._weights[term]


def _hits(claim: Claim, mine: sim.Profile, scorer: Scorer) -> list[int]:
    """The claims of other articles that share the most (and the rarest) of the claim's
    looked-up terms: one indexed query, reading a bounded number of index rows."""
    lookup = mm.lookup_terms(mine.terms, scorer.df, scorer.weight)
    if not lookup:
        return []
    table = ClaimTerm._meta.db_table
    cases = " ".join("WHEN %s THEN %s" for _ in lookup)
    marks = ", ".join("%s" for _ in lookup)
    sql = (
        f"SELECT claim_id, SUM(CASE term {cases} ELSE 0 END) AS reach FROM {table} "
        f"WHERE term IN ({marks}) AND article_id <> %s "
        f"GROUP BY claim_id ORDER BY reach DESC, claim_id LIMIT {mm.MAX_CANDIDATES}"
    )
    params = [x for t in lookup for x in (t, scorer.weight(t))] + lookup + [claim.article_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def claims_candidates(claims: list[Claim], scorer: Scorer) -> dict[int, list[Candidate]]:
    """For each claim, the claims of other articles most like it, best first.

    One indexed query per claim finds the candidates; they are scored from their index
    rows alone (``Profile.from_index``, read in one query for all), so no text is read or
    parsed for the many candidates that are not proposed.
    """
    mine = {c.pk: sim.profile(c.text) for c in claims}
    mine = {pk: p for pk, p in mine.items() if mm.matchable(p)}
    scorer.load({t for p in mine.values() for t in p.terms} | {sim.NEVER_SEEN})
    hits = {c.pk: _hits(c, mine[c.pk], scorer) for c in claims if c.pk in mine}
    wanted = sorted({h for ids in hits.values() for h in ids})
    rows: dict[int, list[str]] = {}
    for chunk in range(0, len(wanted), 2000):
        ids = wanted[chunk : chunk + 2000]
        for claim_id, term in ClaimTerm.objects.filter(claim_id__in=ids).values_list("claim_id", "term"):
            rows.setdefault(claim_id, []).append(term)
    others = {pk: sim.Profile.from_index(terms) for pk, terms in rows.items()}
    scorer.load({t for p in others.values() for t in p.terms})
    out = {}
    for pk, ids in hits.items():
        found = []
        for other_id in ids:
            other = others.get(other_id)
            if other is None:  # deleted since the lookup (by a transaction committed meanwhile)
                continue
            score = scorer.model.score(sim.pair_features(mine[pk], other, scorer.weight))
            found.append(
                Candidate(
                    other_id,
                    round(score, 4),
                    scorer.model.proposal_tier(score, mine[pk], other),
                    tuple(sorted(mine[pk].terms & other.terms)),
                    sim.figures_conflict(mine[pk], other),
                )
            )
        out[pk] = sorted(found, key=lambda c: (-c.score, c.other_id))
    return out


@transaction.atomic
def claims_match(
    claims: Iterable[Claim], *, actor, reason: str = "proposed by claim matching"
) -> list[ClaimMatch]:
    """Index these claims and propose their matches; raise conflicting-figures flags."""
    claims = [c for c in claims if c.status != ClaimStatus.WITHDRAWN]
    claims_index(claims)
    if not claims:
        return []
    scorer = Scorer()
    known = {
        frozenset(pair)
        for pair in ClaimMatch.objects.filter(claim__in=claims).values_list("claim_id", "other_id")
    } | {
        frozenset(pair)
        for pair in ClaimMatch.objects.filter(other__in=claims).values_list("claim_id", "other_id")
    }
    candidates = claims_candidates(claims, scorer)
    proposed = []
    for claim in claims:
        shown = [c for c in candidates.get(claim.pk, []) if c.tier is not None]
        for candidate in shown[: mm.PER_CLAIM]:
            pair = frozenset((claim.pk, candidate.other_id))
            if pair in known:  # proposed, confirmed or rejected before: never again
                continue
            known.add(pair)
            proposed.append(
                ClaimMatch(
                    claim=claim,
                    other_id=candidate.other_id,
                    score=candidate.score,
                    tier=candidate.tier,
                    shared_terms=list(candidate.shared),
                    figures_differ=candidate.figures_differ,
                )
            )
    _explain(proposed, scorer)
    matches = bulk_create_with_history(proposed, ClaimMatch, default_user=actor, default_change_reason=reason)
    # "Likely the same" with other figures is a conflict now; a suggested one becomes one
    # when a person confirms it (match_decide).
    _flag_conflicts([m for m in matches if m.figures_differ and m.tier == MatchTier.LIKELY], actor=actor)
    return matches


def _explain(matches: list[ClaimMatch], scorer: Scorer) -> None:
    """Say in words what each proposed pair shares (one query for all the texts)."""
    texts = dict(
        Claim.objects.filter(
            pk__in={m.claim_id for m in matches} | {m.other_id for m in matches}
        ).values_list("pk", "text")
    )
    profiles = {pk: sim.profile(text) for pk, text in texts.items()}
    for match in matches:
        match.explanation = sim.explain(profiles[match.claim_id], profiles[match.other_id], scorer.weight)


def _flag_conflicts(matches: list[ClaimMatch], *, actor) -> list[Flag]:
    if not matches:
        return []
    rule = flagrules_sync(actor=actor)["conflicting_figures"]
    if not rule.enabled:
        return []
    others = Claim.objects.in_bulk([m.other_id for m in matches])
    claims = Claim.objects.select_related("article").in_bulk([m.claim_id for m in matches])
    flags, seen = [], set()
    for match in matches:
        claim, other = claims[match.claim_id], others[match.other_id]
        if claim.revision_id is None or (claim.pk, rule.pk) in seen:
            continue
        seen.add((claim.pk, rule.pk))
        a, b = sim.profile(claim.text), sim.profile(other.text)
        differ = sim.differing_figures(a, b)
        ours = ", ".join(dict.fromkeys(a.figures[x] for x, _ in differ))
        theirs = ", ".join(dict.fromkeys(b.figures[y] for _, y in differ))
        flags.append(
            Flag(
                article_id=claim.article_id,
                revision_id=claim.revision_id,
                claim=claim,
                related_claim=other,
                rule=rule,
                start=claim.start,
                end=claim.end,
                text=claim.text,
                why=f"states {ours}; a similar claim (#{other.pk}) elsewhere states {theirs}",
                severity=rule.severity,
                resolver_role=rule.resolver_role,
                rules_version=RULES_VERSION,
            )
        )
    existing = set(
        Flag.objects.filter(rule=rule, claim__in=[f.claim for f in flags]).values_list(
            "claim_id", "start", "end"
        )
    )
    flags = [f for f in flags if (f.claim.pk, f.start, f.end) not in existing]
    return bulk_create_with_history(
        flags, Flag, default_user=actor, default_change_reason="figures differ from a matching claim"
    )


def _locked_match(match: ClaimMatch) -> ClaimMatch:
    return (
        ClaimMatch.objects.select_for_update(of=("self",)).select_related("claim", "other").get(pk=match.pk)
    )


@transaction.atomic
def match_decide(*, match: ClaimMatch, actor, confirm: bool, note: str = "") -> ClaimMatch:
    """A person confirms that two claims state the same thing, or rejects the match (for good)."""
    if not actor.has_perm("reviews.change_claimmatch"):
        raise MatchError(f"{actor.get_username()} may not judge claim matches")
    match = _locked_match(match)
    if match.status != MatchStatus.PROPOSED:
        raise MatchError(f"this match is already {match.get_status_display().lower()} by {match.decided_by}")
    match.status = MatchStatus.CONFIRMED if confirm else MatchStatus.REJECTED
    match.decided_by, match.decided_at, match.note = actor, timezone.now(), note.strip()
    verb = "confirmed" if confirm else "rejected"
    save_with_history(match, actor=actor, reason=f"{verb}{': ' + note.strip() if note.strip() else ''}"[:500])
    if confirm and match.figures_differ:
        _flag_conflicts([match], actor=actor)
    return match


def reusable_verdict(match: ClaimMatch, claim: Claim) -> Verdict | None:
    """The approved verdict on the other side of a confirmed match, seen from ``claim``."""
    if match.status != MatchStatus.CONFIRMED:
        return None
    other_id = match.other_id if match.claim_id == claim.pk else match.claim_id
    return (
        Verdict.objects.filter(claim_id=other_id, status=VerdictStatus.APPROVED)
        .select_related("rating", "author", "approved_by", "claim__article")
        .first()
    )


def _details_taken(claim: Claim, source: Claim) -> dict:
    """Of the twin's details, the groups this claim records nothing of: what one claim says of
    a fact holds for its confirmed twin, but what an editor or checker recorded on this
    claim is theirs and is never replaced."""
    taken = {}
    for _, fields in DETAILS:
        if not any(getattr(claim, f) for f in fields) and any(getattr(source, f) for f in fields):
            taken.update({f: getattr(source, f) for f in fields})
    return taken


def _claim_reviewed(claim: Claim, earlier: Verdict) -> str:
    """The claim as checked for the reused verdict: the statement the claim's checker wrote on
    a verdict returned to them, else the one checked on the twin (else none: the sentence)."""
    returned = (
        Verdict.objects.filter(claim=claim, status=VerdictStatus.RETURNED)
        .exclude(claim_reviewed="")
        .order_by("-submitted_at", "-pk")
        .values_list("claim_reviewed", flat=True)
        .first()
    )
    return returned or earlier.claim_reviewed


@transaction.atomic
def verdict_reuse(*, claim: Claim, match: ClaimMatch, actor, version: int | None = None) -> Verdict:
    """Submit, on ``claim``, the approved verdict of its confirmed twin, with its provenance.

    The reused verdict is submitted like any other (the claim must be assigned to the actor)
    and still needs a second person's approval. It states the claim as checked on the twin
    unless the claim's checker stated it before, and the claim takes the twin's claimant,
    appearances and media item where it records none of its own (the history says so); the
    twin's media rating comes with it only for the same media item.
    """
    from .verdicts import verdict_submit

    match = _locked_match(match)
    claim = locked_claim(claim, version)  # its details as they are now
    if claim.pk not in (match.claim_id, match.other_id):
        raise MatchError("this match is not about this claim")
    earlier = reusable_verdict(match, claim)
    if earlier is None:
        raise MatchError("only the approved verdict of a confirmed match can be reused")
    source = earlier.claim
    provenance = (
        f"reused from claim #{source.index + 1} of “{shorten(source.article.title, 80)}”: "
        f"{earlier.rating.label} by {earlier.author.get_username()}, "
        f"approved by {earlier.approved_by.get_username() if earlier.approved_by else '?'}"
    )
    taken = _details_taken(claim, source)
    if taken:
        claim = claim_details_change(
            claim=claim,
            actor=actor,
            changes=taken,
            version=version,
            why=f"copied from claim #{source.index + 1} of “{shorten(source.article.title, 80)}” "
            "with its reused verdict",
        )
        version = None  # checked, and the claim stays locked until the verdict is stored
    same_media = bool(claim.media_url) and claim.media_url == source.media_url
    return verdict_submit(
        claim=claim,
        rating=earlier.rating,
        summary=earlier.summary,
        explanation=f"{earlier.explanation}\n\n({provenance})".strip(),
        evidence=earlier.evidence.all(),
        actor=actor,
        version=version,
        reused_from=earlier,
        reason=provenance,
        claim_reviewed=_claim_reviewed(claim, earlier),
        media_rating=earlier.media_rating if same_media else "",
    )
