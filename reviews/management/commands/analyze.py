import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews import rules, textproc


class Command(BaseCommand):
    help = (
        "Run the text pipeline (clean, segment, classify) on one file and print the result. "
        "Touches no database."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .txt, .md or .html file, or - for standard input.")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument(
            "--input-format",
            choices=["text", "markdown", "html"],
            help="How to read the input (default: from the file name's suffix).",
        )

    def handle(self, *args, **options):
        name = options["file"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            text = textproc.decode(data, max_bytes=settings.ARTICLE_MAX_BYTES)
            fmt = options["input_format"] or textproc.format_for(name if name != "-" else "stdin.txt")
            analysis = textproc.analyze(text, fmt=fmt)
        except FileNotFoundError:
            raise CommandError(f"{name}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{name}: is a directory") from None
        except textproc.InputError as exc:
            raise CommandError(f"{name}: {exc}") from None
        hits = rules.run_rules(analysis)
        if options["format"] == "json":
            result = analysis.to_dict()
            result["flags"] = rules.flags_json(hits)
            result["rules_version"] = rules.RULES_VERSION
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        meta = analysis.metadata
        self.stdout.write(f"Title:     {meta.title}")
        for label, value in (
            ("Byline", meta.byline),
            ("Published", meta.published),
            ("Outlet", meta.outlet),
            ("Dateline", meta.dateline),
        ):
            if value:
                self.stdout.write(f"{label + ':':<10} {value}")
        self.stdout.write(f"\nRemoved ({len(analysis.removed)}):")
        for item in analysis.removed:
            self.stdout.write(f"  [{item.reason}] {item.text}")
        checkworthy = sum(c.checkworthy for c in analysis.claims)
        self.stdout.write(f"\nSentences ({len(analysis.claims)}, {checkworthy} check-worthy):")
        for c in analysis.claims:
            mark = "*" if c.checkworthy else " "
            self.stdout.write(f"{mark} {c.index + 1:>3} {c.kind:<11} {c.score:.2f}  {c.text}")
        self.stdout.write(f"\nFlags ({len(hits)}):")
        for hit in hits:
            where = "headline" if hit.field == "title" else f"sentence {hit.claim + 1}"
            sure = "" if hit.confidence is None else f"{round(hit.confidence * 100):>3} %"
            self.stdout.write(f"  {hit.rule:<22} {where:<12} {sure:<5} {hit.why}")
