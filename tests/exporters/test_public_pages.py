"""Public fact-check pages, the identifiers every export emits, and publishing."""

import io
import json
import re
import zipfile
from urllib.parse import urlsplit

import docx
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from jsonschema import Draft202012Validator

from reviews.exporters import EXPORTERS
from reviews.models import Article, Claim, FlagStatus, ResolverRole
from reviews.selectors import article_export_doc
from reviews.services.flags import flag_resolve
from reviews.services.publishing import (
    PublishError,
    article_reviews_publish,
    article_reviews_withdraw,
    claim_describe,
)
from reviews.services.workflow import WorkflowError
from tests.exporters.test_exporters import CLAIMREVIEW_SCHEMA, needs_standards

URL = re.compile(r"https?://[^\s\"'<>()\[\]]+")


def _clear_legal_flags(article, lawyer):
    for flag in article.flags.filter(status=FlagStatus.OPEN, resolver_role=ResolverRole.LEGAL):
        flag_resolve(flag=flag, actor=lawyer, status="dismissed", note="Cleared for publication.")


@pytest.fixture
def published(verdict_world, editor, lawyer):
    _clear_legal_flags(verdict_world, lawyer)
    return article_reviews_publish(article=verdict_world, actor=editor)


def _urls_in(fmt: str, data: bytes) -> set[str]:
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        text = "\n".join([p.text for p in document.paragraphs] + [c.text for c in document.comments])
        text += "\n" + document.core_properties.identifier
    elif fmt == "bundle":
        bundle = zipfile.ZipFile(io.BytesIO(data))
        names = bundle.namelist()
        return set().union(
            *(_urls_in("docx" if n.endswith(".docx") else "text", bundle.read(n)) for n in names)
        )
    else:
        text = data.decode()
    return {u.rstrip(".,;:") for u in URL.findall(text)}


def _internal_answers(client, path: str) -> str:
    """'public' for a 200, 'sign-in' for redirects ending at the login page; fails on anything else."""
    response = client.get(path)
    if response.status_code == 200:
        return "public"
    assert response.status_code == 302, (path, response.status_code)
    final = client.get(path, follow=True)
    assert final.status_code == 200 and final.request["PATH_INFO"] == reverse("admin:login"), (path, final)
    return "sign-in"


def test_every_url_any_export_emits_resolves(client, published, editor):
    """Every identifier on this site in every format answers: a public page, or sign-in."""
    doc = article_export_doc(published, exported_by=editor)
    site = urlsplit(settings.SITE_URL)
    answers: dict[str, str] = {}
    external = set()
    for fmt, export in EXPORTERS.items():
        for url in _urls_in(fmt, export(doc)):
            parts = urlsplit(url)
            if parts.netloc != site.netloc:
                external.add(url)
                continue
            path = parts.path or "/"
            if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
                assert finders.find(path.split(settings.STATIC_URL, 1)[1]), url
                answers[path] = "static"
                continue
            if path not in answers:
                answers[path] = _internal_answers(client, path)
    base = f"/articles/{published.pk}"
    published_claims = {f"{base}/claims/{c.id}" for c in doc.claims if c.published}
    assert {p for p, a in answers.items() if a == "public"} == {base} | published_claims
    assert f"{base}/annotations" in answers and f"{base}/revisions/1" in answers
    assert any(p.startswith(f"{base}/flags/") for p in answers)
    assert answers["/static/reviews/publisher-logo.png"] == "static"
    # the internal ones open for a signed-in editor
    client.force_login(editor)
    for path, answer in answers.items():
        if answer == "sign-in":
            assert client.get(path, follow=True).status_code == 200, path
    assert external >= {"https://www.icrc.org/en/document/ukraine-russia", "https://t.me/SBUkr/3883"}


def test_identifiers_of_unpublished_articles_ask_for_sign_in(client, verdict_world):
    doc = article_export_doc(verdict_world)
    claim = next(c for c in doc.claims if c.published)
    for path in (f"/articles/{verdict_world.pk}", f"/articles/{verdict_world.pk}/claims/{claim.id}"):
        assert _internal_answers(client, path) == "sign-in"
    assert client.get(f"/articles/{verdict_world.pk}/claims/999999").status_code == 404
    assert client.get("/articles/999999").status_code == 404


def _json_ld(html: str):
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    return data if isinstance(data, list) else [data]


@needs_standards
def test_public_pages_carry_claimreview_google_accepts(client, published):
    validator = Draft202012Validator(
        json.loads(CLAIMREVIEW_SCHEMA.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    doc = article_export_doc(published)
    article_page = client.get(f"/articles/{published.pk}")
    assert article_page.status_code == 200
    items = _json_ld(article_page.content.decode())
    reviews = [r for r in items if r["@type"] == "ClaimReview"]
    assert len(reviews) == 2 and [r["@type"] for r in items].count("MediaReview") == 1
    for review in reviews:
        assert not list(validator.iter_errors(review))
        assert review["publisher"]["name"] == settings.PUBLISHER_NAME
        assert (
            review["author"]["name"] not in ("Newsroom Review", "")
            and review["author"]["@type"] == "Organization"
        )
        assert not review["claimReviewed"].endswith(("…", "..."))
        assert review["itemReviewed"]["author"]["name"]
        assert client.get(urlsplit(review["url"]).path).status_code == 200
    video = next(c for c in doc.claims if c.media is not None)
    page = client.get(f"/articles/{published.pk}/claims/{video.id}").content.decode()
    assert {r["@type"] for r in _json_ld(page)} == {"ClaimReview", "MediaReview"}
    assert "Security Service of Ukraine" in page and "Media: Original" in page


def test_public_pages_show_only_approved_current_verdicts(client, published):
    html = client.get(f"/articles/{published.pk}").content.decode()
    assert "Ukrainian figure; no independent count exists." in html
    assert "Plausible." not in html  # awaiting approval
    assert "The ministry made no such invitation." not in html  # stale
    assert "lara" not in html.lower() and "FLAG" not in html  # nothing internal
    doc = article_export_doc(published)
    for claim in doc.claims:
        if claim.verdict is not None and not claim.published:
            assert _internal_answers(client, f"/articles/{published.pk}/claims/{claim.id}") == "sign-in"


def test_public_pages_read_a_fixed_number_of_queries(client, published, django_assert_max_num_queries):
    doc = article_export_doc(published)
    claim = next(c for c in doc.claims if c.published)
    with django_assert_max_num_queries(12):
        assert client.get(f"/articles/{published.pk}").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(f"/articles/{published.pk}/claims/{claim.id}").status_code == 200


def test_json_ld_cannot_end_its_script_element(client, published, alice):
    claim = Claim.objects.get(pk=next(c.id for c in article_export_doc(published).claims if c.published))
    claim_describe(
        claim=claim, actor=alice, claimant="</script><script>alert(1)</script>", claimant_kind="Person"
    )
    html = client.get(f"/articles/{published.pk}").content.decode()
    assert "<script>alert(1)" not in html and html.count("</script>") == 1


def test_publishing_is_an_editors_decision_with_history(verdict_world, editor, alice, lawyer):
    with pytest.raises(PublishError, match="may not publish"):
        article_reviews_publish(article=verdict_world, actor=alice)
    with pytest.raises(PublishError, match="4 legal flag"):
        article_reviews_publish(article=verdict_world, actor=editor)
    assert Article.objects.get(pk=verdict_world.pk).reviews_published_at is None
    _clear_legal_flags(verdict_world, lawyer)
    article = article_reviews_publish(article=verdict_world, actor=editor)
    row = article.history.first()
    assert row.history_user == editor and row.history_change_reason == "fact-checks published (2 approved)"
    with pytest.raises(PublishError, match="already published"):
        article_reviews_publish(article=article, actor=editor)
    with pytest.raises(PublishError, match="say why"):
        article_reviews_withdraw(article=article, actor=editor, reason=" ")
    article = article_reviews_withdraw(article=article, actor=editor, reason="Correction pending.")
    assert article.reviews_published_at is None
    assert article.history.first().history_change_reason == "fact-checks withdrawn: Correction pending."


def test_an_article_without_approved_verdicts_cannot_be_published(seed_article, editor, lawyer):
    _clear_legal_flags(seed_article, lawyer)
    with pytest.raises(PublishError, match="no approved verdict"):
        article_reviews_publish(article=seed_article, actor=editor)


def test_editor_publishes_from_the_article_page(client, verdict_world, editor, lawyer):
    client.force_login(editor)
    change = reverse("admin:reviews_article_change", args=[verdict_world.pk])
    assert "Publish fact-checks…" in client.get(change).content.decode()
    url = reverse("admin:reviews_article_publish", args=[verdict_world.pk])
    page = client.get(url).content.decode()
    assert "Cannot publish now: 4 legal flag(s) are still open" in page
    _clear_legal_flags(verdict_world, lawyer)
    page = client.get(url).content.decode()
    assert "Publish 2 fact-checks" in page and "awaiting approval" in page and "stale" in page
    response = client.post(url)
    assert response.status_code == 302
    assert Article.objects.get(pk=verdict_world.pk).reviews_published_by == editor
    assert client.post(url, {"reason": ""}).status_code == 200  # withdrawing needs a reason
    client.post(url, {"reason": "Legal asked."})
    assert Article.objects.get(pk=verdict_world.pk).reviews_published_at is None


def test_publish_action_and_page_are_for_editors_only(client, verdict_world, editor, alice, lawyer):
    _clear_legal_flags(verdict_world, lawyer)
    client.force_login(alice)
    assert client.get(reverse("admin:reviews_article_publish", args=[verdict_world.pk])).status_code == 403
    client.force_login(editor)
    client.post(
        reverse("admin:reviews_article_changelist"),
        {"action": "publish_reviews", "_selected_action": [verdict_world.pk]},
    )
    assert Article.objects.get(pk=verdict_world.pk).reviews_published_at is not None


def test_claim_description_is_checked_and_attributed(seed_article, alice, lawyer):
    claim = seed_article.claims.order_by("index").first()
    with pytest.raises(WorkflowError, match="not an http"):
        claim_describe(
            claim=claim, actor=alice, claimant="MoD", claimant_kind="Organization", appearances=["ftp://x"]
        )
    with pytest.raises(WorkflowError, match="person or an organisation"):
        claim_describe(claim=claim, actor=alice, claimant="MoD")
    with pytest.raises(WorkflowError, match="both its kind"):
        claim_describe(claim=claim, actor=alice, media_url="https://example.org/v.mp4")
    with pytest.raises(WorkflowError, match="may not describe"):
        claim_describe(claim=claim, actor=lawyer, claimant="MoD", claimant_kind="Organization")
    claim.refresh_from_db()
    assert claim.claimant == "" and claim.version == 1  # refused edits change nothing
    claim = claim_describe(
        claim=claim,
        actor=alice,
        claimant="Ministry of Defence",
        claimant_kind="Organization",
        appearances=["https://example.org/a", "https://example.org/a", "https://example.org/b"],
        version=1,
    )
    assert claim.appearances == ["https://example.org/a", "https://example.org/b"]
    row = claim.history.first()
    assert row.history_user == alice and row.history_change_reason == "described: claimant, appearances"


def test_checker_records_the_media_item_on_the_claim_page(client, seed_article, alice):
    claim = next(c for c in seed_article.claims.all() if c.text.startswith("The Ukrainian Security Service"))
    client.force_login(alice)
    url = reverse("admin:reviews_claim_change", args=[claim.pk])
    assert 'id="describe-form"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "_action": "describe",
            "version": claim.version,
            "claimant": "Security Service of Ukraine",
            "claimant_kind": "Organization",
            "appearances": "https://t.me/SBUkr/3883",
            "media_kind": "video",
            "media_url": "https://t.me/SBUkr/3883",
            "media_description": "Captured soldiers on camera.",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.media_kind, claim.claimant, claim.appearances) == (
        "video",
        "Security Service of Ukraine",
        ["https://t.me/SBUkr/3883"],
    )


def test_verdict_form_asks_for_the_claim_as_checked(client, seed_article, editor, alice):
    from reviews.models import Rating
    from reviews.services.claims import claim_assign, claim_start

    claim = next(c for c in seed_article.claims.all() if c.text.startswith("The Ukrainian Security Service"))
    claim_describe(claim=claim, actor=alice, media_kind="video", media_url="https://t.me/SBUkr/3883")
    claim_assign(claim=claim, assignee=alice, actor=editor)
    claim_start(claim=claim, actor=alice)
    client.force_login(alice)
    url = reverse("admin:reviews_claim_change", args=[claim.pk])
    form = client.get(url).context["verdict_form"]
    assert len(claim.text) > 200 and form.initial["claim_reviewed"] == ""  # too long to publish: to state
    short = seed_article.claims.order_by("index").first()
    claim_assign(claim=short, assignee=alice, actor=editor)
    claim_start(claim=short, actor=alice)
    short_form = client.get(reverse("admin:reviews_claim_change", args=[short.pk])).context["verdict_form"]
    assert short_form.initial["claim_reviewed"] == short.text  # to confirm or shorten
    assert "media_rating" not in short_form.fields  # no media item
    assert "media_rating" in form.fields  # the claim has a media item
    claim.refresh_from_db()
    data = {
        "_action": "submit",
        "version": claim.version,
        "rating": Rating.objects.get(label="True").pk,
        "claim_reviewed": "Ukraine's Security Service filmed captured Russian soldiers.",
        "summary": "The SBU published the videos.",
        "media_rating": "OriginalMediaContent",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "20",
    }
    assert client.post(url, data).status_code == 302
    verdict = claim.verdicts.get()
    assert verdict.claim_reviewed == "Ukraine's Security Service filmed captured Russian soldiers."
    assert verdict.media_rating == "OriginalMediaContent"
