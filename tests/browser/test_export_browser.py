import pytest
from django.urls import reverse

from reviews.services.articles import article_ingest
from tests.exporters.conftest import HOSTILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_html_export_of_hostile_text_runs_no_script(page, live_server, login, editor):
    article = article_ingest(data=HOSTILE.encode(), name="hostile.txt", actor=editor).article
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(editor)
    page.goto(live_server.url + reverse("reviews:article_export", args=[article.pk, "html"]) + "?inline=1")
    page.wait_for_selector("h1")
    assert dialogs == []
    assert page.title().startswith("Hostile <script>")  # shown as text, not run
    assert page.evaluate("document.querySelectorAll('script, img, iframe').length") == 0
    assert page.evaluate("document.title") != "pwned"
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "=HYPERLINK" in page.inner_text("body")
