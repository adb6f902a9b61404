"""Every role × every admin URL of the app × every action: who may, who may not.

The expectations are written out here by hand, as the newsroom's policy, and checked
against the running admin; they are not derived from the group table they test.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from reviews.models import (
    ApiToken,
    Article,
    ArticleRevision,
    Claim,
    Evidence,
    Feed,
    Flag,
    FlagRule,
    Job,
    Outlet,
    PartySource,
    Rating,
    User,
    Verdict,
    Webhook,
    WebhookDelivery,
)
from reviews.services.claims import claim_assign
from reviews.services.history import save_with_history
from reviews.services.verdicts import verdict_submit

EDITOR, CHECKER, LEGAL, NOBODY, ANONYMOUS = "editor", "checker", "legal", "nobody", "anonymous"
ROLES = (EDITOR, CHECKER, LEGAL, NOBODY, ANONYMOUS)
E, C, L = EDITOR, CHECKER, LEGAL

# model: (who views, who adds, who changes, who deletes) in the admin.
POLICY = {
    User: ((), (), (), ()),
    Outlet: ((E, C, L), (E,), (E,), ()),
    Article: ((E, C, L), (E,), (E,), ()),
    ArticleRevision: ((E, C, L), (), (), ()),
    Claim: ((E, C, L), (), (E, C), ()),  # "change" = the claim page's steps, guarded per step
    Rating: ((E, C, L), (), (), ()),
    Evidence: ((E, C, L), (E, C), (C,), ()),  # changed by whoever recorded it (here the checker), until cited
    Verdict: ((E, C, L), (), (), ()),  # written only through the claim page
    FlagRule: ((E, C, L), (E,), (E,), ()),
    PartySource: ((E, C, L), (E,), (E,), ()),
    Flag: ((E, C, L), (), (E, L), ()),  # triage; which flags each may resolve is checked below
    Webhook: ((E,), (E,), (E,), (E,)),  # a CMS's endpoints: editors register them
    WebhookDelivery: ((E,), (), (), ()),  # the delivery log: read, replayed by an action
    Feed: ((E, C, L), (E,), (E,), ()),
    Job: ((E,), (), (E,), ()),  # "change" = run a failed job again; e-mail jobs hold others' mail
}
# API tokens: everyone with a role manages their own (test_api_tokens_in_the_admin).
OWN_ONLY = {ApiToken}

# model: {admin action: who is offered it}
ACTIONS = {
    Article: {"download_exports": (E, C, L)},
    Claim: {"assign_to": (E,), "auto_assign": (E,), "set_due_date": (E,), "dismiss_claims": (E,)},
    Flag: {"confirm_flags": (E, L), "dismiss_flags": (E, L)},
    WebhookDelivery: {"replay_deliveries": (E,)},
    Feed: {"poll_now": (E,)},
    Job: {"retry_jobs": (E,)},
}

# The claim page's steps: who succeeds, given a claim assigned to the checker (and, for
# approve and return, a verdict the checker submitted).
STEPS = {
    "start": (C,),
    "submit": (C,),
    "approve": (E,),
    "return": (E,),
    "assign": (E,),
    "dismiss": (E,),
    # Editable claims: editors and the claim's own fact-checker (not another, not legal).
    "split": (E, C),
    "merge": (E, C),
    "narrow": (E, C),
}


@pytest.fixture
def people(editor, alice, lawyer, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    return {EDITOR: editor, CHECKER: alice, LEGAL: lawyer, NOBODY: nobody, ANONYMOUS: None}


@pytest.fixture
def objects(seed_article, editor, alice):
    outlet = Outlet(name="Daily Example")
    save_with_history(outlet, actor=editor, reason="test")
    evidence = Evidence(url="https://example.org/source", created_by=alice)
    save_with_history(evidence, actor=alice, reason="test")
    party = PartySource(conflict="Test conflict", party="Testland", term="Testland Ministry")
    save_with_history(party, actor=editor, reason="test")
    feed = Feed(url="https://news.example.org/feed.xml", added_by=editor)
    save_with_history(feed, actor=editor, reason="test")
    claim = seed_article.claims.order_by("index").first()
    claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict = verdict_submit(
        claim=claim, rating=Rating.objects.get(label="True"), summary="Yes.", actor=alice
    )
    from reviews.services.webhooks import event_emit, webhook_save

    webhook, _ = webhook_save(
        webhook=Webhook(name="CMS", url="http://127.0.0.1:9/hook", events=["verdict.approved"]), actor=editor
    )
    event_emit("verdict.approved", lambda: {"test": True})
    return {
        Webhook: webhook,
        WebhookDelivery: WebhookDelivery.objects.get(),
        User: alice,
        Outlet: outlet,
        Article: seed_article,
        ArticleRevision: ArticleRevision.objects.get(article=seed_article),
        Claim: claim,
        Rating: Rating.objects.first(),
        Evidence: evidence,
        Verdict: verdict,
        FlagRule: FlagRule.objects.first(),
        PartySource: party,
        Flag: seed_article.flags.first(),
        Feed: feed,
        Job: Job.objects.filter(article=seed_article).first(),
    }


def login(client, people, role):
    client.logout()
    if people[role] is not None:
        client.force_login(people[role])


def admin_url(model, view, *args):
    return reverse(f"admin:reviews_{model._meta.model_name}_{view}", args=args)


def test_the_policy_covers_every_model_the_admin_shows():
    registered = {m for m in admin.site._registry if m._meta.app_label == "reviews"}
    assert registered == set(POLICY) | OWN_ONLY


@pytest.mark.parametrize("role", ROLES)
def test_api_tokens_in_the_admin(client, people, editor, alice, role):
    """Each person sees, issues and revokes only their own tokens; the key is shown once."""
    from reviews.services.tokens import token_issue

    own_roles = (E, C, L)
    theirs = token_issue(
        user=editor if role != EDITOR else alice, name="CMS", actor=editor if role != EDITOR else alice
    )[0]
    login(client, people, role)
    listing = client.get(admin_url(ApiToken, "changelist"))
    other = client.get(admin_url(ApiToken, "change", theirs.pk))
    add = client.post(
        admin_url(ApiToken, "add"), {"user": people[role].pk if people[role] else "", "name": "Plug-in"}
    )
    if role == ANONYMOUS:
        assert listing.status_code == other.status_code == add.status_code == 302
    elif role in own_roles:
        assert listing.status_code == 200 and theirs.prefix not in listing.content.decode()
        assert other.status_code == 403
        assert add.status_code == 200 and "no-store" in add["Cache-Control"]
        mine = ApiToken.objects.get(user=people[role])
        page = add.content.decode()
        assert f"nr_{mine.prefix}_" in page and mine.key_hash not in page
        assert client.get(admin_url(ApiToken, "change", mine.pk)).status_code == 200
        assert f"nr_{mine.prefix}_" not in client.get(admin_url(ApiToken, "change", mine.pk)).content.decode()
        client.post(
            admin_url(ApiToken, "changelist"),
            {"action": "revoke_tokens", "_selected_action": [theirs.pk, mine.pk]},
        )
        theirs.refresh_from_db()
        mine.refresh_from_db()
        assert theirs.revoked_at is None and mine.revoked_by == people[role]
    else:
        assert listing.status_code == other.status_code == add.status_code == 403
    assert ApiToken.objects.filter(name="Plug-in").count() == (1 if role in own_roles else 0)


@pytest.mark.parametrize("role", ROLES)
def test_admin_urls(client, people, objects, role):
    login(client, people, role)
    outcomes = {}
    for model, (viewers, adders, changers, deleters) in POLICY.items():
        pk = objects[model].pk
        checks = [
            ("changelist", "get", admin_url(model, "changelist"), viewers),
            ("add", "get", admin_url(model, "add"), adders),
            ("change-view", "get", admin_url(model, "change", pk), set(viewers) | set(changers)),
            ("change-post", "post", admin_url(model, "change", pk), changers),
            ("history", "get", admin_url(model, "history", pk), set(viewers) | set(changers)),
            ("delete", "get", admin_url(model, "delete", pk), deleters),
        ]
        if hasattr(model, "history"):  # a past version: read by whoever reads the record, written by nobody
            version = admin_url(model, "simple_history", pk, objects[model].history.first().history_id)
            checks += [
                ("history-version", "get", version, set(viewers) | set(changers)),
                ("history-version-post", "post", version, ()),
            ]
        for name, method, url, allowed in checks:
            response = getattr(client, method)(url, {"_action": "none"} if method == "post" else None)
            if role == ANONYMOUS:
                outcome = (
                    "login" if response.status_code == 302 and "/login/" in response["Location"] else "OPEN"
                )
                expected = "login"
            else:
                outcome = "deny" if response.status_code == 403 else f"allow {response.status_code}"
                expected = "allow" if role in allowed else "deny"
                outcome = outcome.split()[0] if response.status_code in (200, 302, 403) else outcome
            outcomes[(model._meta.model_name, name)] = (outcome, expected)
    wrong = {key: got for key, (got, expected) in outcomes.items() if got != expected}
    assert not wrong, f"{role}: {wrong}"


@pytest.mark.parametrize("role", [EDITOR, CHECKER, LEGAL])
def test_admin_actions_offered(client, people, objects, role):
    login(client, people, role)
    for model, actions in ACTIONS.items():
        response = client.get(admin_url(model, "changelist"))
        # No action at all on a list one may not see; else the form (None when none is offered).
        form = response.context["action_form"] if response.status_code != 403 else None
        offered = {name for name, _ in form.fields["action"].choices if name} if form else set()
        for action, allowed in actions.items():
            assert (action in offered) == (role in allowed), (role, model.__name__, action)


@pytest.mark.parametrize("role", [CHECKER, LEGAL])
def test_posting_an_action_one_is_not_offered_changes_nothing(client, people, objects, role):
    login(client, people, role)
    claim = objects[Claim]
    client.post(
        admin_url(Claim, "changelist"),
        {"action": "dismiss_claims", "_selected_action": [claim.pk], "reason": "Opinion."},
    )
    claim.refresh_from_db()
    assert claim.status == "submitted"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", STEPS)
def test_claim_page_steps(client, people, seed_article, editor, alice, bob, step, role):
    claim = seed_article.claims.order_by("index")[1]
    claim_assign(claim=claim, assignee=alice, actor=editor)
    rating = Rating.objects.get(label="Half true")
    if step in ("approve", "return"):
        verdict_submit(claim=claim, rating=rating, summary="Partly.", actor=alice)
    claim.refresh_from_db()
    before = (claim.status, claim.version)
    data = {
        "start": {},
        "submit": {
            "rating": rating.pk,
            "summary": "Partly.",
            "claim_reviewed": "The claim as checked.",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
        "approve": {},
        "return": {"comment": "Source?"},
        "assign": {"assignee": bob.pk},
        "dismiss": {"reason": "Opinion."},
        "split": {"at": claim.start + claim.text.index(" and of the Kremlin")},
        "merge": {},
        "narrow": {"fragment": "reports have flown in around soldiers disobeying orders"},
    }[step]
    login(client, people, role)
    response = client.post(
        admin_url(Claim, "change", claim.pk), {"_action": step, "version": claim.version, **data}
    )
    claim.refresh_from_db()
    changed = (claim.status, claim.version) != before
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/login/" in response["Location"] and not changed
    elif role == NOBODY:
        assert response.status_code == 403 and not changed
    else:
        assert changed == (role in STEPS[step]), (step, role, response.status_code)
        if changed:
            assert claim.history.first().history_user == people[role]


@pytest.mark.parametrize("step", ["split", "merge", "narrow"])
def test_another_fact_checker_may_not_edit_a_claim(client, seed_article, editor, alice, bob, step):
    claim = seed_article.claims.order_by("index")[1]
    claim = claim_assign(claim=claim, assignee=alice, actor=editor)
    before = list(seed_article.claims.order_by("index").values_list("pk", "start", "end", "version"))
    data = {
        "split": {"at": claim.start + claim.text.index(" and of the Kremlin")},
        "merge": {},
        "narrow": {"fragment": "reports have flown in around soldiers disobeying orders"},
    }[step]
    client.force_login(bob)
    response = client.post(
        admin_url(Claim, "change", claim.pk), {"_action": step, "version": claim.version, **data}
    )
    assert response.status_code == 200 and b"may not edit claim #2" in response.content
    assert list(seed_article.claims.order_by("index").values_list("pk", "start", "end", "version")) == before


@pytest.mark.parametrize("role", [EDITOR, CHECKER, LEGAL])
@pytest.mark.parametrize(("rule", "resolvers"), [("pow_imagery", (LEGAL,)), ("anonymous_source", (EDITOR,))])
def test_flag_triage(client, people, seed_article, role, rule, resolvers):
    flag = seed_article.flags.filter(rule__code=rule).first()
    login(client, people, role)
    client.post(
        admin_url(Flag, "changelist"),
        {"action": "dismiss_flags", "_selected_action": [flag.pk], "note": "Checked."},
    )
    flag.refresh_from_db()
    assert (flag.status == "dismissed") == (role in resolvers)


@pytest.mark.parametrize("role", ROLES)
def test_flag_next_page(client, people, seed_article, role):
    """The flag page's "Next open flag" link: read by whoever reads flags, writing nothing."""
    flag = seed_article.flags.first()
    login(client, people, role)
    response = client.get(reverse("admin:reviews_flag_next", args=[flag.pk]))
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == (302 if role in (E, C, L) else 403), role
    assert not seed_article.flags.exclude(status="open").exists()


@pytest.mark.parametrize("role", ROLES)
def test_export_downloads_dashboard_and_audit(client, people, seed_article, role):
    login(client, people, role)
    readers = (EDITOR, CHECKER, LEGAL)
    for fmt in ("html", "md", "docx", "webanno", "claimreview", "bundle"):
        response = client.get(reverse("reviews:article_export", args=[seed_article.pk, fmt]))
        if role == ANONYMOUS:
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == (200 if role in readers else 403), (fmt, role)
    response = client.get(reverse("admin:index"))
    if role == ANONYMOUS:
        assert response.status_code == 302
    else:
        assert ('id="nr-dashboard"' in response.content.decode()) == (role in readers)
    response = client.get(reverse("admin:audit"))
    expected = {ANONYMOUS: 302, NOBODY: 403, CHECKER: 403, EDITOR: 200, LEGAL: 200}[role]
    assert response.status_code == expected, ("audit", role)


@pytest.mark.parametrize("role", [EDITOR, CHECKER, "other checker", LEGAL])
@pytest.mark.parametrize("cited", [False, True], ids=["uncited", "cited"])
def test_evidence_edit_by_owner_and_non_owner(client, people, objects, bob, role, cited):
    """Evidence is edited only by whoever recorded it, and only until a verdict cites it."""
    people = {**people, "other checker": bob}
    evidence = objects[Evidence]  # recorded by the checker
    if cited:
        objects[Verdict].evidence.add(evidence)
    before = (evidence.url, evidence.excerpt, evidence.stance, evidence.history.count())
    login(client, people, role)
    url = admin_url(Evidence, "change", evidence.pk)
    response = client.post(
        url,
        {
            "url": "https://forged.example/",
            "title": "",
            "excerpt": "Forged.",
            "stance": "refutes",
            "accessed": "2026-01-01",
            "archive_url": "",
            "note": "",
            "_seen_history": evidence.history.first().history_id,
        },
    )
    evidence.refresh_from_db()
    may = role == CHECKER and not cited
    assert ((evidence.url, evidence.excerpt, evidence.stance, evidence.history.count()) != before) == may
    assert response.status_code == (302 if may else 403), (role, cited)


@pytest.mark.parametrize("role", [EDITOR, CHECKER])
def test_evidence_add_records_the_actor_as_creator(client, people, objects, role):
    login(client, people, role)
    other = people[LEGAL]
    response = client.post(
        admin_url(Evidence, "add"),
        {
            "url": "https://example.org/new",
            "title": "New",
            "excerpt": "",
            "stance": "supports",
            "accessed": "2026-01-01",
            "archive_url": "",
            "note": "",
            "created_by": other.pk,
        },
    )
    assert response.status_code == 302
    created = Evidence.objects.get(url="https://example.org/new")
    assert created.created_by == people[role]
    assert created.history.get().history_user == people[role]


def test_cited_evidence_cannot_be_changed_through_the_service(objects):
    from reviews.services.verdicts import evidence_update
    from reviews.services.workflow import WorkflowError

    evidence = objects[Evidence]
    objects[Verdict].evidence.add(evidence)
    evidence.url = "https://forged.example/"
    with pytest.raises(WorkflowError, match="cited by a verdict"):
        evidence_update(evidence=evidence, actor=evidence.created_by)
    evidence.refresh_from_db()
    assert evidence.url == "https://example.org/source"


def _custom_legal_rule(editor):
    from reviews.services.flags import flagrule_save

    rule = FlagRule(
        code="court-names",
        title="Names under a court order",
        category="legal",
        severity="legal",
        resolver_role="legal",
        terms="Testland Ministry",
    )
    return flagrule_save(rule=rule, actor=editor, reason="test")


def _rule_form(rule, **changes):
    data = {
        "code": rule.code,
        "title": rule.title,
        "category": rule.category,
        "severity": rule.severity,
        "resolver_role": rule.resolver_role,
        "reference": rule.reference,
        "guidance": rule.guidance,
        "terms": rule.terms,
        "_seen_history": rule.history.first().history_id,
    }
    if rule.enabled:
        data["enabled"] = "on"
    for key, value in changes.items():
        if key == "enabled":
            data.pop("enabled", None)
            if value:
                data["enabled"] = "on"
        else:
            data[key] = value
    return data


@pytest.mark.parametrize("role", [EDITOR, LEGAL])
@pytest.mark.parametrize("change", [{"resolver_role": "editor"}, {"enabled": False}], ids=["resolver", "off"])
def test_rule_resolver_changes(client, people, editor, role, change):
    """Handing a legal rule's flags to editors, or switching it off, needs a legal reviewer."""
    rule = _custom_legal_rule(editor)
    login(client, people, role)
    response = client.post(admin_url(FlagRule, "change", rule.pk), _rule_form(rule, **change))
    rule.refresh_from_db()
    changed = rule.resolver_role != "legal" or not rule.enabled
    assert changed == (role == LEGAL), (role, response.status_code)


def test_legal_reviewers_change_legal_rules_only(client, people, editor):
    login(client, people, LEGAL)
    other = FlagRule.objects.filter(resolver_role="editor").first()
    response = client.post(admin_url(FlagRule, "change", other.pk), _rule_form(other, enabled=False))
    other.refresh_from_db()
    assert response.status_code == 403 and other.enabled
    rule = _custom_legal_rule(editor)
    client.post(admin_url(FlagRule, "change", rule.pk), _rule_form(rule, title="Renamed", terms="x"))
    rule.refresh_from_db()
    assert (rule.title, rule.terms) == ("Names under a court order", "Testland Ministry")


def test_a_flag_keeps_the_resolver_it_was_raised_with(seed_article, people, editor, lawyer):
    """An editor cannot clear a legal flag by first making its rule an editor's rule."""
    from reviews.services.flags import FlagError, flag_resolve, flagrule_save

    flag = seed_article.flags.filter(rule__code="pow_imagery").first()
    assert flag.resolver_role == "legal"
    rule = flag.rule
    rule.resolver_role = "editor"
    with pytest.raises(FlagError, match="only a legal reviewer"):
        flagrule_save(rule=rule, actor=editor, reason="test")
    flagrule_save(rule=rule, actor=lawyer, reason="legal hands it over")  # allowed, for new flags
    flag.refresh_from_db()
    with pytest.raises(FlagError, match="resolved by a legal reviewer"):
        flag_resolve(flag=flag, actor=editor, status="dismissed", note="Fine.")
    flag.refresh_from_db()
    assert flag.status == "open"
