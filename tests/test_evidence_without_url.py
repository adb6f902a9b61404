"""Evidence with no link: a phone interview, a document seen in person, an e-mail.

A source is recorded with its URL or a description of what it is (one of the two at least),
through the claim page, the services and the API; shown without a link; reused as itself.
"""

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from reviews.models import NO_SOURCE, Evidence, Rating, Verdict
from reviews.selectors import reusable_evidence
from reviews.services.claims import claim_assign, claim_start
from reviews.services.verdicts import evidence_create, verdict_submit
from reviews.services.workflow import WorkflowError
from tests.api.conftest import issue_key
from tests.test_claim_page import POW_QUOTE, messages_of, page_url, post_step, verdict_data

PHONE = "Phone interview with the mayor's press office, 4 Dec 2026, 10:15"
EMAIL = "E-mail from the ministry's spokesperson, 3 Dec 2026"


@pytest.fixture
def started(seed_article, editor, alice):
    claim = seed_article.claims.get(text__startswith=POW_QUOTE)
    claim_assign(claim=claim, assignee=alice, actor=editor)
    return claim_start(claim=claim, actor=alice)


def described_rows(*rows):
    """Evidence rows of the verdict form: (url, description, title) each."""
    data = {}
    for i, (url, description, title) in enumerate(rows):
        data |= {
            f"evidence-{i}-url": url,
            f"evidence-{i}-description": description,
            f"evidence-{i}-title": title,
            f"evidence-{i}-stance": "refutes",
            f"evidence-{i}-accessed": "2026-12-04",
        }
    return data


def test_a_described_source_is_recorded_without_a_url_and_named_by_its_description(alice):
    evidence = evidence_create(fields={"description": f"  {PHONE} ", "stance": "refutes"}, actor=alice)
    evidence.refresh_from_db()
    assert (evidence.url, evidence.description, str(evidence)) == ("", PHONE, PHONE)
    row = evidence.history.get()
    assert (row.description, row.history_user, row.history_change_reason) == (PHONE, alice, "recorded")
    long = Evidence(description="Notes of a meeting " * 20)
    assert len(str(long)) <= 80 and str(long).endswith("…")
    assert str(Evidence(url="https://example.org/a")) == "https://example.org/a"


@pytest.mark.parametrize("fields", [{}, {"description": "   "}, {"title": "A title alone", "note": "n"}])
def test_a_source_with_neither_url_nor_description_is_refused_and_nothing_saved(alice, fields):
    with pytest.raises(WorkflowError) as refused:
        evidence_create(fields=fields, actor=alice)
    assert NO_SOURCE in str(refused.value)
    assert not Evidence.objects.exists()


def test_the_database_refuses_a_source_with_neither(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(title="Nothing to find it by", created_by=alice)


def test_the_verdict_form_records_a_phone_interview_and_the_page_shows_it_without_a_link(
    client, alice, started
):
    client.force_login(alice)
    data = verdict_data(Rating.objects.get(label="False")) | described_rows(("", PHONE, ""))
    response = post_step(client, started, "submit", **data)
    assert "Verdict submitted for approval." in messages_of(response)
    (evidence,) = Verdict.objects.get(claim=started).evidence.all()
    assert (evidence.url, evidence.description, evidence.created_by) == ("", PHONE, alice)
    assert evidence.history.get().history_user == alice
    html = client.get(page_url(started)).content.decode()
    assert "Phone interview with the mayor&#x27;s press office, 4 Dec 2026, 10:15</span>" in html
    assert 'href=""' not in html and "no link · accessed" in html


def test_a_row_with_neither_url_nor_description_says_so_and_saves_nothing(client, alice, started):
    client.force_login(alice)
    data = verdict_data(Rating.objects.get(label="False")) | described_rows(("", "", "A title alone"))
    response = post_step(client, started, "submit", **data)
    html = response.content.decode()
    assert "Give the source&#x27;s URL or, when it has no link, say what it is" in html
    assert 'value="A title alone"' in html  # what was typed stays on screen
    assert not Verdict.objects.exists() and not Evidence.objects.exists()


def test_described_sources_are_reused_one_by_one_on_another_claim(
    client, alice, editor, started, seed_article
):
    verdict_submit(
        claim=started,
        rating=Rating.objects.get(label="False"),
        summary="Denied by the press office.",
        new_evidence=[{"description": PHONE}, {"description": EMAIL}, {"url": "https://example.org/a"}],
        actor=alice,
    )
    other = seed_article.claims.exclude(pk=started.pk).order_by("index").first()
    claim_assign(claim=other, assignee=alice, actor=editor)
    claim_start(claim=other, actor=alice)
    offered = list(reusable_evidence(other, alice))
    assert sorted(str(e) for e in offered) == sorted([PHONE, EMAIL, "https://example.org/a"])
    client.force_login(alice)
    html = client.get(page_url(other)).content.decode()
    reused_label = "Phone interview with the mayor&#x27;s press office, 4 Dec 2026, 10:15 (context, "
    assert (
        reused_label in html and "E-mail from the ministry&#x27;s spokesperson, 3 Dec 2026 (context, " in html
    )
    described = [e for e in offered if not e.url]
    data = verdict_data(Rating.objects.get(label="False"), reuse=described)
    post_step(client, other, "submit", **data)
    reused = Verdict.objects.get(claim=other).evidence.all()
    assert sorted(e.description for e in reused) == sorted([PHONE, EMAIL])
    assert Evidence.objects.count() == 3  # reused, not copied


def test_the_api_records_a_described_source_and_refuses_one_with_neither(started, alice):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(alice)}")
    url = f"/api/claims/{started.pk}/verdict/"
    verdict = {"rating": "False", "summary": "Denied."}
    refused = api.post(url, verdict | {"new_evidence": [{"title": "Only a title"}]}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"pointer": "#/new_evidence/0", "detail": NO_SOURCE}]
    assert not Evidence.objects.exists()
    response = api.post(url, verdict | {"new_evidence": [{"description": PHONE}]}, format="json")
    assert response.status_code == 200, response.content
    (evidence,) = response.json()["verdicts"][0]["evidence"]
    assert (evidence["url"], evidence["description"]) == ("", PHONE)


def test_the_api_schema_documents_the_description():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    assert "description" in components["EvidenceInputRequest"]["properties"]
    assert "url" not in components["EvidenceInputRequest"].get("required", [])
    assert "description" in components["Evidence"]["properties"]
