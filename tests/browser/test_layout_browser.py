"""What a person sees at an ordinary window size: the dashboard's bars are drawn, the work
lists fit 1280 px, overdue work stands out. Screenshots go to test-artifacts/layout/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from reviews.services.articles import article_ingest
from reviews.services.claims import claim_assign, claim_start
from reviews.services.history import save_with_history
from tests.conftest import POW_SEED, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ROOT / "test-artifacts" / "layout"


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def at_1280(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


@pytest.fixture
def queue(editor, alice):
    article = article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor).article
    claims = list(article.claims.filter(checkworthy=True).order_by("index")[:4])
    today = timezone.localdate()
    for n, claim in enumerate(claims):
        claim_assign(claim=claim, assignee=alice, actor=editor, due=today + timedelta(days=n))
    late = claims[-1]
    late.refresh_from_db()
    late.due = today - timedelta(days=2)  # assigned a while ago; the day has passed since
    save_with_history(late, actor=editor, reason="due date passed")
    claim_start(claim=claims[1], actor=alice)
    return claims


def test_dashboard_bars_are_drawn_and_captions_readable(at_1280, live_server, login, editor, queue):
    page = at_1280
    login(editor)
    page.goto(f"{live_server.url}/admin/")
    shot(page, "dashboard")
    widths = page.eval_on_selector_all(".nr-bar-fill", "els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and max(widths) > 40  # the longest bar of each chart spans its column
    assert sum(w > 0 for w in widths) >= 3
    _colour, background = page.eval_on_selector(
        ".nr-chart caption",
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]",
    )
    assert background in ("rgba(0, 0, 0, 0)", "transparent"), background  # not on the header blue
    assert "as of" in page.inner_text("#nr-as-of")
    assert "assigned to alice" in page.inner_text("#recent-actions-module")


def test_my_queue_fits_1280_and_marks_overdue_and_today(at_1280, live_server, login, alice, queue):
    page = at_1280
    login(alice)
    page.goto(f"{live_server.url}/admin/reviews/claim/?work=mine")
    shot(page, "my-queue")
    assert page.inner_text("#content h1") == "My queue"
    right = page.eval_on_selector("#result_list", "e => e.getBoundingClientRect().right")
    assert right <= 1280
    for column in ("Assignee", "Due", "Priority"):
        box = page.locator(f"#result_list thead th:has-text('{column}')").bounding_box()
        assert box and box["x"] + box["width"] <= 1280, column
    assert page.locator("#result_list .nr-overdue").count() == 1
    assert page.locator("#result_list .nr-due-today").count() == 1
    red = page.eval_on_selector("#result_list .nr-overdue", "e => getComputedStyle(e).color")
    assert red == "rgb(201, 42, 42)"


def test_every_claims_list_fits_1280(at_1280, live_server, login, editor, queue):
    page = at_1280
    login(editor)
    for view in ("", "?work=open", "?work=unassigned"):
        page.goto(f"{live_server.url}/admin/reviews/claim/{view}")
        # the table sits in a box that scrolls sideways: within the window is not enough
        scroll, client = page.eval_on_selector(".results", "e => [e.scrollWidth, e.clientWidth]")
        assert scroll <= client, view
    shot(page, "claims")


def test_the_verdict_form_does_not_scroll_sideways(at_1280, live_server, login, alice, queue):
    page = at_1280
    login(alice)
    page.goto(f"{live_server.url}/admin/reviews/claim/{queue[1].pk}/change/")
    page.wait_for_selector("#verdict-form")
    shot(page, "verdict-form")
    scroll, client = page.eval_on_selector(
        "#verdict-form", "e => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client
