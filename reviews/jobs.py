"""Background jobs: create them, queue them once their transaction commits, follow them.

Every job is a row of ``Job`` (kind, state, progress, attempts, error, result) that editors
see in the admin; the Celery message carries only its id (``reviews.tasks`` runs it). With
no broker configured, queuing a job runs it inline, so the same code does the work on one
machine or on many. A job runs at least once: a worker killed mid-job hands the message
back and the job runs again, so every job's work is idempotent (ingest skips a stored
text, matching skips known pairs, reflag skips raised flags, and a job already done is not
run again).
"""

import logging
import time
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import UNFINISHED, Article, Job, JobKind, JobState

log = logging.getLogger(__name__)

PARENT_KINDS = (JobKind.FEED, JobKind.INGEST_BATCH)  # jobs whose progress is their children's


def job_create(
    *,
    kind: str,
    actor=None,
    article: Article | None = None,
    feed=None,
    parent: Job | None = None,
    params: dict | None = None,
    payload: bytes | None = None,
    total: int = 0,
    state: str = JobState.QUEUED,
) -> Job:
    """A new job row (not yet queued: see ``job_enqueue``)."""
    job = Job(
        kind=kind,
        state=state,
        article=article,
        feed=feed,
        parent=parent,
        params=params or {},
        payload=payload,
        progress_total=total,
        created_by=actor,
    )
    job.save()
    return job


def job_enqueue(job: Job) -> Job:
    """Hand the job to a worker once the current transaction commits (at once outside one).

    Nothing is queued for work that was rolled back. A broker that cannot be reached fails
    the job with that error, for an editor to retry.
    """
    job_id, kind = job.pk, job.kind
    transaction.on_commit(lambda: _send(job_id, kind))
    return job


def _send(job_id: int, kind: str) -> None:
    from .tasks import TASKS

    try:
        TASKS[kind].apply_async(args=[job_id])
    except Exception as exc:  # the broker is down or refused the message
        log.exception("job %s could not be queued", job_id)
        job = Job.objects.get(pk=job_id)
        job_fail(job, f"could not be queued: {type(exc).__name__}: {exc}")


def job_begin(job_id: int, *, worker: str = "") -> Job | None:
    """Mark a job running (one more attempt); None when it has already finished."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        job.state, job.attempts, job.worker = JobState.RUNNING, job.attempts + 1, worker[:200]
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["state", "attempts", "worker", "started_at"])
    return job


def job_progress(job: Job, done: int, total: int | None = None) -> None:
    """Record how far a running job is (seen by the admin and by a waiting command)."""
    job.progress_done = done
    fields = ["progress_done"]
    if total is not None:
        job.progress_total = total
        fields.append("progress_total")
    job.save(update_fields=fields)


@transaction.atomic
def job_finish(job: Job, result: dict) -> None:
    """The job is done: its result is kept, its input dropped, its parent counts it."""
    job.state, job.result, job.payload, job.error = JobState.DONE, result, None, ""
    job.finished_at = timezone.now()
    fields = ["state", "result", "payload", "error", "finished_at", "article"]
    if job.kind not in PARENT_KINDS:  # a parent's progress counts its children, as they finish
        job.progress_done = max(job.progress_done, job.progress_total)
        fields.append("progress_done")
    job.save(update_fields=fields)
    _parent_count(job)


@transaction.atomic
def job_fail(job: Job, error: str) -> None:
    """The job failed for good: its error is shown to editors, who may retry it."""
    job.state, job.error, job.finished_at = JobState.FAILED, (error or "failed")[:5000], timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    _parent_count(job)


def job_retrying(job: Job, error: str, seconds: float) -> None:
    """The job failed this time and runs again in ``seconds``."""
    job.state, job.error = (
        JobState.RETRYING,
        f"attempt {job.attempts}: {error}; retrying in {seconds:.0f} s"[:5000],
    )
    job.save(update_fields=["state", "error"])


def _parent_count(job: Job) -> None:
    """One more child has finished: its parent counts it (a batch is done with its last child)."""
    if job.parent_id is None:
        return
    # Job keeps no history, so the atomic counter is an F() update.
    Job.objects.filter(pk=job.parent_id).update(progress_done=F("progress_done") + 1)
    parent = Job.objects.get(pk=job.parent_id)
    if parent.kind == JobKind.INGEST_BATCH and parent.progress_total:
        job_settle_batch(parent)


@transaction.atomic
def job_settle_batch(parent: Job) -> None:
    """Finish a batch once all its children have (call it after setting its total)."""
    parent = Job.objects.select_for_update().get(pk=parent.pk)
    if parent.finished or parent.children.filter(state__in=UNFINISHED).exists():
        return
    if parent.progress_done < parent.progress_total:
        return
    failed = parent.children.filter(state=JobState.FAILED).count()
    parent.finished_at = timezone.now()
    parent.result = {"articles": parent.progress_total, "failed": failed}
    if failed:
        parent.state, parent.error = JobState.FAILED, f"{failed} of {parent.progress_total} inputs failed"
    else:
        parent.state = JobState.DONE
    parent.save(update_fields=["state", "error", "result", "finished_at"])


def job_retry(*, job: Job, actor) -> Job:
    """Queue a failed job again (an editor's decision, after its error was looked at)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state != JobState.FAILED:
            raise ValueError(f"job {job.pk} is {job.get_state_display().lower()}, not failed")
        if job.kind == JobKind.INGEST and job.payload is None:
            raise ValueError(f"job {job.pk} no longer has its input: ingest the file again")
        job.state, job.error, job.finished_at = JobState.QUEUED, "", None
        job.params = {**job.params, "retried_by": actor.get_username() if actor else ""}
        job.save(update_fields=["state", "error", "finished_at", "params"])
        if job.parent_id:  # it counts again when it finishes
            Job.objects.filter(pk=job.parent_id, progress_done__gt=0).update(
                progress_done=F("progress_done") - 1
            )
        job_enqueue(job)
    return job


def jobs_wait(
    jobs: Iterable[Job], *, on_progress=None, poll: float = 0.5, timeout: float | None = None
) -> list[Job]:
    """Wait until every job has finished (done or failed) and return them, fresh.

    ``on_progress(finished, total)`` is called as they finish (a command's progress bar).
    """
    ids = [j.pk for j in jobs]
    started, last = time.monotonic(), -1
    while True:
        finished = Job.objects.filter(pk__in=ids).exclude(state__in=UNFINISHED).count()
        if finished != last and on_progress is not None:
            on_progress(finished, len(ids))
        last = finished
        if finished >= len(ids):
            break
        if runs_inline():  # they ran (or should have) when they were queued: never wait forever
            raise RuntimeError(f"{len(ids) - finished} of {len(ids)} jobs did not run")
        if timeout is not None and time.monotonic() - started > timeout:
            raise TimeoutError(
                f"{len(ids) - finished} of {len(ids)} jobs still unfinished after {timeout:g} s"
            )
        time.sleep(poll)
    by_id = Job.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


def runs_inline() -> bool:
    """True when no broker is configured: queued jobs run in the process that queues them."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


# What other modules queue -------------------------------------------------------------


def claims_match_later(*, article: Article, claims: Iterable, actor) -> Job:
    """Match these claims once the ingest that stored them commits (a ``match`` job)."""
    ids = [c.pk for c in claims]
    job = job_create(kind=JobKind.MATCH, actor=actor, article=article, params={"claims": ids}, total=1)
    return job_enqueue(job)


def email_later(*, to: str, subject: str, body: str) -> Job:
    """Send one e-mail from a worker once the transaction commits (nothing for a rollback)."""
    job = job_create(kind=JobKind.EMAIL, params={"to": to, "subject": subject, "body": body}, total=1)
    return job_enqueue(job)


def ingest_later(
    *, data: bytes, name: str, actor, url: str = "", article: Article | None = None, parent: Job | None = None
) -> Job:
    """Ingest one input (a file's bytes) in a worker: the bytes travel in the job row."""
    params = {"name": name[:500], "url": url[:2000], "article": article.pk if article else None}
    job = job_create(kind=JobKind.INGEST, actor=actor, params=params, payload=data, parent=parent, total=1)
    return job_enqueue(job)


def url_ingest_later(
    *, url: str, actor, article: Article | None = None, parent: Job | None = None, feed=None
) -> Job:
    """Fetch a URL and ingest the page in a worker (a new version when it is a stored article's)."""
    params = {"url": url[:2000], "article": article.pk if article else None}
    job = job_create(
        kind=JobKind.INGEST_URL,
        actor=actor,
        params=params,
        parent=parent,
        feed=feed,
        article=article,
        total=1,
    )
    return job_enqueue(job)


def batch_create(*, actor, total: int, what: str) -> Job:
    """A job standing for many ingests: its progress counts its children as they finish."""
    return job_create(
        kind=JobKind.INGEST_BATCH,
        actor=actor,
        params={"what": what[:500]},
        total=total,
        state=JobState.RUNNING,
    )


def jobs_purge(*, days: int | None = None) -> int:
    """Delete finished jobs older than ``days`` (JOB_KEEP_DAYS); returns how many."""
    days = settings.JOB_KEEP_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    old = Job.objects.filter(finished_at__lt=cutoff, parent__isnull=True).exclude(state__in=UNFINISHED)
    deleted, _ = old.delete()
    return deleted


def job_follow(job: Job, *, on_progress=None, poll: float = 0.5) -> Job:
    """Wait for one job to finish, reporting ``on_progress(done, total)`` as it moves; fresh job back."""
    last = None
    while True:
        job.refresh_from_db(fields=["state", "progress_done", "progress_total"])
        if on_progress is not None and (job.progress_done, job.progress_total) != last:
            last = (job.progress_done, job.progress_total)
            on_progress(*last)
        if job.finished:
            break
        if runs_inline():
            raise RuntimeError(f"job {job.pk} did not run")
        time.sleep(poll)
    job.refresh_from_db()
    return job
