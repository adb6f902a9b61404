import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from reviews.models import Evidence, Rating, Verdict
from reviews.selectors import article_export_doc
from reviews.services.articles import article_ingest
from reviews.services.flags import flag_resolve
from reviews.services.history import save_with_history
from reviews.services.notes import claim_note_add
from reviews.services.publishing import claim_describe
from tests.conftest import POW_SEED

HOSTILE = (
    "Hostile <script>alert('t')</script> headline\n\n"
    "The minister said <img src=x onerror=\"document.title='pwned'\"> 5,000 troops were deployed on Monday.\n"
    'Read more at [here](javascript:alert(1)) and =HYPERLINK("http://evil.example","click") now, '
    "officials said.\n"
)


POW_VIDEO = {
    "media_kind": "video",
    "media_url": "https://t.me/SBUkr/3883",
    "media_archive_url": "https://web.archive.org/web/2022/https://t.me/SBUkr/3883",
    "media_description": "Captured Russian soldiers filmed by the Security Service of Ukraine.",
}


@pytest.fixture
def verdict_world(seed_article, alice, bob, editor, lawyer):
    """Seed 001 with approved verdicts (one with evidence, one on the POW video with a media
    rating), a submitted one, a stale one, a discussion and resolved flags."""
    for user, first, last in (
        (alice, "Alice", "Okafor"),
        (editor, "Eddie", "Marsh"),
        (lawyer, "Lara", "Quist"),
    ):
        user.first_name, user.last_name = first, last
        user.save()
    claims = list(seed_article.claims.order_by("index"))
    approved_claim = next(c for c in claims if "11,000" in c.text)
    claim_describe(
        claim=approved_claim,
        actor=alice,
        claimant="Ukrainian defence ministry",
        claimant_kind="Organization",
        claimant_url="https://www.mil.gov.ua/en/",
        appearances=["https://www.mil.gov.ua/en/news/2022/03/01/losses"],
        first_appeared=dt.date(2022, 3, 1),
    )
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
        claim_reviewed="More than 11,000 Russian troops have been killed since the invasion began.",
        explanation="Only Kyiv's tally is public.",
        author=alice,
    )
    save_with_history(verdict, actor=alice, reason="submitted")
    verdict.evidence.add(evidence)
    verdict.status, verdict.approved_by, verdict.approved_at = "approved", editor, timezone.now()
    save_with_history(verdict, actor=editor, reason="approved")
    second = next(c for c in claims if c.text.startswith("The Ukrainian Security Service"))
    claim_describe(
        claim=second,
        actor=editor,
        claimant="Security Service of Ukraine",
        claimant_kind="Organization",
        appearances=[POW_VIDEO["media_url"]],
        first_appeared=dt.date(2022, 2, 27),
        **POW_VIDEO,
    )
    true_verdict = Verdict(
        claim=second,
        rating=Rating.objects.get(label="True"),
        summary="The SBU published the videos.",
        claim_reviewed="Ukraine's Security Service recorded videos of captured Russian soldiers.",
        media_rating="OriginalMediaContent",
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
    stale = Verdict(
        claim=claims[2],
        rating=Rating.objects.get(label="False"),
        summary="The ministry made no such invitation.",
        author=bob,
        status="superseded",
        approved_by=editor,
        approved_at=timezone.now(),
    )
    save_with_history(stale, actor=bob, reason="superseded")
    claims[2].status = "stale"
    save_with_history(claims[2], actor=editor, reason="edited in a new version")
    note = claim_note_add(claim=approved_claim, actor=bob, text="@alice is there a UN count to cite?")
    claim_note_add(claim=approved_claim, actor=alice, text="No: the UN counts civilians only.", parent=note)
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
