"""Many writers at once, each on its own database connection (PostgreSQL; SQLite has no row
locks and one writer at a time): a new version against verdicts being submitted, parallel
ingests of one text, one URL and one new outlet, simultaneous saves of one edit form."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from reviews.models import Article, ArticleRevision, Claim, ClaimStatus, Outlet, Rating, Verdict
from reviews.services import articles as ingest_services
from reviews.services.articles import article_ingest
from reviews.services.claims import claim_assign, claim_start
from reviews.services.flags import flagrules_sync
from reviews.services.verdicts import verdict_approve, verdict_submit
from reviews.services.workflow import StaleWriteError
from tests.conftest import POW_SEED

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only(editor):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and parallel connections are exercised on PostgreSQL (CI runs it)")
    flagrules_sync(actor=editor)  # as migrate leaves them (transactional tests flush the table)


def in_parallel(calls, timeout=120):
    """Run each call on its own thread (and connection), all released at once; their outcomes
    in order: ("ok", result) or ("error", exception)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            outcomes[i] = ("ok", call())
        except Exception as exc:  # every failure is an outcome the test looks at
            outcomes[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert all(o is not None for o in outcomes), "a writer did not finish"
    return outcomes


def errors(outcomes):
    return [repr(value) for kind, value in outcomes if kind == "error"]


def long_article(n: int, *, extra: str = "") -> str:
    lines = [f"Evacuations in {n} districts\n"]
    if extra:
        lines.append(extra)
    lines += [
        f"Officials in district {i} said {i * 7 + 3} residents were evacuated on Monday." for i in range(n)
    ]
    return "\n\n".join(lines) + "\n"


def test_a_new_version_keeps_verdicts_submitted_while_it_was_stored(editor, alice, monkeypatch):
    article = article_ingest(data=long_article(120), name="v1.txt", actor=editor).article
    claims = list(article.claims.order_by("index")[:60])
    for claim in claims:
        claim_assign(claim=claim, assignee=alice, actor=editor)
        claim_start(claim=claim, actor=alice)
    seen = {c.pk: c.version for c in Claim.objects.filter(pk__in=[c.pk for c in claims])}
    rating = Rating.objects.get(label="True")

    # The new version has read the claims and diffed them; the verdicts land before it writes.
    aligned, go = threading.Event(), threading.Event()
    real_align = ingest_services.align

    def slow_align(old, new):
        fates = real_align(old, new)
        aligned.set()
        go.wait(timeout=60)
        return fates

    monkeypatch.setattr(ingest_services, "align", slow_align)
    outcome = {}

    def new_version():
        try:
            outcome["result"] = article_ingest(
                data=long_article(120, extra="A curfew was declared at dusk."),
                name="v2.txt",
                actor=editor,
                article=article,
            )
        except Exception as exc:
            outcome["error"] = exc
        finally:
            connections.close_all()

    ingest = threading.Thread(target=new_version)
    ingest.start()
    assert aligned.wait(timeout=60)
    submitted = in_parallel(
        [
            lambda group=group: [
                verdict_submit(claim=c, rating=rating, summary="Checked.", actor=alice, version=seen[c.pk])
                for c in group
            ]
            for group in (claims[i::6] for i in range(6))
        ]
    )
    go.set()
    ingest.join(timeout=120)
    assert errors(submitted) == [] and "error" not in outcome, (errors(submitted), outcome)
    revision = outcome["result"].revision
    assert revision.number == 2 and outcome["result"].fates == {"unchanged": 120, "new": 1}

    lost = []
    for claim in Claim.objects.filter(pk__in=seen):
        current = Verdict.objects.filter(claim=claim, status="submitted").count()
        if (claim.status, current, claim.revision_id, claim.version) != (
            ClaimStatus.SUBMITTED,
            1,
            revision.pk,
            seen[claim.pk] + 2,
        ):
            lost.append((claim.index, claim.status, current, claim.version))
    assert lost == []

    # A workflow step taken on the version before the re-anchoring is refused, with a reason.
    claim = claims[0]
    client = Client()
    client.force_login(editor)
    response = client.post(
        reverse("admin:reviews_claim_change", args=[claim.pk]),
        {"_action": "approve", "version": seen[claim.pk] + 1},
        follow=True,
    )
    assert response.status_code == 200
    index = Claim.objects.get(pk=claim.pk).index  # one sentence more above it now
    assert f"Not saved: claim #{index + 1} was changed by eddie" in response.content.decode()
    with pytest.raises(StaleWriteError):
        verdict_approve(claim=claim, actor=editor, version=seen[claim.pk] + 1)
    verdict_approve(claim=claim, actor=editor, version=seen[claim.pk] + 2)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED


def test_parallel_ingests_of_one_text_store_one_article(editor):
    data = POW_SEED.read_bytes()
    outcomes = in_parallel(
        [lambda i=i: article_ingest(data=data, name=f"copy{i}.txt", actor=editor) for i in range(20)]
    )
    assert errors(outcomes) == []
    results = [value for _, value in outcomes]
    assert sum(r.created for r in results) == 1 and sum(not r.created for r in results) == 19
    assert Article.objects.count() == 1 and ArticleRevision.objects.count() == 1
    assert {r.article.pk for r in results} == {Article.objects.get().pk}


def test_parallel_ingests_of_one_url_store_one_article(editor):
    url = "https://example.org/news/evacuations"
    versions = [long_article(12, extra=f"Update {i}: {i + 2} roads were closed.") for i in range(20)]
    outcomes = in_parallel(
        [
            lambda text=text, i=i: article_ingest(data=text, name=f"v{i}.txt", actor=editor, url=url)
            for i, text in enumerate(versions)
        ]
    )
    assert errors(outcomes) == []
    results = [value for _, value in outcomes]
    assert Article.objects.filter(url=url).count() == 1 and Article.objects.count() == 1
    article = Article.objects.get()
    assert sum(r.created and not r.revised for r in results) == 1
    assert sum(r.revised for r in results) == 19
    assert sorted(article.revisions.values_list("number", flat=True)) == list(range(1, 21))


def test_parallel_ingests_naming_a_new_outlet_all_succeed(editor):
    page = (
        '<html><head><meta property="og:site_name" content="Harbour Courier"></head><body>'
        "<h1>Storm report {i}</h1><p>The storm closed {n} schools in district {i} on Monday.</p>"
        "<p>Officials said {n} homes lost power.</p></body></html>"
    )
    outcomes = in_parallel(
        [
            lambda i=i: article_ingest(
                data=page.format(i=i, n=i * 11 + 5), name=f"storm{i}.html", actor=editor
            )
            for i in range(20)
        ]
    )
    assert errors(outcomes) == []
    assert Outlet.objects.filter(name="Harbour Courier").count() == 1
    assert Article.objects.filter(outlet__name="Harbour Courier").count() == 20


def test_simultaneous_saves_of_one_edit_form_accept_exactly_one(seed_article, editor):
    url = reverse("admin:reviews_article_change", args=[seed_article.pk])
    clients = []
    for _ in range(10):
        client = Client()
        client.force_login(editor)
        clients.append(client)
    seen = {c.get(url).context["seen_history"] for c in clients}
    assert len(seen) == 1  # all ten opened the same version of the form

    def save(client, i):
        form = {
            "title": f"Edited headline {i}",
            "url": "",
            "outlet": "",
            "byline": "",
            "published": "",
            "topics": "",
            "_seen_history": seen.copy().pop(),
            "_save": "Save",
        }
        response = client.post(url, form)
        return response.status_code, response.content.decode()

    outcomes = in_parallel([lambda c=c, i=i: save(c, i) for i, c in enumerate(clients)])
    assert errors(outcomes) == []
    codes = [value[0] for _, value in outcomes]
    assert codes.count(302) == 1, codes
    refused = [body for code, body in (value for _, value in outcomes) if code == 200]
    assert len(refused) == 9 and all("after you opened it" in body for body in refused)
    seed_article.refresh_from_db()
    winner = next(i for i, (_, value) in enumerate(outcomes) if value[0] == 302)
    assert seed_article.title == f"Edited headline {winner}"
    assert seed_article.history.filter(history_change_reason="edited in admin").count() == 1
