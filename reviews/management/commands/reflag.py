from django.core.management.base import BaseCommand, CommandError

from reviews.management.actor import acting_user, add_actor_argument
from reviews.models import Article
from reviews.rules import RULES_VERSION
from reviews.services.flags import article_reflag


class Command(BaseCommand):
    help = (
        "Run the flag rules again on articles' current revisions (all articles if none are named). "
        "Confirmed and dismissed flags are kept; open flags no rule raises any more are withdrawn."
    )

    def add_arguments(self, parser):
        parser.add_argument("articles", nargs="*", type=int, metavar="ARTICLE_ID")
        add_actor_argument(parser)

    def handle(self, *args, articles, username, **options):
        actor = acting_user(username)
        queryset = Article.objects.select_related("current_revision").order_by("id")
        if articles:
            queryset = queryset.filter(pk__in=articles)
            missing = set(articles) - set(queryset.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no article with id {', '.join(map(str, sorted(missing)))}")
        total_added = total_withdrawn = 0
        for article in queryset.iterator(chunk_size=200):
            added, withdrawn = article_reflag(article=article, actor=actor)
            total_added += added
            total_withdrawn += withdrawn
            if added or withdrawn:
                self.stdout.write(f"article {article.pk}: {added} added, {withdrawn} withdrawn")
        self.stdout.write(f"rules {RULES_VERSION}: {total_added} flags added, {total_withdrawn} withdrawn")
