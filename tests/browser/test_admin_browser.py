import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = (
    "Drone strike reported near Kharkiv\n\n"
    "The regional governor said on Tuesday that 14 people were wounded in the strike.\n"
    "Police said the drone hit a bus depot at 5 a.m. Monday. It was the third attack this week.\n"
)


def test_editor_pastes_an_article_and_sees_claims_highlighted(page, live_server, login, editor):
    login(editor)
    page.goto(f"{live_server.url}/admin/reviews/article/add/")
    page.fill("#id_text", STORY)
    page.click("input[name=_save]")
    page.wait_for_selector(".nr-article")
    assert "ingested: 3 sentences" in page.inner_text(".messagelist")
    claims = page.locator(".nr-article a.nr-claim")
    assert claims.count() == 3
    assert [claims.nth(i).locator("sup").inner_text() for i in range(3)] == ["1", "2", "3"]
    assert claims.nth(1).inner_text().endswith("Police said the drone hit a bus depot at 5 a.m. Monday.")
    claims.nth(1).click()
    page.wait_for_selector("#this-claim")
    assert "5 a.m. Monday" in page.inner_text("#content")


def test_bad_upload_shows_the_reason_and_stores_nothing(page, live_server, login, editor, tmp_path):
    from reviews.models import Article

    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    login(editor)
    page.goto(f"{live_server.url}/admin/reviews/article/add/")
    page.set_input_files("#id_file", str(bad))
    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")
    assert "scan.txt: file is binary" in page.inner_text(".errornote")
    assert Article.objects.count() == 0
