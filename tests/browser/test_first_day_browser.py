"""What a newcomer meets on the first day, in a real browser: the main button of each role's
step looks like a button, work lists show their columns at 1280 px without sideways
scrolling, long titles do not run under the page's buttons, and the claim page fits a phone."""

import pytest

from reviews.models import Flag, FlagStatus, Rating, ResolverRole
from reviews.services.articles import article_ingest
from reviews.services.claims import claim_assign, claim_start
from reviews.services.verdicts import verdict_submit
from tests.conftest import POW_SEED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIRE = (
    "Dock workers at Harbour Port began a 48-hour strike on Monday over pay, halting the loading of "
    "about 40 container ships and 300 lorries a day, the port authority said on Tuesday morning.\n\n"
    'The union, which represents 2,100 workers, said its members had rejected a 3.5 percent pay offer.\n\n'
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
        document.body.appendChild(b); const c = getComputedStyle(b).backgroundColor; b.remove(); return c; }"""
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
