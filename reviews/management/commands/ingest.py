import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from reviews.management.actor import acting_user, add_actor_argument
from reviews.models import Article
from reviews.services.articles import article_ingest
from reviews.textproc import InputError
from reviews.textproc.sources import FORMATS


def expand(paths):
    """Yield (name, path-or-None) for each input; folders give their article files, sorted."""
    for raw in paths:
        if raw == "-":
            yield "stdin.txt", None
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
        "Ingest articles (.txt, .md, .html) from files, folders or - (standard input). "
        "Each article is written in one transaction; one already stored is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        add_actor_argument(parser)
        parser.add_argument("--url", default="", help="Source URL (for a single article).")
        parser.add_argument(
            "--article",
            type=int,
            default=None,
            metavar="ID",
            help="Store the input as a new version of this article (claims are re-anchored).",
        )

    def handle(self, *args, paths, username, url, article, **options):
        actor = acting_user(username)
        target = None
        if article is not None:
            target = Article.objects.filter(pk=article).first()
            if target is None:
                raise CommandError(f"there is no article {article}")

        items = list(expand(paths))
        if target is not None and len(items) != 1:
            raise CommandError("--article takes exactly one input")
        created = skipped = 0
        failures = []
        bar = tqdm(items, unit="article", disable=None, file=sys.stderr, leave=False)
        for name, path in bar:
            bar.set_postfix_str(Path(name).name[-40:])
            try:
                if path is None:
                    data = sys.stdin.buffer.read()
                elif not path.exists():
                    raise InputError("no such file or folder")
                else:
                    data = path.read_bytes()
                result = article_ingest(data=data, name=name, actor=actor, url=url, article=target)
            except (InputError, OSError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                failures.append((name, reason))
                continue
            except Exception as exc:  # one bad input must not stop the batch
                failures.append((name, f"{type(exc).__name__}: {exc}"))
                continue
            if result.revised:
                created += 1
                fates = ", ".join(
                    f"{result.fates.get(k, 0)} {k}" for k in ("unchanged", "changed", "withdrawn", "new")
                )
                number = result.revision.number
                self.stdout.write(
                    f"ingested {name}: article {result.article.pk} revision {number}; claims {fates}"
                )
            elif result.created:
                created += 1
                self.stdout.write(f"ingested {name}: article {result.article.pk}, {result.claims} sentences")
            else:
                skipped += 1
                self.stdout.write(f"skipped {name}: already stored as article {result.article.pk}")
            if result.note:
                self.stdout.write(f"note on {name}: {result.note}")
        bar.close()
        self.stdout.write(f"{created} ingested, {skipped} skipped, {len(failures)} failed")
        if failures:
            for name, reason in failures:
                self.stderr.write(f"error: {name}: {reason}")
            raise CommandError(f"{len(failures)} of {len(items)} inputs failed")
