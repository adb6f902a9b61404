"""Public fact-check pages, the identifiers every export emits, and publishing."""

import datetime as dt
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
from django.utils import timezone
from jsonschema import Draft202012Validator

from reviews.exporters import EXPORTERS
from reviews.models import Article, Claim, ClaimStatus, FlagStatus, ResolverRole
from reviews.selectors import article_export_doc
from reviews.services.articles import article_ingest
from reviews.services.flags import flag_resolve
from reviews.services.publishing import (
    PublishError,
    article_reviews_publish,
    article_reviews_withdraw,
    claim_describe,
    public_windows,
)
from reviews.services.workflow import WorkflowError
from tests.conftest import POW_SEED
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
    page = client.get(url).content.decode()
    assert "ask for sign-in" not in page and "see a short notice that the fact-checks were withdrawn" in page
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


def _new_version(article, editor, old: str, new: str):
    body = POW_SEED.read_text()
    assert old in body
    return article_ingest(data=body.replace(old, new).encode(), name="v2.txt", actor=editor, article=article)


def _claim_of(article, words: str) -> Claim:
    return Claim.objects.get(article=article, text__contains=words)


def test_a_fact_check_whose_sentence_changed_is_being_updated_not_behind_sign_in(client, published, editor):
    claim = _claim_of(published, "11,000")
    path = f"/articles/{published.pk}/claims/{claim.pk}"
    assert "Unverifiable" in client.get(path).content.decode()
    _new_version(published, editor, "more than 11,000 Russian", "more than 12,000 Russian")
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.STALE

    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This fact-check is being updated" in html
    assert "The article changed after it was checked" in html
    assert "application/ld+json" not in html and '<meta name="robots" content="noindex">' in html
    # the claim as it was checked, and its rating marked as superseded, never as current
    assert "More than 11,000 Russian troops have been killed" in html and "12,000" not in html
    assert "Earlier rating: <s>Unverifiable</s> (superseded)" in html
    assert 'class="rating"' not in html and "Ukrainian figure; no independent count" not in html
    # the article page and its markup no longer carry it; the export agrees
    article_html = client.get(f"/articles/{published.pk}").content.decode()
    assert "Ukrainian figure; no independent count" not in article_html
    claimreview = json.loads(EXPORTERS["claimreview"](article_export_doc(published)))
    items = claimreview if isinstance(claimreview, list) else claimreview.get("@graph", [claimreview])
    assert "11,000" not in json.dumps(items) and "12,000" not in json.dumps(items)


def test_withdrawn_fact_checks_answer_410_gone_and_never_ask_readers_to_sign_in(client, published, editor):
    doc = article_export_doc(published)
    shown = [c.id for c in doc.claims if c.published]
    never = next(c.id for c in doc.claims if c.verdict is not None and not c.published)
    article_reviews_withdraw(article=published, actor=editor, reason="Correction pending.")
    base = f"/articles/{published.pk}"
    for path in (base, *(f"{base}/claims/{pk}" for pk in shown)):
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 410, path
        assert "withdrew its fact-checks of" in html and timezone.localdate().strftime("%Y") in html
        assert "application/ld+json" not in html and "Correction pending" not in html
        assert "Unverifiable" not in html and "The SBU published the videos." not in html
    # what never was public stays the newsroom's; what never existed stays unknown
    assert _internal_answers(client, f"{base}/claims/{never}") == "sign-in"
    assert client.get(f"{base}/claims/999999").status_code == 404
    # published again: the pages are back
    article_reviews_publish(article=published, actor=editor)
    assert client.get(base).status_code == 200 and client.get(f"{base}/claims/{shown[0]}").status_code == 200


def test_a_fact_check_whose_sentence_left_the_article_is_gone(client, published, editor):
    claim = _claim_of(published, "11,000")
    sentence = claim.text
    _new_version(published, editor, sentence, "")
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.WITHDRAWN
    response = client.get(f"/articles/{published.pk}/claims/{claim.pk}")
    assert response.status_code == 410
    assert "is no longer in" in response.content.decode()
    assert client.get(f"/articles/{published.pk}").status_code == 200


def test_an_article_never_published_keeps_asking_staff_to_sign_in(client, verdict_world, editor):
    _new_version(verdict_world, editor, "more than 11,000 Russian", "more than 12,000 Russian")
    claim = _claim_of(verdict_world, "12,000")
    for path in (f"/articles/{verdict_world.pk}", f"/articles/{verdict_world.pk}/claims/{claim.pk}"):
        assert _internal_answers(client, path) == "sign-in"


def test_public_windows_follow_the_article_the_claim_and_its_verdicts():
    t = [dt.datetime(2026, 12, 1, 10, m, tzinfo=dt.UTC) for m in range(10)]
    article = [
        {"history_date": t[0], "reviews_published_at": None, "current_revision_id": 1},
        {"history_date": t[2], "reviews_published_at": t[2], "current_revision_id": 1},
        {"history_date": t[5], "reviews_published_at": t[2], "current_revision_id": 2},
        {"history_date": t[8], "reviews_published_at": None, "current_revision_id": 2},
    ]
    claim = [
        {"history_date": t[0], "status": "new", "revision_id": 1, "text": "Ten."},
        {"history_date": t[4], "status": "stale", "revision_id": 2, "text": "Eleven."},
        {"history_date": t[7], "status": "approved", "revision_id": 2, "text": "Eleven."},
    ]
    verdicts = [
        {"history_date": t[1], "id": 7, "status": "approved", "rating_id": 3},
        {"history_date": t[4], "id": 7, "status": "superseded", "rating_id": 3},
        {"history_date": t[6], "id": 8, "status": "approved", "rating_id": 4},
    ]
    windows = public_windows(article, claim, verdicts)
    assert [(w.start, w.end, w.verdict["id"], w.text) for w in windows] == [
        (t[2], t[4], 7, "Ten."),
        (t[7], t[8], 8, "Eleven."),
    ]
    assert public_windows(article[:2], claim[:1], []) == []
