import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from reviews import jobs
from reviews.management.actor import acting_user, add_actor_argument
from reviews.models import Article, JobState
from reviews.textproc import is_http_url
from reviews.textproc.sources import FORMATS


def expand(paths):
    """Yield (name, path-or-None) for each input; folders give their article files, sorted."""
    for raw in paths:
        if raw == "-":
            yield "stdin.txt", None
            continue
        if raw.lower().startswith(("http://", "https://")):
            yield raw, raw
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in FORMATS:
                    yield str(child), child
        else:
            yield raw, path


class Command(BaseCommand):
    help = (
        "Ingest articles (.txt, .md, .html) from files, folders, - (standard input) or http(s) URLs "
        "(the page is fetched and its main text taken). Each input is a job: run here when no "
        "broker is configured, else by the workers (the command waits for them, with a progress "
        "bar, unless --no-wait). Each article is written in one transaction; one already stored "
        "is skipped; a URL already stored gives a new version when its text changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
        add_actor_argument(parser)
        parser.add_argument("--url", default="", help="Source URL (for a single article file).")
        parser.add_argument(
            "--article",
            type=int,
            default=None,
            metavar="ID",
            help="Store the input as a new version of this article (claims are re-anchored).",
        )
        parser.add_argument(
            "--no-wait", action="store_true", help="Queue the jobs and return (with a broker configured)."
        )

    def handle(self, *args, paths, username, url, article, no_wait, **options):
        actor = acting_user(username)
        target = None
        if article is not None:
            target = Article.objects.filter(pk=article).first()
            if target is None:
                raise CommandError(f"there is no article {article}")
        if url and not is_http_url(url):
            raise CommandError(f"--url {url[:100]!r} is not an http(s) URL")

        items = list(expand(paths))
        if target is not None and len(items) != 1:
            raise CommandError("--article takes exactly one input")
        failures = []
        queued = []  # (name, job)
        parent = jobs.batch_create(actor=actor, total=0, what=" ".join(paths)) if len(items) > 1 else None
        inline = jobs.runs_inline()
        bar = tqdm(total=len(items), unit="article", disable=None, file=sys.stderr, leave=False)
        for name, source in items:
            bar.set_postfix_str(Path(name).name[-40:])
            if isinstance(source, str):
                job = jobs.url_ingest_later(url=source, actor=actor, article=target, parent=parent)
            else:
                try:
                    data = self.read(source)
                except (OSError, ValueError) as exc:
                    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                    failures.append((name, reason))
                    bar.update()
                    continue
                job = jobs.ingest_later(
                    data=data, name=name, actor=actor, url=url, article=target, parent=parent
                )
            queued.append((name, job))
            if inline:
                bar.update()
        if parent is not None:
            parent.progress_total = len(queued)
            parent.save(update_fields=["progress_total"])
            jobs.job_settle_batch(parent)
        if not inline and no_wait:
            bar.close()
            batch = f" (batch job {parent.pk})" if parent else ""
            self.stdout.write(f"{len(queued)} job(s) queued{batch}")
            return
        done_before = len(failures)
        finished = jobs.jobs_wait(
            [job for _, job in queued],
            on_progress=None if inline else lambda n, total: bar.update(done_before + n - bar.n),
        )
        bar.close()
        created = skipped = 0
        for (name, _), job in zip(queued, finished, strict=True):
            if job.state != JobState.DONE:
                failures.append((name, job.error))
                continue
            line, new = self.describe(name, job.result)
            created += new
            skipped += not new
            self.stdout.write(line)
            if job.result.get("note"):
                self.stdout.write(f"note on {name}: {job.result['note']}")
        self.stdout.write(f"{created} ingested, {skipped} skipped, {len(failures)} failed")
        if failures:
            for name, reason in failures:
                self.stderr.write(f"error: {name}: {reason}")
            raise CommandError(f"{len(failures)} of {len(items)} inputs failed")

    @staticmethod
    def read(path: Path | None) -> bytes:
        if path is None:
            return sys.stdin.buffer.read()
        if not path.exists():
            raise ValueError("no such file or folder")
        size = path.stat().st_size
        if size > settings.ARTICLE_MAX_BYTES:  # refused before it is read, let alone queued
            raise ValueError(f"file is {size:,} bytes, over the {settings.ARTICLE_MAX_BYTES:,}-byte limit")
        return path.read_bytes()

    @staticmethod
    def describe(name: str, result: dict) -> tuple[str, bool]:
        """The line reporting one input, and whether it stored something new."""
        if result["revised"]:
            fates = ", ".join(
                f"{result['fates'].get(k, 0)} {k}" for k in ("unchanged", "changed", "withdrawn", "new")
            )
            where = f"article {result['article']} revision {result['revision']}"
            return f"ingested {name}: {where}; claims {fates}", True
        if result["created"]:
            return f"ingested {name}: article {result['article']}, {result['claims']} sentences", True
        return f"skipped {name}: already stored as article {result['article']}", False
