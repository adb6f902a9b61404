"""End to end in a real browser: assign, check with evidence, submit, approve, read the history."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from reviews.models import Claim, Verdict
from reviews.roles import FACT_CHECKERS
from reviews.services.articles import article_ingest
from tests.conftest import POW_SEED, ROOT, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts" / "workflow"
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def shots():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    taken: list[Path] = []

    def shot(page, name):
        path = ARTIFACTS / f"{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)

    shot.taken = taken
    return shot


def session(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#nr-dashboard")
    return context, page


def test_assign_check_submit_approve_and_read_the_history(
    browser, live_server, editor, django_user_model, shots
):
    checker = make_user(django_user_model, "checker1", FACT_CHECKERS)
    article = article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor).article
    claim = article.claims.get(text__startswith="The Ukrainian Security Service has recorded videos")

    # The editor assigns the claim to checker1 from the claims list.
    context, page = session(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/reviews/claim/?article={article.pk}&checkworthy__exact=1")
    page.check(f"input[name=_selected_action][value='{claim.pk}']")
    page.select_option("select[name=action]", "assign_to")
    shots(page, "editor-selects-claim")
    page.click("button[name=index]")
    page.select_option("#id_assignee", label="checker1")
    page.fill("#id_due", (date.today() + timedelta(days=7)).isoformat())
    page.click("#action_form input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert "1 claim(s) assigned to checker1." in page.inner_text(".messagelist")
    shots(page, "editor-assigned")
    context.close()

    # checker1 finds it in My queue, starts, records a verdict with four sources (asking for
    # more rows than the form starts with) and submits.
    context, page = session(browser, live_server, checker)
    page.click("text=My queue")
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "recorded videos of captured Russian troops" in rows.first.inner_text()
    shots(page, "checker-my-queue")
    rows.first.locator("th a, td a").first.click()
    page.wait_for_selector("#this-claim")
    assert "Images or words of prisoners of war" in page.inner_text("#content")
    page.click("#start-form button")
    page.wait_for_selector(".messagelist")
    page.select_option("#id_rating", label="Mostly true")
    # the sentence is too long to publish as it stands: the checker states the claim
    assert page.input_value("#id_claim_reviewed") == ""
    page.fill("#id_claim_reviewed", "Ukraine's Security Service recorded videos of captured Russian troops.")
    page.fill("#id_summary", "The SBU published the videos; the Telegraph describes them.")
    page.fill("#id_explanation", "Both sources describe the same recordings.")
    sources = [
        ("https://www.telegraph.co.uk/world-news/2022/03/", "supports"),
        ("https://ssu.gov.ua/en/", "context"),
        ("https://www.icrc.org/en/document/", "context"),
        ("https://www.bbc.co.uk/news/world-europe/", "supports"),
    ]

    def fill_source(i):
        url, stance = sources[i]
        page.fill(f"#id_evidence-{i}-url", url)
        page.fill(f"#id_evidence-{i}-title", f"Source {i + 1}")
        page.select_option(f"#id_evidence-{i}-stance", stance)

    for i in range(3):
        fill_source(i)
    page.click("#verdict-form button[value=more_evidence]")
    page.wait_for_selector("#id_evidence-5-url")
    # What was typed is still there, with three more rows.
    assert page.input_value("#id_summary") == "The SBU published the videos; the Telegraph describes them."
    assert page.input_value("#id_evidence-2-url") == sources[2][0]
    assert page.input_value("#id_claim_reviewed").startswith("Ukraine's Security Service")
    assert page.locator("#id_rating option:checked").inner_text() == "Mostly true"
    fill_source(3)
    shots(page, "checker-verdict-form")
    page.click("#verdict-form button[value=submit]")
    page.wait_for_selector(".messagelist")
    assert "Verdict submitted for approval." in page.inner_text(".messagelist")
    shots(page, "checker-submitted")
    context.close()

    # The editor approves it from "Awaiting approval".
    context, page = session(browser, live_server, editor)
    page.click("text=Awaiting approval")
    page.wait_for_selector("#result_list")
    page.locator("#result_list tbody tr").first.locator("th a, td a").first.click()
    page.wait_for_selector("#decide-form")
    shots(page, "editor-reviews-verdict")
    page.click("#decide-form button[value=approve]")
    page.wait_for_selector(".messagelist")
    assert "Verdict approved: Mostly true." in page.inner_text(".messagelist")
    shots(page, "editor-approved")

    # The claim's history page shows each step with its user.
    page.click("a.historylink")
    page.wait_for_selector("#change-history")
    history = page.inner_text("#change-history")
    shots(page, "claim-history")
    context.close()
    for step, user in [
        ("assigned to checker1", "eddie"),
        ("review started", "checker1"),
        ("verdict submitted: Mostly true", "checker1"),
        ("approved: Mostly true", "eddie"),
    ]:
        line = next((ln for ln in history.splitlines() if step in ln), "")
        assert user in line, (step, history)

    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.status, verdict.author, verdict.approved_by) == ("approved", checker, editor)
    assert verdict.evidence.count() == 4
    assert Claim.objects.get(pk=claim.pk).status == "approved"
    assert len(shots.taken) == 8 and all(p.stat().st_size > 10_000 for p in shots.taken)
