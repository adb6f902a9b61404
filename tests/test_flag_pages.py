"""The flag pages: the list's bulk decisions, a flag's own page and the queue after a decision."""

from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape

from reviews.admin.flags import selection_summary
from reviews.models import Flag, FlagStatus
from reviews.selectors import paragraph_around
from reviews.services.flags import flag_resolve
from tests.conftest import page_queries

CHANGELIST = reverse("admin:reviews_flag_changelist")
QUEUE = "status__exact=open&resolver_role__exact=legal"


def change_url(flag, filters=""):
    url = reverse("admin:reviews_flag_change", args=[flag.pk])
    return f"{url}?_changelist_filters={quote(filters)}" if filters else url


def fake(pk, role, title, status=FlagStatus.OPEN):
    return SimpleNamespace(pk=pk, resolver_role=role, status=status, rule=SimpleNamespace(title=title))


# The words, without a database.


def test_the_summary_names_what_the_person_may_not_resolve_by_rule_title():
    flags = [
        fake(1, "legal", "Attack on people out of combat"),
        fake(2, "legal", "Attack on people out of combat"),
        fake(3, "editor", "Unnamed or vague source"),
        fake(4, "editor", "Figure with no source"),
        fake(5, "editor", "Figure with no source"),
    ]
    assert selection_summary(flags, {3, 4, 5}, "dismiss") == [
        "2 of 5 selected flags are legal flags (Attack on people out of combat); "
        "a legal reviewer resolves them.",
        "Dismiss the other 3?",
    ]
    assert selection_summary(flags, {1, 2}, "confirm") == [
        "3 of 5 selected flags are editorial flags (Unnamed or vague source, Figure with no source); "
        "an editor resolves them.",
        "Confirm the other 2?",
    ]
    assert selection_summary(flags, {1, 2, 3, 4, 5}, "confirm") == []


def test_the_summary_counts_decided_flags_and_says_when_none_is_left():
    flags = [fake(1, "legal", "Order to take no prisoners"), fake(2, "editor", "Typo", FlagStatus.DISMISSED)]
    assert selection_summary(flags, set(), "dismiss") == [
        "1 of 2 selected flags is a legal flag (Order to take no prisoners); a legal reviewer resolves it.",
        "1 of 2 is already resolved.",
        "None of them is yours to resolve; nothing was changed.",
    ]


def test_a_passage_is_shown_in_its_paragraph():
    text = "Headline\n\nFirst sentence. The flagged one. Last one.\n\nNext paragraph."
    start = text.index("The flagged")
    end = start + len("The flagged one.")
    assert paragraph_around(text, start, end, short=0) == ("First sentence. ", " Last one.")
    # a paragraph that is little more than its passage comes with the paragraphs either side
    assert paragraph_around(text, start, end) == (
        "Headline\n\nFirst sentence. ",
        " Last one.\n\nNext paragraph.",
    )
    assert paragraph_around("Alone.", 0, 6) == ("", "")
    long = "word " * 400
    before, after = paragraph_around(long + "X" + long, len(long), len(long) + 1, limit=50)
    assert before.startswith("…") and len(before) <= 51 and after.endswith("…") and len(after) <= 51


# The list's bulk decisions: checked before anyone writes a note.


@pytest.fixture
def mixed(seed_article):
    legal = list(seed_article.flags.filter(resolver_role="legal", status="open").order_by("pk")[:2])
    editorial = list(seed_article.flags.filter(resolver_role="editor", status="open").order_by("pk")[:3])
    assert len(legal) == 2 and len(editorial) == 3
    return legal, editorial


def test_an_editor_selecting_legal_flags_is_told_before_writing_a_note(client, editor, mixed):
    legal, editorial = mixed
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": "dismiss_flags", "_selected_action": [f.pk for f in legal + editorial]}
    )
    page = response.content.decode()
    titles = ", ".join(dict.fromkeys(f.rule.title for f in legal))
    assert f"2 of 5 selected flags are legal flags ({titles}); a legal reviewer resolves them." in page
    assert "Dismiss the other 3?" in page
    form = response.context["mine"]
    assert {f.pk for f in form} == {f.pk for f in editorial}
    for flag in legal:  # not carried on to the decision
        assert f'name="_selected_action" value="{flag.pk}"' not in page
    assert legal[0].rule.code.capitalize() not in page


def test_the_decision_is_then_taken_on_the_flags_the_person_may_resolve(client, editor, mixed):
    legal, editorial = mixed
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "dismiss_flags", "_selected_action": [f.pk for f in editorial], "note": "Attributed."},
        follow=True,
    )
    assert "3 flag(s) dismissed." in response.content.decode()
    assert set(Flag.objects.filter(pk__in=[f.pk for f in editorial]).values_list("status", flat=True)) == {
        "dismissed"
    }
    assert set(Flag.objects.filter(pk__in=[f.pk for f in legal]).values_list("status", flat=True)) == {"open"}


def test_legal_selecting_only_editorial_flags_gets_no_note_to_write(client, lawyer, mixed):
    _, editorial = mixed
    client.force_login(lawyer)
    response = client.post(
        CHANGELIST, {"action": "confirm_flags", "_selected_action": [f.pk for f in editorial]}
    )
    page = response.content.decode()
    assert "3 of 3 selected flags are editorial flags" in page and "an editor resolves them." in page
    assert "None of them is yours to resolve" in page
    assert 'name="note"' not in page


def test_a_refusal_names_the_rule_by_its_title(lawyer, editor, mixed):
    from reviews.services.flags import FlagError

    legal, _ = mixed
    with pytest.raises(FlagError) as refused:
        flag_resolve(flag=legal[0], actor=editor, status="dismissed", note="Fine.")
    assert str(refused.value) == f"legal flags ({legal[0].rule.title}) are resolved by a legal reviewer"


def test_the_actions_are_named_with_the_flag_pages_words(client, editor, seed_article):
    client.force_login(editor)
    choices = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert choices["confirm_flags"] == "Confirm selected flags: the risk is real…"
    assert choices["dismiss_flags"] == "Dismiss selected flags: no risk here…"


# A flag's own page.


def test_the_flag_page_shows_the_passage_in_its_paragraph_and_the_rule(client, lawyer, seed_article):
    flag = seed_article.flags.filter(rule__code="pow_imagery", claim__isnull=False, field="body").first()
    body = flag.revision.body
    paragraph_start = body.rfind("\n", 0, flag.start) + 1
    client.force_login(lawyer)
    response = client.get(change_url(flag))
    page = response.content.decode()
    assert '<mark class="nr-claim nr-cw nr-this" id="this-passage">' in page
    assert body[paragraph_start : flag.start].strip()[-30:] in page or paragraph_start == flag.start
    assert f"<h1>Flag: {flag.rule.title}</h1>" in page
    assert str(flag)[:60] not in page  # the cut "code on text" heading is gone
    assert escape(flag.rule.reference) in page and escape(flag.rule.guidance) in page
    assert flag.confidence_label in page
    assert reverse("admin:reviews_claim_change", args=[flag.claim_id]) in page
    details = page[page.index('<details class="module nr-details">') :]
    assert "<summary>Details</summary>" in details and f"characters {flag.start}–{flag.end}" in details
    assert flag.rules_version in details
    assert page.index("characters") > page.index('value="confirmed"')  # offsets after the decision


def test_the_flag_page_shows_no_buttons_to_someone_who_may_not_resolve_it(
    client, editor, alice, seed_article
):
    legal = seed_article.flags.filter(resolver_role="legal").first()
    editorial = seed_article.flags.filter(resolver_role="editor").first()
    for user, flag, line in (
        (editor, legal, "Legal flags are resolved by a legal reviewer"),
        (alice, editorial, "Editorial flags are resolved by an editor"),
    ):
        client.force_login(user)
        page = client.get(change_url(flag)).content.decode()
        assert 'name="_triage"' not in page and 'name="note"' not in page
        assert f"{line}; you can read this flag but not confirm or dismiss it." in page


def test_the_flag_page_costs_the_same_whatever_the_data(client, lawyer, editor, seed_article):
    from reviews.services.articles import article_ingest
    from tests.conftest import SEED_FILES

    flag = seed_article.flags.filter(resolver_role="legal").first()
    client.force_login(lawyer)
    small, _ = page_queries(client, change_url(flag, QUEUE))
    for path in SEED_FILES[1:3]:
        article_ingest(data=path.read_bytes(), name=path.name, actor=editor)
    large, _ = page_queries(client, change_url(flag, QUEUE))
    assert large == small <= 16


# The queue after a decision.


def test_a_decision_from_the_legal_queue_opens_the_next_open_legal_flag(client, lawyer, seed_article):
    queue = list(
        Flag.objects.filter(status="open", resolver_role="legal").order_by("article_id", "start", "-pk")
    )
    assert len(queue) >= 3
    client.force_login(lawyer)
    response = client.post(change_url(queue[0], QUEUE), {"_triage": "dismissed", "note": "Attributed."})
    assert response.status_code == 302 and response["Location"] == change_url(queue[1], QUEUE)
    response = client.get(response["Location"])
    message, page = " ".join(str(m) for m in response.context["messages"]), response.content.decode()
    assert "Next open legal flag" in message and f"{len(queue) - 1} left in this list" in message
    assert 'id="nr-next-flag"' in page and "Next open legal flag →" in page
    # the last one: back to the list, which says so
    for flag in queue[1:-1]:
        flag_resolve(flag=flag, actor=lawyer, status="confirmed", note="Blur the faces.")
    response = client.post(change_url(queue[-1], QUEUE), {"_triage": "confirmed", "note": "Blur."})
    assert response["Location"] == f"{CHANGELIST}?{QUEUE}"
    response = client.get(response["Location"])
    assert "No open legal flags are left in this list." in " ".join(
        str(m) for m in response.context["messages"]
    )


def test_a_flag_opened_on_its_own_leads_to_the_next_of_the_persons_flags(client, editor, seed_article):
    queue = list(
        Flag.objects.filter(status="open", resolver_role="editor").order_by("article_id", "start", "pk")
    )
    client.force_login(editor)
    response = client.post(change_url(queue[0]), {"_triage": "dismissed", "note": "Named below."})
    assert response["Location"] == change_url(queue[1])


def test_next_skips_to_the_following_open_flag_without_deciding(client, lawyer, alice, seed_article):
    queue = list(
        Flag.objects.filter(status="open", resolver_role="legal").order_by("article_id", "start", "-pk")
    )
    client.force_login(lawyer)
    nxt = reverse("admin:reviews_flag_next", args=[queue[-1].pk]) + f"?_changelist_filters={quote(QUEUE)}"
    response = client.get(nxt)
    assert response["Location"] == change_url(queue[0], QUEUE)  # round to the top
    assert Flag.objects.filter(pk=queue[-1].pk, status="open").exists()
    client.force_login(alice)  # decides no flag: no link, and nothing to skip to
    assert 'id="nr-next-flag"' not in client.get(change_url(queue[0])).content.decode()
    response = client.get(reverse("admin:reviews_flag_next", args=[queue[0].pk]))
    assert response["Location"] == change_url(queue[0])


# The words on the pages around the flags.


def test_fact_checkers_are_not_asked_to_triage_on_the_article_page(client, alice, editor, seed_article):
    url = reverse("admin:reviews_article_change", args=[seed_article.pk])
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "Triage these flags" not in page and "See these flags" in page
    client.force_login(editor)
    assert "Triage these flags" in client.get(url).content.decode()


def test_legal_reviewers_see_flag_rules_as_a_list_to_view(client, lawyer, editor):
    url = reverse("admin:reviews_flagrule_changelist")
    client.force_login(lawyer)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{url}" class="viewlink"' in page and f'<a href="{url}" class="changelink"' not in page
    client.force_login(editor)
    assert f'<a href="{url}" class="changelink"' in client.get(reverse("admin:index")).content.decode()
