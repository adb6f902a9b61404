"""Measure claim matching: quality on the labelled seeds, speed against many stored claims.

Runs in a throwaway test database (created and dropped here), never the working one.
"""

import json
import random
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import setup_databases, teardown_databases

from reviews.matching import claims_match, seed_match_scores, terms_count
from reviews.models import Article, ArticleRevision, Claim, ClaimMatch, ClaimTerm, sha256_hex
from reviews.textproc import similarity as sim

SEEDS = Path(settings.BASE_DIR) / "seeds"
GOLD = Path(settings.BASE_DIR) / "tests" / "data" / "seed_matches.json"
CLAIMS_PER_ARTICLE = 40
TARGET_MS = 1000  # matching one new article, at any size


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
    help = "Claim matching: precision/recall on the labelled seeds; time per new article at scale."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, sizes, seed, **options):
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
        gold = json.loads(GOLD.read_text())
        scores = seed_match_scores(articles, gold["groups"], gold["named"])
        self.stdout.write("Claim matching")
        self.stdout.write(
            f"     seeds: {scores.proposed} proposed, {scores.found} of {scores.gold} labelled pairs found: "
            f"precision {scores.precision:.2f}, recall {scores.recall:.2f}"
        )
        mark = self.style.SUCCESS("ok  ") if scores.named_found == scores.named else self.style.ERROR("MISS")
        self.stdout.write(
            f"{mark} named matches: {scores.named_found} of {scores.named} proposed; the lowest scores "
            f"{scores.floor:.3f}, and {scores.gold_at_floor} labelled + {scores.other_at_floor} other pairs "
            f"score at least that (what a threshold keeping every named match must also propose)"
        )
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
            for claims in seed_claims.values():
                ClaimMatch.objects.filter(claim__in=claims).delete()
                t = time.perf_counter()
                claims_match(claims, actor=actor)
                timings.append((time.perf_counter() - t) * 1000)
            mean = statistics.mean(timings)
            mark = self.style.SUCCESS("ok  ") if max(timings) < TARGET_MS else self.style.ERROR("MISS")
            self.stdout.write(
                f"{mark} match a new article among {stored:>9,} claims   mean {mean:7.1f} ms, "
                f"max {max(timings):7.1f} ms per article ({len(timings)} articles, "
                f"~{statistics.mean(len(c) for c in seed_claims.values()):.0f} claims each)   "
                f"target < {TARGET_MS} ms   [{connection.vendor}; generated in {filled:.0f} s]"
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
            terms = [sorted({t[:40] for t in sim.terms(c.text)}) for c in claims]
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
