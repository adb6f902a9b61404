"""The claim workflow is declared once (services.workflow): every page offers exactly the
actions it allows, for every user and every state, and the services refuse the rest."""

import re

import pytest
from django.urls import reverse

from reviews.models import ClaimStatus, Rating
from reviews.services.claims import claim_assign, claim_dismiss, claim_start
from reviews.services.common import claim_context
from reviews.services.history import save_with_history
from reviews.services.verdicts import verdict_approve, verdict_return, verdict_submit
from reviews.services.workflow import ACTIONS, WorkflowError, allowed_actions, list_actions, refusal

S = ClaimStatus

# The claim page's buttons, by the declared action each one takes.
BUTTONS = {
    "start": "start",
    "submit": "submit",
    "approve": "approve",
    "return": "return",
    "assign": "assign",
    "schedule": "schedule",
    "dismiss": "dismiss",
    "split": "edit",
    "merge": "edit",
    "narrow": "edit",
    "mark_check": "checkworthiness",
    "mark_not_a_claim": "checkworthiness",
    "describe": "describe",
}


def _in_state(claim, state, *, editor, alice):
    """Bring ``claim`` to ``state`` the way the newsroom would (alice is its fact-checker)."""
    rating = Rating.objects.get(label="True")
    if state == S.NEW:
        return claim
    if state == S.NOT_CHECKWORTHY:
        return claim_dismiss(claim=claim, actor=editor, reason="opinion")
    claim_assign(claim=claim, assignee=alice, actor=editor)
    if state in (S.STALE, S.WITHDRAWN):  # what a new version of the article does to it
        claim.refresh_from_db()
        claim.status = state
        save_with_history(claim, actor=editor, reason=f"{state} in a new version")
        return claim
    if state == S.ASSIGNED:
        return claim
    claim_start(claim=claim, actor=alice)
    if state == S.IN_REVIEW:
        return claim
    verdict_submit(claim=claim, rating=rating, summary="Checked.", actor=alice)
    if state == S.APPROVED:
        verdict_approve(claim=claim, actor=editor)
    elif state == S.RETURNED:
        verdict_return(claim=claim, actor=editor, comment="Add a source.")
    return claim


def _offered(client, user, claim) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("admin:reviews_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    values = re.findall(r'name="_action" value="([a-z_]+)"', response.content.decode())
    return {BUTTONS[v] for v in values if v in BUTTONS}


@pytest.mark.parametrize("state", list(S))
def test_the_claim_page_offers_exactly_the_declared_actions(
    client, seed_article, editor, alice, bob, lawyer, state
):
    claims = list(seed_article.claims.order_by("index"))
    claim = _in_state(claims[3], state, editor=editor, alice=alice)
    claim.refresh_from_db()
    assert claim.status == state
    for user in (editor, alice, bob, lawyer):
        allowed = allowed_actions(user, claim, claim_context(claim))
        assert _offered(client, user, claim) == allowed, (user.username, state)


def test_the_claim_list_offers_the_declared_list_actions(client, seed_article, editor, alice, lawyer):
    url = reverse("admin:reviews_claim_changelist")
    steps = {
        "assign_to": "assign",
        "auto_assign": "assign",
        "set_due_date": "schedule",
        "dismiss_claims": "dismiss",
    }
    for user in (editor, alice, lawyer):
        client.force_login(user)
        html = client.get(url).content.decode()
        offered = {steps[v] for v in re.findall(r'<option value="([a-z_]+)"', html) if v in steps}
        assert offered == list_actions(user, set(steps.values())), user.username
    assert list_actions(editor, {"assign", "schedule", "dismiss"}) == {"assign", "schedule", "dismiss"}
    assert list_actions(alice, {"assign", "schedule", "dismiss"}) == frozenset()


def test_every_transition_leads_where_it_is_declared(seed_article, editor, alice):
    claim = seed_article.claims.order_by("index")[2]
    claim_assign(claim=claim, assignee=alice, actor=editor)
    claim.refresh_from_db()
    assert claim.status == ACTIONS["assign"].target
    claim_start(claim=claim, actor=alice)
    claim.refresh_from_db()
    assert claim.status == ACTIONS["start"].target
    verdict_submit(claim=claim, rating=Rating.objects.get(label="True"), summary="ok", actor=alice)
    claim.refresh_from_db()
    assert claim.status == ACTIONS["submit"].target
    verdict_approve(claim=claim, actor=editor)
    claim.refresh_from_db()
    assert claim.status == ACTIONS["approve"].target


def test_services_refuse_with_the_declared_reason(seed_article, editor, alice, bob):
    claim = seed_article.claims.order_by("index")[1]
    claim_assign(claim=claim, assignee=alice, actor=editor)
    claim.refresh_from_db()
    why = refusal("start", bob, claim)
    assert why == "this claim is assigned to alice, not to bob"
    with pytest.raises(WorkflowError, match=re.escape(why)):
        claim_start(claim=claim, actor=bob)
    assert refusal("approve", editor, claim) == "cannot approve a claim that is assigned"
    with pytest.raises(WorkflowError, match="cannot approve a claim that is assigned"):
        verdict_approve(claim=claim, actor=editor)
