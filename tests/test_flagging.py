import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse

from reviews.models import ArticleRevision, Flag, FlagRule, FlagStatus, PartySource
from reviews.services.articles import article_ingest
from reviews.services.flags import (
    FlagError,
    article_reflag,
    flag_resolve,
    revision_analysis,
    revision_flag,
    rulebook,
)
from reviews.services.history import save_with_history
from tests.conftest import SEEDS


@pytest.fixture
def pow_article(editor):
    path = SEEDS / "001_147ffded2b2062e8.txt"
    return article_ingest(data=path.read_bytes(), name=path.name, actor=editor).article


def legal_flag(article):
    return article.flags.filter(rule__code="pow_imagery").order_by("start").first()


def editorial_flag(article):
    return article.flags.filter(rule__code="anonymous_source").order_by("start").first()


def test_ingest_raises_flags_with_history_by_the_actor(pow_article):
    codes = set(pow_article.flags.values_list("rule__code", flat=True))
    assert {"pow_imagery", "anonymous_source", "party_casualty_figure"} <= codes
    videos = pow_article.flags.get(
        rule__code="pow_imagery", text__startswith="The Ukrainian Security Service"
    )
    assert "Art. 13" in videos.rule.reference
    assert videos.severity == "legal" and videos.rules_version
    assert set(Flag.history.values_list("history_user__username", flat=True)) == {"eddie"}


def test_legal_flags_are_resolved_by_legal_reviewers_only(pow_article, editor, alice, lawyer):
    flag = legal_flag(pow_article)
    for user in (editor, alice):
        with pytest.raises(FlagError, match="resolved by a legal reviewer"):
            flag_resolve(flag=flag, actor=user, status="dismissed", note="fine")
    flag = flag_resolve(flag=flag, actor=lawyer, status="confirmed", note="Blur faces before publishing.")
    assert (flag.status, flag.resolved_by, flag.note) == (
        "confirmed",
        lawyer,
        "Blur faces before publishing.",
    )
    last = flag.history.first()
    assert last.history_user == lawyer and last.history_change_reason.startswith("confirmed")


def test_editorial_flags_are_resolved_by_editors(pow_article, editor, alice, lawyer):
    flag = editorial_flag(pow_article)
    for user in (alice, lawyer):
        with pytest.raises(FlagError, match="resolved by an editor"):
            flag_resolve(flag=flag, actor=user, status="dismissed", note="x")
    flag_resolve(flag=flag, actor=editor, status="dismissed", note="Source named in para 2.")


@pytest.mark.parametrize(
    ("status", "note", "message"),
    [("dismissed", "  ", "a note is required"), ("open", "x", "confirmed or dismissed")],
)
def test_resolution_needs_a_note_and_a_verdict(pow_article, editor, status, note, message):
    with pytest.raises(FlagError, match=message):
        flag_resolve(flag=editorial_flag(pow_article), actor=editor, status=status, note=note)


def test_a_resolved_flag_is_not_resolved_twice(pow_article, editor):
    flag = flag_resolve(flag=editorial_flag(pow_article), actor=editor, status="dismissed", note="ok")
    with pytest.raises(FlagError, match="already dismissed by eddie"):
        flag_resolve(flag=flag, actor=editor, status="confirmed", note="changed my mind")


def test_dismissal_survives_reanalysis(pow_article, editor):
    flag = flag_resolve(
        flag=editorial_flag(pow_article), actor=editor, status="dismissed", note="Named later."
    )
    assert article_reflag(article=pow_article, actor=editor) == (0, 0)
    flag.refresh_from_db()
    assert flag.status == "dismissed"
    # The same passage in a new revision of the article comes back dismissed, with the reason.
    old = pow_article.current_revision
    revision = ArticleRevision(
        article=pow_article,
        number=2,
        body=old.body,
        sha256=old.sha256,
        source_sha256=old.source_sha256,
        metadata=old.metadata,
        pipeline_version=old.pipeline_version,
    )
    save_with_history(revision, actor=editor, reason="test revision")
    book = rulebook(actor=editor)
    hits = book.hits(revision_analysis(old))
    flags = revision_flag(revision=revision, hits=hits, book=book, actor=editor, reason="test")
    again = [f for f in flags if f.rule_id == flag.rule_id and f.text == flag.text]
    assert len(again) == 1 and again[0].status == "dismissed"
    assert again[0].note == "Dismissed for the same passage in revision 1: Named later."


def test_reflag_withdraws_flags_of_a_disabled_rule(pow_article, editor):
    rule = FlagRule.objects.get(code="anonymous_source")
    open_count = pow_article.flags.filter(rule=rule).count()
    rule.enabled = False
    save_with_history(rule, actor=editor, reason="test")
    out = io.StringIO()
    call_command("reflag", str(pow_article.pk), "--as", "eddie", stdout=out)
    assert f"0 added, {open_count} withdrawn" in out.getvalue()
    assert not pow_article.flags.filter(rule=rule).exists()


def test_newsroom_watch_terms_and_party_sources_are_used(editor):
    save_with_history(
        FlagRule(
            code="house_terms",
            title="House terms",
            category="style",
            severity="low",
            terms="re:\\bmartyrs?\\b",
        ),
        actor=editor,
        reason="test",
    )
    save_with_history(
        PartySource(conflict="Ruritania war", party="Ruritania", kind="alias", term="Ruritanian"),
        actor=editor,
        reason="test",
    )
    save_with_history(
        PartySource(conflict="Ruritania war", party="Fenwick", kind="alias", term="Fenwick"),
        actor=editor,
        reason="test",
    )
    text = (
        "Border clash\n\nRuritanian and Fenwick troops clashed on the border.\n"
        "More than 300 Fenwick soldiers were killed, Ruritanian officials said.\n"
        "Crowds called the dead martyrs.\n"
    )
    article = article_ingest(data=text.encode(), name="clash.txt", actor=editor).article
    codes = dict(article.flags.values_list("rule__code", "text"))
    assert codes["house_terms"] == "Crowds called the dead martyrs."
    assert codes["party_casualty_figure"].startswith("More than 300 Fenwick soldiers")


def test_bad_watch_term_rule_is_rejected_in_the_admin(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:reviews_flagrule_add"),
        {
            "code": "bad",
            "title": "Bad",
            "category": "style",
            "severity": "low",
            "resolver_role": "editor",
            "enabled": "on",
            "terms": "fine\nre:(oops",
        },
    )
    assert response.status_code == 200
    assert "line 2: invalid regular expression" in response.content.decode()
    assert not FlagRule.objects.filter(code="bad").exists()


def test_triage_action_asks_for_a_note_then_resolves(client, pow_article, lawyer):
    client.force_login(lawyer)
    flag = legal_flag(pow_article)
    url = reverse("admin:reviews_flag_changelist")
    data = {"action": "confirm_flags", "_selected_action": [flag.pk]}
    response = client.post(url, data)
    assert response.status_code == 200 and b"note" in response.content
    response = client.post(url, {**data, "note": "Faces blurred; justified."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by) == (FlagStatus.CONFIRMED, lawyer)


def test_editor_cannot_clear_legal_flags_from_the_admin(client, pow_article, editor):
    client.force_login(editor)
    flag = legal_flag(pow_article)
    response = client.post(
        reverse("admin:reviews_flag_changelist"),
        {"action": "dismiss_flags", "_selected_action": [flag.pk], "note": "no"},
        follow=True,
    )
    assert "resolved by a legal reviewer" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == "open"


def test_article_page_warns_of_unresolved_legal_flags(client, pow_article, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:reviews_article_change", args=[pow_article.pk])).content.decode()
    assert "unresolved legal flag(s)" in html
    assert 'title="Flags: pow_imagery (legal)"' in html


def test_fact_checkers_cannot_triage(client, pow_article, alice):
    client.force_login(alice)
    response = client.get(reverse("admin:reviews_flag_changelist"))
    assert response.status_code == 200
    assert "confirm_flags" not in response.content.decode()


def test_a_flag_page_offers_confirm_and_dismiss_with_a_note_and_no_save(client, pow_article, editor, lawyer):
    from django.contrib.admin.models import LogEntry

    flag = pow_article.flags.filter(rule__code="pow_imagery").first()
    url = reverse("admin:reviews_flag_change", args=[flag.pk])
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page and 'name="_triage"' not in page  # legal's flag: read only
    client.force_login(lawyer)
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page and 'name="_continue"' not in page
    assert 'value="confirmed"' in page and 'value="dismissed"' in page
    rows, logs = flag.history.count(), LogEntry.objects.count()
    client.post(url, {})  # a plain save writes nothing, not even an empty audit entry
    assert (flag.history.count(), LogEntry.objects.count()) == (rows, logs)
    response = client.post(url, {"_triage": "confirmed", "note": ""})
    flag.refresh_from_db()
    assert response.status_code == 200 and flag.status == "open"
    client.post(url, {"_triage": "confirmed", "note": "Faces blurred; public interest."})
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by, flag.note) == (
        "confirmed",
        lawyer,
        "Faces blurred; public interest.",
    )
    assert flag.history.first().history_user == lawyer


def test_flags_are_resolved_on_the_claim_page(client, pow_article, editor, lawyer):
    flag = pow_article.flags.filter(resolver_role="editor", claim__isnull=False).first()
    legal = pow_article.flags.filter(resolver_role="legal", claim__isnull=False).first()
    client.force_login(editor)
    page = client.get(reverse("admin:reviews_claim_change", args=[flag.claim_id])).content.decode()
    assert f'id="triage-{flag.pk}"' in page
    legal_page = client.get(reverse("admin:reviews_claim_change", args=[legal.claim_id])).content.decode()
    assert f'id="triage-{legal.pk}"' not in legal_page
    claim = flag.claim
    url = reverse("admin:reviews_claim_change", args=[claim.pk])
    data = {"_action": "flag_dismissed", "version": claim.version, "flag": flag.pk, f"note-{flag.pk}": ""}
    client.post(url, data)
    flag.refresh_from_db()
    assert flag.status == "open"
    client.post(url, {**data, f"note-{flag.pk}": "Attributed two lines down."})
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by) == ("dismissed", editor)


def test_stored_flags_keep_the_scorers_confidence_in_bands(pow_article):
    flags = list(pow_article.flags.select_related("rule"))
    scored = [f for f in flags if f.confidence is not None]
    assert scored and all(0 < f.confidence < 1 for f in scored)
    flag = scored[0]
    for value, band in ((0.82, "high"), (0.6, "high"), (0.5, "medium"), (0.35, "medium"), (0.2, "low")):
        flag.confidence = value
        assert flag.confidence_band == band
        assert flag.confidence_label == f"{band} ({round(value * 100)} %)"
    flag.confidence = None
    assert flag.confidence_band == flag.confidence_label == ""


def test_the_flag_list_shows_confidence_and_filters_by_band(client, editor, pow_article):
    client.force_login(editor)
    flags = list(pow_article.flags.exclude(confidence__isnull=True))
    high = [f for f in flags if f.confidence >= 0.6]
    other = [f for f in flags if f.confidence < 0.6]
    assert high and other
    url = reverse("admin:reviews_flag_changelist")
    page = client.get(url, {"confidence": "high"}).content.decode()
    assert f"confidence high ({round(high[0].confidence * 100)} %)" in page
    assert f"{len(high)} flag" in page
    band = other[0].confidence_band
    page = client.get(url, {"confidence": band}).content.decode()
    assert f"{sum(f.confidence_band == band for f in flags)} flag" in page and "high (" not in page
    page = client.get(url, {"confidence": "none"}).content.decode()
    assert f"{pow_article.flags.filter(confidence__isnull=True).count()} flag" in page


def test_reflag_gives_open_flags_the_current_confidence_and_leaves_decided_ones(pow_article, editor, lawyer):
    flags = list(pow_article.flags.exclude(confidence__isnull=True).order_by("start"))
    stale, decided = flags[0], legal_flag(pow_article)
    current = stale.confidence
    stale.confidence = None
    save_with_history(stale, actor=editor, reason="stored before confidence was kept")
    decided = flag_resolve(flag=decided, actor=lawyer, status="confirmed", note="Blur faces.")
    was = decided.confidence
    decided.confidence = 0.01
    save_with_history(decided, actor=lawyer, reason="as it stood when decided")
    article_reflag(article=pow_article, actor=editor)
    stale.refresh_from_db()
    decided.refresh_from_db()
    assert stale.confidence == current and decided.confidence == 0.01 and was is not None
    last = stale.history.first()
    assert (last.history_user, last.history_change_reason) == (
        editor,
        "confidence from the current flag scorer",
    )


def test_a_flag_page_without_a_note_says_so_at_the_top(client, pow_article, lawyer):
    flag = pow_article.flags.filter(rule__code="pow_imagery").first()
    client.force_login(lawyer)
    url = reverse("admin:reviews_flag_change", args=[flag.pk])
    response = client.post(url, {"_triage": "dismissed", "note": ""})
    assert [str(m) for m in response.context["messages"]] == [
        "The flag was not dismissed: write the note below (why), then dismiss it again."
    ]


def test_a_decision_taken_from_the_legal_queue_stays_in_the_queue(client, pow_article, lawyer):
    """Opened from a filtered list (the dashboard's open legal flags), a flag page goes on to the
    next open flag of that list once the flag is resolved, keeping its filters (re-encoded)."""
    first, _, third = pow_article.flags.filter(resolver_role="legal").order_by("pk")[:3]
    client.force_login(lawyer)
    queue = "status__exact=open&resolver_role__exact=legal"
    url = reverse("admin:reviews_flag_change", args=[first.pk])
    response = client.post(
        f"{url}?_changelist_filters={quote(queue)}", {"_triage": "dismissed", "note": "Attributed."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/change/?_changelist_filters={quote(queue, safe='')}")
    assert response["Location"] != f"{url}?_changelist_filters={quote(queue, safe='')}"
    third_url = reverse("admin:reviews_flag_change", args=[third.pk])
    injected = quote("status__exact=open\r\nSet-Cookie: x=1")
    crafted = f"{third_url}?_changelist_filters={injected}"
    response = client.post(crafted, {"_triage": "dismissed", "note": "Attributed."})
    assert response.status_code == 302
    changelist = reverse("admin:reviews_flag_changelist")
    assert response["Location"] == f"{changelist}?status__exact=open%0D%0ASet-Cookie%3A+x%3D1"
