"""The legal queue in a real browser: the dashboard's open legal flags, a flag in its paragraph,
a decision that opens the next flag, and the same page on a phone."""

import pytest

from reviews.models import Flag
from reviews.services.articles import article_ingest
from tests.conftest import POW_SEED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overflow(page) -> int:
    """How far the page runs past the window's right edge (sideways scrolling), in pixels."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_legal_works_through_the_queue_from_the_dashboard(page, live_server, login, editor, lawyer, width):
    article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor)
    open_legal = Flag.objects.filter(status="open", resolver_role="legal").count()
    page.set_viewport_size({"width": width, "height": 900})
    login(lawyer)
    page.click("text=Open legal flags")
    page.wait_for_selector("#result_list")
    page.locator("#result_list tbody tr").first.locator("a").first.click()
    page.wait_for_selector("mark#this-passage")
    assert not page.locator("details.nr-details table").is_visible()  # offsets: collapsed
    assert overflow(page) <= 0
    page.fill("#id_note", "Faces blurred in the published video.")
    page.click("#flag-triage button[value=dismissed]")
    page.wait_for_selector(".messagelist")
    assert f"{open_legal - 1} left in this list" in page.locator(".messagelist").inner_text()
    assert page.locator("mark#this-passage").is_visible() and page.locator("#id_note").input_value() == ""
    assert "_changelist_filters=" in page.url and overflow(page) <= 0
