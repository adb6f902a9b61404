"""The audit trail: who did what, across the history tables, for editors and legal reviewers."""

import itertools

import pytest
from django.urls import reverse

from reviews.audit import audit_trail
from reviews.models import Rating
from reviews.services.claims import claim_assign
from reviews.services.verdicts import verdict_submit
from tests.conftest import page_queries

AUDIT = reverse("admin:audit")


@pytest.fixture
def worked(seed_article, editor, alice):
    claim = seed_article.claims.order_by("index").first()
    claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict_submit(claim=claim, rating=Rating.objects.get(label="True"), summary="Yes.", actor=alice)
    return claim


def test_trail_merges_models_newest_first(worked, editor, alice):
    entries = audit_trail(limit=5)
    assert [(e.who, e.model, e.action, e.reason) for e in entries[:4]] == [
        ("alice", "claim", "changed", "verdict submitted: True"),
        ("alice", "verdict", "created", "verdict submitted"),
        ("alice", "claim", "changed", "review started"),  # a verdict on an assigned claim starts it
        ("eddie", "claim", "changed", "assigned to alice"),
    ]
    assert all(a.when >= b.when for a, b in itertools.pairwise(entries))
    assert {e.who for e in audit_trail(user_id=alice.pk)} == {"alice"}
    assert {e.model for e in audit_trail(model="verdict")} == {"verdict"}


def test_page_for_editors_and_legal_not_for_fact_checkers(client, worked, editor, alice, lawyer):
    client.force_login(editor)
    html = client.get(AUDIT, {"user": alice.pk}).content.decode()
    assert "verdict submitted: True" in html and "assigned to alice" not in html
    client.force_login(lawyer)
    assert client.get(AUDIT).status_code == 200
    client.force_login(alice)
    assert client.get(AUDIT).status_code == 403
    client.logout()
    assert client.get(AUDIT).status_code == 302


def test_page_queries_do_not_grow_with_the_history(client, worked, editor, alice):
    client.force_login(editor)
    few = page_queries(client, AUDIT)[0]
    from reviews.services.verdicts import verdict_return

    verdict_return(claim=worked, actor=editor, comment="Source?")
    verdict_submit(claim=worked, rating=Rating.objects.get(label="False"), summary="No.", actor=alice)
    assert page_queries(client, AUDIT)[0] == few
