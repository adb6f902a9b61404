import pytest
from django.core import mail

from reviews.models import Evidence, Rating
from reviews.services.claims import claim_assign, claim_dismiss, claim_start, claims_auto_assign
from reviews.services.history import save_with_history
from reviews.services.verdicts import verdict_approve, verdict_return, verdict_submit
from reviews.services.workflow import StaleWriteError, WorkflowError


@pytest.fixture
def claim(seed_article):
    return seed_article.claims.order_by("index").first()


@pytest.fixture
def true_rating(db):
    return Rating.objects.get(label="True")


def evidence(actor, n):
    items = []
    for i in range(n):
        ev = Evidence(url=f"https://example.org/{i}", title=f"Source {i}", stance="supports")
        save_with_history(ev, actor=actor, reason="test")
        items.append(ev)
    return items


def test_full_cycle_is_recorded_step_by_step(
    claim, editor, alice, true_rating, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_assign(claim=claim, assignee=alice, actor=editor, version=claim.version)
        claim = claim_start(claim=claim, actor=alice)
        verdict = verdict_submit(
            claim=claim, rating=true_rating, summary="Accurate.", evidence=evidence(alice, 2), actor=alice
        )
        verdict = verdict_approve(claim=claim, actor=editor)
    claim.refresh_from_db()
    assert claim.status == "approved" and verdict.status == "approved" and verdict.evidence.count() == 2
    steps = [
        (h.history_user.username, h.status, h.history_change_reason)
        for h in claim.history.order_by("history_date")
    ]
    assert steps[1:] == [
        ("eddie", "assigned", "assigned to alice"),
        ("alice", "in_review", "review started"),
        ("alice", "submitted", "verdict submitted: True"),
        ("eddie", "approved", "approved: True"),
    ]
    assert [m.to for m in mail.outbox] == [["alice@example.org"], ["alice@example.org"]]
    assert "assigned you a claim" in mail.outbox[0].body and "approved your verdict" in mail.outbox[1].body


def test_return_sends_it_back_with_the_comment(
    claim, editor, alice, true_rating, django_capture_on_commit_callbacks
):
    claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict_submit(claim=claim, rating=true_rating, summary="Fine.", actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        verdict = verdict_return(claim=claim, actor=editor, comment="Add the ministry's source.")
    claim.refresh_from_db()
    assert (claim.status, verdict.status, verdict.return_comment) == (
        "returned",
        "returned",
        "Add the ministry's source.",
    )
    assert "Add the ministry's source." in mail.outbox[-1].body
    claim_start(claim=claim, actor=alice)
    verdict_submit(claim=claim, rating=true_rating, summary="Fine, sourced.", actor=alice)  # a second verdict
    assert claim.verdicts.count() == 2


def test_guards(claim, editor, alice, bob, lawyer, true_rating):
    with pytest.raises(WorkflowError, match="may not assign claims"):
        claim_assign(claim=claim, assignee=alice, actor=bob)
    with pytest.raises(WorkflowError, match="is not a fact-checker"):
        claim_assign(claim=claim, assignee=lawyer, actor=editor)
    claim_assign(claim=claim, assignee=alice, actor=editor)
    with pytest.raises(WorkflowError, match="assigned to alice, not to bob"):
        verdict_submit(claim=claim, rating=true_rating, summary="x", actor=bob)
    with pytest.raises(WorkflowError, match="assigned to alice, not to bob"):
        claim_start(claim=claim, actor=bob)
    with pytest.raises(WorkflowError, match="cannot approve a claim that is assigned"):
        verdict_approve(claim=claim, actor=editor)
    with pytest.raises(WorkflowError, match="needs a summary"):
        verdict_submit(claim=claim, rating=true_rating, summary="  ", actor=alice)
    verdict_submit(claim=claim, rating=true_rating, summary="ok", actor=alice)
    with pytest.raises(WorkflowError, match="may not approve verdicts"):
        verdict_approve(claim=claim, actor=bob)
    with pytest.raises(WorkflowError, match="a comment is required"):
        verdict_return(claim=claim, actor=editor, comment="")


def test_four_eyes(claim, editor, alice, true_rating, django_user_model):
    from django.contrib.auth.models import Group

    both = django_user_model.objects.create_user("dual", email="d@example.org", is_staff=True)
    both.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Fact-checkers"))
    claim_assign(claim=claim, assignee=both, actor=editor)
    verdict_submit(claim=claim, rating=true_rating, summary="ok", actor=both)
    with pytest.raises(WorkflowError, match="your own verdict"):
        verdict_approve(claim=claim, actor=both)
    verdict_approve(claim=claim, actor=editor)


def test_stale_write_is_refused_and_names_who_changed_it(claim, editor, alice, bob):
    seen = claim.version
    claim_assign(claim=claim, assignee=alice, actor=editor, version=seen)
    with pytest.raises(StaleWriteError, match="changed by eddie") as refused:
        claim_assign(claim=claim, assignee=bob, actor=editor, version=seen)
    assert "(reassigned this claim to alice)" in str(refused.value)
    assert refused.value.changes == ("reassigned this claim to alice",) and refused.value.who == "eddie"
    claim.refresh_from_db()
    assert claim.assignee == alice and claim.version == seen + 1


def test_dismiss_needs_a_reason(claim, editor):
    with pytest.raises(WorkflowError, match="say why"):
        claim_dismiss(claim=claim, actor=editor, reason=" ")
    claim = claim_dismiss(claim=claim, actor=editor, reason="Opinion.")
    assert claim.status == "not_checkworthy"
    assert claim.history.first().history_change_reason == "not check-worthy: Opinion."


def test_auto_assign_balances_load_and_honours_expertise(seed_article, editor, alice, bob):
    alice.expertise = "defence"
    alice.save()
    claims = list(seed_article.claims.order_by("index")[:6])
    assigned = claims_auto_assign(claims=claims, actor=editor)
    counts = {u: sum(1 for c in assigned if c.assignee.username == u) for u in ("alice", "bob")}
    assert counts == {"alice": 3, "bob": 3}  # no topics: the lighter load wins each time
    seed_article.topics = "Defence, war"
    seed_article.save()
    more = claims_auto_assign(claims=list(seed_article.claims.order_by("index")[6:9]), actor=editor)
    assert {c.assignee.username for c in more} == {"alice"}  # expertise first


def test_auto_assign_never_picks_the_claims_approver(
    claim, editor, alice, bob, true_rating, django_user_model
):
    from django.contrib.auth.models import Group

    dual = django_user_model.objects.create_user("dual", is_staff=True)
    dual.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Fact-checkers"))
    claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict_submit(claim=claim, rating=true_rating, summary="ok", actor=alice)
    verdict_return(claim=claim, actor=dual, comment="more")
    claim_start(claim=claim, actor=alice)
    verdict_submit(claim=claim, rating=true_rating, summary="ok2", actor=alice)
    verdict_approve(claim=claim, actor=dual)
    claim.refresh_from_db()
    claim.status = "stale"  # the article's text changed after approval: the claim goes back for review
    save_with_history(claim, actor=editor, reason="text changed")
    with pytest.raises(WorkflowError, match="four eyes"):
        claim_assign(claim=claim, assignee=dual, actor=editor)
    (reassigned,) = claims_auto_assign(claims=[claim], actor=editor)
    assert reassigned.assignee.username in ("alice", "bob")
