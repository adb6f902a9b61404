"""Two writers at once on the same verdict, each on its own database connection."""

import threading

import pytest
from django.db import connection, connections

from reviews.models import Claim, Rating
from reviews.services.articles import article_ingest
from reviews.services.claims import claim_assign
from reviews.services.verdicts import verdict_approve, verdict_return, verdict_submit
from reviews.services.workflow import StaleWriteError
from tests.conftest import POW_SEED

pytestmark = pytest.mark.django_db(transaction=True)


def test_stale_writer_is_rejected_and_nothing_is_lost(editor, alice, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and parallel connections are exercised on PostgreSQL (CI runs it)")
    from django.contrib.auth.models import Group

    second_editor = django_user_model.objects.create_user("erin", is_staff=True)
    second_editor.groups.add(Group.objects.get(name="Editors"))
    article = article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor).article
    claim = article.claims.order_by("index").first()
    claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict_submit(claim=claim, rating=Rating.objects.get(label="True"), summary="ok", actor=alice)
    seen = Claim.objects.get(pk=claim.pk).version  # both editors loaded this version
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[name] = "done"
        except StaleWriteError as exc:
            outcomes[name] = f"stale: {exc}"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=act, args=("approve", lambda: verdict_approve(claim=claim, actor=editor, version=seen))
        ),
        threading.Thread(
            target=act,
            args=(
                "return",
                lambda: verdict_return(claim=claim, actor=second_editor, comment="no", version=seen),
            ),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(v.split(":")[0] for v in outcomes.values()) == ["done", "stale"], outcomes
    winner = next(k for k, v in outcomes.items() if v == "done")
    loser_message = next(v for v in outcomes.values() if v.startswith("stale"))
    claim.refresh_from_db()
    assert claim.status == ("approved" if winner == "approve" else "returned")
    assert claim.version == seen + 1
    who = "eddie" if winner == "approve" else "erin"
    assert f"changed by {who}" in loser_message
    last = claim.history.first()
    assert last.history_user.username == who and last.version == seen + 1
    assert claim.history.filter(version=seen + 1).count() == 1  # the loser wrote nothing
