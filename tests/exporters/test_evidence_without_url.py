"""A source with no link (a phone interview, a document seen) in every export: named in words,
never an empty or made-up link, and never merged with another such source."""

import dataclasses
import io
import json
import re
from html import escape

import docx
import pytest
from jsonschema import Draft202012Validator

from reviews.exporters import to_claimreview, to_docx, to_html, to_markdown, to_webanno
from reviews.models import Evidence, Verdict
from reviews.selectors import article_export_doc
from reviews.services.history import save_with_history
from tests.exporters.test_exporters import CLAIMREVIEW_SCHEMA, needs_standards
from tests.exporters.w3c import failed_musts

PHONE = "Phone interview with the mayor's press office, 4 Dec 2026, 10:15"
LETTER = "Letter from the defence ministry to the Red Cross, seen in person, 3 Dec 2026"


@pytest.fixture
def described_doc(verdict_world, alice):
    """The approved verdict on the 11,000 figure cites two sources with no link, besides its link."""
    verdict = Verdict.objects.get(claim__text__contains="11,000", status="approved")
    for description, stance in ((PHONE, "refutes"), (LETTER, "context")):
        evidence = Evidence(description=description, stance=stance, created_by=alice)
        save_with_history(evidence, actor=alice, reason="test world")
        verdict.evidence.add(evidence)
    return dataclasses.replace(article_export_doc(verdict_world), exported_at="2026-11-21T12:00:00Z")


def _cited(doc):
    (claim,) = [c for c in doc.claims if c.verdict and len(c.verdict.evidence) == 3]
    return claim


def test_the_snapshot_carries_the_description_and_no_url(described_doc):
    described = [e for e in _cited(described_doc).verdict.evidence if not e.url]
    assert sorted(e.description for e in described) == sorted([PHONE, LETTER])
    assert all(e.label == e.description and e.detail == "" for e in described)


def test_html_and_markdown_name_the_source_in_words_without_a_link(described_doc):
    html = to_html(described_doc).decode()
    assert "refutes: Phone interview with the mayor&#x27;s press office, 4 Dec 2026, 10:15, accessed" in html
    assert 'href=""' not in html
    markdown = to_markdown(described_doc).decode()
    assert "- refutes: Phone interview with the mayor's press office, 4 Dec 2026, 10:15, accessed" in markdown
    assert "]()" not in markdown and "](<>)" not in markdown


def test_docx_numbers_each_described_source_on_its_own(described_doc):
    texts = [c.text for c in docx.Document(io.BytesIO(to_docx(described_doc))).comments]
    (thread,) = [t for t in texts if PHONE in t]
    assert LETTER in thread  # not merged into the phone interview's number
    numbers = {
        re.search(r"\[S(\d+)\]: [a-z]+, " + re.escape(text) + " \\(no link\\)", thread).group(1)
        for text in (PHONE, LETTER)
    }
    assert len(numbers) == 2
    assert "<>" not in thread


@needs_standards
def test_web_annotation_describes_the_source_in_a_textual_body(described_doc):
    page = json.loads(to_webanno(described_doc))
    for annotation in page["items"]:
        assert failed_musts(annotation) == [], annotation["id"]
        for body in annotation["body"] if isinstance(annotation["body"], list) else [annotation["body"]]:
            assert body.get("source", "x"), annotation["id"]  # no SpecificResource without a source
    cited = f"/claims/{_cited(described_doc).id}#annotation"
    (annotation,) = [a for a in page["items"] if a["id"].endswith(cited)]
    values = [b.get("value", "") for b in annotation["body"]]
    assert f"Source (refutes): {PHONE}" in values and f"Source (context): {LETTER}" in values
    assert [b["source"] for b in annotation["body"] if b["type"] == "SpecificResource"] == [
        "https://www.icrc.org/en/document/ukraine-russia"
    ]


@needs_standards
def test_claimreview_stays_valid_with_no_empty_url(described_doc):
    validator = Draft202012Validator(
        json.loads(CLAIMREVIEW_SCHEMA.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    reviews = json.loads(to_claimreview(described_doc))
    assert reviews
    for review in (r for r in reviews if r["@type"] == "ClaimReview"):
        assert not list(validator.iter_errors(review))

    def urls(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("url", "contentUrl", "sameAs"):
                    yield value
                yield from urls(value)
        elif isinstance(node, list):
            for item in node:
                yield from urls(item)

    assert all(isinstance(u, str) and u.startswith("http") for u in urls(reviews))
    assert PHONE not in json.dumps(reviews)  # the sources are not part of Google's ClaimReview


def test_a_source_with_a_link_and_a_description_shows_both(verdict_world, alice):
    verdict = Verdict.objects.get(claim__text__contains="11,000", status="approved")
    evidence = Evidence(
        url="https://example.org/transcript", title="Transcript", description=PHONE, created_by=alice
    )
    save_with_history(evidence, actor=alice, reason="test world")
    verdict.evidence.add(evidence)
    doc = article_export_doc(verdict_world)
    assert '">Transcript</a> — ' + escape(PHONE) in to_html(doc).decode()


@needs_standards
def test_the_public_fact_check_names_the_source_in_words_and_its_json_ld_stays_valid(
    client, described_doc, verdict_world, editor, lawyer
):
    from reviews.services.publishing import article_reviews_publish
    from tests.exporters.test_public_pages import _clear_legal_flags, _json_ld

    _clear_legal_flags(verdict_world, lawyer)
    article_reviews_publish(article=verdict_world, actor=editor)
    page = client.get(f"/articles/{verdict_world.pk}/claims/{_cited(described_doc).id}").content.decode()
    assert f"<li>{escape(PHONE)} <span" in page and 'href=""' not in page
    assert '<a href="https://www.icrc.org/en/document/ukraine-russia"' in page
    validator = Draft202012Validator(
        json.loads(CLAIMREVIEW_SCHEMA.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    (review,) = [r for r in _json_ld(page) if r["@type"] == "ClaimReview"]
    assert not list(validator.iter_errors(review))
