from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from reviews import jobs
from reviews.management.actor import acting_user
from reviews.management.following import job_wait
from reviews.models import Article, JobKind
from reviews.textproc.similarity import INDEX_VERSION


def moment(value: str) -> datetime:
    """A date (its midnight) or a date and time, in the site's time zone unless it says its own."""
    when = parse_datetime(value)
    if when is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        when = datetime.combine(day, time())
    return when if timezone.is_aware(when) else timezone.make_aware(when)


class Command(BaseCommand):
    help = (
        "Rewrite the claim-matching index rows of the claims indexed with older index terms "
        f"(now version {INDEX_VERSION}), in batches, as a job (run by the workers when a broker is "
        "configured, here otherwise; a progress bar follows it), then count every term again. "
        "Resumable: run it again after a stop and it goes on with the claims still to do."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article",
            dest="articles",
            action="append",
            type=int,
            default=[],
            metavar="ARTICLE_ID",
            help="Only this article's claims (repeat for more).",
        )
        parser.add_argument(
            "--since",
            type=moment,
            help="Only claims stored on or after this date (YYYY-MM-DD) or moment (ISO 8601).",
        )
        parser.add_argument(
            "--all", dest="everything", action="store_true", help="Every claim, even those indexed already."
        )
        parser.add_argument("--batch", type=int, default=500, help="Claims per transaction (default 500).")
        parser.add_argument(
            "--as", dest="username", default="", help="Who asked for it (the job's creator; optional)."
        )
        parser.add_argument("--no-wait", action="store_true", help="Queue the job and return.")

    def handle(self, *args, articles, since, everything, batch, username, no_wait, **options):
        actor = acting_user(username) if username else None
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        if articles:
            found = set(Article.objects.filter(pk__in=articles).values_list("pk", flat=True))
            missing = set(articles) - found
            if missing:
                raise CommandError(f"no article with id {', '.join(map(str, sorted(missing)))}")
        params = {
            "articles": sorted(set(articles)),
            "since": since.isoformat() if since else None,
            "all": everything,
            "batch": batch,
        }
        job = jobs.job_enqueue(jobs.job_create(kind=JobKind.REINDEX, actor=actor, params=params))
        job = job_wait(
            job,
            what="re-indexing",
            unit="claim",
            no_wait=no_wait,
            stdout=self.stdout,
            again="run it again to go on",
        )
        if job is None:
            return
        result = job.result
        self.stdout.write(
            f"{result['claims']} claims re-indexed with index terms {result['index_terms']} "
            f"({result['rows']} index rows written)"
        )
        if result["terms"] is not None:
            self.stdout.write(f"term counts recounted from the index: {result['terms']} terms")
        left = result["stale"]
        self.stdout.write(
            "every stored claim is indexed with the current index terms"
            if not left
            else f"{left} stored claims are still indexed with older index terms"
        )
