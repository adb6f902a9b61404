"""Inputs of hostile size, shape or bytes: refused with a reason, nothing lost, the batch goes on."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DataError

from reviews.exporters import to_claimreview, to_webanno
from reviews.models import Article, Claim
from reviews.selectors import article_export_doc
from reviews.services.articles import article_ingest
from reviews.textproc import InputError
from tests.commands.test_ingest import snapshot
from tests.conftest import POW_SEED

STORY = (
    "Troops moved north\n\n"
    "The minister said on Monday that forty troops were killed in the town, officials confirmed.\n"
    "A second paragraph adds that the army disputed the figure and gave no number of its own.\n"
)


def run_ingest(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_nul_byte_after_the_first_8_kb_is_refused_and_the_batch_goes_on(tmp_path, editor):
    late_nul = (STORY * 50).encode() + b"A line with a \x00 byte.\n"
    assert late_nul.index(b"\x00") > 8192
    (tmp_path / "a-late-nul.txt").write_bytes(late_nul)
    (tmp_path / "b-seed.txt").write_bytes(POW_SEED.read_bytes())
    out, err, exc = run_ingest(str(tmp_path), "--as", editor.username)
    assert "1 ingested, 0 skipped, 1 failed" in out
    assert "a-late-nul.txt: file holds the control character U+0000 at line 201" in err
    assert exc is not None and "1 of 2 inputs failed" in str(exc)
    assert Article.objects.count() == 1


def test_an_unexpected_failure_of_one_file_does_not_stop_the_batch(tmp_path, editor, monkeypatch):
    from reviews import tasks as ingest  # the ingest job calls the service

    real = ingest.article_ingest

    def flaky(*, name, **kwargs):
        if name.endswith("a-first.txt"):
            raise DataError("invalid byte sequence for encoding")
        return real(name=name, **kwargs)

    monkeypatch.setattr(ingest, "article_ingest", flaky)
    (tmp_path / "a-first.txt").write_text(STORY)
    (tmp_path / "b-seed.txt").write_bytes(POW_SEED.read_bytes())
    out, err, exc = run_ingest(str(tmp_path), "--as", editor.username)
    assert "1 ingested, 0 skipped, 1 failed" in out
    assert "a-first.txt: DataError: invalid byte sequence" in err
    assert exc is not None
    assert Article.objects.count() == 1


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_ingested(editor, codec):
    result = article_ingest(data=STORY.encode(codec), name="wide.txt", actor=editor)
    assert result.created
    assert "forty troops were killed" in result.revision.body


def test_a_stray_carriage_return_inside_a_sentence_loses_no_text(editor):
    data = STORY.replace("that forty", "that\rforty").encode()
    revision = article_ingest(data=data, name="cr.txt", actor=editor).revision
    texts = list(Claim.objects.filter(revision=revision).values_list("text", flat=True))
    assert (
        texts[0]
        == "The minister said on Monday that forty troops were killed in the town, officials confirmed."
    )
    assert revision.removed == []


def test_crlf_text_is_stored_like_lf_text(editor):
    lf = article_ingest(data=STORY.encode(), name="lf.txt", actor=editor)
    crlf = article_ingest(data=STORY.replace("\n", "\r\n").encode(), name="crlf.txt", actor=editor)
    assert crlf.article == lf.article and not crlf.created  # the same body: skipped


def test_markup_nested_too_deep_is_refused_and_nothing_written(editor):
    page = "<html><body>" + "<div>" * 20_000 + "<p>The minister said 40 troops left.</p>" + "</div>" * 20_000
    before = snapshot()
    with pytest.raises(InputError, match=r"HTML is nested more than 250 elements deep"):
        article_ingest(data=page.encode(), name="deep.html", actor=editor)
    assert snapshot() == before


def test_an_article_of_too_many_sentences_is_refused_and_nothing_written(editor, settings):
    settings.ARTICLE_MAX_CLAIMS = 50
    # A headline (the first line: metadata, not a claim), then 51 sentences.
    lines = ["Troops moved across the region"] + [
        f"Officials in town {i} said {i} troops moved on Monday." for i in range(51)
    ]
    text = "\n\n".join(lines)
    before = snapshot()
    with pytest.raises(InputError, match="article has 51 sentences, over the limit of 50 per article"):
        article_ingest(data=text.encode(), name="long.txt", actor=editor)
    assert snapshot() == before
    assert article_ingest(data=text.rsplit("\n\n", 1)[0].encode(), name="ok.txt", actor=editor).claims == 50


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:url" content="javascript:alert(document.domain)">',
        '<link rel="canonical" href="javascript:alert(1)">',
        '<meta property="og:url" content="data:text/html,<script>x()</script>">',
    ],
)
def test_a_page_url_that_is_not_http_is_dropped_and_reported(editor, head):
    page = (
        f"<html><head>{head}</head><body><h1>Troops moved</h1><p>{STORY.split(chr(10))[2]}</p></body></html>"
    )
    result = article_ingest(data=page.encode(), name="page.html", actor=editor)
    assert result.article.url == ""
    assert [r["reason"] for r in result.revision.removed if "not an http(s) URL" in r["reason"]]
    doc = article_export_doc(result.article)
    for output in (to_webanno(doc), to_claimreview(doc)):
        assert b"javascript:" not in output and b"data:" not in output
        json.loads(output)


def test_an_http_canonical_link_is_kept_when_og_url_is_not(editor):
    page = (
        '<html><head><meta property="og:url" content="javascript:alert(1)">'
        '<link rel="canonical" href="https://example.org/news/1"></head>'
        f"<body><p>{STORY.split(chr(10))[2]}</p></body></html>"
    )
    result = article_ingest(data=page.encode(), name="page.html", actor=editor)
    assert result.article.url == "https://example.org/news/1"
    assert {
        "text": "javascript:alert(1)",
        "reason": "og:url that is not an http(s) URL",
    } in result.revision.removed


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/a", "/news/1", "https:///nohost"])
def test_a_source_url_that_is_not_http_is_refused(editor, url):
    before = snapshot()
    with pytest.raises(InputError, match="is not an http\\(s\\) URL"):
        article_ingest(data=STORY.encode(), name="a.txt", actor=editor, url=url)
    assert snapshot() == before
