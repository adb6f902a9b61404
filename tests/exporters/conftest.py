import dataclasses

import pytest
from django.utils import timezone

from reviews.models import Evidence, Rating, Verdict
from reviews.selectors import article_export_doc
from reviews.services.articles import article_ingest
from reviews.services.flags import flag_resolve
from reviews.services.history import save_with_history
from tests.conftest import POW_SEED

HOSTILE = (
    "Hostile <script>alert('t')</script> headline\n\n"
    "The minister said <img src=x onerror=\"document.title='pwned'\"> 5,000 troops were deployed on Monday.\n"
    'Read more at [here](javascript:alert(1)) and =HYPERLINK("http://evil.example","click") now, '
    "officials said.\n"
)


@pytest.fixture
def verdict_world(seed_article, alice, bob, editor, lawyer):
    """Seed 001 with an approved verdict (with evidence), a submitted one and resolved flags."""
    claims = list(seed_article.claims.order_by("index"))
    approved_claim = next(c for c in claims if "11,000" in c.text)
    evidence = Evidence(
        url="https://www.icrc.org/en/document/ukraine-russia",
        title="ICRC statement",
        stance="context",
        excerpt="Prisoners of war must be protected against public curiosity.",
    )
    save_with_history(evidence, actor=alice, reason="test world")
    verdict = Verdict(
        claim=approved_claim,
        rating=Rating.objects.get(label="Unverifiable"),
        summary="Ukrainian figure; no independent count exists.",
        explanation="Only Kyiv's tally is public.",
        author=alice,
    )
    save_with_history(verdict, actor=alice, reason="submitted")
    verdict.evidence.add(evidence)
    verdict.status, verdict.approved_by, verdict.approved_at = "approved", editor, timezone.now()
    save_with_history(verdict, actor=editor, reason="approved")
    second = next(c for c in claims if c.text.startswith("The Ukrainian Security Service"))
    true_verdict = Verdict(
        claim=second,
        rating=Rating.objects.get(label="True"),
        summary="The SBU published the videos.",
        author=bob,
        status="approved",
        approved_by=editor,
        approved_at=timezone.now(),
    )
    save_with_history(true_verdict, actor=bob, reason="approved")
    pending = Verdict(
        claim=claims[0], rating=Rating.objects.get(label="Mostly true"), summary="Plausible.", author=bob
    )
    save_with_history(pending, actor=bob, reason="submitted")
    flag = seed_article.flags.filter(rule__code="pow_imagery").order_by("start").first()
    flag_resolve(flag=flag, actor=lawyer, status="confirmed", note="Blur before publishing.")
    return seed_article


@pytest.fixture
def export_doc(verdict_world):
    return dataclasses.replace(article_export_doc(verdict_world), exported_at="2026-11-21T12:00:00Z")


@pytest.fixture
def hostile_doc(editor):
    article = article_ingest(data=HOSTILE.encode(), name="hostile.txt", actor=editor).article
    return article_export_doc(article)


@pytest.fixture
def pow_seed_path():
    return POW_SEED
