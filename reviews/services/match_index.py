"""The match index: each claim's terms (``ClaimTerm``), how many claims hold each term
(``TermCount``), and which version of the index terms each claim was indexed with
(``IndexedClaim``).

The counts are exact: every write of index rows changes them in the same transaction. A
count is kept in stripes, a term's count being the sum of its rows. On PostgreSQL each
transaction that writes counts first takes a stripe that no other open transaction holds
(an advisory lock, tried stripe by stripe, held to the commit) and adds only to its rows, so
parallel matching jobs never wait for each other on a popular term or on the count of all
indexed claims; a transaction waits only when every stripe is taken, and then holds none,
so no two writers wait for each other in a circle. SQLite runs one writer at a time: stripe 0.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from ..models import Claim, ClaimStatus, ClaimTerm, IndexedClaim, TermCount
from ..textproc import similarity as sim

ALL_CLAIMS = ""  # the term whose count is the number of indexed claims themselves
STRIPES = 8  # parallel writers that never wait for each other's commit (more wait for a stripe)
ADVISORY_NAMESPACE = 20 << 48  # keeps these locks apart from any other advisory lock (webhooks: 19 << 48)


def index_terms(text: str) -> list[str]:
    """The index rows of a claim's text: its terms, names and sources (``Profile.index_terms``)."""
    return sorted(sim.profile(text).index_terms())


def _stripe(cursor) -> int:
    """The stripe this transaction adds to: one no other open transaction holds (taken to its end)."""
    if connection.vendor != "postgresql":
        return 0
    # Each connection starts from its own stripe, so that two writers rarely try the same one.
    info = getattr(connection.connection, "info", None)
    start = getattr(info, "backend_pid", 0) % STRIPES
    for step in range(STRIPES):
        stripe = (start + step) % STRIPES
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_NAMESPACE | stripe])
        if cursor.fetchone()[0]:  # free, or already this transaction's
            return stripe
    # Every stripe is held by another open transaction (and none by this one): wait for one.
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_NAMESPACE | start])
    return start


def _counts_add(deltas: Counter) -> None:
    deltas = {term: n for term, n in deltas.items() if n}
    if not deltas:
        return
    table = TermCount._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        stripe = _stripe(cursor)
        cursor.executemany(
            f"INSERT INTO {table} (term, stripe, claims) VALUES (%s, %s, %s) "
            f"ON CONFLICT (term, stripe) DO UPDATE SET claims = {table}.claims + excluded.claims",
            [(term, stripe, n) for term, n in sorted(deltas.items())],
        )


def _deltas(terms_by_claim: Iterable[Iterable[str]], sign: int) -> Counter:
    deltas: Counter = Counter()
    for terms in terms_by_claim:
        terms = set(terms)
        if terms:
            deltas.update(dict.fromkeys(terms | {ALL_CLAIMS}, sign))
    return deltas


def terms_count(terms_by_claim: Iterable[Iterable[str]], sign: int) -> None:
    """Add (``sign`` +1) or remove (-1) one claim per term of each claim to the term counts."""
    _counts_add(_deltas(terms_by_claim, sign))


def term_counts(terms: Iterable[str] | None = None) -> dict[str, int]:
    """Term -> how many indexed claims hold it (all terms with a count when ``terms`` is None)."""
    return TermCount.objects.totals(None if terms is None else list(terms))


def claims_index(claims: Iterable[Claim]) -> int:
    """(Re)write these claims' index rows and the term counts; returns the rows written.

    Claims whose terms are unchanged keep their rows; every claim is marked as indexed with
    the current index terms (``similarity.INDEX_VERSION``).
    """
    claims = list(claims)
    if not claims:
        return 0
    old: dict[int, set[str]] = {c.pk: set() for c in claims}
    for claim_id, term in ClaimTerm.objects.filter(claim__in=claims).values_list("claim_id", "term"):
        old[claim_id].add(term)
    new = {c.pk: set(index_terms(c.text)) for c in claims}
    changed = [c for c in claims if old[c.pk] != new[c.pk]]
    ClaimTerm.objects.filter(claim__in=[c for c in changed if old[c.pk]]).delete()
    rows = [ClaimTerm(claim=c, article_id=c.article_id, term=t) for c in changed for t in sorted(new[c.pk])]
    ClaimTerm.objects.bulk_create(rows, batch_size=2000)
    deltas = _deltas((old[c.pk] for c in changed), -1)
    deltas.update(_deltas((new[c.pk] for c in changed), +1))
    _counts_add(deltas)
    IndexedClaim.objects.bulk_create(
        [IndexedClaim(claim_id=c.pk, terms_version=sim.INDEX_VERSION) for c in claims],
        update_conflicts=True,
        unique_fields=["claim"],
        update_fields=["terms_version"],
        batch_size=2000,
    )
    return len(rows)


def claim_unindex(sender, instance: Claim, **kwargs) -> None:
    """Before a claim is deleted (alone or with its article), take its terms out of the counts.

    Connected to ``pre_delete`` of Claim, which Django sends for every claim a deletion
    removes, cascades included, while its index rows still exist.
    """
    terms = list(ClaimTerm.objects.filter(claim_id=instance.pk).values_list("term", flat=True))
    terms_count([terms], -1)


def indexable_claims():
    """The claims the index holds: those matching indexes (all but withdrawn ones), and
    withdrawn ones that kept the index rows they had (they are still found as candidates)."""
    has_rows = Exists(ClaimTerm.objects.filter(claim=OuterRef("pk")))
    return Claim.objects.filter(~Q(status=ClaimStatus.WITHDRAWN) | has_rows).order_by("pk")


def stale_claims(version: str = sim.INDEX_VERSION):
    """The indexable claims whose index rows are not (or not known to be) of ``version``."""
    return indexable_claims().exclude(indexed__terms_version=version)


@transaction.atomic
def term_counts_recount() -> int:
    """Count every term again from the index rows, one row per term; returns the terms counted.

    Takes every stripe first (in order, waiting for writers to commit), so no count is
    written meanwhile; a writer that has not taken a stripe yet adds its change afterwards.
    """
    table, index = TermCount._meta.db_table, ClaimTerm._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for stripe in range(STRIPES):
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_NAMESPACE | stripe])
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {table} (term, stripe, claims) SELECT term, 0, COUNT(*) FROM {index} GROUP BY term"
        )
        terms = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {table} (term, stripe, claims) "
            f"SELECT %s, 0, COUNT(DISTINCT claim_id) FROM {index} HAVING COUNT(*) > 0",
            [ALL_CLAIMS],
        )
    return terms


@dataclass(frozen=True)
class Reindexed:
    claims: int  # claims whose index rows were rewritten (or found current)
    rows: int  # index rows written
    terms: int | None  # terms counted again from the index rows (None: not recounted)
    stale: int  # claims still indexed with other index terms, after this run


def claims_reindex(
    *,
    articles: Iterable[int] = (),
    since: datetime | None = None,
    everything: bool = False,
    batch: int = 500,
    on_progress=None,
) -> Reindexed:
    """Rewrite the index rows of the claims indexed with other index terms (all claims with
    ``everything``), a batch per transaction; then, for a run over the whole archive, count
    every term again from the index rows.

    Resumable: a claim is marked with the index terms it was indexed with as its batch commits,
    so a run stopped half-way (or run twice) goes on with the claims still to do.
    ``on_progress(done, total)`` follows it. ``articles`` and ``since`` (claims stored on or
    after) narrow it; counts stay exact batch by batch either way.
    """
    articles = sorted(set(articles))
    chosen = indexable_claims() if everything else stale_claims()
    if articles:
        chosen = chosen.filter(article_id__in=articles)
    if since is not None:
        chosen = chosen.filter(created_at__gte=since)
    chosen = chosen.only("pk", "article_id", "text")
    total = chosen.count()
    done = rows = 0
    last = 0
    if on_progress is not None:
        on_progress(0, total)
    while True:
        claims = list(chosen.filter(pk__gt=last)[:batch])
        if not claims:
            break
        with transaction.atomic():
            rows += claims_index(claims)
        done, last = done + len(claims), claims[-1].pk
        if on_progress is not None:
            on_progress(min(done, total), total)
    terms = None
    if not articles and since is None:
        terms = term_counts_recount()
    return Reindexed(claims=done, rows=rows, terms=terms, stale=stale_claims().count())
