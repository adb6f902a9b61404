"""Claim matching from many connections at once (PostgreSQL: SQLite runs one writer at a time).

Matching jobs index claims and keep the term counts that weigh them; two jobs must not wait
for each other's commit (else a second worker adds nothing), and the counts must stay exact.
"""

import threading
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count

from reviews.management.commands.bench_jobs import synthetic_text
from reviews.models import Article, Claim, ClaimTerm, Job, JobKind, JobState, TermCount
from reviews.services import match_index
from reviews.services.articles import article_ingest
from reviews.services.flags import flagrules_sync
from reviews.services.match_index import ALL_CLAIMS, term_counts, term_counts_recount
from reviews.services.matches import claims_match
from tests.test_concurrent_writes import errors, in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only(editor):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and parallel connections are exercised on PostgreSQL (CI runs it)")
    flagrules_sync(actor=editor)


def test_a_matching_transaction_does_not_wait_for_another_still_open(editor):
    # Two stories of one kind: their claims share most terms (and every count row but names).
    first = article_ingest(data=synthetic_text(1), name="one.txt", actor=editor).article
    second = article_ingest(data=synthetic_text(2), name="two.txt", actor=editor).article
    indexed, finished = threading.Event(), threading.Event()
    outcome = {}

    def hold_open():
        try:
            with transaction.atomic():
                claims_match(list(Claim.objects.filter(article=first)), actor=editor)
                indexed.set()
                outcome["second finished while the first was open"] = finished.wait(timeout=30)
        except Exception as exc:
            outcome["first"] = exc
        finally:
            indexed.set()
            connections.close_all()

    holder = threading.Thread(target=hold_open)
    holder.start()
    assert indexed.wait(timeout=60)

    def match_second():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '10s'")
            return claims_match(list(Claim.objects.filter(article=second)), actor=editor)

    (done,) = in_parallel([match_second], timeout=60)
    finished.set()
    holder.join(timeout=60)
    assert errors([done]) == [] and "first" not in outcome, (errors([done]), outcome)
    assert outcome["second finished while the first was open"]


UNRELATED = (
    "Rye at the winter market\n\nBakers in Tromsø sold 4,512 loaves of rye bread at the winter market, "
    "the guild wrote.\n\nQueues for cardamom buns stretched past the harbour crane by noon.\n"
)


def counts_from_index() -> dict[str, int]:
    counts = Counter(ClaimTerm.objects.values_list("term", flat=True))
    indexed = ClaimTerm.objects.values("claim").distinct().count()
    return {**counts, **({ALL_CLAIMS: indexed} if indexed else {})}


def stored_counts() -> dict[str, int]:
    return {term: n for term, n in term_counts().items() if n}


def test_the_counts_stay_exact_when_many_connections_index_at_once(editor):
    early = [article_ingest(data=synthetic_text(n), name=f"e{n}.txt", actor=editor).article for n in range(4)]
    # Deleted while the others are matched: a story that shares a word or two with them (so its
    # claims are looked up as candidates) but is never proposed (a claim deleted under a job
    # that proposes it fails that job's commit, and the job runs again).
    early[2] = article_ingest(data=UNRELATED, name="bread.txt", actor=editor).article
    assert stored_counts() == counts_from_index()

    def ingest(numbers):
        return [article_ingest(data=synthetic_text(n), name=f"s{n}.txt", actor=editor) for n in numbers]

    def rematch(article, times=3):
        claims = list(Claim.objects.filter(article=article))
        return [claims_match(claims, actor=editor) for _ in range(times)]

    def delete(article):
        with transaction.atomic():
            return Claim.objects.filter(article=article).delete()

    outcomes = in_parallel(
        [lambda i=i: ingest(range(10 + 4 * i, 14 + 4 * i)) for i in range(6)]
        + [lambda: rematch(early[0]), lambda: rematch(early[1]), lambda: delete(early[2])]
    )
    assert errors(outcomes) == []
    assert Claim.objects.filter(article__in=early[3:]).exists()  # claims stay indexed beside the others
    failed = list(Job.objects.exclude(state=JobState.DONE).values_list("kind", "state", "error"))
    assert failed == [] and Job.objects.filter(kind=JobKind.MATCH).count() == 5 + 24
    assert ClaimTerm.objects.values("article_id").distinct().count() == Article.objects.count() - 1 == 28
    assert stored_counts() == counts_from_index()

    # A recount folds the stripes into one row per term and finds the same figures.
    term_counts_recount()
    assert stored_counts() == counts_from_index()
    assert not TermCount.objects.values("term").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_each_open_transaction_adds_to_a_stripe_of_its_own(editor):
    held, release = threading.Event(), threading.Event()
    taken = {}

    def hold():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                taken["first"] = match_index._stripe(cursor)
                taken["again"] = match_index._stripe(cursor)  # the same, not a second one
                held.set()
                release.wait(timeout=30)
        finally:
            held.set()
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=30)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            mine = match_index._stripe(cursor)
    finally:
        release.set()
        holder.join(timeout=30)
    assert taken["first"] == taken["again"] and mine != taken["first"]
