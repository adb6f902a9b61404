"""Celery tasks: each runs one Job (by id) through a service and records how it ended.

Every task is acknowledged only when it has finished and is handed back to the queue when
the process running it dies (``acks_late``, ``reject_on_worker_lost``), so a job runs at
least once; its work is idempotent (see ``reviews.jobs``). A failure that may pass (a
timeout, a lost database connection, a 5xx answer, an unexpected error) is retried with
exponential back-off, up to JOB_MAX_RETRIES times; bad input fails at once. A job that
fails for good keeps its error for editors to read (and retry) in the admin.
"""

import io
import logging
import random
import zipfile
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.core.management import CommandError, call_command

from newsroom.celery import app

from . import feeds, jobs
from .exporters import EXPORTERS, FORMATS
from .fetch import FetchError, FetchPolicy, fetch
from .models import Article, Claim, Job, JobKind
from .selectors import article_export_doc
from .services.articles import IngestResult, article_ingest
from .services.flags import article_reflag
from .services.match_index import claims_reindex
from .services.matches import claims_match
from .textproc import InputError
from .textproc.shorten import shorten
from .textproc.similarity import INDEX_VERSION

log = logging.getLogger(__name__)

TASKS: dict[str, object] = {}  # job kind -> the task that runs it


def backoff(retries: int) -> float:
    """Seconds before the next attempt: 5, 10, 20, … (JOB_RETRY_SECONDS doubled) up to 5 minutes,
    with jitter so that jobs failing together do not come back together."""
    return min(settings.JOB_RETRY_SECONDS * 2**retries, 300) * random.uniform(0.8, 1.2)


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, FetchError):
        return not exc.transient
    return isinstance(exc, InputError | CommandError | Article.DoesNotExist | ValueError)


def _why(exc: Exception) -> str:
    return str(exc) if isinstance(exc, InputError | CommandError) else f"{type(exc).__name__}: {exc}"


def job_task(kind: str, *, on_fail=None):
    """Make ``fn(job) -> result dict`` the Celery task that runs jobs of ``kind``."""

    def register(fn):
        @app.task(
            bind=True,
            name=f"reviews.{fn.__name__}",
            acks_late=True,
            reject_on_worker_lost=True,
            max_retries=None,
        )
        def run(self, job_id: int):
            job = jobs.job_begin(job_id, worker="" if self.request.is_eager else self.request.hostname or "")
            if job is None:  # done already: a message delivered twice
                return None
            try:
                result = fn(job)
            except Exception as exc:
                why = _why(exc)
                retries = self.request.retries
                if not _permanent(exc) and not self.request.is_eager and retries < settings.JOB_MAX_RETRIES:
                    seconds = backoff(retries)
                    try:
                        jobs.job_retrying(job, why, seconds)
                    except Exception:  # the database may be what failed: retry all the same
                        log.exception("job %s: could not record the retry", job_id)
                    raise self.retry(exc=exc, countdown=seconds) from None
                if not _permanent(exc):
                    log.exception("job %s failed", job_id)
                jobs.job_fail(job, why)
                if on_fail is not None:
                    on_fail(job, why)
                return None
            jobs.job_finish(job, result or {})
            return None

        TASKS[kind] = run
        return run

    return register


def ingest_summary(result: IngestResult) -> dict:
    """What a command or a page reports about one ingest (kept as the job's result)."""
    return {
        "article": result.article.pk,
        "title": shorten(result.article.title, 200),
        "revision": result.revision.number if result.revision else None,
        "created": result.created,
        "revised": result.revised,
        "claims": result.claims,
        "flags": result.flags,
        "fates": result.fates or {},
        "note": result.note,
    }


def _target(job: Job) -> Article | None:
    article_id = job.params.get("article")
    return Article.objects.get(pk=article_id) if article_id else None


@job_task(JobKind.INGEST)
def ingest(job: Job) -> dict:
    if job.payload is None:
        raise InputError("the input is no longer kept: ingest the file again")
    result = article_ingest(
        data=bytes(job.payload),
        name=job.params["name"],
        actor=job.created_by,
        url=job.params.get("url", ""),
        article=_target(job),
    )
    job.article = result.article
    return ingest_summary(result)


def _entry_failed(job: Job, why: str) -> None:
    feeds.entry_settle(job, error=why)


@job_task(JobKind.INGEST_URL, on_fail=_entry_failed)
def ingest_url(job: Job) -> dict:
    url = job.params["url"]
    page = fetch(url, policy=FetchPolicy.from_settings())
    # The name tells the pipeline how to read the page (by its suffix) and says where it came from.
    name = f"{page.url.split('#', 1)[0]}#fetched{page.suffix}"
    result = article_ingest(data=page.data, name=name, actor=job.created_by, url=url, article=_target(job))
    job.article = result.article
    feeds.entry_settle(job, article=result.article, created=result.created)
    return {
        **ingest_summary(result),
        "fetched": {
            "url": page.url,
            "type": page.content_type,
            "bytes": len(page.data),
            "redirects": page.redirects,
        },
    }


@job_task(JobKind.MATCH)
def match(job: Job) -> dict:
    claims = list(Claim.objects.filter(pk__in=job.params.get("claims", [])).order_by("pk"))
    matches = claims_match(claims, actor=job.created_by)
    return {"claims": len(claims), "matches": len(matches)}


@job_task(JobKind.REFLAG)
def reflag(job: Job) -> dict:
    ids = job.params.get("articles") or list(
        Article.objects.filter(current_revision__isnull=False).order_by("pk").values_list("pk", flat=True)
    )
    jobs.job_progress(job, 0, total=len(ids))
    added = withdrawn = 0
    by_article = {}
    for done, article in enumerate(
        Article.objects.filter(pk__in=ids).select_related("current_revision").order_by("pk").iterator(200), 1
    ):
        a, w = article_reflag(article=article, actor=job.created_by)  # one transaction per article
        added, withdrawn = added + a, withdrawn + w
        if a or w:
            by_article[str(article.pk)] = [a, w]
        if done % 10 == 0 or done == len(ids):
            jobs.job_progress(job, done)
    return {"articles": len(ids), "added": added, "withdrawn": withdrawn, "changed": by_article}


@job_task(JobKind.REINDEX)
def reindex(job: Job) -> dict:
    since = job.params.get("since")
    done = claims_reindex(
        articles=job.params.get("articles") or (),
        since=datetime.fromisoformat(since) if since else None,
        everything=job.params.get("all", False),
        batch=job.params.get("batch") or 500,
        on_progress=lambda done, total: jobs.job_progress(job, done, total),
    )
    return {
        "claims": done.claims,
        "rows": done.rows,
        "terms": done.terms,
        "stale": done.stale,
        "index_terms": INDEX_VERSION,
    }


def export_bundle(articles, *, exported_by=None, on_progress=None) -> bytes:
    """One zip of each article's bundle (every export format), for the articles given; each
    bundle's manifest names ``exported_by``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for done, article in enumerate(articles, 1):
            doc = article_export_doc(article, exported_by=exported_by)
            zf.writestr(doc.filename(FORMATS["bundle"][0]), EXPORTERS["bundle"](doc))
            if on_progress is not None:
                on_progress(done)
    return buffer.getvalue()


@job_task(JobKind.EXPORT)
def export(job: Job) -> dict:
    ids = job.params.get("articles", [])
    articles = Article.objects.filter(pk__in=ids, current_revision__isnull=False).order_by("pk")
    jobs.job_progress(job, 0, total=len(ids))

    def progress(done: int) -> None:
        if done % 10 == 0:
            jobs.job_progress(job, done)

    job.output = export_bundle(articles.iterator(50), exported_by=job.created_by, on_progress=progress)
    job.output_name = f"newsroom-review-exports-{job.pk}.zip"
    job.save(update_fields=["output", "output_name"])
    return {"articles": articles.count(), "bytes": len(job.output)}


@job_task(JobKind.TRAIN)
def train(job: Job) -> dict:
    out = io.StringIO()
    call_command("train", *job.params.get("args", []), stdout=out, stderr=out)
    return {"output": out.getvalue()[-20000:]}


@job_task(JobKind.EMAIL)
def email(job: Job) -> dict:
    p = job.params
    send_mail(p["subject"], p["body"], settings.DEFAULT_FROM_EMAIL, [p["to"]], fail_silently=False)
    return {"to": p["to"]}


@job_task(JobKind.FEED)
def feed(job: Job) -> dict:
    return feeds.feed_fetch(job)


@app.task(name="reviews.feeds_poll", acks_late=True, reject_on_worker_lost=True)
def feeds_poll() -> int:
    """Periodic (``make beat``): queue a poll of every enabled feed."""
    return len(feeds.feeds_poll_due())


@app.task(name="reviews.jobs_purge", acks_late=True)
def jobs_purge() -> int:
    """Periodic: forget finished jobs older than JOB_KEEP_DAYS."""
    return jobs.jobs_purge()
