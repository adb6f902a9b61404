"""The HTML export and the public fact-check page in a real browser, with screenshots."""

from pathlib import Path

import pytest
from django.urls import reverse

from reviews.selectors import article_export_doc
from reviews.services.publishing import article_reviews_publish
from tests.exporters.test_public_pages import _clear_legal_flags

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "exports"


def test_html_export_opens_in_the_browser_and_links_claims_to_notes(
    page, live_server, login, editor, verdict_world
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(editor)
    page.goto(live_server.url + reverse("reviews:article_export", args=[verdict_world.pk, "html"]))
    page.wait_for_selector("h1")  # shown, not downloaded
    page.screenshot(path=str(SHOTS / "html-export.png"), full_page=True)
    page.click('a.num[href="#note-13"]')
    assert page.evaluate("location.hash") == "#note-13"
    box = page.locator("#note-13").bounding_box()
    assert 0 <= box["y"] < 200  # scrolled to the note
    page.click('#note-13 a.num[href="#claim-13"]')
    assert page.evaluate("location.hash") == "#claim-13"
    dashed = page.eval_on_selector("span.claim.submitted", "e => getComputedStyle(e).borderBottomStyle")
    dotted = page.eval_on_selector("span.claim.stale", "e => getComputedStyle(e).borderBottomStyle")
    solid = page.eval_on_selector("span.claim.final", "e => getComputedStyle(e).borderBottomStyle")
    assert (dashed, dotted, solid) == ("dashed", "dotted", "solid")


def test_public_fact_check_page_needs_no_sign_in(page, live_server, settings, editor, lawyer, verdict_world):
    SHOTS.mkdir(parents=True, exist_ok=True)
    settings.SITE_URL = live_server.url
    settings.PUBLISHER_LOGO = live_server.url + "/static/reviews/publisher-logo.png"
    _clear_legal_flags(verdict_world, lawyer)
    article_reviews_publish(article=verdict_world, actor=editor)
    page.goto(f"{live_server.url}/articles/{verdict_world.pk}")
    page.wait_for_selector("article.card")
    assert page.locator("article.card").count() == 2
    assert page.evaluate("document.querySelector('header.site img').naturalWidth") > 0  # the logo loads
    page.screenshot(path=str(SHOTS / "public-article.png"), full_page=True)
    video = next(c for c in article_export_doc(verdict_world).claims if c.media is not None)
    page.click(f'a[href$="/claims/{video.id}"]')
    page.wait_for_selector("h1")
    assert "Media: Original" in page.inner_text("main")
    kinds = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
        ".map(r => r['@type'])"
    )
    assert kinds == ["ClaimReview", "MediaReview"]
    page.screenshot(path=str(SHOTS / "public-claim.png"), full_page=True)
