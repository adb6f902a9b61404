import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from reviews import jobs
from reviews.feeds import feed_register, feeds_poll_due
from reviews.management.actor import acting_user, add_actor_argument
from reviews.models import Feed, FeedState, JobState
from reviews.textproc import InputError


class Command(BaseCommand):
    help = (
        "RSS and Atom feeds: `feeds add URL --as USER` registers one (and polls it), `feeds list` "
        "shows them with their state, `feeds poll` takes in the new entries of every enabled feed now "
        "(what `make beat` does every FEED_POLL_MINUTES)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a feed")
        add.add_argument("url")
        add.add_argument("--title", default="")
        add_actor_argument(add)
        sub.add_parser("list", help="the feeds and their state")
        poll = sub.add_parser("poll", help="take in every enabled feed's new entries now")
        poll.add_argument("--no-wait", action="store_true")

    def handle(self, *args, action, **options):
        if action == "add":
            actor = acting_user(options["username"])
            try:
                feed = feed_register(url=options["url"], title=options["title"], actor=actor)
            except InputError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"feed {feed.pk} registered: {feed.url}")
        elif action == "list":
            for feed in Feed.objects.order_by("pk"):
                state = FeedState.objects.filter(feed=feed).first() or FeedState(feed=feed)
                self.stdout.write(
                    f"{feed.pk}  {'on ' if feed.enabled else 'off'}  {feed.url}  "
                    f"entries {state.entries_seen}  "
                    f"last success {state.last_success_at or '-'}  errors in a row {state.error_count}"
                    + (f"  last error: {state.last_error}" if state.last_error else "")
                )
        else:
            self.poll(no_wait=options["no_wait"])

    def poll(self, *, no_wait: bool):
        queued = feeds_poll_due()
        if no_wait and not jobs.runs_inline():
            self.stdout.write(f"{len(queued)} feed poll(s) queued")
            return
        polls = jobs.jobs_wait(queued)
        entries = [child for poll in polls for child in poll.children.all()]
        bar = tqdm(total=len(entries), unit="entry", disable=None, file=sys.stderr, leave=False)
        entries = jobs.jobs_wait(entries, on_progress=lambda n, _: bar.update(n - bar.n))
        bar.close()
        failed = [p for p in polls if p.state == JobState.FAILED]
        for poll in polls:
            if poll.state == JobState.DONE:
                r = poll.result
                self.stdout.write(
                    f"feed {poll.feed_id}: {r['entries']} entries, {r['new']} new, "
                    f"{r['url_duplicates']} already stored by URL"
                )
            else:
                self.stderr.write(f"error: feed {poll.feed_id}: {poll.error}")
        stored = sum(1 for e in entries if e.state == JobState.DONE and e.result.get("created"))
        errors = [e for e in entries if e.state == JobState.FAILED]
        for entry in errors:
            self.stderr.write(f"error: {entry.params.get('url')}: {entry.error}")
        self.stdout.write(
            f"{stored} articles stored, {len(entries) - stored - len(errors)} already stored, "
            f"{len(errors)} failed"
        )
        if failed or errors:
            raise CommandError(f"{len(failed)} feed(s) and {len(errors)} entries failed")
