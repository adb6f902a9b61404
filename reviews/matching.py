"""Claims that recur: find a new claim's likely twins in other articles, for a person to judge.

Each claim's content terms are stored in an inverted index (``ClaimTerm``). A new claim
looks up only its rarest terms there (an indexed query that never scans all claims),
takes the claims of other articles sharing at least two of them, and scores each by the
cosine of the two term sets, every term weighted by its rarity here and in general
speech. The best few above a floor become *proposed* matches. A person confirms or
rejects each; a rejection is remembered and never proposed again. When two matched
claims state different figures, a ``conflicting_figures`` flag links them.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .models import (
    Claim,
    ClaimMatch,
    ClaimStatus,
    ClaimTerm,
    Flag,
    MatchStatus,
    TermStat,
    Verdict,
    VerdictStatus,
)
from .rules import RULES_VERSION
from .services.flags import flagrules_sync
from .services.history import save_with_history
from .textproc import similarity as sim

LOOKUP_TERMS = 8  # the new claim's rarest terms that are looked up in the index
MIN_SHARED = 2  # lookup terms a candidate must share
MAX_CANDIDATES = 50  # candidates scored per claim, those sharing the most lookup terms first
MIN_TERMS = 5  # claims with fewer content terms are too short to match on
LOOKUP_MAX_CLAIMS = 1000  # terms in more claims than this are not looked up (still scored)
PROPOSE_AT = 0.15  # similarity from which a match is proposed
PER_CLAIM = 3  # proposals per claim, the most similar first
CONFLICT_AT = 0.3  # similarity from which different figures count as a conflict


class MatchError(Exception):
    """A match decision or a verdict reuse that is not allowed; the message says why."""


@dataclass(frozen=True)
class Candidate:
    other_id: int
    score: float
    shared: tuple[str, ...]
    figures_differ: bool


ALL_CLAIMS = ""  # the TermStat row that counts the indexed claims themselves


def terms_count(terms_by_claim: Iterable[Iterable[str]], sign: int) -> None:
    """Add (or remove) one claim per term to the term counts, atomically in the database."""
    sets = [set(terms) for terms in terms_by_claim]
    counts = Counter(t for terms in sets for t in terms)
    if not counts:
        return
    counts[ALL_CLAIMS] = sum(1 for terms in sets if terms)
    table = TermStat._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (term, claims) VALUES (%s, %s) "
            f"ON CONFLICT (term) DO UPDATE SET claims = {table}.claims + excluded.claims",
            [(term, sign * n) for term, n in sorted(counts.items())],
        )


def claims_index(claims: Iterable[Claim]) -> int:
    """(Re)write the index terms of these claims and the term counts; returns the rows written."""
    claims = list(claims)
    old: dict[int, list[str]] = {}
    for claim_id, term in ClaimTerm.objects.filter(claim__in=claims).values_list("claim_id", "term"):
        old.setdefault(claim_id, []).append(term)
    ClaimTerm.objects.filter(claim__in=claims).delete()
    terms_count(old.values(), -1)
    new = {c.pk: sorted({t[:40] for t in sim.terms(c.text)}) for c in claims}
    rows = [ClaimTerm(claim=c, article_id=c.article_id, term=t) for c in claims for t in new[c.pk]]
    ClaimTerm.objects.bulk_create(rows, batch_size=2000)
    terms_count(new.values(), +1)
    return len(rows)


def claim_unindex(sender, instance: Claim, **kwargs) -> None:
    """Before a claim is deleted (alone or with its article), take its terms out of the counts.

    Connected to ``pre_delete`` of Claim, which Django sends for every claim a deletion
    removes, cascades included, while its index rows still exist.
    """
    terms = list(ClaimTerm.objects.filter(claim_id=instance.pk).values_list("term", flat=True))
    terms_count([terms], -1)


class Scorer:
    """Similarity weights for one matching run: rarity among stored claims times in general.

    A term in more than ``LOOKUP_MAX_CLAIMS`` claims is too common to look up: each lookup
    then reads a bounded number of index entries, however many claims are stored.
    """

    def __init__(self):
        stat = TermStat.objects.filter(term=ALL_CLAIMS).first()
        self.stored = max(stat.claims if stat else 0, 1)
        self.df: dict[str, int] = {}

    def load(self, terms: Iterable[str]) -> None:
        missing = set(terms) - self.df.keys()
        if missing:
            found = dict(TermStat.objects.filter(term__in=missing).values_list("term", "claims"))
            self.df.update({t: found.get(t, 0) for t in missing})

    def common(self, term: str) -> bool:
        return self.df.get(term, 0) > LOOKUP_MAX_CLAIMS

    def weight(self, term: str) -> float:
        local = sim.idf(self.df.get(term, 0), self.stored)
        return local * sim.general_idf(term)


def claim_candidates(claim: Claim, scorer: Scorer, terms: frozenset[str] | None = None) -> list[Candidate]:
    """The claims of other articles most like ``claim``, best first (two indexed queries)."""
    terms = sim.terms(claim.text) if terms is None else terms
    content = terms - sim.figures(terms)
    if len(content) < MIN_TERMS:
        return []
    scorer.load(content)
    lookup = sorted((t for t in content if not scorer.common(t)), key=scorer.weight, reverse=True)
    lookup = lookup[:LOOKUP_TERMS]
    if len(lookup) < MIN_SHARED:
        return []
    hits = list(
        ClaimTerm.objects.filter(term__in=lookup)
        .exclude(article_id=claim.article_id)
        .values_list("claim_id")
        .annotate(shared=Count("id"))
        .filter(shared__gte=MIN_SHARED)
        .order_by("-shared", "claim_id")[:MAX_CANDIDATES]
    )
    if not hits:
        return []
    their_terms: dict[int, set[str]] = {}
    for claim_id, term in ClaimTerm.objects.filter(claim_id__in=[h[0] for h in hits]).values_list(
        "claim_id", "term"
    ):
        their_terms.setdefault(claim_id, set()).add(term)
    weights = {t: scorer.weight(t) for t in content}
    rare = max(weights.values())  # a term we have no count for is at least as rare as ours
    out = []
    for other_id, other in their_terms.items():
        other = frozenset(other)
        shared = (content & other) - sim.figures(other)
        if len(shared) < MIN_SHARED:
            continue
        score = sim.similarity(terms, other, weights, rare)
        out.append(
            Candidate(other_id, round(score, 4), tuple(sorted(shared)), sim.figures_conflict(terms, other))
        )
    return sorted(out, key=lambda c: (-c.score, c.other_id))


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
    proposed = []
    for claim in claims:
        taken = 0
        for candidate in claim_candidates(claim, scorer):
            if candidate.score < PROPOSE_AT or taken >= PER_CLAIM:
                break
            pair = frozenset((claim.pk, candidate.other_id))
            if pair in known:  # proposed, confirmed or rejected before: never again
                continue
            known.add(pair)
            taken += 1
            proposed.append(
                ClaimMatch(
                    claim=claim,
                    other_id=candidate.other_id,
                    score=candidate.score,
                    shared_terms=list(candidate.shared),
                    figures_differ=candidate.figures_differ,
                )
            )
    matches = bulk_create_with_history(proposed, ClaimMatch, default_user=actor, default_change_reason=reason)
    _flag_conflicts([m for m in matches if m.figures_differ and m.score >= CONFLICT_AT], actor=actor)
    return matches


def _flag_conflicts(matches: list[ClaimMatch], *, actor) -> list[Flag]:
    if not matches:
        return []
    rule = flagrules_sync(actor=actor)["conflicting_figures"]
    if not rule.enabled:
        return []
    others = Claim.objects.in_bulk([m.other_id for m in matches])
    mine = Claim.objects.select_related("article").in_bulk([m.claim_id for m in matches])
    flags, seen = [], set()
    for match in matches:
        claim, other = mine[match.claim_id], others[match.other_id]
        if claim.revision_id is None or (claim.pk, rule.pk) in seen:
            continue
        seen.add((claim.pk, rule.pk))
        theirs = ", ".join(sorted(t[1:] for t in sim.figures(sim.terms(other.text))))
        ours = ", ".join(sorted(t[1:] for t in sim.figures(sim.terms(claim.text))))
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


@transaction.atomic
def verdict_reuse(*, claim: Claim, match: ClaimMatch, actor, version: int | None = None) -> Verdict:
    """Submit, on ``claim``, the approved verdict of its confirmed twin, with its provenance.

    The reused verdict is submitted like any other (the claim must be assigned to the actor)
    and still needs a second person's approval.
    """
    from .services.verdicts import verdict_submit

    match = _locked_match(match)
    if claim.pk not in (match.claim_id, match.other_id):
        raise MatchError("this match is not about this claim")
    earlier = reusable_verdict(match, claim)
    if earlier is None:
        raise MatchError("only the approved verdict of a confirmed match can be reused")
    source = earlier.claim
    provenance = (
        f"reused from claim #{source.index + 1} of “{source.article.title[:80]}”: "
        f"{earlier.rating.label} by {earlier.author.get_username()}, "
        f"approved by {earlier.approved_by.get_username() if earlier.approved_by else '?'}"
    )
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
    )


@dataclass(frozen=True)
class MatchScores:
    proposed: int
    gold: int
    found: int
    named: int = 0  # pairs named as must-match
    named_found: int = 0
    floor: float = 0.0  # the lowest score among the named pairs
    gold_at_floor: int = 0  # labelled pairs scoring at least that
    other_at_floor: int = 0  # every other cross-article pair scoring at least that

    @property
    def precision(self) -> float:
        return self.found / self.proposed if self.proposed else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0


def seed_match_scores(articles: dict, groups: dict[str, list[str]], named=()) -> MatchScores:
    """Proposed matches among ``articles`` (key -> Article) against labelled groups of
    "key:sentence-index" members: two members of one group in different articles match.

    With ``named`` pairs (that must be proposed), also the *floor*: the lowest score among
    them, and how many labelled and other pairs score at least as high, i.e. what any
    threshold that keeps the named pairs has to accept with them.
    """
    ids = {
        f"{key}:{index}": pk
        for key, article in articles.items()
        for index, pk in Claim.objects.filter(revision=article.current_revision).values_list("index", "id")
    }
    gold = set()
    for members in groups.values():
        for a in members:
            for b in members:
                if a.split(":")[0] != b.split(":")[0]:
                    gold.add(frozenset((ids[a], ids[b])))
    proposed = {
        frozenset(pair)
        for pair in ClaimMatch.objects.filter(
            claim_id__in=ids.values(), other_id__in=ids.values()
        ).values_list("claim_id", "other_id")
    }
    scores = MatchScores(proposed=len(proposed), gold=len(gold), found=len(proposed & gold))
    if not named:
        return scores
    scored: dict[frozenset, float] = {}
    scorer, seed_ids = Scorer(), set(ids.values())
    for claim in Claim.objects.filter(pk__in=seed_ids):
        for candidate in claim_candidates(claim, scorer):
            if candidate.other_id in seed_ids:
                pair = frozenset((claim.pk, candidate.other_id))
                scored[pair] = max(scored.get(pair, 0.0), candidate.score)
    named = [frozenset((ids[a], ids[b])) for a, b in named]
    floor = min(scored.get(pair, 0.0) for pair in named)
    above = {pair for pair, score in scored.items() if score >= floor} if floor > 0 else set()
    return replace(
        scores,
        named=len(named),
        named_found=sum(1 for pair in named if pair in proposed),
        floor=floor,
        gold_at_floor=len(above & gold),
        other_at_floor=len(above - gold),
    )
