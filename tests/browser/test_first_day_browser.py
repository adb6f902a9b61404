"""What a newcomer meets on the first day, in a real browser: the main button of each role's
step looks like a button, work lists show their columns at 1280 px without sideways
scrolling, long titles do not run under the page's buttons, and the claim page fits a phone."""

import pytest

from reviews.jobs import job_create, job_fail
from reviews.models import Flag, FlagStatus, JobKind, Rating, ResolverRole
from reviews.services.articles import article_ingest
from reviews.services.claims import claim_assign, claim_start
from reviews.services.verdicts import verdict_submit
from tests.conftest import POW_SEED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIRE = (
    "Dock workers at Harbour Port began a 48-hour strike on Monday over pay, halting the loading of "
    "about 40 container ships and 300 lorries a day, the port authority said on Tuesday morning.\n\n"
    "The union, which represents 2,100 workers, said its members had rejected a 3.5 percent pay offer.\n\n"
    '"This is the first strike at the port in 30 years," union secretary Ahmed Laine told reporters.\n'
)


@pytest.fixture
def world(editor, alice):
    article = article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor).article
    reviewing, submitted = list(article.claims.filter(checkworthy=True).order_by("index")[:2])
    for claim in (reviewing, submitted):
        claim_assign(claim=claim, assignee=alice, actor=editor)
        claim_start(claim=claim, actor=alice)
    verdict_submit(claim=submitted, rating=Rating.objects.get(label="True"), summary="Right.", actor=alice)
    return article, reviewing, submitted


def default_button_colour(page) -> str:
    """The background the admin gives its main button (`.button.default`)."""
    return page.evaluate(
        """() => { const b = document.createElement('a'); b.className = 'button default';
        document.body.appendChild(b); const c = getComputedStyle(b).backgroundColor;
        b.remove(); return c; }"""
    )


def test_each_roles_main_button_is_styled_as_the_admins_main_button(
    page, live_server, login, editor, alice, lawyer, world
):
    article, reviewing, submitted = world
    login(alice)
    page.goto(f"{live_server.url}/admin/reviews/claim/{reviewing.pk}/change/")
    button = page.locator("#verdict-form button[value=submit]")
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == default_button_colour(page)

    page.context.clear_cookies()
    login(editor)
    page.goto(f"{live_server.url}/admin/reviews/claim/{submitted.pk}/change/")
    button = page.locator("#decide-form button[value=approve]")
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == default_button_colour(page)

    page.context.clear_cookies()
    login(lawyer)
    flag = Flag.objects.filter(
        article=article, resolver_role=ResolverRole.LEGAL, status=FlagStatus.OPEN
    ).first()
    page.goto(f"{live_server.url}/admin/reviews/flag/{flag.pk}/change/")
    button = page.locator("#flag-triage button[value=confirmed]")
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == default_button_colour(page)


def hidden_columns(page) -> list[str]:
    """Headers of the list's columns that lie outside its visible box (reached only by
    scrolling the table sideways)."""
    return page.evaluate(
        """() => { const box = document.querySelector('.results').getBoundingClientRect();
        return [...document.querySelectorAll('#result_list thead th')]
          .filter(th => th.getBoundingClientRect().right > box.right + 1)
          .map(th => th.innerText.trim()); }"""
    )


def test_work_lists_show_every_column_at_1280(page, live_server, login, editor, lawyer, world):
    article_ingest(data=WIRE.encode(), name="wire.txt", actor=editor)  # no headline: a long title
    url = "http://example.org:99999/2026/12/04/dock-workers-at-harbour-port-begin-48-hour-strike-over-pay"
    job = job_create(kind=JobKind.INGEST_URL, actor=editor, params={"url": url})
    job_fail(job, f"'{url}' is not a valid URL (Port out of range 0-65535)")
    page.set_viewport_size({"width": 1280, "height": 900})
    login(editor)
    for path in (
        "reviews/claim/",
        "reviews/claim/?work=open",
        "reviews/article/",
        "reviews/flag/",
        "reviews/articlerevision/",
        "reviews/verdict/",
        "reviews/job/",
    ):
        page.goto(f"{live_server.url}/admin/{path}")
        assert hidden_columns(page) == [], path
    page.context.clear_cookies()
    login(lawyer)
    page.click("text=Open legal flags")
    page.wait_for_selector("#result_list")
    assert hidden_columns(page) == []


def test_a_long_title_does_not_run_under_the_page_buttons(page, live_server, login, editor):
    article = article_ingest(data=WIRE.encode(), name="wire.txt", actor=editor).article
    page.set_viewport_size({"width": 1280, "height": 900})
    login(editor)
    page.goto(f"{live_server.url}/admin/reviews/article/{article.pk}/change/")
    lines = page.eval_on_selector(  # the boxes of the title's lines of text
        "#content > h2",
        """e => { const r = document.createRange(); r.selectNodeContents(e);
        return [...r.getClientRects()].map(b => ({x: b.x, y: b.y, width: b.width, height: b.height})); }""",
    )
    tools = page.locator(".object-tools").first.bounding_box()
    for line in lines:
        overlap_x = line["x"] < tools["x"] + tools["width"] and tools["x"] < line["x"] + line["width"]
        overlap_y = line["y"] < tools["y"] + tools["height"] and tools["y"] < line["y"] + line["height"]
        assert not (overlap_x and overlap_y), (line, tools)


def too_wide(page) -> tuple[int, int, list[str]]:
    """The page's width and the window's, and what sticks out past the window."""
    return page.evaluate(
        """() => { const w = document.documentElement.clientWidth;
        return [document.documentElement.scrollWidth, w,
          [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
            .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)]; }"""
    )


def test_the_claim_page_fits_a_phone(page, live_server, login, editor, alice, world):
    article, reviewing, _submitted = world
    page.set_viewport_size({"width": 390, "height": 844})
    login(alice)
    page.goto(f"{live_server.url}/admin/reviews/claim/{reviewing.pk}/change/")
    page.wait_for_selector("#verdict-form")
    scroll, client, wide = too_wide(page)
    assert scroll <= client, wide
    # each source field is wide enough to type a URL into, and says what it is
    widths = page.eval_on_selector_all(
        ".nr-evidence-row:first-child input:not([type=hidden]), .nr-evidence-row:first-child select",
        "els => els.map(e => e.getBoundingClientRect().width)",
    )
    assert widths and min(widths) >= 200, widths
    assert "Archive URL" in page.inner_text(".nr-evidence-row")

    page.context.clear_cookies()
    login(editor)
    fresh = article.claims.filter(status="new", checkworthy=True).first()  # assign, dismiss, edit
    page.goto(f"{live_server.url}/admin/reviews/claim/{fresh.pk}/change/")
    page.wait_for_selector("#edit-claim")
    scroll, client, wide = too_wide(page)
    assert scroll <= client, wide


def test_pages_ask_the_server_for_nothing_it_does_not_have(page, live_server, login, editor, world):
    """No request of a page answers 404 (the browser asked for /favicon.ico on every page, and
    each was logged as a missing page)."""
    article, reviewing, _submitted = world
    missing = []
    page.on("response", lambda r: r.status >= 400 and missing.append(r.url))
    page.on("console", lambda m: "Failed to load resource" in m.text and missing.append(m.text))
    login(editor)
    page.goto(f"{live_server.url}/admin/reviews/claim/{reviewing.pk}/change/")
    page.goto(f"{live_server.url}/articles/{article.pk}")  # a public page (sign-in: none needed)
    page.wait_for_timeout(300)
    assert missing == []
