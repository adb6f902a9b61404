"""Jobs through a real Redis and real Celery worker processes, against the test database.

A worker is a separate process: it needs the data the test commits, so these tests run on
PostgreSQL (as CI does, in its second pass); an in-memory SQLite database cannot be shared.
"""

import os
import time
import uuid
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from reviews import jobs, textproc
from reviews.management.commands.bench_jobs import Worker, synthetic_text, worker_env
from reviews.management.commands.bench_scale import database_url
from reviews.models import (
    Article,
    Claim,
    ClaimMatch,
    ClaimTerm,
    Flag,
    IngestKey,
    Job,
    JobKind,
    JobState,
    sha256_hex,
)
from reviews.services.match_index import ADVISORY_NAMESPACE, STRIPES, index_terms, term_counts
from tests.conftest import SEED_FILES
from tests.webserver import Answer, Site, seed_page

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="worker processes share the database: run on PostgreSQL (CI's second pass does)",
    ),
]


@pytest.fixture
def broker(settings):
    """This test's own queue on the real Redis; the test process queues to it, not inline."""
    from newsroom.celery import app, use_broker

    queue = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    saved = (app.conf.broker_url, app.conf.task_default_queue, app.conf.task_always_eager)
    use_broker(REDIS_URL, queue=queue)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)  # a clear failure when Redis is not running
    yield queue
    use_broker(saved[0], queue=saved[1], eager=saved[2])


@pytest.fixture
def workers(broker, tmp_path):
    """Start worker processes on this test's queue and database; stopped at the end."""
    started = []
    env = worker_env(
        broker, REDIS_URL, FETCH_ALLOWED_HOSTS="127.0.0.1", JOB_MAX_RETRIES="2", JOB_RETRY_SECONDS="0.5"
    )

    def start(*names):
        new = [Worker(name, broker, tmp_path / f"{name}.log", env) for name in names]
        for worker in new:
            worker.wait_ready()
        started.extend(new)
        return new

    yield start
    for worker in started:
        worker.stop()


def raw_connection():
    db = connection.settings_dict
    return psycopg.connect(database_url(db, db["NAME"]), autocommit=False)


@contextmanager
def row_locked(sql: str, params=()):
    """Hold a row lock from another connection until the block ends (then roll back)."""
    with raw_connection() as conn:
        conn.execute(sql, params).fetchall()
        try:
            yield
        finally:
            conn.rollback()


@contextmanager
def counts_locked():
    """Hold every stripe of the term counts from another connection: a matching job waits for
    one (inside its transaction, its index rows written) until the block ends."""
    with raw_connection() as conn:
        for stripe in range(STRIPES):
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_NAMESPACE | stripe])
        try:
            yield
        finally:
            conn.rollback()


def waiting_on_locks() -> int:
    with raw_connection() as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [connection.settings_dict["NAME"]],
        ).fetchone()[0]


def until(condition, timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def sentences(paths) -> dict[str, int]:
    """Body hash -> number of sentences, as ingest analyses each file."""
    out = {}
    for path in paths:
        analysis = textproc.analyze(path.read_text(encoding="utf-8"), fmt="text")
        out[sha256_hex(analysis.body)] = len(analysis.claims)
    return out


def assert_no_duplicates(expected: dict[str, int]) -> None:
    """One article per text; each article's claims once; flags, matches and index rows once."""
    stored = {
        a.current_revision.sha256: a.claims.count()
        for a in Article.objects.select_related("current_revision")
    }
    assert stored == expected and Article.objects.count() == len(expected)
    flags = list(Flag.objects.values_list("revision_id", "rule_id", "field", "start", "end"))
    assert len(flags) == len(set(flags))
    pairs = [frozenset(p) for p in ClaimMatch.objects.values_list("claim_id", "other_id")]
    assert len(pairs) == len(set(pairs))
    indexed = 0
    for claim in Claim.objects.all():
        terms = set(ClaimTerm.objects.filter(claim=claim).values_list("term", flat=True))
        assert terms == {t[:40] for t in index_terms(claim.text)}
        indexed += bool(terms)
    assert term_counts([""]).get("", 0) == indexed  # the killed transaction counted nothing


def test_a_worker_killed_mid_job_runs_it_again_without_duplicates(workers, editor):
    (worker,) = workers("solo")
    first = jobs.ingest_later(data=SEED_FILES[0].read_bytes(), name=SEED_FILES[0].name, actor=editor)
    jobs.jobs_wait([first], timeout=180)
    assert Job.objects.get(pk=first.pk).state == JobState.DONE
    until(lambda: not Job.objects.filter(state__in=("queued", "running")).exists(), what="first matching")

    data = SEED_FILES[1].read_bytes()
    (key,) = (IngestKey.for_text(sha) for sha in sentences([SEED_FILES[1]]))
    IngestKey.objects.create(key=key)
    with counts_locked(), row_locked("SELECT 1 FROM reviews_ingestkey WHERE key = %s FOR UPDATE", [key]):
        job = jobs.ingest_later(data=data, name=SEED_FILES[1].name, actor=editor)
        # 1. The ingest waits on its text's key, inside its transaction: kill it there.
        until(lambda: waiting_on_locks() >= 1, what="the ingest to wait on its key")
        killed = worker.kill_child()
        until(lambda: worker.pool_children() not in ([], [killed]), what="a new pool process")
    # Both locks are released here; the ingest runs again and commits, then its matching
    # job would run: catch that one mid-transaction too (after it wrote index rows).
    jobs.jobs_wait([job], timeout=180)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 2, (job.state, job.attempts, job.error)
    match = Job.objects.get(kind=JobKind.MATCH, article_id=job.result["article"])
    jobs.jobs_wait([match], timeout=180)
    match.refresh_from_db()
    assert match.state == JobState.DONE

    # 2. Matching killed mid-transaction (its claims' index rows written, waiting for a stripe).
    third = SEED_FILES[2].read_bytes()
    with counts_locked():
        ingest = jobs.ingest_later(data=third, name=SEED_FILES[2].name, actor=editor)
        until(lambda: Job.objects.filter(kind=JobKind.MATCH, state="running").exists(), what="matching")
        until(lambda: waiting_on_locks() >= 1, what="matching to wait for a stripe of the counts")
        article_id = Job.objects.get(pk=ingest.pk).result["article"]
        killed = worker.kill_child()
        until(lambda: worker.pool_children() not in ([], [killed]), what="a new pool process")
    match = Job.objects.get(kind=JobKind.MATCH, article_id=article_id)
    jobs.jobs_wait([match], timeout=180)
    match.refresh_from_db()
    assert match.state == JobState.DONE and match.attempts == 2, (match.state, match.attempts, match.error)
    assert_no_duplicates(sentences(SEED_FILES[:3]))


def test_two_workers_take_in_two_hundred_articles_once_each(workers, editor):
    workers("one", "two")
    texts = [synthetic_text(n) for n in range(200)]
    batch = jobs.batch_create(actor=editor, total=220, what="200 articles and 20 repeats")
    queued = [
        jobs.ingest_later(data=t, name=f"s{n}.txt", actor=editor, parent=batch) for n, t in enumerate(texts)
    ]
    queued += [
        jobs.ingest_later(data=texts[n], name=f"again{n}.txt", actor=editor, parent=batch) for n in range(20)
    ]
    done = jobs.jobs_wait(queued, timeout=900)
    assert [j.state for j in done] == [JobState.DONE] * 220, [j.error for j in done if j.error][:3]
    assert Article.objects.count() == 200
    assert sum(1 for j in done if j.result["created"]) == 200
    assert {j.worker.split("@")[0] for j in done} == {"one", "two"}  # both took their share
    matching = Job.objects.filter(kind=JobKind.MATCH)
    jobs.jobs_wait(list(matching), timeout=900)
    assert matching.count() == 200 and not matching.exclude(state=JobState.DONE).exists()
    assert ClaimTerm.objects.values("article_id").distinct().count() == 200
    batch.refresh_from_db()
    assert (batch.state, batch.progress_done, batch.progress_total) == (JobState.DONE, 220, 220)


def test_a_transient_failure_is_retried_with_back_off_and_a_lasting_one_fails_visibly(workers, editor):
    workers("solo")
    with Site() as site:
        site.routes["/flaky"] = Answer(seed_page(), fail_first=2)
        site.routes["/down"] = Answer(b"down", status=503, content_type="text/plain")
        site.routes["/gone"] = Answer(b"gone", status=404, content_type="text/plain")
        flaky = jobs.url_ingest_later(url=site.url("/flaky"), actor=editor)
        down = jobs.url_ingest_later(url=site.url("/down"), actor=editor)
        gone = jobs.url_ingest_later(url=site.url("/gone"), actor=editor)
        flaky, down, gone = jobs.jobs_wait([flaky, down, gone], timeout=180)
    assert (flaky.state, flaky.attempts) == (JobState.DONE, 3) and Article.objects.count() == 1
    assert (down.state, down.attempts) == (JobState.FAILED, 3) and "503" in down.error
    assert (gone.state, gone.attempts) == (JobState.FAILED, 1) and "404 Not Found" in gone.error
