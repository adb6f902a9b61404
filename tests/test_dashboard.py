"""The dashboard on the admin index."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import Rating
from reviews.selectors import dashboard
from reviews.services.articles import article_ingest
from reviews.services.claims import claim_assign
from reviews.services.history import save_with_history
from reviews.services.verdicts import verdict_approve, verdict_submit
from tests.conftest import SEED_FILES

INDEX = reverse("admin:index")


@pytest.fixture
def worked(seed_article, editor, alice, bob):
    """Three claims assigned (one overdue), one approved five hours after assignment."""
    first, second, third = seed_article.claims.order_by("index")[:3]
    yesterday = timezone.localdate() - timedelta(days=1)
    claim_assign(claim=first, assignee=alice, actor=editor)
    first.refresh_from_db()
    first.due = (
        yesterday  # assigned a while ago: the date has passed since (a new date must be in the future)
    )
    save_with_history(first, actor=editor, reason="due date passed")
    claim_assign(claim=second, assignee=alice, actor=editor)
    claim = claim_assign(claim=third, assignee=bob, actor=editor)
    claim.assigned_at = timezone.now() - timedelta(hours=5)
    save_with_history(claim, actor=editor, reason="assigned earlier")
    verdict_submit(claim=claim, rating=Rating.objects.get(label="False"), summary="Wrong.", actor=bob)
    verdict_approve(claim=claim, actor=editor)
    return seed_article


def test_figures(worked, editor, alice):
    data = dashboard(alice)
    states = dict(data.by_state)
    assert (states["assigned"], states["approved"], states["new"]) == (2, 1, worked.claims.count() - 3)
    assert data.overdue == 1 and data.my_queue == 2
    assert [(name, n, late) for _, name, n, late in data.load] == [("alice", 2, 1), ("bob", 0, 0)]
    assert data.median_hours_to_approval == 5.0 and data.approvals_in_window == 1
    assert ("False", "#c0392b", 1) in [(label, colour.lower(), n) for label, colour, n in data.by_rating]
    assert dashboard(editor).my_queue == 0


def test_index_draws_the_charts_on_the_server(client, worked, editor):
    client.force_login(editor)
    html = client.get(INDEX).content.decode()
    assert (
        'id="nr-dashboard"' in html and "<script" not in html.split('id="nr-dashboard"')[1].split("</div>")[0]
    )
    assert 'aria-label="Assigned: 2"' in html and 'aria-label="alice: 2"' in html
    assert "<strong>5.0 h</strong> median from assignment to approved verdict" in html
    assert "https://" not in html.split('id="nr-dashboard"')[1].split('id="content-related"')[0]  # no CDN


def test_people_without_claim_access_get_no_dashboard(client, db, django_user_model):
    nobody = django_user_model.objects.create_user("staffonly", password="x", is_staff=True)
    client.force_login(nobody)
    assert 'id="nr-dashboard"' not in client.get(INDEX).content.decode()


def test_index_queries_do_not_grow_with_the_data(client, worked, editor, alice):
    client.force_login(editor)

    def count():  # the figures computed afresh, as once a minute
        client.get(INDEX)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get(INDEX)
        return len(ctx)

    before = count()
    for path in SEED_FILES[2:]:
        article = article_ingest(data=path.read_bytes(), name=path.name, actor=editor).article
        for claim in article.claims.order_by("index")[:4]:
            claim_assign(claim=claim, assignee=alice, actor=editor)
    assert count() == before <= 16


def test_counts_stop_at_the_cap(client, worked, editor, monkeypatch):
    # Counting further than the cap would read every claim of the archive, once a minute.
    import reviews.selectors

    monkeypatch.setattr(reviews.selectors, "COUNT_CAP", 2)
    states = dict(dashboard(editor).by_state)
    assert (states["new"], states["assigned"], states["approved"], states["submitted"]) == (3, 2, 1, 0)
    cache.clear()
    client.force_login(editor)
    html = client.get(INDEX).content.decode()
    assert 'aria-label="New: 2+"' in html and 'aria-label="Assigned: 2"' in html
    assert "counts stop at 2" in html
