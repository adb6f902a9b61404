import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Article, ArticleRevision, Claim, Evidence, Flag, FlagRule, Outlet, Rating, Verdict
from reviews.services.articles import article_ingest
from reviews.services.history import save_with_history
from tests.conftest import SEED_FILES

ARTICLE = (
    "Mayor <b>denies</b> budget claims\n\n"
    "The mayor said on Tuesday that the city spent $4.2 million on roads in 2025.\n"
    "Opposition councillors said <script>alert(1)</script> the figure was closer to $2 million.\n"
)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editor_adds_an_article_by_pasting(editor_client):
    response = editor_client.post(reverse("admin:reviews_article_add"), {"text": ARTICLE, "url": ""})
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:reviews_article_change", args=[article.pk])
    assert article.title == "Mayor <b>denies</b> budget claims"
    assert article.claims.count() == 2
    assert {h.history_user.username for h in article.history.all()} == {"eddie"}


def test_editor_adds_an_article_by_upload(editor_client):
    html = b"<html><body><h1>Budget row</h1><p>The mayor said the city spent $4.2 million.</p></body></html>"
    upload = SimpleUploadedFile("story.html", html, content_type="text/html")
    editor_client.post(reverse("admin:reviews_article_add"), {"file": upload})
    article = Article.objects.get()
    assert article.title == "Budget row"
    assert article.current_revision.source_format == "html"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Paste the text or upload a file"),
        ({"file": SimpleUploadedFile("x.txt", b"\x00\x01binary")}, "x.txt: file is binary"),
        ({"file": SimpleUploadedFile("x.pdf", b"%PDF")}, "unsupported file type"),
    ],
)
def test_add_article_rejects_bad_input_and_writes_nothing(editor_client, data, message):
    response = editor_client.post(reverse("admin:reviews_article_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Article.objects.count() == 0


STORY = "The mayor said the city spent $4.2 million on roads in 2025. Councillors disputed it.\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 1001, "The pasted text is 1,001 bytes (1,001 characters); the limit is 1,000 bytes (1 KB)."),
        ("é" * 501, "The pasted text is 1,002 bytes (501 characters); the limit is 1,000 bytes (1 KB)."),
        ("\x01\x02" * 9 + STORY, "The pasted text is binary, not text."),
        ("Budget row\n\n" + STORY + "A bell\x07 rang.", "The pasted text holds the control character U+0007"),
        ("<div><script>var a = 1;</script></div>", "No article text found after removing page furniture."),
    ],
)
def test_pasted_text_that_cannot_be_read_is_spoken_of_as_the_pasted_text(
    editor_client, settings, text, message
):
    settings.ARTICLE_MAX_BYTES = 1000
    response = editor_client.post(reverse("admin:reviews_article_add"), {"text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert html.escape(message, quote=True) in page
    assert "pasted.txt" not in page and "pasted.html" not in page and "file is" not in page
    assert Article.objects.count() == 0


def test_an_uploaded_file_that_cannot_be_read_is_still_named(editor_client, settings):
    settings.ARTICLE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("long.txt", b"x" * 1001, content_type="text/plain")
    page = editor_client.post(reverse("admin:reviews_article_add"), {"file": upload}).content.decode()
    assert "long.txt: file is 1,001 bytes, over the 1,000-byte limit" in page
    upload = SimpleUploadedFile("bell.txt", (STORY + "A bell\x07 rang.").encode(), content_type="text/plain")
    page = editor_client.post(reverse("admin:reviews_article_add"), {"file": upload}).content.decode()
    assert "bell.txt: file holds the control character U+0007" in page
    assert Article.objects.count() == 0


def test_fact_checker_cannot_add_articles(client, alice):
    client.force_login(alice)
    assert client.get(reverse("admin:reviews_article_add")).status_code == 403


def test_anonymous_sees_nothing(client, seed_article):
    urls = [
        reverse("admin:reviews_claim_changelist"),
        reverse("admin:reviews_article_change", args=[seed_article.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_article_page_highlights_numbered_claims_in_place(editor_client, editor):
    article = article_ingest(data=ARTICLE.encode(), name="a.txt", actor=editor).article
    html = editor_client.get(reverse("admin:reviews_article_change", args=[article.pk])).content.decode()
    claims = list(article.claims.order_by("start"))
    for number, claim in enumerate(claims, start=1):
        assert f'id="claim-{claim.pk}"' in html
        assert f'<sup class="nr-num">{number}</sup>' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    body = re.search(r'<div class="nr-article">(.*?)</div>', html, re.S).group(1)
    visible = re.sub(r"<sup[^>]*>\d+</sup>", "", body)
    visible = re.sub(r"<[^>]+>", "", visible).replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'")
    assert visible == article.current_revision.body.replace("&", "&")


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


CHANGELISTS = [
    reverse("admin:reviews_claim_changelist"),
    reverse("admin:reviews_claim_changelist") + "?checkworthy__exact=1&status__exact=new&kind__exact=quote",
    reverse("admin:reviews_article_changelist"),
    reverse("admin:reviews_flag_changelist"),
    reverse("admin:reviews_flag_changelist") + "?status__exact=open&severity__exact=legal",
    reverse("admin:reviews_claim_changelist") + "?work=mine",
    reverse("admin:reviews_claim_changelist") + "?work=awaiting",
]


@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_the_data(editor_client, editor, url):
    article_ingest(data=SEED_FILES[0].read_bytes(), name=SEED_FILES[0].name, actor=editor)
    small = changelist_queries(editor_client, url)
    for path in SEED_FILES[1:]:
        article_ingest(data=path.read_bytes(), name=path.name, actor=editor)
    assert Claim.objects.count() > 100
    assert changelist_queries(editor_client, url) == small
    assert small <= 12


def test_articles_list_and_page_show_each_articles_progress(editor_client, editor, alice, seed_article):
    from reviews.services.claims import claim_assign
    from reviews.services.verdicts import verdict_approve, verdict_submit

    other = article_ingest(data=SEED_FILES[2].read_bytes(), name=SEED_FILES[2].name, actor=editor).article
    worthy = list(seed_article.claims.filter(checkworthy=True).order_by("index")[:3])
    for claim in worthy:
        claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict_submit(claim=worthy[0], rating=Rating.objects.get(label="True"), summary="Checked.", actor=alice)
    verdict_approve(claim=worthy[0], actor=editor)
    verdict_submit(claim=worthy[1], rating=Rating.objects.get(label="True"), summary="Checked.", actor=alice)

    response = editor_client.get(reverse("admin:reviews_article_changelist"))
    rows = {a.pk: a for a in response.context["cl"].result_list}
    todo = seed_article.claims.filter(checkworthy=True).count() - 3
    mine = rows[seed_article.pk]
    assert (mine.n_approved, mine.n_submitted, mine.n_open, mine.n_stale, mine.n_todo) == (1, 1, 1, 0, todo)
    assert mine.n_claims == seed_article.claims.count()
    theirs = rows[other.pk]
    assert (theirs.n_approved, theirs.n_todo) == (0, other.claims.filter(checkworthy=True).count())
    html = response.content.decode()
    assert f"1 approved; 1 awaiting approval; 1 with a fact-checker; {todo} check-worthy, unassigned" in html

    page = editor_client.get(reverse("admin:reviews_article_change", args=[seed_article.pk])).content.decode()
    assert f"1 approved; 1 awaiting approval; 1 with a fact-checker; {todo} check-worthy, unassigned" in page


def test_long_lists_and_searches_stop_counting_at_their_cap(editor_client, seed_article, monkeypatch):
    # Counting every match of a common word in millions of claims would read them all.
    from reviews.admin.common import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "CAP", 5)
    monkeypatch.setattr(CappedCountPaginator, "SEARCH_CAP", 2)
    url = reverse("admin:reviews_claim_changelist")
    listing = editor_client.get(url)
    assert listing.context["cl"].paginator.cap == 5
    assert "5+ claims" in listing.content.decode()
    search = editor_client.get(url, {"q": "Russian"}).content.decode()
    assert "2+ results" in search and "2+ claims" in search
    few = editor_client.get(url, {"q": "Geneva Convention"}).content.decode()
    assert "1 result " in few.replace("\n", " ") and "1 claim" in few


def test_claims_changelist_filters_and_search(editor_client, seed_article):
    url = reverse("admin:reviews_claim_changelist")
    response = editor_client.get(url, {"q": "Geneva Convention", "article": seed_article.pk})
    assert response.status_code == 200
    results = response.context["cl"].result_list
    assert [c.text[:40] for c in results] == ["However, the footage posted by the Ukrai"]


@pytest.fixture
def one_of_each(seed_article, editor, alice):
    """One row of every tracked model, each written with attributed history."""
    claim = seed_article.claims.first()
    outlet = Outlet(name="The Courier")
    save_with_history(outlet, actor=editor, reason="test world")
    evidence = Evidence(url="https://example.org/report", title="Report")
    save_with_history(evidence, actor=alice, reason="test world")
    verdict = Verdict(claim=claim, rating=Rating.objects.get(label="True"), summary="Accurate.", author=alice)
    save_with_history(verdict, actor=alice, reason="test world")
    rule = FlagRule(code="watch_test", title="Watch", category="style", severity="low")
    save_with_history(rule, actor=editor, reason="test world")
    flag = Flag(
        article=seed_article,
        revision=claim.revision,
        claim=claim,
        rule=rule,
        start=claim.start,
        end=claim.end,
        text=claim.text,
        severity="low",
        rules_version="test",
    )
    save_with_history(flag, actor=editor, reason="test world")


@pytest.mark.parametrize(
    "model", [Outlet, Article, ArticleRevision, Claim, Rating, Evidence, Verdict, FlagRule, Flag]
)
def test_every_tracked_model_has_a_history_view(admin_client, one_of_each, model):
    obj = model.objects.order_by("-pk").first()
    url = reverse(f"admin:reviews_{model._meta.model_name}_history", args=[obj.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    records = list(response.context["page_obj"])
    assert records, "the history view lists the object's history"
    if model is not Rating:  # the default scale is written by a migration, not by a person
        assert records[-1].history_user is not None


def test_an_edit_form_opened_before_someone_elses_save_is_refused(
    client, editor, seed_article, django_user_model
):
    """Two editors open the same article; the second save must not overwrite the first."""
    from reviews.models import Article

    url = reverse("admin:reviews_article_change", args=[seed_article.pk])
    client.force_login(editor)
    form = client.get(url).context["adminform"].form
    seen = client.get(url).context["seen_history"]
    data = {name: form[name].value() or "" for name in ("title", "url", "byline", "published", "topics")}
    data |= {"outlet": seed_article.outlet_id or "", "_seen_history": seen}
    first = client.post(url, {**data, "topics": "defence"})
    assert first.status_code == 302
    second = client.post(url, {**data, "title": "A headline written on a stale page"})
    assert second.status_code == 200
    assert "eddie changed this article at" in second.content.decode()
    article = Article.objects.get(pk=seed_article.pk)
    assert (article.topics, article.title) == ("defence", seed_article.title)
    assert article.history.first().history_change_reason == "edited in admin"


def test_an_evidence_page_that_cannot_be_edited_says_why(client, alice, bob, editor):
    from reviews.services.verdicts import evidence_create

    mine = evidence_create(fields={"url": "https://example.org/a", "title": "A"}, actor=alice)
    url = reverse("admin:reviews_evidence_change", args=[mine.pk])
    client.force_login(bob)
    page = client.get(url).content.decode()
    assert "Read only: only alice, who recorded this evidence, may edit it." in page
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "Read only" not in page and 'name="_save"' in page


def test_a_refused_page_says_so_and_leads_back(client, alice, editor, seed_article):
    """A page a role may not open answers 403 with the newsroom's page: what happened, why when
    known, and the way back (it was a bare "403 Forbidden")."""
    client.force_login(alice)
    response = client.get(reverse("admin:reviews_job_changelist"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You may not open this page" in page and f'href="{reverse("admin:index")}"' in page
    client.force_login(editor)
    record = seed_article.history.first()
    url = reverse("admin:reviews_article_simple_history", args=[seed_article.pk, record.history_id])
    response = client.post(url, {})
    assert response.status_code == 403 and "History pages are read-only." in response.content.decode()


def test_the_header_has_no_view_site_link_that_leads_back_to_the_dashboard(client, editor):
    """There is no public home page ("/" is the dashboard): "View site" only came back here."""
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert "View site" not in page


NO_HEADLINE = (
    "The city council voted 7-2 on Tuesday to approve a $4.2 million contract for road repairs "
    "across the northern districts, despite objections from residents who said the work had "
    "been promised three times since 2019.\n\n"
    "The mayor said the money would come from the state's infrastructure fund.\n"
)


def test_an_article_with_no_headline_is_titled_by_its_first_sentence_shortened(editor_client, editor):
    article = article_ingest(data=NO_HEADLINE, name="pasted.txt", actor=editor).article
    first = article.claims.order_by("index").first()
    assert first.text.startswith("The city council voted 7-2") and len(first.text) > 200  # still one claim
    assert article.title == (
        "The city council voted 7-2 on Tuesday to approve a $4.2 million contract for road repairs…"
    )
    assert article.slug.startswith("the-city-council-voted-7-2")
    url = reverse("admin:reviews_article_change", args=[article.pk])
    page = editor_client.get(url).content.decode()
    assert "Taken from the first sentence: the text had no headline." in page
    article.title = "Council approves $4.2m road contract"
    save_with_history(article, actor=editor, reason="headline written")
    assert "Taken from the first sentence" not in editor_client.get(url).content.decode()


def test_an_article_with_a_headline_keeps_it_and_says_nothing_of_it(editor_client, editor):
    article = article_ingest(
        data="Council approves road contract\n\n" + NO_HEADLINE, name="a.txt", actor=editor
    )
    assert article.article.title == "Council approves road contract"
    url = reverse("admin:reviews_article_change", args=[article.article.pk])
    assert "Taken from the first sentence" not in editor_client.get(url).content.decode()
