"""The claim page: the claim in context, and each workflow step posted from it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Claim, Evidence, Rating, Verdict
from reviews.services.claims import claim_assign, claim_schedule, claim_start
from reviews.services.history import save_with_history
from reviews.services.verdicts import verdict_approve, verdict_submit
from tests.conftest import page_queries

# Sentence 6 of the prisoners-of-war seed: a captive's quote, flagged pow_imagery.
POW_QUOTE = "I was given the opportunity to call my parents"


@pytest.fixture
def claim(seed_article):
    return seed_article.claims.get(text__startswith=POW_QUOTE)


@pytest.fixture
def assigned(claim, editor, alice):
    return claim_assign(claim=claim, assignee=alice, actor=editor)


def page_url(claim):
    return reverse("admin:reviews_claim_change", args=[claim.pk])


def post_step(client, claim, action, **data):
    claim.refresh_from_db()
    return client.post(page_url(claim), {"_action": action, "version": claim.version, **data}, follow=True)


def verdict_data(rating, *sources, reuse=()):
    data = {
        "rating": rating.pk,
        "summary": "The quote matches the Telegraph's recording.",
        "claim_reviewed": "A soldier said his parents had prepared his funeral.",
        "explanation": "Checked against the press conference video.",
        "reuse": [e.pk for e in reuse],
        "evidence-TOTAL_FORMS": "3",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "20",
    }
    for i, (url, stance) in enumerate(sources):
        data |= {
            f"evidence-{i}-url": url,
            f"evidence-{i}-title": f"Source {i}",
            f"evidence-{i}-excerpt": "…",
            f"evidence-{i}-stance": stance,
            f"evidence-{i}-accessed": "2026-11-20",
        }
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_shows_the_claim_in_context_with_flags_checkables_and_history(client, alice, editor, assigned):
    # The flag a legal reviewer would raise on a captive's words (whether the engine raises it
    # is the flag scorer's business, measured by `make bench`).
    from reviews.models import Flag, FlagRule
    from reviews.services.history import save_with_history

    rule = FlagRule.objects.get(code="pow_imagery")
    if not Flag.objects.filter(claim=assigned, rule=rule).exists():
        flag = Flag(
            article=assigned.article,
            revision=assigned.revision,
            claim=assigned,
            rule=rule,
            field="body",
            start=assigned.start,
            end=assigned.end,
            text=assigned.text,
            why="reproduces what a captive said in captivity",
            severity=rule.severity,
            rules_version="test",
        )
        save_with_history(flag, actor=editor, reason="raised by hand")
    client.force_login(alice)
    response = client.get(page_url(assigned))
    html = response.content.decode()
    page = response.context["page"]
    assert response.status_code == 200
    # The sentences around it, as the article has them, and the claim highlighted between.
    assert page.before.endswith("He said: 'In Russia we are already considered dead. ")
    assert page.after.startswith("\n\n'If we are exchanged, then we will be shot by our own people.'")
    assert 'id="this-claim">I was given the opportunity' in html
    # Its flag, with the reference and the guidance.
    assert "Images or words of prisoners of war" in html and "Geneva Convention III" in html
    assert "What to do:" in html
    # Its checkables and its history, with who did it.
    assert "<td>“I was given the opportunity" in html
    assert "assigned to alice" in html and "<td>eddie</td>" in html


def test_fact_checker_starts_and_others_see_who_is_reviewing(client, alice, bob, assigned):
    client.force_login(alice)
    response = post_step(client, assigned, "start")
    assert "Review started" in " ".join(messages_of(response))
    client.force_login(bob)
    assert "Being reviewed by <strong>alice</strong>" in client.get(page_url(assigned)).content.decode()
    listing = client.get(reverse("admin:reviews_claim_changelist"), {"work": "in_review"}).content.decode()
    assert "In review</span> by alice" in listing
    assert 'id="verdict-form"' not in client.get(page_url(assigned)).content.decode()


def test_verdict_with_new_and_reused_evidence(client, alice, assigned):
    earlier = Evidence(url="https://example.org/earlier", title="Earlier", stance="context", created_by=alice)
    save_with_history(earlier, actor=alice, reason="test")
    rating = Rating.objects.get(label="True")
    client.force_login(alice)
    data = verdict_data(
        rating,
        ("https://www.telegraph.co.uk/world-news/", "supports"),
        ("https://www.icrc.org/en/document/", "context"),
        reuse=[earlier],
    )
    response = post_step(client, assigned, "submit", **data)
    assert "Verdict submitted for approval." in messages_of(response)
    verdict = Verdict.objects.get(claim=assigned)
    assert (verdict.rating, verdict.author, verdict.status) == (rating, assigned.assignee, "submitted")
    assert sorted(e.url for e in verdict.evidence.all()) == [
        "https://example.org/earlier",
        "https://www.icrc.org/en/document/",
        "https://www.telegraph.co.uk/world-news/",
    ]
    created = Evidence.objects.get(url="https://www.icrc.org/en/document/")
    assert created.created_by == assigned.assignee
    assert created.history.get().history_user == assigned.assignee
    assigned.refresh_from_db()
    assert assigned.status == "submitted"
    assert assigned.history.first().history_change_reason == "verdict submitted: True"


def test_invalid_evidence_keeps_what_was_typed_and_saves_nothing(client, alice, assigned):
    claim_start(claim=assigned, actor=alice)
    client.force_login(alice)
    data = verdict_data(Rating.objects.get(label="False"), ("not a url", "refutes"))
    response = post_step(client, assigned, "submit", **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid URL." in html
    assert "The quote matches the Telegraph&#x27;s recording." in html  # the summary is still there
    assert not Verdict.objects.exists() and not Evidence.objects.exists()
    assigned.refresh_from_db()
    assert assigned.status == "in_review"


def test_a_step_with_mistakes_says_so_at_the_top_of_the_page(client, editor, alice, assigned, seed_article):
    """The page opens at its top again: the reader is told the step was not taken, not left to
    find the red field half a page down."""
    claim_start(claim=assigned, actor=alice)
    client.force_login(alice)
    data = verdict_data(Rating.objects.get(label="False"), ("https://example.org/a", "refutes"))
    data["evidence-1-title"] = "Phone call with the ministry"  # a source with no URL
    response = post_step(client, assigned, "submit", **data)
    assert messages_of(response) == ["The verdict was not submitted: correct the fields marked below."]
    assert not Verdict.objects.exists()

    other = seed_article.claims.filter(checkworthy=True, status="new").first()
    client.force_login(editor)
    response = post_step(client, other, "assign", due="2020-01-01")
    assert messages_of(response) == ["Not assigned: correct the fields marked below."]


def test_more_source_rows_keeps_what_was_typed_and_saves_nothing(client, alice, assigned):
    claim_start(claim=assigned, actor=alice)
    earlier = Evidence(url="https://example.org/earlier", title="Earlier", stance="context", created_by=alice)
    save_with_history(earlier, actor=alice, reason="test")
    client.force_login(alice)
    data = verdict_data(
        Rating.objects.get(label="True"),
        ("https://www.telegraph.co.uk/world-news/", "supports"),
        ("https://www.icrc.org/en/document/", "context"),
        reuse=[earlier],
    )
    response = post_step(client, assigned, "more_evidence", **data)
    assert response.status_code == 200
    formset, form = response.context["evidence_formset"], response.context["verdict_form"]
    # The two typed sources, then three empty rows; the verdict as typed, unvalidated.
    assert formset.total_form_count() == 5
    assert [f.initial.get("url") for f in formset.forms[:2]] == [
        "https://www.telegraph.co.uk/world-news/",
        "https://www.icrc.org/en/document/",
    ]
    assert formset.forms[1].initial["stance"] == "context"
    assert not any(f.initial for f in formset.forms[2:])
    assert form.initial["summary"] == data["summary"] and form.initial["reuse"] == [str(earlier.pk)]
    html = response.content.decode()
    assert 'value="https://www.icrc.org/en/document/"' in html and "errorlist" not in html
    assert html.count('class="nr-evidence-row"') == 5
    assert not Verdict.objects.exists() and Evidence.objects.count() == 1
    assigned.refresh_from_db()
    assert assigned.status == "in_review"

    # Then the verdict goes in with all five rows' worth of form.
    data = verdict_data(
        Rating.objects.get(label="True"),
        *[(f"https://example.org/source-{i}", "supports") for i in range(5)],
    )
    data["evidence-TOTAL_FORMS"] = "5"
    response = post_step(client, assigned, "submit", **data)
    assert "Verdict submitted for approval." in messages_of(response)
    assert Verdict.objects.get(claim=assigned).evidence.count() == 5


def test_a_step_on_a_stale_page_is_refused_and_says_who_changed_it(client, editor, alice, bob, assigned):
    client.force_login(alice)
    seen = assigned.version
    claim_assign(claim=assigned, assignee=bob, actor=editor)  # the editor moves it meanwhile
    response = client.post(page_url(assigned), {"_action": "start", "version": seen}, follow=True)
    (message,) = messages_of(response)
    assert message.startswith("Not saved: claim #") and "changed by eddie" in message
    assigned.refresh_from_db()
    assert (assigned.status, assigned.assignee) == ("assigned", bob)


def test_stale_verdict_keeps_the_typed_verdict_on_screen(client, editor, alice, assigned):
    client.force_login(alice)
    seen = assigned.version
    claim_start(claim=assigned, actor=alice)  # e.g. in another tab
    data = verdict_data(Rating.objects.get(label="False"), ("https://example.org/a", "refutes"))
    response = client.post(page_url(assigned), {"_action": "submit", "version": seen, **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not submitted yet: you started the review of this claim at" in html
    assert "https://example.org/a" in html and 'id="verdict-form"' in html
    assert not Verdict.objects.exists()


def test_editor_approves_and_returns_from_the_page(client, editor, alice, assigned, seed_article):
    rating = Rating.objects.get(label="Mostly true")
    verdict_submit(claim=assigned, rating=rating, summary="Close.", actor=alice)
    client.force_login(editor)
    html = client.get(page_url(assigned)).content.decode()
    assert "Approve or return alice's verdict" in html
    response = post_step(client, assigned, "return", comment="")
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = post_step(client, assigned, "return", comment="Cite the video.")
    assert "Verdict returned to its author." in messages_of(response)
    assigned.refresh_from_db()
    assert assigned.status == "returned"
    verdict_submit(claim=assigned, rating=rating, summary="Cited.", actor=alice)
    response = post_step(client, assigned, "approve")
    assert "Verdict approved: Mostly true." in messages_of(response)
    assert Verdict.objects.get(claim=assigned, status="approved").approved_by == editor


def test_editor_assigns_and_dismisses_from_the_page(client, editor, alice, seed_article):
    claim, other = seed_article.claims.order_by("index")[:2]
    client.force_login(editor)
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = post_step(client, claim, "assign", assignee=alice.pk, due=due, priority="4")
    assert "Assigned to alice." in messages_of(response)
    claim.refresh_from_db()
    assert (claim.assignee, str(claim.due), claim.priority) == (alice, due, 4)
    post_step(client, other, "dismiss", reason="Scene-setting, no claim.")
    other.refresh_from_db()
    assert other.status == "not_checkworthy"


def test_others_are_refused_by_the_services_and_the_admin(client, bob, lawyer, assigned):
    rating = Rating.objects.get(label="True")
    client.force_login(bob)
    response = post_step(client, assigned, "submit", **verdict_data(rating))
    assert "Not saved: this claim is assigned to alice, not to bob." in response.content.decode()
    response = post_step(client, assigned, "assign", assignee=bob.pk)
    assert "Not saved: bob may not assign claims." in messages_of(response)
    client.force_login(lawyer)
    assert client.get(page_url(assigned)).status_code == 200  # legal reviewers read claims
    assert post_step(client, assigned, "start").status_code == 403
    assert not Verdict.objects.exists()


def test_page_queries_do_not_grow_with_verdicts_flags_or_history(client, editor, alice, bob, assigned):
    client.force_login(editor)

    def count():
        return page_queries(client, page_url(assigned))[0]

    before = count()
    evidence = []
    for i in range(4):
        ev = Evidence(url=f"https://example.org/{i}", stance="supports")
        save_with_history(ev, actor=alice, reason="test")
        evidence.append(ev)
    rating = Rating.objects.get(label="True")
    for round_ in range(3):  # three returned verdicts, then one approved: many history rows
        verdict = verdict_submit(
            claim=assigned, rating=rating, summary=f"v{round_}", evidence=evidence, actor=alice
        )
        if round_ < 2:
            from reviews.services.verdicts import verdict_return

            verdict_return(claim=assigned, actor=editor, comment="again")
    verdict_approve(claim=assigned, actor=editor)
    assert Verdict.objects.filter(claim=assigned).count() == 3 and verdict.evidence.count() == 4
    assert count() == before
    assert before <= 18  # 14, plus previous / next (1-2), the discussion (1), the claim's edit forms (1)


def test_missing_claim_redirects_with_a_message(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:reviews_claim_change", args=[999999]), follow=True)
    assert "doesn’t exist" in " ".join(messages_of(response))
    assert not Claim.objects.filter(pk=999999).exists()


def test_a_returned_verdict_names_who_returned_it_and_comes_back_prefilled(client, editor, alice, assigned):
    """The page credits the return to the editor (not the author), and the fact-checker's form
    comes back with the returned verdict's rating, text and sources, to correct, not retype."""
    from reviews.services.verdicts import verdict_return

    claim_start(claim=assigned, actor=alice)
    source = Evidence(url="https://example.org/recording", created_by=alice)
    save_with_history(source, actor=alice, reason="test")
    rating = Rating.objects.get(label="Mostly true")
    verdict_submit(
        claim=assigned,
        rating=rating,
        summary="Matches the recording.",
        claim_reviewed="A soldier said his parents had prepared his funeral.",
        explanation="Seen.",
        evidence=[source],
        actor=alice,
    )
    verdict_return(claim=assigned, actor=editor, comment="Which recording?")
    client.force_login(alice)
    page = client.get(page_url(assigned))
    text = page.content.decode()
    assert "returned by eddie" in text and "returned by alice" not in text
    form = page.context["verdict_form"]
    assert form.initial == {
        "rating": rating.pk,
        "summary": "Matches the recording.",
        "claim_reviewed": "A soldier said his parents had prepared his funeral.",
        "explanation": "Seen.",
        "reuse": [source.pk],
    }
    assert f'<option value="{rating.pk}" selected>' in text


def test_a_new_verdict_has_no_rating_chosen_for_the_fact_checker(client, alice, assigned):
    claim_start(claim=assigned, actor=alice)
    client.force_login(alice)
    text = client.get(page_url(assigned)).content.decode()
    form_html = text.split('name="rating"')[1].split("</select>")[0]
    assert " selected" in form_html.split("</option>")[0]  # the empty choice
    assert form_html.count(" selected") == 1
    data = verdict_data(Rating.objects.get(label="True"))
    del data["rating"]
    response = post_step(client, assigned, "submit", **data)
    assert not Verdict.objects.filter(claim=assigned).exists()
    assert response.status_code == 200


def test_the_verdict_form_opens_once_the_review_is_started(client, alice, assigned):
    client.force_login(alice)
    page = client.get(page_url(assigned)).content.decode()
    assert 'id="start-form"' in page and 'id="verdict-form"' not in page
    assert "the verdict form opens once you start" in page
    post_step(client, assigned, "start")
    page = client.get(page_url(assigned)).content.decode()
    assert 'id="verdict-form"' in page and 'id="start-form"' not in page


def test_approving_warns_of_open_legal_flags(client, editor, alice, seed_article):
    legal = seed_article.flags.filter(resolver_role="legal", status="open", claim__isnull=False).first()
    claim = legal.claim
    claim_assign(claim=claim, assignee=alice, actor=editor)
    claim_start(claim=claim, actor=alice)
    verdict_submit(claim=claim, rating=Rating.objects.get(label="True"), summary="Yes.", actor=alice)
    n = claim.flags.filter(resolver_role="legal", status="open").count()
    client.force_login(editor)
    page = client.get(page_url(claim)).content.decode()
    assert f"{n} legal flag{'s' if n > 1 else ''} on this claim {'are' if n > 1 else 'is'} still open" in page
    response = post_step(client, claim, "approve")
    assert any("legal flag(s) on this claim are still open" in m for m in messages_of(response))


def test_due_dates_in_the_past_are_refused_and_a_new_date_is_no_new_assignment(
    client, editor, alice, assigned, mailoutbox, django_capture_on_commit_callbacks
):
    from reviews.services.claims import claim_schedule
    from reviews.services.workflow import WorkflowError

    mailoutbox.clear()
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(WorkflowError, match="in the past"):
        claim_schedule(claim=assigned, actor=editor, due=yesterday)
    with pytest.raises(WorkflowError, match="in the past"):
        claim_assign(claim=assigned, assignee=alice, actor=editor, due=yesterday)
    client.force_login(editor)
    changelist = reverse("admin:reviews_claim_changelist")
    response = client.post(
        changelist,
        {"action": "set_due_date", "_selected_action": [assigned.pk], "due": yesterday.isoformat()},
    )
    assert response.status_code == 200 and "is in the past" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.due is None and not mailoutbox
    soon = timezone.localdate() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            changelist, {"action": "set_due_date", "_selected_action": [assigned.pk], "due": soon.isoformat()}
        )
    assigned.refresh_from_db()
    assert assigned.due == soon
    assert [m.subject.split(":")[0] for m in mailoutbox] == [f"Due date {soon:%d %b}"]
    assert f"/admin/reviews/claim/{assigned.pk}/change/" in mailoutbox[0].body


def test_assignment_mail_links_to_the_claim(
    editor, alice, seed_article, mailoutbox, django_capture_on_commit_callbacks
):
    claim = seed_article.claims.order_by("index")[2]
    with django_capture_on_commit_callbacks(execute=True):
        claim_assign(claim=claim, assignee=alice, actor=editor)
    assert len(mailoutbox) == 1
    assert f"/admin/reviews/claim/{claim.pk}/change/" in mailoutbox[0].body


def test_previous_and_next_follow_my_queue(client, editor, alice, seed_article):
    today = timezone.localdate()
    claims = list(seed_article.claims.filter(checkworthy=True).order_by("index")[:3])
    for days, claim in zip((3, 1, 2), claims, strict=True):
        claim_assign(claim=claim, assignee=alice, actor=editor, due=today + timedelta(days=days))
    client.force_login(alice)
    # The queue runs by due date: claims[1] (tomorrow), claims[2], claims[0].
    context = client.get(page_url(claims[2])).context
    n = context["neighbours"]
    assert (n.within, n.previous, n.next, n.position, n.total) == (
        "your queue",
        claims[1].pk,
        claims[0].pk,
        2,
        3,
    )
    page = client.get(page_url(claims[1])).content.decode()
    assert 'rel="next" accesskey="n"' in page and 'id="nr-prev"' not in page
    client.force_login(editor)  # not in the editor's queue: the article's check-worthy claims
    n = client.get(page_url(claims[1])).context["neighbours"]
    assert (n.within, n.previous, n.next) == ("this article", claims[0].pk, claims[2].pk)


def test_claims_filter_by_open_flag_and_by_rating(client, editor, alice, seed_article):
    flagged = seed_article.flags.filter(rule__code="pow_imagery", status="open", claim__isnull=False)
    client.force_login(editor)
    listed = client.get(reverse("admin:reviews_claim_changelist"), {"flag": "pow_imagery"})
    assert {c.pk for c in listed.context["cl"].result_list} == set(flagged.values_list("claim_id", flat=True))
    claim = seed_article.claims.order_by("index")[0]
    claim_assign(claim=claim, assignee=alice, actor=editor)
    mostly = Rating.objects.get(label="Mostly true")
    verdict_submit(claim=claim, rating=mostly, summary="Yes.", actor=alice)
    listed = client.get(reverse("admin:reviews_claim_changelist"), {"rating": mostly.pk})
    assert [c.pk for c in listed.context["cl"].result_list] == [claim.pk]
    assert client.get(reverse("admin:reviews_claim_changelist"), {"rating": "²"}).status_code == 200


def test_discussion_notes_replies_and_mentions(
    client, editor, alice, bob, assigned, mailoutbox, django_capture_on_commit_callbacks
):
    """The team discusses a claim: a note mentioning @bob e-mails him with a link, a reply
    threads under it, an unknown @name is refused with nothing saved; history has the authors."""
    from reviews.models import ClaimNote

    url = page_url(assigned)
    client.force_login(alice)
    mailoutbox.clear()  # the assignment's e-mail to alice
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, assigned, "note", text="@bob did the Telegraph run the full video?")
    assert any("Told by e-mail: bob" in m for m in messages_of(response))
    note = ClaimNote.objects.get(claim=assigned)
    assert list(note.mentions.all()) == [bob]
    assert {h.history_user for h in note.history.all()} == {alice}
    assert [m.to for m in mailoutbox] == [["bob@example.org"]]
    assert f"/admin/reviews/claim/{assigned.pk}/change/#note-{note.pk}" in mailoutbox[0].body
    client.force_login(bob)
    post_step(client, assigned, "note", text="Only stills, @alice.", parent=note.pk)
    response = post_step(client, assigned, "note", text="Ask @nobody-here about it.")
    assert any("no colleague is called @nobody-here" in m for m in messages_of(response))
    assert ClaimNote.objects.filter(claim=assigned).count() == 2
    page = client.get(url)
    threads = page.context["discussion"]
    assert [(n.text, [r.author.username for r in replies]) for n, replies in threads] == [
        ("@bob did the Telegraph run the full video?", ["bob"])
    ]
    assert 'id="note-form"' in page.content.decode()
    client.force_login(editor)
    assert post_step(client, assigned, "note", text="   ").status_code == 200
    assert ClaimNote.objects.count() == 2


def test_a_fact_checker_marks_not_a_claim_then_check_this_on_the_claim_page(client, alice, assigned):
    client.force_login(alice)
    assert 'value="mark_not_a_claim"' in client.get(page_url(assigned)).content.decode()
    response = post_step(client, assigned, "mark_not_a_claim")
    assert "Marked “not a claim”." in response.content.decode()
    assigned.refresh_from_db()
    assert (assigned.checkworthy, assigned.checkworthy_decision) == (False, "not_a_claim")
    post_step(client, assigned, "mark_check")
    assigned.refresh_from_db()
    assert (assigned.checkworthy, assigned.checkworthy_decision) == (True, "check")
    reasons = list(assigned.history.values_list("history_change_reason", "history_user__username")[:2])
    assert reasons == [("check-worthiness: check this", "alice"), ("check-worthiness: not a claim", "alice")]


def test_each_flag_says_how_sure_the_scorer_is(client, editor, seed_article):
    flag = seed_article.flags.exclude(claim=None).exclude(confidence__isnull=True).first()
    client.force_login(editor)
    html = client.get(page_url(flag.claim)).content.decode()
    assert f"confidence {flag.confidence_label}" in html


def test_a_quote_among_the_checkables_is_shown_between_one_pair_of_marks(client, alice, assigned):
    """The engine keeps a quote's own marks or not: the page adds marks only where there are none
    (it showed ""a vanity project"")."""
    from reviews.templatetags.factcheck import quoted

    assert quoted('"a vanity project"') == '"a vanity project"'
    assert quoted("“This is the first strike,”") == "“This is the first strike,”"
    assert quoted("I was given the opportunity") == "“I was given the opportunity”"
    assigned.refresh_from_db()
    [quote] = assigned.checkables["quotes"]
    client.force_login(alice)
    page = client.get(page_url(assigned)).content.decode()
    row = page.split("<th>Quotes</th>", 1)[1].split("</tr>", 1)[0]
    assert row.startswith(f"<td>“{quote}”"), row


def _verdict_typed_while(client, alice, assigned, change):
    """Alice opens the claim and types a verdict; meanwhile ``change`` happens; she submits."""
    claim_start(claim=assigned, actor=alice)
    client.force_login(alice)
    assigned.refresh_from_db()
    seen = assigned.version
    change()
    data = verdict_data(Rating.objects.get(label="False"), ("https://example.org/recording", "refutes"))
    return client.post(page_url(assigned), {"_action": "submit", "version": seen, **data})


def test_a_verdict_refused_because_the_claim_was_reassigned_keeps_the_text_to_copy(
    client, editor, alice, bob, assigned
):
    response = _verdict_typed_while(
        client, alice, assigned, lambda: claim_assign(claim=assigned, assignee=bob, actor=editor)
    )
    assert response.status_code == 200
    at = timezone.localtime(Claim.objects.get(pk=assigned.pk).history.first().history_date)
    assert messages_of(response) == [
        f"Not submitted: eddie reassigned this claim to bob at {at:%H:%M}, so you can no longer submit "
        "a verdict on it. Your text is below: copy it if you need it."
    ]
    html = response.content.decode()
    assert 'id="verdict-form"' not in html  # not hers to submit any more
    (typed,) = re.findall(r"<textarea readonly[^>]*>(.*?)</textarea>", html, re.S)
    for text in (
        "Rating: False",
        "Claim as checked: A soldier said his parents had prepared his funeral.",
        "Summary: The quote matches the Telegraph&#x27;s recording.",
        "Explanation: Checked against the press conference video.",
        "Source 1: URL: https://example.org/recording; Title: Source 0; Excerpt: …; Stance: Refutes",
    ):
        assert text in typed
    assert not Verdict.objects.exists()


def test_a_verdict_refused_because_the_due_date_changed_stays_in_its_form_and_goes_in_next(
    client, editor, alice, assigned
):
    due = timezone.localdate() + timedelta(days=9)
    response = _verdict_typed_while(
        client, alice, assigned, lambda: claim_schedule(claim=assigned, due=due, actor=editor)
    )
    at = timezone.localtime(Claim.objects.get(pk=assigned.pk).history.first().history_date)
    assert messages_of(response) == [
        f"Not submitted yet: eddie changed the due date to {due:%d %b %Y} at {at:%H:%M}. "
        "Your verdict is below as you typed it: check it and submit again."
    ]
    html = response.content.decode()
    assert "reload" not in html and "nr-unsaved" not in html
    assert "The quote matches the Telegraph&#x27;s recording." in html
    assert 'value="https://example.org/recording"' in html
    # the form carries the claim's version as it is now: the next click goes through
    assigned.refresh_from_db()
    assert f'name="version" value="{assigned.version}"' in html
    data = verdict_data(Rating.objects.get(label="False"), ("https://example.org/recording", "refutes"))
    response = post_step(client, assigned, "submit", **data)
    assert "Verdict submitted for approval." in messages_of(response)
    assert Verdict.objects.get(claim=assigned).evidence.get().url == "https://example.org/recording"
