"""Each endpoint as a CMS uses it: submit, read back, work the claim through the workflow,
resolve flags, download exports; and the errors a client gets for bad input."""

import pytest
from django.urls import reverse

from reviews.models import Article, Claim, Evidence, Flag, Job, JobState, Rating
from reviews.services.claims import claim_assign
from reviews.services.verdicts import verdict_submit
from tests.conftest import POW_SEED
from tests.webserver import Answer, Site, seed_page

PROBLEM = "application/problem+json"
TEXT = POW_SEED.read_text()


def test_submit_reads_back_claims_and_skips_the_same_text(api, editor):
    client = api(editor)
    response = client.post(
        "/api/articles/", {"text": TEXT, "url": "https://example.org/story"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] and body["claims"] > 10 and body["flags"] > 0 and not body["new_version"]
    assert response["Location"].endswith(f"/api/articles/{body['article']}/")
    claims = client.get("/api/claims/", {"article": body["article"]}).json()
    assert len(claims["results"]) == min(body["claims"], 50)
    assert Claim.objects.get(pk=claims["results"][0]["id"]).history.first().history_user == editor
    again = client.post("/api/articles/", {"text": TEXT}, format="json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["article"] == body["article"]


def test_submit_html(api, editor):
    html = (
        "<html><head><title>Budget</title></head><body><article><h1>Budget</h1>"
        + "".join(
            f"<p>The ministry said spending rose by {n} per cent in {2000 + n}, officials told reporters.</p>"
            for n in range(1, 6)
        )
        + "</article></body></html>"
    )
    response = api(editor).post("/api/articles/", {"html": html, "name": "budget"}, format="json")
    assert response.status_code == 201, response.content
    detail = api(editor).get(f"/api/articles/{response.json()['article']}/").json()
    assert detail["revisions"][0]["source_format"] == "html"
    assert detail["revisions"][0]["source_name"] == "budget.html"


def test_a_url_alone_is_fetched_by_a_job(api, editor, settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with Site() as site:
        site.routes["/world/pow-video"] = Answer(seed_page())
        url = site.url("/world/pow-video")
        response = api(editor).post("/api/articles/", {"url": url}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    job = Job.objects.get(pk=body["job"])
    assert (job.kind, body["state"]) == ("ingest_url", JobState.DONE)  # no broker: run on commit
    article = Article.objects.get(pk=body["article"])
    assert article.url == url and article.claims.count() > 10
    assert body["job_url"].endswith(f"/admin/reviews/job/{job.pk}/change/")


def test_a_url_the_newsroom_may_not_fetch_fails_its_job_with_the_reason(api, editor, settings):
    settings.FETCH_ALLOWED_HOSTS = []
    response = api(editor).post("/api/articles/", {"url": "http://127.0.0.1:9/story"}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == JobState.FAILED and "127.0.0.1" in body["error"] and body["article"] is None
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("payload", "status", "pointer"),
    [
        ({}, 400, "#/text"),
        ({"text": "a", "html": "<p>a</p>"}, 400, "#"),
        ({"text": "x", "url": "javascript:alert(1)"}, 400, "#/url"),
        ({"text": "bad\x00byte"}, 400, "#/text"),
        ('{"text": "\\ud800 lone surrogate"}', 400, "#/text"),
        ({"text": "   "}, 422, None),
        ({"text": 5}, 422, None),
    ],
)
def test_bad_submissions_are_problems_that_change_nothing(api, editor, payload, status, pointer):
    from reviews.models import Article

    if isinstance(payload, str):  # raw JSON, as a client could send it
        response = api(editor).post("/api/articles/", payload, content_type="application/json")
    else:
        response = api(editor).post("/api/articles/", payload, format="json")
    assert response.status_code == status, response.content
    body = response.json()
    assert response["Content-Type"] == PROBLEM
    assert {"type", "title", "status", "detail", "instance"} <= set(body) and body["status"] == status
    if pointer:
        assert pointer in [e["pointer"] for e in body["errors"]]
    assert not Article.objects.exists()


def test_malformed_json_is_a_problem(api, editor):
    response = api(editor).post("/api/articles/", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"].startswith("JSON parse error")


def test_new_version(api, editor, seed_article):
    changed = TEXT.replace("reports have flown in", "reports have since flown in", 1)
    response = api(editor).post(
        f"/api/articles/{seed_article.pk}/versions/", {"text": changed}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["new_version"] and response.json()["revision"] == 2
    detail = api(editor).get(f"/api/articles/{seed_article.pk}/").json()
    assert [r["number"] for r in detail["revisions"]] == [1, 2] and detail["revision"] == 2
    assert (
        api(editor).post("/api/articles/999999/versions/", {"text": changed}, format="json").status_code
        == 404
    )


def test_article_with_everything(api, editor, alice, lawyer, seed_article, django_assert_max_num_queries):
    claim = seed_article.claims.order_by("index").first()
    claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict_submit(claim=claim, rating=Rating.objects.get(label="True"), summary="Yes.", actor=alice)
    client = api(lawyer)
    client.get(f"/api/articles/{seed_article.pk}/")
    with django_assert_max_num_queries(14):
        response = client.get(f"/api/articles/{seed_article.pk}/")
    body = response.json()
    assert body["title"] == seed_article.title and body["body"] == seed_article.current_revision.body
    assert len(body["claims"]) == seed_article.claims.count()
    assert len(body["flags"]) == seed_article.flags.count()
    assert [v["rating"] for v in body["verdicts"]] == ["True"]
    assert set(body["exports"]) == {"bundle", "claimreview", "docx", "html", "md", "webanno"}


@pytest.mark.parametrize(
    ("fmt", "content_type", "starts"),
    [
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("md", "text/markdown; charset=utf-8", b"# "),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("webanno", "application/ld+json", b"{"),
        ("claimreview", "application/ld+json", b"["),
        ("bundle", "application/zip", b"PK"),
    ],
)
def test_exports(api, editor, seed_article, fmt, content_type, starts):
    response = api(editor).get(f"/api/articles/{seed_article.pk}/export/{fmt}/", HTTP_ACCEPT="*/*")
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response.content.lstrip().startswith(starts), response.content[:40]


def test_unknown_export_format_and_paths(api, editor, seed_article):
    response = api(editor).get(f"/api/articles/{seed_article.pk}/export/pdf/")
    assert response.status_code == 404 and "unknown export format 'pdf'" in response.json()["detail"]
    response = api(editor).get("/api/nothing/here/")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


def test_claims_filters_and_cursor(api, editor, alice, bob, seed_article):
    claims = list(seed_article.claims.order_by("index"))
    claim_assign(claim=claims[0], assignee=alice, actor=editor)
    claim_assign(claim=claims[1], assignee=bob, actor=editor)
    verdict_submit(
        claim=claims[0], rating=Rating.objects.get(label="Half true"), summary="Partly.", actor=alice
    )
    client = api(editor)

    def ids(**params):
        return [c["id"] for c in client.get("/api/claims/", params).json()["results"]]

    assert ids(status="submitted") == [claims[0].pk]
    assert ids(assignee="bob") == [claims[1].pk]
    assert ids(rating="half TRUE") == [claims[0].pk]
    flagged = Flag.objects.filter(rule__code="pow_imagery", claim__isnull=False).values_list(
        "claim", flat=True
    )
    assert set(ids(flag="pow_imagery", limit=200)) == set(flagged) and flagged
    assert len(ids(assignee="none", limit=200)) == len(claims) - 2
    assert ids(updated_after="2999-01-01T00:00:00Z") == []
    assert len(ids(updated_before="2999-01-01", limit=200)) == len(claims)
    # Cursor pagination: pages of 5 cover every claim once, newest first.
    seen, url = [], "/api/claims/?limit=5"
    while url:
        page = client.get(url).json()
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
    assert seen == sorted((c.pk for c in claims), reverse=True)
    bad = client.get("/api/claims/", {"status": "done", "updated_after": "yesterday"})
    assert bad.status_code == 400
    assert {e["pointer"] for e in bad.json()["errors"]} == {"#/status", "#/updated_after"}
    assert client.get("/api/claims/", {"cursor": "cD1hYmM="}).status_code == 404  # p=abc


def test_the_workflow_through_the_api(api, editor, alice, bob, seed_article):
    claim = seed_article.claims.order_by("index")[1]
    ed, al = api(editor), api(alice)
    response = ed.post(f"/api/claims/{claim.pk}/assign/", {"assignee": "alice", "priority": 3}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["assignee"] == "alice" and response.json()["status"] == "assigned"
    version = response.json()["version"]
    assert al.get(f"/api/claims/{claim.pk}/").json()["allowed_actions"] == [
        "checkworthiness",
        "describe",
        "edit",
        "start",
    ]
    response = al.post(f"/api/claims/{claim.pk}/start/", {"version": version}, format="json")
    assert response.json()["status"] == "in_review"
    stale = al.post(f"/api/claims/{claim.pk}/start/", {"version": version}, format="json")
    assert stale.status_code == 409 and stale.json()["type"].endswith("stale-write")
    old = Evidence.objects.create(url="https://example.org/old", created_by=alice)
    response = al.post(
        f"/api/claims/{claim.pk}/verdict/",
        {
            "rating": "Mostly false",
            "summary": "The reports are unverified.",
            "evidence": [old.pk],
            "new_evidence": [{"url": "https://example.org/report", "title": "Report", "stance": "refutes"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    (verdict,) = response.json()["verdicts"]
    assert verdict["rating"] == "Mostly false" and len(verdict["evidence"]) == 2
    response = ed.post(f"/api/claims/{claim.pk}/return/", {"comment": "Name the report."}, format="json")
    assert response.json()["status"] == "returned"
    al.post(f"/api/claims/{claim.pk}/verdict/", {"rating": "False", "summary": "Named."}, format="json")
    response = ed.post(f"/api/claims/{claim.pk}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    again = ed.post(f"/api/claims/{claim.pk}/approve/", {}, format="json")
    assert again.status_code == 409 and "cannot approve a claim that is approved" in again.json()["detail"]
    claim.refresh_from_db()
    assert [h.history_user.username for h in claim.history.order_by("history_date")][-1] == "eddie"


def test_step_input_errors(api, editor, alice, seed_article):
    claim = seed_article.claims.order_by("index")[1]
    ed = api(editor)
    response = ed.post(f"/api/claims/{claim.pk}/assign/", {"assignee": "ghost", "priority": 9}, format="json")
    assert response.status_code == 400
    assert {e["pointer"] for e in response.json()["errors"]} == {"#/assignee", "#/priority"}
    response = ed.post(f"/api/claims/{claim.pk}/assign/", {"assignee": "eddie"}, format="json")
    assert response.status_code == 409 and response.json()["detail"] == "eddie is not a fact-checker"
    claim_assign(claim=claim, assignee=alice, actor=editor)
    response = api(alice).post(
        f"/api/claims/{claim.pk}/verdict/",
        {"rating": "Great", "summary": "", "evidence": [987654], "new_evidence": [{"url": "ftp://x"}]},
        format="json",
    )
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert pointers == {"#/rating", "#/summary", "#/evidence", "#/new_evidence/0/url"}, response.json()
    assert api(editor).post("/api/claims/99999999/start/", {}, format="json").status_code == 404


def test_resolve_flags(api, editor, lawyer, seed_article):
    legal = seed_article.flags.filter(resolver_role="legal").first()
    response = api(lawyer).post(
        f"/api/flags/{legal.pk}/resolve/", {"status": "dismissed", "note": "Fine."}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert response.json()["resolved_by"] == "lara"
    again = api(lawyer).post(
        f"/api/flags/{legal.pk}/resolve/", {"status": "confirmed", "note": "No."}, format="json"
    )
    assert again.status_code == 409 and "already dismissed" in again.json()["detail"]
    other = seed_article.flags.filter(resolver_role="editor").first()
    bad = api(editor).post(f"/api/flags/{other.pk}/resolve/", {"status": "open", "note": ""}, format="json")
    assert bad.status_code == 400 and {e["pointer"] for e in bad.json()["errors"]} == {"#/status", "#/note"}


def test_ratings(api, alice):
    labels = [r["label"] for r in api(alice).get("/api/ratings/").json()]
    assert labels[0] == "False" and "True" in labels and "Unverifiable" in labels


def test_authentication_problems(api, editor, client):
    assert client.get("/api/claims/").status_code == 401
    response = client.get("/api/claims/", HTTP_AUTHORIZATION="Bearer nr_00000000_wrong")
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    response = client.get("/api/claims/", HTTP_AUTHORIZATION="Bearer")
    assert response.status_code == 401 and "Malformed" in response.json()["detail"]


def test_throttled_per_token(api, editor, monkeypatch):
    from reviews.api.throttles import TokenRateThrottle

    monkeypatch.setattr(
        TokenRateThrottle, "THROTTLE_RATES", {**TokenRateThrottle.THROTTLE_RATES, "token": "3/min"}
    )
    first, second = api(editor), api(editor)  # two tokens of one person: two budgets
    codes = [first.get("/api/ratings/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = first.get("/api/ratings/")
    assert response["Content-Type"] == PROBLEM and int(response["Retry-After"]) > 0
    assert response.json()["retry_after"] > 0
    assert second.get("/api/ratings/").status_code == 200


def test_article_submissions_have_their_own_budget(api, editor, monkeypatch):
    from reviews.api.throttles import SubmitRateThrottle

    monkeypatch.setattr(
        SubmitRateThrottle, "THROTTLE_RATES", {**SubmitRateThrottle.THROTTLE_RATES, "submit": "1/min"}
    )
    client = api(editor)
    assert client.post("/api/articles/", {"text": TEXT}, format="json").status_code == 201
    assert client.post("/api/articles/", {"text": TEXT}, format="json").status_code == 429
    assert client.get("/api/ratings/").status_code == 200


def test_revoked_token(api, editor, client):
    from reviews.api.models import ApiToken
    from reviews.services.tokens import token_issue, token_revoke

    token, key = token_issue(user=editor, name="CMS", actor=editor)
    assert ApiToken.objects.get(pk=token.pk).key_hash != key and key not in str(
        ApiToken.objects.values().get()
    )
    assert client.get("/api/ratings/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    token_revoke(token=token, actor=editor)
    response = client.get("/api/ratings/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401 and response.json()["detail"] == "This token has been revoked."


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "<script>" not in html
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_the_claims_details_through_the_api(api, editor, alice, bob, lawyer, seed_article):
    """The claim page's "describe" step: claimant, appearances, media item; what is not sent stays."""
    claim = seed_article.claims.order_by("index")[2]
    claim_assign(claim=claim, assignee=alice, actor=editor)
    url = f"/api/claims/{claim.pk}/describe/"
    response = api(bob).post(  # any fact-checker, as on the claim page
        url,
        {
            "claimant": "Ministry of Defence",
            "claimant_kind": "Organization",
            "appearances": ["https://example.org/statement", "https://example.org/briefing"],
            "first_appeared": "2025-03-02",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    details = response.json()["details"]
    assert details == {
        "claimant": "Ministry of Defence",
        "claimant_kind": "Organization",
        "claimant_url": "",
        "appearances": ["https://example.org/statement", "https://example.org/briefing"],
        "first_appeared": "2025-03-02",
        "media_kind": "",
        "media_url": "",
        "media_archive_url": "",
        "media_description": "",
    }
    version = response.json()["version"]
    media = {"media_kind": "video", "media_url": "https://example.org/clip.mp4", "version": version}
    response = api(editor).post(url, media, format="json")
    assert response.status_code == 200, response.content
    details = response.json()["details"]
    assert details["claimant"] == "Ministry of Defence" and details["media_kind"] == "video"  # the rest stays
    assert api(alice).get(f"/api/claims/{claim.pk}/").json()["details"] == details
    history = Claim.objects.get(pk=claim.pk).history.order_by("-history_date")[:2]
    assert [(h.history_user.username, h.history_change_reason) for h in history] == [
        ("eddie", "described: media item"),
        ("bob", "described: claimant, appearances"),
    ]

    stale = api(editor).post(url, {"claimant": "", "version": version}, format="json")
    assert stale.status_code == 409 and stale.json()["type"].endswith("stale-write")
    refused = api(lawyer).post(url, {"claimant": "Someone"}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == "lara may not describe claims."
    # Bad input is a 400 with what is wrong, whether the field says so or the service does.
    bad = api(editor).post(url, {"appearances": ["not a url"], "claimant_kind": "Robot"}, format="json")
    assert bad.status_code == 400
    assert {e["pointer"] for e in bad.json()["errors"]} == {"#/appearances/0", "#/claimant_kind"}
    bad = api(editor).post(url, {"claimant": "Kyiv Post", "claimant_kind": ""}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"] == [
        {"pointer": "#", "detail": "say whether the claimant is a person or an organisation"}
    ]
    bad = api(editor).post(url, {"media_url": ""}, format="json")
    assert bad.status_code == 400 and "both its kind" in bad.json()["detail"]
    assert Claim.objects.get(pk=claim.pk).media_url == "https://example.org/clip.mp4"  # nothing changed
    cleared = api(editor).post(url, {"media_kind": "", "media_url": "", "claimant": ""}, format="json")
    assert cleared.json()["details"]["media_url"] == "" and cleared.json()["details"]["claimant_kind"] == ""


def test_a_withdrawn_claims_details_are_not_changed(api, editor, seed_article):
    claim = seed_article.claims.order_by("index")[2]
    body = seed_article.current_revision.body.replace(claim.text, "")
    api(editor).post(f"/api/articles/{seed_article.pk}/versions/", {"text": body}, format="json")
    claim.refresh_from_db()
    assert claim.status == "withdrawn"
    response = api(editor).post(f"/api/claims/{claim.pk}/describe/", {"claimant": "X"}, format="json")
    assert (
        response.status_code == 409
        and response.json()["detail"] == "the claim was withdrawn with its sentence"
    )


def test_a_verdict_states_the_claim_as_checked_and_rates_the_media_item(api, editor, alice, seed_article):
    claim = seed_article.claims.order_by("index")[2]
    claim_assign(claim=claim, assignee=alice, actor=editor)
    al = api(alice)
    al.post(f"/api/claims/{claim.pk}/start/", {}, format="json")
    verdict = {
        "rating": "False",
        "summary": "No.",
        "claim_reviewed": "Troops filmed POWs",
        "media_rating": "StagedContent",
    }
    refused = al.post(f"/api/claims/{claim.pk}/verdict/", verdict, format="json")
    assert refused.status_code == 409 and "record it first" in refused.json()["detail"]
    media = {"media_kind": "video", "media_url": "https://example.org/v.mp4"}
    described = al.post(f"/api/claims/{claim.pk}/describe/", media, format="json")
    assert described.status_code == 200, described.content
    response = al.post(f"/api/claims/{claim.pk}/verdict/", verdict, format="json")
    assert response.status_code == 200, response.content
    (stored,) = response.json()["verdicts"]
    assert (stored["claim_reviewed"], stored["media_rating"], stored["reused_from"]) == (
        "Troops filmed POWs",
        "StagedContent",
        None,
    )
