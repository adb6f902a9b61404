"""Each export read the way its consumer reads it: Word (python-docx, LibreOffice), a browser,
a Markdown renderer, a search engine."""

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.enum.text import WD_UNDERLINE
from lxml import etree

from reviews.exporters import to_docx, to_html, to_markdown, to_webanno
from reviews.selectors import article_export_doc

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
POW_REFERENCE = "Geneva Convention III (1949), Art. 13(2)"


def _comments(data: bytes):
    return list(docx.Document(io.BytesIO(data)).comments)


def test_docx_comments_are_by_the_people_who_wrote_them(export_doc):
    by_author: dict[str, list[str]] = {}
    for comment in _comments(to_docx(export_doc)):
        by_author.setdefault(comment.author, []).append(comment.text)
    assert "Newsroom Review" not in by_author
    alice = by_author["Alice Okafor"]  # her verdict, and her reply in the discussion
    assert any(t.startswith("13. Unverifiable") for t in alice)
    assert "Note: No: the UN counts civilians only." in alice
    assert "Note: @alice is there a UN count to cite?" in by_author["bob"]
    assert "Approved (Unverifiable)." in by_author["Eddie Marsh"]  # the approver's reply
    assert by_author["Lara Quist"] == ["Confirmed: Blur before publishing."]  # the flag's resolution
    assert all(t.startswith("FLAG ") for t in by_author["Flag rules (automatic)"])


def test_docx_core_properties_are_the_articles_and_todays(verdict_world, editor):
    doc = article_export_doc(verdict_world, exported_by=editor)
    props = docx.Document(io.BytesIO(to_docx(doc))).core_properties
    today = dt.datetime.now(dt.UTC).date()
    assert props.title == verdict_world.title
    assert props.author == props.last_modified_by == "Eddie Marsh"
    assert props.created.date() == props.modified.date() == today
    assert "python-docx" not in f"{props.author} {props.comments} {props.title}"


def _extended(data: bytes):
    package = zipfile.ZipFile(io.BytesIO(data))
    comments = etree.fromstring(package.read("word/comments.xml"))
    extended = etree.fromstring(package.read("word/commentsExtended.xml"))
    para_of = {
        c.get(f"{W}id"): c.findall(f"{W}p")[-1].get(f"{W14}paraId") for c in comments.iter(f"{W}comment")
    }
    entries = {e.get(f"{W15}paraId"): e for e in extended.iter(f"{W15}commentEx")}
    return para_of, entries


def test_docx_replies_and_resolved_flags_are_word_threads(export_doc):
    data = to_docx(export_doc)
    para_of, entries = _extended(data)
    assert set(para_of.values()) == set(entries)  # every comment has its commentEx
    comments = {str(c.comment_id): c for c in _comments(data)}
    by_para = {para_of[i]: comments[i] for i in comments}
    replies = {pid: e.get(f"{W15}paraIdParent") for pid, e in entries.items() if e.get(f"{W15}paraIdParent")}
    thread = {by_para[pid].text: by_para[parent].text for pid, parent in replies.items()}
    assert thread["Approved (Unverifiable)."].startswith("13. Unverifiable")
    assert thread["Note: @alice is there a UN count to cite?"].startswith("13. Unverifiable")
    assert thread["Note: No: the UN counts civilians only."].startswith("13. Unverifiable")
    assert thread["Confirmed: Blur before publishing."].startswith("FLAG Images or words of prisoners of war")
    done = {by_para[pid].text.split("\n")[0] for pid, e in entries.items() if e.get(f"{W15}done") == "1"}
    assert done == {
        "FLAG Images or words of prisoners of war (pow_imagery, legal, confirmed)",
        "Confirmed: Blur before publishing.",
    }


def test_docx_cites_each_reference_once_and_points_to_it_after(export_doc):
    texts = [c.text for c in _comments(to_docx(export_doc))]
    pow_flags = [t for t in texts if t.startswith("FLAG Images or words of prisoners of war")]
    assert len(pow_flags) >= 2  # one reference, several flags citing it
    assert sum(POW_REFERENCE in t for t in texts) == 1 and POW_REFERENCE in pow_flags[0]
    first = min(f.claim_number for f in export_doc.flags if f.rule == "pow_imagery")
    assert all(f"as cited in full on claim {first}" in t for t in pow_flags[1:])


def test_docx_legend_and_runs_mark_what_is_not_final(export_doc):
    document = docx.Document(io.BytesIO(to_docx(export_doc)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Colours: False Mostly false Half true Mostly true True Unverifiable not yet checked." in text
    underlines = {}
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.font.underline in (WD_UNDERLINE.DASH, WD_UNDERLINE.DOTTED):
                underlines.setdefault(run.font.underline, []).append(run.text)
    submitted = next(c for c in export_doc.claims if c.state == "submitted")
    stale = next(c for c in export_doc.claims if c.state == "stale")
    assert submitted.text in underlines[WD_UNDERLINE.DASH]
    assert stale.text in underlines[WD_UNDERLINE.DOTTED]


@pytest.fixture
def soffice():
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing; .ci/run installs it (apt-get install libreoffice-writer)")
        pytest.skip("LibreOffice not installed (apt-get install -y libreoffice-writer)")
    return path


def test_libreoffice_opens_the_docx_with_its_comments(export_doc, soffice, tmp_path):
    data = to_docx(export_doc)
    source = tmp_path / "review.docx"
    source.write_bytes(data)
    result = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    odt = tmp_path / "review.odt"
    assert result.returncode == 0 and odt.is_file(), result.stderr
    content = zipfile.ZipFile(odt).read("content.xml").decode()
    annotations = re.findall(r"<office:annotation [^>]*>(.*?)</office:annotation>", content, re.S)
    assert len(annotations) == len(_comments(data))
    creators = {re.search(r"<dc:creator>(.*?)</dc:creator>", a).group(1) for a in annotations}
    assert {"Alice Okafor", "Eddie Marsh", "Lara Quist", "bob"} <= creators
    assert content.count('loext:resolved="true"') == 2  # the confirmed flag and its resolution


def test_stale_and_submitted_verdicts_are_marked_in_every_format(export_doc):
    html = to_html(export_doc).decode()
    md = to_markdown(export_doc).decode()
    webanno = json.loads(to_webanno(export_doc))["items"]
    docx_texts = [c.text for c in _comments(to_docx(export_doc))]
    for state, html_mark, md_mark in (
        ("submitted", "awaiting approval", "*awaiting approval, not final*"),
        ("stale", "STALE", "**STALE**"),
    ):
        claim = next(c for c in export_doc.claims if c.state == state)
        assert f'class="claim {state}" id="claim-{claim.number}"' in html
        note = html.split(f'id="note-{claim.number}"')[1].split(f'id="note-{claim.number + 1}"')[0]
        assert html_mark in note
        assert f"[^{claim.number}]: {claim.verdict.rating} — {md_mark}" in md
        assert any(
            t.startswith(f"{claim.number}. {claim.verdict.rating} (") and html_mark in t for t in docx_texts
        )
        annotation = next(a for a in webanno if a["id"] == f"{export_doc.claim_uri(claim)}#annotation")
        assert html_mark.lower() in annotation["body"][0]["value"].lower()


def test_html_links_claims_and_notes_and_marks_flags(export_doc):
    html = to_html(export_doc).decode()
    body = html.split('<div class="body">')[1].split("</div>")[0]
    for claim in export_doc.claims:
        assert f'<a class="num" href="#note-{claim.number}">{claim.number}</a>' in body
        assert (
            f'<a class="num" href="#claim-{claim.number}" title="back to the text">{claim.number}</a>' in html
        )
    body_flags = set(re.findall(r'href="#flag-(\d+)"', body))
    assert body_flags == {str(f.number) for f in export_doc.flags if f.field == "body"}
    assert not re.search(r">\s*\d+\.\s*\d+\.", html)  # numbered once ("1. 1. Mostly true" before)
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", html)  # no microseconds
    assert "“'" not in html and "<q>" not in html  # no doubled quotation marks
    note13 = html.split('id="note-13"')[1].split('id="note-14"')[0]
    assert note13.count(": submitted") == 1  # the evidence being attached is not a second step
    assert "<th>Rating</th><th>Final</th><th>Not final</th>" in html and "Open legal flags: <b>4</b>" in html
    assert 'a[href^="http"]::after{content:" <" attr(href) ">"' in html  # printed with its URLs


def test_markdown_escapes_only_what_markup_would_break():
    from reviews.exporters.markdown import md_escape

    assert md_escape("ill-treatment (Alamy) 2nd-Motor. 5 < 6") == "ill-treatment (Alamy) 2nd-Motor. 5 < 6"
    assert md_escape("# Not a heading\n- not a list\n1. not a list") == (
        "\\# Not a heading\n\\- not a list\n1\\. not a list"
    )
    assert md_escape("*a* _b_ [c](javascript:x) <script> &amp;") == (
        "\\*a\\* \\_b\\_ \\[c\\]\\(javascript:x) &lt;script> &amp;amp;"
    )
