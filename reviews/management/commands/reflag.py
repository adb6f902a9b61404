from django.core.management.base import BaseCommand, CommandError

from reviews import jobs
from reviews.management.actor import acting_user, add_actor_argument
from reviews.management.following import job_wait
from reviews.models import Article, JobKind
from reviews.rules import RULES_VERSION


class Command(BaseCommand):
    help = (
        "Run the flag rules again on articles' current revisions (all articles if none are named), "
        "as a job (run by the workers when a broker is configured; a progress bar follows it). "
        "Confirmed and dismissed flags are kept; open flags no rule raises any more are withdrawn."
    )

    def add_arguments(self, parser):
        parser.add_argument("articles", nargs="*", type=int, metavar="ARTICLE_ID")
        add_actor_argument(parser)
        parser.add_argument("--no-wait", action="store_true", help="Queue the job and return.")

    def handle(self, *args, articles, username, no_wait, **options):
        actor = acting_user(username)
        if articles:
            found = set(Article.objects.filter(pk__in=articles).values_list("pk", flat=True))
            missing = set(articles) - found
            if missing:
                raise CommandError(f"no article with id {', '.join(map(str, sorted(missing)))}")
        job = jobs.job_create(kind=JobKind.REFLAG, actor=actor, params={"articles": sorted(set(articles))})
        jobs.job_enqueue(job)
        job = job_wait(job, what="reflag", unit="article", no_wait=no_wait, stdout=self.stdout)
        if job is None:
            return
        changed = sorted(job.result["changed"].items(), key=lambda kv: int(kv[0]))
        for article_id, (added, withdrawn) in changed:
            self.stdout.write(f"article {article_id}: {added} added, {withdrawn} withdrawn")
        self.stdout.write(
            f"rules {RULES_VERSION}: {job.result['added']} flags added, {job.result['withdrawn']} withdrawn"
        )
