import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from django.urls import reverse

from reviews.exporters import EXPORTERS, FORMATS

GOLDEN = Path(__file__).with_name("golden")
_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?"  # ISO
    r"|\d{1,2} [A-Z][a-z]{2} \d{4}(?:, \d{2}:\d{2} UTC)?"  # as people read it
)


def url(article, fmt):
    return reverse("reviews:article_export", args=[article.pk, fmt])


def test_anonymous_users_are_sent_to_log_in(client, verdict_world):
    response = client.get(url(verdict_world, "html"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_non_staff_users_are_refused(client, django_user_model, verdict_world):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert client.get(url(verdict_world, "html")).status_code == 403


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_role_downloads_every_format(client, verdict_world, alice, fmt):
    client.force_login(alice)
    response = client.get(url(verdict_world, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt][1]
    expected_name = f"{verdict_world.pk}-{verdict_world.slug}{FORMATS[fmt][0]}"
    # HTML opens in the browser; the other formats are files to save
    disposition = "inline" if fmt == "html" else "attachment"
    assert response["Content-Disposition"] == f'{disposition}; filename="{expected_name}"'
    assert "script-src 'none'" in response["Content-Security-Policy"]


def test_html_export_can_still_be_saved_as_a_file(client, verdict_world, editor):
    client.force_login(editor)
    response = client.get(url(verdict_world, "html"), {"download": "1"})
    assert response["Content-Disposition"].startswith("attachment;")


def test_unknown_format_and_article(client, verdict_world, editor):
    client.force_login(editor)
    assert client.get(url(verdict_world, "pdf")).status_code == 404
    assert client.get(reverse("reviews:article_export", args=[999999, "html"])).status_code == 404


def test_admin_action_downloads_a_zip_of_bundles(client, verdict_world, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:reviews_article_changelist"),
        {"action": "download_exports", "_selected_action": [verdict_world.pk]},
    )
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == [f"{verdict_world.pk}-{verdict_world.slug}.zip"]
    bundle = zipfile.ZipFile(io.BytesIO(zipfile.ZipFile(io.BytesIO(response.content)).read(names[0])))
    assert json.loads(bundle.read("manifest.json"))["exported_by"] == "Eddie Marsh"


def test_article_page_links_every_format(client, verdict_world, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:reviews_article_change", args=[verdict_world.pk])).content.decode()
    for fmt in FORMATS:
        assert url(verdict_world, fmt) in html


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [f"COMMENT {c.author}: {c.text}" for c in document.comments]
    return "\n".join(lines) + "\n"


def _normalised(text: str) -> str:
    return _TIME.sub("<time>", text)


@pytest.mark.parametrize(("fmt", "name"), [("html", "001.html"), ("md", "001.md"), ("docx", "001.docx.txt")])
def test_golden_files_for_seed_001(export_doc, fmt, name, request):
    data = EXPORTERS[fmt](export_doc)
    text = _normalised(_docx_text(data) if fmt == "docx" else data.decode())
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed; rerun with --update-golden after checking the diff"
