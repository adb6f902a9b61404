"""Measure claim matching: quality on the news corpus's labelled pairs, speed at scale.

Quality is measured by article-level cross-validation on ``shared/gold/news/pairs.jsonl``
(``textproc.match_training``: no database). Speed runs in a throwaway test database
(created and dropped here), never the working one.
"""

import random
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import setup_databases, teardown_databases

from reviews.models import Article, ArticleRevision, Claim, ClaimMatch, ClaimTerm, sha256_hex
from reviews.services.match_index import index_terms, terms_count
from reviews.services.matches import claims_match
from reviews.textproc import corpus
from reviews.textproc import match_training as mt
from reviews.textproc import similarity as sim

SEEDS = Path(settings.BASE_DIR) / "seeds"
CLAIMS_PER_ARTICLE = 40
TARGET_MS = 100  # the median time to match one new article, at any size
# The acceptance figures, pooled over the folds.
TARGET_PRECISION, TARGET_RECALL, TARGET_CONFLICTS = 0.80, 0.60, 0.70


def perturbed(texts: list[str], vocabulary: list[str], rng: random.Random):
    """Endless claims made from the seed sentences: words swapped for general vocabulary,
    numbers changed, so that terms spread over a realistic range of frequencies."""
    while True:
        words = rng.choice(texts).split()
        out = []
        for word in words:
            if word[:1].isdigit():
                out.append(str(rng.randint(2, 99_999)))
            elif len(word) > 3 and rng.random() < 0.45:
                out.append(rng.choice(vocabulary))
            else:
                out.append(word)
        yield " ".join(out)


class Command(BaseCommand):
    help = (
        "Claim matching: precision, recall, average precision and conflicting figures on the news "
        "corpus's labelled pairs (article-level CV); time per new article at scale."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        default = Path(settings.BASE_DIR).parent / "shared"
        parser.add_argument("--shared", type=Path, default=default, help=f"default: {default}")
        parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, shared, sizes, seed, **options):
        self.stdout.write("Claim matching")
        news = shared / "gold" / "news"
        if (news / "pairs.jsonl").exists():
            self.quality(news)
        else:
            self.stdout.write(f"     {news}: no labelled pairs, quality not measured (use --shared)")
        old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            self.run(sorted(sizes), seed)
        finally:
            teardown_databases(old, verbosity=0)

    def run(self, sizes, seed):
        from django.contrib.auth import get_user_model

        from reviews.services.articles import article_ingest

        actor = get_user_model().objects.create_user("bench")
        articles = {
            p.name[:3]: article_ingest(data=p.read_bytes(), name=p.name, actor=actor).article
            for p in sorted(SEEDS.glob("*.txt"))
        }
        seed_claims = {key: list(Claim.objects.filter(article=a)) for key, a in articles.items()}
        texts = [c.text for claims in seed_claims.values() for c in claims]
        vocabulary = sorted(sim.background()[1])
        rng = random.Random(seed)
        stream = perturbed(texts, vocabulary, rng)
        stored = Claim.objects.count()
        for size in sizes:
            started = time.perf_counter()
            while stored < size:
                stored += self.fill(stream, min(50_000, size - stored), actor)
            filled = time.perf_counter() - started
            timings = []
            for _ in range(3):  # each seed three times: a median of 15 runs
                for claims in seed_claims.values():
                    ClaimMatch.objects.filter(claim__in=claims).delete()
                    t = time.perf_counter()
                    claims_match(claims, actor=actor)
                    timings.append((time.perf_counter() - t) * 1000)
            median = statistics.median(timings)
            mark = self.style.SUCCESS("ok  ") if median < TARGET_MS else self.style.ERROR("MISS")
            self.stdout.write(
                f"{mark} match a new article among {stored:>9,} claims   median {median:7.1f} ms, "
                f"mean {statistics.mean(timings):7.1f}, max {max(timings):7.1f} ms per article "
                f"({len(timings)} runs of {len(seed_claims)} articles, "
                f"~{statistics.mean(len(c) for c in seed_claims.values()):.0f} claims each)   "
                f"target median < {TARGET_MS} ms   [{connection.vendor}; generated in {filled:.0f} s]"
            )

    def quality(self, news: Path) -> None:
        pages = corpus.load(news)
        pairs = mt.load_pairs(news, pages)
        self.stdout.write(
            f"     news corpus: {len(pairs)} labelled pairs, 5 folds by article (same-event pages together); "
            "each fold's model and thresholds trained on the other four"
        )
        total = mt.Scores()
        for number, model, scores in mt.cross_validate(pages, pairs):
            total.merge(scores)
            self.stdout.write(
                f"     fold {number + 1} (suggest >= {model.suggest_at:.3f}, "
                f"likely >= {model.likely_at:.3f}): {mt.summary(scores)}"
            )
        for label, value, target in (
            ("precision at the suggestion threshold", total.precision, TARGET_PRECISION),
            ("recall of same-fact + conflicting-figure pairs", total.recall, TARGET_RECALL),
            ("conflicting figures detected", total.conflict_rate, TARGET_CONFLICTS),
        ):
            mark = self.style.SUCCESS("ok  ") if value >= target else self.style.ERROR("MISS")
            self.stdout.write(f"{mark} pooled {label}: {value:.3f}   target >= {target:.2f}")
        self.stdout.write(
            f"     pooled average precision of the ranking {total.average_precision:.3f}; "
            f"likely-the-same tier precision {total.likely_precision:.3f} ({total.likely} labelled pairs); "
            f"{total.other_proposals} proposals between unlabelled pairs "
            "(not counted: labels cover few pairs)"
        )

    def fill(self, stream, n: int, actor) -> int:
        """Store ``n`` synthetic claims (and their index terms) in articles of 40."""
        made = 0
        while made < n:
            batch = min(CLAIMS_PER_ARTICLE * 250, n - made)
            texts = [next(stream) for _ in range(batch)]
            groups = [texts[i : i + CLAIMS_PER_ARTICLE] for i in range(0, batch, CLAIMS_PER_ARTICLE)]
            articles = Article.objects.bulk_create(
                [Article(title=g[0][:200], slug="synthetic", created_by=actor) for g in groups]
            )
            revisions = ArticleRevision.objects.bulk_create(
                [
                    ArticleRevision(
                        article=a,
                        number=1,
                        body="\n".join(g),
                        sha256=sha256_hex("\n".join(g)),
                        source_sha256="-",
                        pipeline_version="synthetic",
                    )
                    for a, g in zip(articles, groups, strict=True)
                ]
            )
            claims = []
            for a, r, g in zip(articles, revisions, groups, strict=True):
                offset = 0
                for i, text in enumerate(g):
                    claims.append(
                        Claim(
                            article=a,
                            revision=r,
                            index=i,
                            start=offset,
                            end=offset + len(text),
                            text=text,
                            score=0.5,
                            checkworthy=True,
                        )
                    )
                    offset += len(text) + 1
            claims = Claim.objects.bulk_create(claims, batch_size=2000)
            terms = [index_terms(c.text) for c in claims]
            ClaimTerm.objects.bulk_create(
                [
                    ClaimTerm(claim_id=c.pk, article_id=c.article_id, term=t)
                    for c, ts in zip(claims, terms, strict=True)
                    for t in ts
                ],
                batch_size=5000,
            )
            terms_count(terms, +1)
            made += batch
        return made
