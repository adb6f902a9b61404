"""Webhooks against real receivers on 127.0.0.1: signed deliveries on approval, retries then a
logged failure, replay; and which changes emit which events."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reviews.api.models import Webhook, WebhookDelivery
from reviews.models import Rating
from reviews.services.claims import claim_assign, claim_dismiss
from reviews.services.flags import flag_resolve
from reviews.services.verdicts import verdict_approve, verdict_submit
from reviews.services.webhooks import deliveries_replay, sign, verify, webhook_save


class Receiver:
    """An HTTP server thread that records each POST and answers with ``status``."""

    def __init__(self, status: int = 200):
        self.status, self.received = status, []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.received.append((dict(self.headers), body))
                self.send_response(owner.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(status=200):
        made.append(Receiver(status))
        return made[-1]

    yield make
    for r in made:
        r.close()


def register(editor, url, *events):
    hook, secret = webhook_save(webhook=Webhook(name="CMS", url=url, events=list(events)), actor=editor)
    return hook, secret


def submitted(seed_article, editor, alice, index=1):
    claim = seed_article.claims.order_by("index")[index]
    claim_assign(claim=claim, assignee=alice, actor=editor)
    verdict_submit(claim=claim, rating=Rating.objects.get(label="False"), summary="No.", actor=alice)
    return claim


def test_a_signed_webhook_on_approval(
    receiver, editor, alice, seed_article, django_capture_on_commit_callbacks
):
    cms = receiver(200)
    _, secret = register(editor, cms.url, "verdict.approved")
    claim = submitted(seed_article, editor, alice)
    with django_capture_on_commit_callbacks(execute=True):
        verdict_approve(claim=claim, actor=editor)
    ((headers, body),) = cms.received
    # Verified as a receiver would, from the documented scheme alone.
    fields = dict(p.split("=", 1) for p in headers["Newsroom-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    assert abs(time.time() - int(fields["t"])) < 60
    assert verify(secret, headers["Newsroom-Signature"], body)
    assert not verify(secret, headers["Newsroom-Signature"], body + b" ")
    assert not verify("another secret", headers["Newsroom-Signature"], body)
    event = json.loads(body)
    assert event["type"] == headers["Newsroom-Event"] == "verdict.approved"
    assert event["id"] == headers["Newsroom-Delivery"]
    assert event["data"]["claim"]["id"] == claim.pk and event["data"]["verdict"]["rating"] == "False"
    assert event["data"]["verdict"]["approved_by"] == "eddie"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert [a.status_code for a in delivery.attempt_log.all()] == [200]


def test_a_failing_receiver_gets_retries_then_a_logged_failure(
    receiver, editor, alice, seed_article, django_capture_on_commit_callbacks, settings
):
    broken = receiver(503)
    register(editor, broken.url, "verdict.approved")
    claim = submitted(seed_article, editor, alice)
    with django_capture_on_commit_callbacks(execute=True):
        verdict_approve(claim=claim, actor=editor)
    tries = settings.WEBHOOK_MAX_RETRIES + 1
    assert len(broken.received) == tries
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", tries, 503)
    assert [a.status_code for a in delivery.attempt_log.all()] == [503] * tries
    assert [a.number for a in delivery.attempt_log.all()] == list(range(1, tries + 1))
    # The approval itself stands, whatever the receiver does.
    claim.refresh_from_db()
    assert claim.status == "approved"
    # Fixed, then replayed from the admin's action: the same event, signed afresh.
    broken.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_replay(deliveries=[delivery], actor=editor)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", tries + 1)
    assert delivery.attempt_log.last().replay
    assert json.loads(broken.received[-1][1])["id"] == json.loads(broken.received[0][1])["id"]


def test_an_unreachable_receiver_is_logged_with_the_error(
    editor, alice, seed_article, django_capture_on_commit_callbacks
):
    register(editor, "http://127.0.0.1:9/closed", "verdict.approved")
    claim = submitted(seed_article, editor, alice)
    with django_capture_on_commit_callbacks(execute=True):
        verdict_approve(claim=claim, actor=editor)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.last_status_code is None
    assert "refused" in delivery.attempt_log.first().error.lower()


def test_nothing_is_sent_for_a_change_rolled_back(receiver, editor, alice, seed_article):
    from django.db import transaction

    cms = receiver(200)
    register(editor, cms.url, "verdict.approved")
    claim = submitted(seed_article, editor, alice)
    with pytest.raises(RuntimeError), transaction.atomic():
        verdict_approve(claim=claim, actor=editor)
        raise RuntimeError
    assert not WebhookDelivery.objects.exists() and not cms.received


def test_legal_flags_raised_and_resolved(receiver, editor, lawyer, django_capture_on_commit_callbacks):
    from reviews.services.articles import article_ingest
    from tests.conftest import POW_SEED

    cms = receiver(200)
    register(editor, cms.url, "flag.legal_raised", "flag.legal_resolved")
    with django_capture_on_commit_callbacks(execute=True):
        article = article_ingest(data=POW_SEED.read_bytes(), name=POW_SEED.name, actor=editor).article
    ((_, body),) = cms.received
    raised = json.loads(body)
    legal = article.flags.filter(resolver_role="legal")
    assert raised["type"] == "flag.legal_raised" and raised["data"]["article"]["id"] == article.pk
    assert sorted(f["id"] for f in raised["data"]["flags"]) == sorted(legal.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        flag_resolve(flag=legal.first(), actor=lawyer, status="confirmed", note="Blur the faces.")
        flag_resolve(
            flag=article.flags.filter(resolver_role="editor").first(),
            actor=editor,
            status="dismissed",
            note="Ok.",
        )
    assert [json.loads(b)["type"] for _, b in cms.received] == ["flag.legal_raised", "flag.legal_resolved"]
    assert json.loads(cms.received[-1][1])["data"]["flag"]["note"] == "Blur the faces."


def test_article_fully_reviewed(
    receiver, editor, alice, lawyer, seed_article, django_capture_on_commit_callbacks
):
    cms = receiver(200)
    register(editor, cms.url, "article.reviewed")
    claims = list(seed_article.claims.filter(checkworthy=True).order_by("index"))
    last = claims.pop()
    for claim in claims:
        claim_dismiss(claim=claim, actor=editor, reason="Covered elsewhere.")
    claim_assign(claim=last, assignee=alice, actor=editor)
    verdict_submit(claim=last, rating=Rating.objects.get(label="True"), summary="Yes.", actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        verdict_approve(claim=last, actor=editor)  # flags still open: not yet reviewed
        for flag in seed_article.flags.order_by("pk"):
            actor = lawyer if flag.resolver_role == "legal" else editor
            flag_resolve(flag=flag, actor=actor, status="dismissed", note="Checked.")
    ((_, body),) = cms.received
    event = json.loads(body)
    assert event["type"] == "article.reviewed" and event["data"]["article"]["id"] == seed_article.pk
    assert [v["claim"] for v in event["data"]["verdicts"]] == [last.pk]
    assert event["data"]["exports"]["claimreview"].endswith(
        f"/api/articles/{seed_article.pk}/export/claimreview/"
    )


def test_events_only_for_subscribed_active_endpoints(
    receiver, editor, alice, seed_article, django_capture_on_commit_callbacks
):
    other, off = receiver(200), receiver(200)
    register(editor, other.url, "article.reviewed")
    hook, _ = register(editor, off.url, "verdict.approved")
    hook.active = False
    webhook_save(webhook=hook, actor=editor)
    claim = submitted(seed_article, editor, alice)
    with django_capture_on_commit_callbacks(execute=True):
        verdict_approve(claim=claim, actor=editor)
    assert not other.received and not off.received and not WebhookDelivery.objects.exists()


def test_signatures_expire():
    body = b'{"id": 1}'
    header = sign("s3cret", body, 1_000_000)
    assert verify("s3cret", header, body, now=1_000_100)
    assert not verify("s3cret", header, body, now=1_000_000 + 301)
    assert not verify("s3cret", "garbage", body)


def test_only_editors_register_webhooks(alice, lawyer):
    from reviews.services.webhooks import WebhookError

    for person in (alice, lawyer):
        with pytest.raises(WebhookError, match="may not register webhooks"):
            register(person, "https://cms.example/hook", "verdict.approved")


def test_webhook_url_and_events_are_checked(editor):
    from reviews.services.webhooks import WebhookError

    with pytest.raises(WebhookError, match="http"):
        register(editor, "file:///etc/passwd", "verdict.approved")
    with pytest.raises(WebhookError, match="choose events"):
        register(editor, "https://cms.example/hook", "claim.deleted")
    assert not Webhook.objects.exists()
