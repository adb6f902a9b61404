from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reviews.exporters import EXPORTERS, FORMATS
from reviews.models import Article
from reviews.selectors import article_export_doc


class Command(BaseCommand):
    help = "Export annotated articles: one file per article named <id>-<slug> plus the format's suffix."

    def add_arguments(self, parser):
        parser.add_argument("articles", nargs="*", type=int, metavar="ARTICLE_ID")
        parser.add_argument("--all", action="store_true", help="export every article")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--out", type=Path, default=Path("."), help="folder to write to (created)")
        parser.add_argument("--as", dest="username", help="the person exporting (named in the files)")

    def handle(self, *args, articles, all, format, out, username=None, **options):
        if bool(articles) == bool(all):
            raise CommandError("name the articles to export or give --all (one of the two)")
        exporter = None
        if username:
            exporter = get_user_model().objects.filter(username=username).first()
            if exporter is None:
                raise CommandError(f"no user called {username}")
        queryset = Article.objects.order_by("id")
        if articles:
            queryset = queryset.filter(pk__in=articles)
            missing = set(articles) - set(queryset.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no article with id {', '.join(map(str, sorted(missing)))}")
        out.mkdir(parents=True, exist_ok=True)
        suffix = FORMATS[format][0]
        count = 0
        for article in queryset.filter(current_revision__isnull=False).iterator(chunk_size=100):
            doc = article_export_doc(article, exported_by=exporter)
            path = out / doc.filename(suffix)
            path.write_bytes(EXPORTERS[format](doc))
            count += 1
            self.stdout.write(str(path))
        self.stdout.write(f"{count} article(s) exported as {format}")
