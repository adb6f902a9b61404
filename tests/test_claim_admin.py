import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.services.claims import claim_assign

CHANGELIST = reverse("admin:reviews_claim_changelist")


def in_days(n):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def claims(seed_article):
    return list(seed_article.claims.order_by("index")[:3])


def test_editor_assigns_with_due_date_and_priority(client, editor, alice, claims):
    client.force_login(editor)
    data = {"action": "assign_to", "_selected_action": [c.pk for c in claims]}
    page = client.post(CHANGELIST, data)
    assert page.status_code == 200 and "Fact-checker" in page.content.decode()
    due = in_days(3)
    response = client.post(
        CHANGELIST, {**data, "assignee": alice.pk, "due": due.isoformat(), "priority": "3"}
    )
    assert response.status_code == 302
    for claim in claims:
        claim.refresh_from_db()
        assert (claim.assignee, claim.status, claim.due, claim.priority) == (
            alice,
            "assigned",
            due,
            3,
        )
        assert claim.history.first().history_user == editor


def test_auto_assign_action(client, editor, alice, bob, claims):
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": "auto_assign", "_selected_action": [c.pk for c in claims]}, follow=True
    )
    assert "Assigned 2 to alice, 1 to bob." in response.content.decode()


def test_dismiss_action_requires_a_reason(client, editor, claims):
    client.force_login(editor)
    data = {"action": "dismiss_claims", "_selected_action": [claims[0].pk]}
    assert client.post(CHANGELIST, {**data, "reason": ""}).status_code == 200
    client.post(CHANGELIST, {**data, "reason": "Opinion."})
    claims[0].refresh_from_db()
    assert claims[0].status == "not_checkworthy"


def test_fact_checkers_have_no_editor_actions(client, alice):
    client.force_login(alice)
    html = client.get(CHANGELIST).content.decode()
    assert "assign_to" not in html and "auto_assign" not in html


def test_my_queue_lists_my_open_claims_by_due_date(client, editor, alice, bob, claims):
    claim_assign(claim=claims[0], assignee=alice, actor=editor, due=in_days(5))
    claim_assign(claim=claims[1], assignee=alice, actor=editor, due=in_days(1))
    claim_assign(claim=claims[2], assignee=bob, actor=editor)
    client.force_login(alice)
    response = client.get(CHANGELIST, {"work": "mine"})
    assert [c.pk for c in response.context["cl"].result_list] == [claims[1].pk, claims[0].pk]


def test_my_queue_queries_do_not_grow_with_the_queue(client, editor, alice, seed_article):
    from reviews.models import Claim
    from reviews.services.articles import article_ingest
    from tests.conftest import SEED_FILES, page_queries

    client.force_login(alice)

    def queue_queries():
        queries, response = page_queries(client, CHANGELIST, {"work": "mine"})
        return queries, len(response.context["cl"].result_list)

    for claim in seed_article.claims.order_by("index")[:2]:
        claim_assign(claim=claim, assignee=alice, actor=editor, due=in_days(1))
    small, shown = queue_queries()
    assert shown == 2
    for path in SEED_FILES[2:]:
        article = article_ingest(data=path.read_bytes(), name=path.name, actor=editor).article
        for claim in article.claims.order_by("index")[:10]:
            claim_assign(claim=claim, assignee=alice, actor=editor)
    large, shown = queue_queries()
    assert shown == Claim.objects.filter(assignee=alice).count() > 25
    assert large == small <= 12


def test_one_articles_claims_are_listed_in_reading_order_with_their_numbers(client, editor, seed_article):
    client.force_login(editor)
    response = client.get(CHANGELIST, {"article": seed_article.pk})
    shown = [c.index for c in response.context["cl"].result_list]
    assert shown == sorted(shown) and shown[0] == 0
    html = response.content.decode()
    assert re.search(r'class="field-sentence"><a href="[^"]+">#1</a>', html)  # the first column, linked
    assert re.search(r'class="field-sentence"><a href="[^"]+">#3</a>', html)
    # Without an article the list keeps its order (newest first) and has no number column.
    response = client.get(CHANGELIST)
    pks = [c.pk for c in response.context["cl"].result_list]
    assert pks == sorted(pks, reverse=True) and "field-sentence" not in response.content.decode()
    # A work list of one article reads in order too; a queue alone stays by due date.
    response = client.get(CHANGELIST, {"article": seed_article.pk, "work": "unassigned"})
    shown = [c.index for c in response.context["cl"].result_list]
    assert shown == sorted(shown)


def test_one_articles_claim_list_queries_do_not_grow(client, editor, seed_article):
    from reviews.services.articles import article_ingest
    from tests.conftest import SEED_FILES, page_queries

    client.force_login(editor)
    url_data = {"article": seed_article.pk}
    small, _ = page_queries(client, CHANGELIST, url_data)
    plain, _ = page_queries(client, CHANGELIST)
    for path in SEED_FILES[2:4]:
        article_ingest(data=path.read_bytes(), name=path.name, actor=editor)
    large, _ = page_queries(client, CHANGELIST, url_data)
    assert large == small == plain


def test_action_confirmation_lists_claims_in_reading_order(client, editor, seed_article):
    chosen = list(seed_article.claims.order_by("-index")[:5])  # as the list shows them: newest first
    client.force_login(editor)
    response = client.post(CHANGELIST, {"action": "assign_to", "_selected_action": [c.pk for c in chosen]})
    labels = [label for _, label in response.context["items"]]
    numbers = [int(label.split()[0].lstrip("#")) for label in labels]
    assert numbers == sorted(numbers) == sorted(c.index + 1 for c in chosen)


def test_bulk_assign_refuses_a_past_date_once_and_keeps_the_selection(client, editor, alice, claims):
    client.force_login(editor)
    data = {"action": "assign_to", "_selected_action": [c.pk for c in claims]}
    first = client.post(CHANGELIST, data).content.decode()
    assert f'min="{timezone.localdate().isoformat()}"' in first  # the date picker starts today
    yesterday = in_days(-1)
    response = client.post(
        CHANGELIST, {**data, "assignee": alice.pk, "due": yesterday.isoformat(), "priority": "3"}
    )
    assert response.status_code == 200  # the confirmation again, not the list
    html = response.content.decode()
    assert html.count("is in the past") == 1  # one message, not one per claim
    assert "Not assigned: nothing was changed." in html
    assert not list(response.context["messages"])
    for claim in claims:  # the selection and what was typed come back
        assert f'name="_selected_action" value="{claim.pk}"' in html
        claim.refresh_from_db()
        assert claim.assignee is None and claim.status == "new"
    assert f'<option value="{alice.pk}" selected>' in html
    assert f'value="{yesterday.isoformat()}"' in html and '<option value="3" selected>' in html
    # Corrected, it goes through.
    response = client.post(CHANGELIST, {**data, "assignee": alice.pk, "due": in_days(1).isoformat()})
    assert response.status_code == 302
    assert all(c.assignee == alice for c in type(claims[0]).objects.filter(pk__in=[c.pk for c in claims]))


def test_claim_page_keeps_an_overdue_claims_date_on_reassign(editor, alice, claims):
    from reviews.forms import ClaimAssignForm

    past = in_days(-3)
    form = ClaimAssignForm({"assignee": alice.pk, "due": past.isoformat()}, current_due=past)
    assert form.is_valid() and form.fields["due"].widget.attrs["min"] == past.isoformat()
    assert not ClaimAssignForm({"assignee": alice.pk, "due": past.isoformat()}).is_valid()
