"""End to end in a real browser: a fact-checker splits a claim, an editor merges two and narrows one."""

import pytest

from reviews.models import Claim
from reviews.roles import FACT_CHECKERS
from reviews.services.articles import article_ingest
from reviews.services.claims import claim_assign
from tests.browser.test_workflow_browser import session
from tests.conftest import POW_SEED, ROOT, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts" / "claim-edits"


def shot(page, name, element="#edit-claim"):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if element and page.locator(element).count():
        page.locator(element).screenshot(path=str(ARTIFACTS / f"{name}-detail.png"))


def claims(article):
    return list(Claim.objects.filter(revision=article.current_revision_id).order_by("index"))


def test_split_merge_and_narrow_in_the_browser(browser, live_server, editor, django_user_model):
    checker = make_user(django_user_model, "checker1", FACT_CHECKERS)
    article = article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor).article
    body = article.current_revision.body
    n = len(claims(article))
    putin = claims(article)[1]
    claim_assign(claim=putin, assignee=checker, actor=editor)

    # The assigned fact-checker splits the sentence after "…praise of Russian troops,".
    context, page = session(browser, live_server, checker)
    page.goto(f"{live_server.url}/admin/reviews/claim/{putin.pk}/change/")
    option = page.locator("#id_at option", has_text="troops, ‖ reports have flown")
    assert option.count() == 1
    page.select_option("#id_at", option.get_attribute("value"))
    shot(page, "01-checker-chooses-split-point")
    page.click("#split-form button[value=split]")
    page.wait_for_selector(".messagelist .success")
    assert "Split in two: claims #2 and #3." in page.inner_text(".messagelist")
    assert page.inner_text("#this-claim").endswith("praise of Russian troops,")
    shot(page, "02-after-split", "#claim-history")
    context.close()
    putin.refresh_from_db()
    second = claims(article)[2]
    assert second.text.startswith("reports have flown in") and second.assignee == checker
    assert putin.history.first().history_user == checker
    assert second.history.first().history_user == checker

    # The editor merges "He said: 'In Russia…" with the quotation that follows it.
    he_said = Claim.objects.get(revision=article.current_revision_id, text__startswith="He said:")
    following = claims(article)[he_said.index + 1]
    context, page = session(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/reviews/claim/{he_said.pk}/change/")
    assert "I was given the opportunity" in page.inner_text("#merge-form")
    shot(page, "03-editor-before-merge")
    page.click("#merge-form button[value=merge]")
    page.wait_for_selector(".messagelist .success")
    assert "I was given the opportunity" in page.inner_text("#this-claim")
    he_said.refresh_from_db()
    assert he_said.text == body[he_said.start : following.end]
    assert Claim.history.filter(id=following.pk).first().history_user == editor

    # … and narrows the press-conference sentence to what the soldier said.
    press = Claim.objects.get(revision=article.current_revision_id, text__startswith="At a press conference")
    page.goto(f"{live_server.url}/admin/reviews/claim/{press.pk}/change/")
    fragment = "his parents had already prepared his funeral for when he returned home"
    page.fill("#id_fragment", fragment)
    shot(page, "04-editor-types-fragment")
    page.click("#narrow-form button[value=narrow]")
    page.wait_for_selector(".messagelist .success")
    assert page.inner_text("#this-claim") == fragment
    # A fragment that is not in the sentence is refused with the reason, and nothing changes.
    page.fill("#id_fragment", "his parents had already arranged")
    page.click("#narrow-form button[value=narrow]")
    page.wait_for_selector(".messagelist .error")
    assert "the fragment is not in the claim's text" in page.inner_text(".messagelist")
    assert page.input_value("#id_fragment") == "his parents had already arranged"  # as typed
    shot(page, "05-narrowed-and-refusal", "#claim-history")
    history = page.inner_text("#claim-history")
    assert f"{editor.username}\tnarrowed to “his parents" in history
    context.close()

    press.refresh_from_db()
    assert press.text == fragment and body[press.start : press.end] == fragment
    assert press.history.first().history_user == editor
    after = claims(article)
    assert len(after) == n  # one more by the split, one fewer by the merge
    assert [c.index for c in after] == list(range(n))
    assert all(body[c.start : c.end] == c.text for c in after)
