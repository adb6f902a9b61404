import dataclasses
import hashlib
import io
import json
import zipfile

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from reviews.exporters import EXPORTERS, to_claimreview, to_docx, to_html, to_markdown, to_webanno
from reviews.models import MediaRating, Rating, Verdict
from reviews.selectors import article_export_doc
from reviews.services.articles import article_ingest
from reviews.services.history import save_with_history
from tests.conftest import SEED_FILES
from tests.exporters.w3c import SUITE, failed_musts

CLAIMREVIEW_SCHEMA = SUITE.parent / "claimreview" / "claimreview-google.schema.json"
needs_standards = pytest.mark.skipif(not SUITE.is_dir(), reason="needs shared/standards beside the checkout")


def _sample(path):
    try:
        return json.loads(path.read_text())
    except ValueError:
        return None  # some "incorrect" samples are not even JSON


@needs_standards
def test_w3c_harness_accepts_correct_and_rejects_incorrect_samples():
    # Samples of features dropped before the Recommendation, and collections, are not annotations.
    not_annotations = {
        "anno11.json",
        "anno12.json",
        "anno13.json",
        "collection1.json",
        "example41.json",
        "example42.json",
        "example43.json",
    }
    for path in sorted((SUITE / "tools" / "samples" / "correct").glob("*.json")):
        if path.name not in not_annotations:
            assert failed_musts(_sample(path)) == [], path.name
    for path in sorted((SUITE / "tools" / "samples" / "incorrect").glob("*.json")):
        sample = _sample(path)
        assert sample is None or failed_musts(sample), path.name


@needs_standards
def test_every_web_annotation_meets_every_must(export_doc, hostile_doc):
    for doc in (export_doc, hostile_doc):
        page = json.loads(to_webanno(doc))
        assert page["type"] == "AnnotationPage"
        assert len(page["items"]) == len(doc.claims) + len(doc.flags)
        for annotation in page["items"]:
            assert failed_musts(annotation) == [], annotation["id"]
    motivations = {a["motivation"] for a in json.loads(to_webanno(export_doc))["items"]}
    assert {"assessing", "moderating", "commenting", "highlighting"} <= motivations


def test_web_annotation_selectors_point_at_the_text(export_doc):
    for annotation in json.loads(to_webanno(export_doc))["items"]:
        selectors = annotation["target"]["selector"]
        if isinstance(selectors, list):
            quote, position = selectors
            assert export_doc.body[position["start"] : position["end"]] == quote["exact"]


@needs_standards
def test_claimreview_validates_and_meets_google_rules(export_doc):
    schema = json.loads(CLAIMREVIEW_SCHEMA.read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    reviews = [r for r in json.loads(to_claimreview(export_doc)) if r["@type"] == "ClaimReview"]
    # approved verdicts on the text as it stands only: the submitted and the stale one are not published
    assert len(reviews) == 2
    published = {c.id for c in export_doc.claims if c.state == "final"}
    assert {int(r["url"].rsplit("/", 1)[1]) for r in reviews} == published
    for review in reviews:
        assert not list(validator.iter_errors(review))
        assert not review["claimReviewed"].endswith(("…", "...")) and len(review["claimReviewed"]) <= 75
        rating = review["reviewRating"]
        assert rating["alternateName"] and 1 <= rating["worstRating"] < rating["bestRating"]
        assert rating["ratingExplanation"]  # the verdict's summary
        assert review["url"].startswith("http") and review["datePublished"]
        assert (
            review["author"]
            == review["publisher"]
            == {
                "@type": "Organization",
                "name": "Newsroom fact-check desk",
                "url": "http://127.0.0.1:8000/",
                "logo": {
                    "@type": "ImageObject",
                    "url": "http://127.0.0.1:8000/static/reviews/publisher-logo.png",
                },
            }
        )
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["appearance"] and item["firstAppearance"]["url"]
        assert item["author"]["@type"] == "Organization" and item["author"]["name"] != export_doc.outlet
    by_claim = {r["claimReviewed"]: r for r in reviews}
    figure = by_claim["More than 11,000 Russian troops have been killed since the invasion began."]
    assert figure["creator"] == {"@type": "Person", "name": "Alice Okafor"}  # the checker gave her name
    assert figure["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Ukrainian defence ministry",
        "sameAs": "https://www.mil.gov.ua/en/",
    }
    assert figure["itemReviewed"]["datePublished"] == "2022-03-01"
    assert figure["itemReviewed"]["appearance"][0]["url"] == (
        "https://www.mil.gov.ua/en/news/2022/03/01/losses"
    )
    video = by_claim["Ukraine's Security Service recorded videos of captured Russian soldiers."]
    assert "creator" not in video  # bob gave no name: the organisation alone signs it


@needs_standards
def test_real_fact_checkers_examples_load_in_the_claimreview_schema():
    schema = json.loads(CLAIMREVIEW_SCHEMA.read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    examples = json.loads(
        (CLAIMREVIEW_SCHEMA.parent / "real_examples_meedan_fetch_fixtures.json").read_text()
    )
    items = examples if isinstance(examples, list) else list(examples.values())
    valid = sum(1 for item in items if validator.is_valid(item))
    assert valid == 24 and len(items) == 34  # as documented: the schema is proven on real data


def test_claim_reviewed_without_a_statement_is_the_whole_sentence(export_doc):
    """A verdict written before the statement field existed publishes the sentence, never a cut."""
    claim = next(c for c in export_doc.claims if c.state == "final" and c.verdict.claim_reviewed)
    old = dataclasses.replace(claim, verdict=dataclasses.replace(claim.verdict, claim_reviewed=""))
    doc = dataclasses.replace(export_doc, claims=(old,))
    (review,) = [r for r in json.loads(to_claimreview(doc)) if r["@type"] == "ClaimReview"]
    assert review["claimReviewed"] == " ".join(claim.text.split())


def test_seed_001_pow_video_exports_a_media_review(export_doc):
    reviews = json.loads(to_claimreview(export_doc))
    (media,) = [r for r in reviews if r["@type"] == "MediaReview"]
    assert media["mediaAuthenticityCategory"] == "https://schema.org/OriginalMediaContent"
    assert media["mediaAuthenticityCategory"].rsplit("/", 1)[1] in {m.value for m in MediaRating}
    (appearance,) = media["itemReviewed"]["mediaItemAppearance"]
    assert appearance == {
        "@type": "VideoObject",
        "contentUrl": "https://t.me/SBUkr/3883",
        "archivedAt": "https://web.archive.org/web/2022/https://t.me/SBUkr/3883",
        "description": "Captured Russian soldiers filmed by the Security Service of Ukraine.",
    }
    claim_review = next(r for r in reviews if r["@type"] == "ClaimReview" and r["url"] == media["url"])
    assert media["itemReviewed"]["interpretedAsClaim"]["@id"] == claim_review["itemReviewed"]["@id"]
    assert media["author"]["name"] == "Newsroom fact-check desk"


def test_media_ratings_are_schema_orgs_vocabulary():
    assert {m.value for m in MediaRating} == {
        "OriginalMediaContent",
        "DecontextualizedContent",
        "EditedOrCroppedContent",
        "TransformedContent",
        "StagedContent",
        "SatireOrParodyContent",
    }


def test_docx_has_a_thread_per_verdict_and_flag(export_doc):
    document = docx.Document(io.BytesIO(to_docx(export_doc)))
    comments = list(document.comments)
    verdicts = [c for c in export_doc.claims if c.verdict]
    approvals = [c for c in verdicts if c.verdict.status == "approved" and c.state != "stale"]
    resolved = [f for f in export_doc.flags if f.done]
    notes = sum(len(c.notes) for c in export_doc.claims)
    assert len(comments) == len(verdicts) + len(approvals) + notes + len(export_doc.flags) + len(resolved)
    texts = [c.text for c in comments]
    assert any(t.startswith("FLAG Images or words of prisoners of war") for t in texts)
    assert any("Unverifiable" in t and "ICRC statement" in t for t in texts)


def test_html_is_self_contained_and_shows_the_legal_banner(export_doc):
    html = to_html(export_doc).decode()
    assert "script-src 'none'" in html and "<script" not in html.lower()
    assert "unresolved legal flag(s)" in html
    assert "Geneva Convention III" in html
    assert "src=" not in html and "<link" not in html


@pytest.mark.parametrize("fmt", ["html", "md", "webanno", "claimreview", "docx"])
def test_hostile_article_text_exports_inert(hostile_doc, fmt):
    data = EXPORTERS[fmt](hostile_doc)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        assert not document.part.rels or all("evil" not in r.target_ref for r in document.part.rels.values())
        text = "\n".join(p.text for p in document.paragraphs)
        assert "=HYPERLINK" in text  # kept as plain text, never a field
        assert b"fldSimple" not in data and b"instrText" not in data
        return
    out = data.decode()
    if fmt == "html":
        assert "<script>" not in out and "<img" not in out and 'href="javascript:' not in out
        assert "&lt;script&gt;" in out
    elif fmt == "md":
        assert "<script>" not in out and "<img" not in out and "](javascript:" not in out
    else:
        json.loads(out)  # JSON carries text as data


def test_bundle_holds_every_format_and_a_manifest(export_doc):
    bundle = zipfile.ZipFile(io.BytesIO(EXPORTERS["bundle"](export_doc)))
    names = [n for n in bundle.namelist() if n != "manifest.json"]
    assert sorted(n.split(".", 1)[1] for n in names) == sorted(
        ["html", "md", "docx", "webanno.jsonld", "claimreview.jsonld"]
    )
    manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["article"]["id"] == export_doc.article_id
    assert manifest["article"]["title"] == export_doc.title
    assert manifest["revision"] == {"number": 1, "id": export_doc.revision_id}
    assert manifest["exported_at"] == "2026-11-21T12:00:00Z" and "exported_by" in manifest
    assert [f["name"] for f in manifest["files"]] == names
    for entry in manifest["files"]:
        data = bundle.read(entry["name"])
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)


def test_export_selector_queries_do_not_grow_with_claims(editor, alice, verdict_world):
    with CaptureQueriesContext(connection) as small:
        article_export_doc(verdict_world)
    big = article_ingest(data=SEED_FILES[2].read_bytes(), name="big.txt", actor=editor).article
    for claim in big.claims.all()[:30]:
        verdict = Verdict(claim=claim, rating=Rating.objects.get(label="False"), summary="No.", author=alice)
        save_with_history(verdict, actor=alice, reason="test")
    assert big.claims.count() > 3 * verdict_world.claims.count()
    with CaptureQueriesContext(connection) as large:
        article_export_doc(big)
    assert len(small.captured_queries) == len(large.captured_queries) <= 10


def test_markdown_footnotes(export_doc):
    md = to_markdown(export_doc).decode()
    assert md.count("[^") >= 2 * len(export_doc.claims)
    assert "[^13]: Unverifiable (statistic)" in md
    # sentences are not bolded; only what markup would break is escaped
    assert "**Russian soldiers" not in md and "ill-treatment" in md and "\\(" not in md


def test_exports_never_carry_an_article_url_that_is_not_http(export_doc):
    doc = dataclasses.replace(export_doc, url="javascript:alert(document.domain)")
    for export in (to_webanno, to_claimreview, to_html, to_markdown):
        output = export(doc)
        assert "javascript:" not in (output.decode() if isinstance(output, bytes) else output)
    assert json.loads(to_webanno(doc))["items"][0]["target"]["source"].endswith("/revisions/1")


def test_docx_adds_comments_and_paragraphs_without_searching_what_is_there(export_doc, monkeypatch):
    """python-docx's own id search reads every comment per comment: quadratic in claims."""
    from docx.oxml.comments import CT_Comments
    from docx.oxml.document import CT_Body

    def refuse(self):
        raise AssertionError("searched every comment for the next id")

    monkeypatch.setattr(CT_Comments, "_next_available_comment_id", refuse)
    searches = []
    insert_p = CT_Body._insert_p

    def counted(self, p):  # searches the whole body for its section properties
        searches.append(p)
        return insert_p(self, p)

    monkeypatch.setattr(CT_Body, "_insert_p", counted)
    document = docx.Document(io.BytesIO(to_docx(export_doc)))
    ids = [c.comment_id for c in document.comments]
    assert ids == list(range(len(ids))) and len(ids) > len(export_doc.flags)
    assert len(searches) <= 1  # the heading: not one per paragraph
