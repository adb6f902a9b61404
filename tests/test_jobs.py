"""Jobs with no broker configured: queued on commit, run inline, recorded for editors."""

import io
import zipfile

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from reviews import jobs, tasks
from reviews.management.commands.bench_jobs import synthetic_text
from reviews.models import Article, ClaimMatch, ClaimTerm, Job, JobKind, JobState
from reviews.services.articles import article_ingest
from reviews.services.claims import claim_assign
from tests.conftest import SEED_FILES


def ingest(n: int, actor):
    return article_ingest(data=synthetic_text(n), name=f"s{n}.txt", actor=actor).article


def test_matching_runs_as_a_job_once_the_ingest_commits(editor):
    article = article_ingest(data=SEED_FILES[0].read_bytes(), name="a.txt", actor=editor).article
    job = Job.objects.get(kind=JobKind.MATCH, article=article)
    assert (job.state, job.attempts, job.progress_done, job.progress_total) == (JobState.DONE, 1, 1, 1)
    assert job.result == {"claims": article.claims.count(), "matches": 0}
    assert ClaimTerm.objects.filter(article=article).exists()


def test_nothing_is_queued_for_an_ingest_rolled_back(editor):
    with pytest.raises(RuntimeError), transaction.atomic():
        article_ingest(data=SEED_FILES[0].read_bytes(), name="a.txt", actor=editor)
        raise RuntimeError("the caller's transaction fails")
    assert not Job.objects.exists() and not ClaimTerm.objects.exists() and not Article.objects.exists()


def test_the_article_page_says_matching_until_done_and_shows_a_failure(client, editor):
    article = ingest(1, editor)
    job = Job.objects.get(kind=JobKind.MATCH, article=article)
    url = reverse("admin:reviews_article_change", args=[article.pk])
    client.force_login(editor)
    assert "matching…" not in client.get(url).content.decode()
    job.state = JobState.QUEUED
    job.save()
    assert "matching…" in client.get(url).content.decode()
    job.state, job.error = JobState.FAILED, "OperationalError: the database went away"
    job.save()
    page = client.get(url).content.decode()
    assert "Claim matching failed" in page and "the database went away" in page


def test_a_message_delivered_twice_does_nothing_the_second_time(editor):
    article = article_ingest(data=SEED_FILES[0].read_bytes(), name="a.txt", actor=editor).article
    other = article_ingest(data=SEED_FILES[2].read_bytes(), name="c.txt", actor=editor).article
    match = Job.objects.get(kind=JobKind.MATCH, article=other)
    pairs = ClaimMatch.objects.count()
    tasks.match.apply(args=[match.pk])  # a second delivery of a finished job
    match.refresh_from_db()
    assert match.attempts == 1 and ClaimMatch.objects.count() == pairs
    # The worker died after the work committed but before the job was marked done: it runs
    # again, and the work itself is idempotent.
    match.state = JobState.RUNNING
    match.save()
    tasks.match.apply(args=[match.pk])
    match.refresh_from_db()
    assert (match.state, match.attempts) == (JobState.DONE, 2) and ClaimMatch.objects.count() == pairs
    job = jobs.ingest_later(data=SEED_FILES[0].read_bytes(), name="a.txt", actor=editor)
    job.refresh_from_db()
    assert job.result["created"] is False and job.result["article"] == article.pk
    assert Article.objects.count() == 2


def test_a_failed_job_keeps_its_error_and_an_editor_can_run_it_again(client, editor, monkeypatch):
    real = tasks.article_ingest

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "article_ingest", broken)
    job = jobs.ingest_later(data=synthetic_text(3), name="s3.txt", actor=editor)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == "OSError: disk full" and job.payload is not None
    client.force_login(editor)
    listing = client.get(reverse("admin:reviews_job_changelist")).content.decode()
    assert "disk full" in listing and "Failed" in listing
    monkeypatch.setattr(tasks, "article_ingest", real)
    client.post(
        reverse("admin:reviews_job_changelist"), {"action": "retry_jobs", "_selected_action": [job.pk]}
    )
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error, job.payload) == (JobState.DONE, 2, "", None)
    assert Article.objects.filter(pk=job.result["article"]).exists()


def test_a_broker_that_cannot_be_reached_fails_the_job_visibly(editor, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("redis at 127.0.0.1:6379")

    monkeypatch.setattr(tasks.email, "apply_async", refuse)
    job = jobs.email_later(to="alice@example.org", subject="s", body="b")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "could not be queued: ConnectionRefusedError" in job.error


def test_e_mail_goes_out_as_a_job_after_the_commit(editor, alice, seed_article):
    mail.outbox.clear()
    claim = seed_article.claims.order_by("index").first()
    claim_assign(claim=claim, assignee=alice, actor=editor)
    job = Job.objects.get(kind=JobKind.EMAIL)
    assert job.state == JobState.DONE and job.result == {"to": "alice@example.org"}
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_a_big_export_bundle_is_made_by_a_job(client, editor):
    articles = [ingest(n, editor) for n in range(21)]
    client.force_login(editor)
    response = client.post(
        reverse("admin:reviews_article_changelist"),
        {"action": "download_exports", "_selected_action": [a.pk for a in articles]},
    )
    assert response.status_code == 302
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert job.state == JobState.DONE and job.result["articles"] == 21
    download = client.get(reverse("admin:reviews_job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert len(names) == 21
    small = client.post(
        reverse("admin:reviews_article_changelist"),
        {"action": "download_exports", "_selected_action": [a.pk for a in articles[:2]]},
    )
    assert small["Content-Type"] == "application/zip" and Job.objects.filter(kind=JobKind.EXPORT).count() == 1


def test_the_job_list_costs_the_same_queries_for_many_jobs(client, editor, django_assert_max_num_queries):
    for n in range(3):
        ingest(n, editor)
    client.force_login(editor)
    url = reverse("admin:reviews_job_changelist")
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
    for n in range(3, 30):
        ingest(n, editor)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_a_batch_is_done_with_its_last_input(editor):
    batch = jobs.batch_create(actor=editor, total=3, what="three")
    for n in range(3):
        jobs.ingest_later(data=synthetic_text(n), name=f"s{n}.txt", actor=editor, parent=batch)
    batch.refresh_from_db()
    assert (batch.state, batch.progress_done, batch.result) == (
        JobState.DONE,
        3,
        {"articles": 3, "failed": 0},
    )
