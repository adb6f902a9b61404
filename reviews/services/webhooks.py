"""Webhooks: events written with the change that caused them, delivered signed after commit.

The verdict and flag services call the ``*_emitted`` functions below inside their transaction.
Each writes one ``WebhookDelivery`` per active endpoint subscribed to the event (so a change
rolled back sends nothing, and a change committed is never forgotten) and queues the deliveries
once the transaction commits. ``webhook_deliver`` sends one; the Celery task around it retries
with exponential back-off and logs every attempt with its response code.

Signature (documented in docs/api.md)::

    Newsroom-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..api.models import DeliveryStatus, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent
from ..models import Article, Claim, ClaimStatus, Flag, FlagStatus, ResolverRole, Verdict

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Newsroom-Signature"
EVENT_HEADER = "Newsroom-Event"
DELIVERY_HEADER = "Newsroom-Delivery"
TOLERANCE = 300  # seconds a receiver should accept a signature's timestamp for
USER_AGENT = "NewsroomReview-Webhook/1"
# The back-off of the first retry, doubled each time (with jitter), capped at an hour.
RETRY_BACKOFF = 30


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Newsroom-Signature`` header for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(
    secret: str, header: str, body: bytes, *, now: float | None = None, tolerance: int = TOLERANCE
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and is recent: what a receiver checks."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), f"t={timestamp},v1={fields.get('v1', '')}")


# --- events ----------------------------------------------------------------------------------


def _subscribed(event: str) -> list[Webhook]:
    # Endpoints are few: filtering the list here works the same on every database.
    return [hook for hook in Webhook.objects.filter(active=True) if event in hook.events]


def event_emit(
    event: str, data: Callable[[], dict], hooks: list[Webhook] | None = None
) -> list[WebhookDelivery]:
    """Write a delivery of ``event`` for each subscribed endpoint; send them after commit.

    ``data`` builds the event's data, only when some endpoint wants it.
    """
    hooks = _subscribed(event) if hooks is None else hooks
    if not hooks:
        return []
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "type": event,
        "created": timezone.now().isoformat(),
        "data": data(),
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(webhook=hook, event=event, event_id=event_id, payload=payload) for hook in hooks]
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: deliveries_queue(ids), robust=True)
    return deliveries


def deliveries_queue(ids: Iterable[int], *, replay: bool = False) -> None:
    """Hand deliveries to the job queue (run in this process when no broker is configured)."""
    for pk in ids:
        webhook_deliver_task.delay(pk, replay=replay)


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def article_data(article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "url": article.url,
        "api_url": _site(reverse("api:article-detail", args=[article.pk])),
    }


def flag_data(flag: Flag) -> dict:
    return {
        "id": flag.pk,
        "rule": flag.rule.code,
        "severity": flag.severity,
        "status": flag.status,
        "text": flag.text,
        "why": flag.why,
        "confidence": flag.confidence,
        "note": flag.note,
        "resolved_by": flag.resolved_by.get_username() if flag.resolved_by else None,
        "resolved_at": flag.resolved_at.isoformat() if flag.resolved_at else None,
    }


def verdict_approved_emitted(verdict: Verdict, claim: Claim) -> None:
    """A second person approved a verdict."""

    def data() -> dict:
        return {
            "article": article_data(claim.article),
            "claim": {
                "id": claim.pk,
                "text": claim.text,
                "status": claim.status,
                "api_url": _site(reverse("api:claim-detail", args=[claim.pk])),
            },
            "verdict": {
                "id": verdict.pk,
                "rating": verdict.rating.label,
                "rating_value": verdict.rating.value,
                "summary": verdict.summary,
                "explanation": verdict.explanation,
                "author": verdict.author.get_username(),
                "approved_by": verdict.approved_by.get_username(),
                "approved_at": verdict.approved_at.isoformat(),
                "evidence": [
                    {"url": e.url, "description": e.description, "title": e.title, "stance": e.stance}
                    for e in verdict.evidence.all()
                ],
            },
        }

    event_emit(WebhookEvent.VERDICT_APPROVED, data)
    article_reviewed_check(claim.article)


def flags_raised_emitted(flags: Iterable[Flag]) -> None:
    """Flags were raised (a new article, a new version, a reflag): one event per article for
    those a legal reviewer resolves."""
    by_article: dict[int, list[Flag]] = {}
    for flag in flags:
        if flag.resolver_role == ResolverRole.LEGAL and flag.status == FlagStatus.OPEN:
            by_article.setdefault(flag.article_id, []).append(flag)
    if not by_article:
        return
    hooks = _subscribed(WebhookEvent.LEGAL_FLAG_RAISED)
    if not hooks:
        return
    articles = Article.objects.in_bulk(list(by_article))
    for article_id, raised in by_article.items():
        ids = [f.pk for f in raised]

        def data(article=articles[article_id], ids=ids) -> dict:
            rows = (
                Flag.objects.filter(pk__in=ids).select_related("rule", "resolved_by").order_by("start", "pk")
            )
            return {"article": article_data(article), "flags": [flag_data(f) for f in rows]}

        event_emit(WebhookEvent.LEGAL_FLAG_RAISED, data, hooks)


def flag_resolved_emitted(flag: Flag) -> None:
    """A flag was confirmed or dismissed: an event when it was a legal reviewer's."""
    if flag.resolver_role == ResolverRole.LEGAL:
        event_emit(
            WebhookEvent.LEGAL_FLAG_RESOLVED,
            lambda: {"article": article_data(flag.article), "flag": flag_data(flag)},
        )
    article_reviewed_check(flag.article)


# Claims of the current version still to be decided: check-worthy and not yet approved or
# dismissed, or in the workflow at all.
IN_WORK = (
    ClaimStatus.ASSIGNED,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.SUBMITTED,
    ClaimStatus.RETURNED,
    ClaimStatus.STALE,
)
DECIDED = (ClaimStatus.APPROVED, ClaimStatus.NOT_CHECKWORTHY, ClaimStatus.WITHDRAWN)
ADVISORY_NAMESPACE = 19 << 48  # keeps these locks apart from any other advisory lock


def article_reviewed_check(article: Article) -> None:
    """After a write that decided one item (a claim approved or dismissed, a flag resolved):
    an ``article.reviewed`` event when nothing of the article's current version is left open.

    The write just closed an item that was open, so "nothing left now" means "reviewed by this
    write". Two writes closing the last two items at once would each see the other's item
    still open; on PostgreSQL they take turns on an advisory lock per article, so the second
    sees the first's commit.
    """
    hooks = _subscribed(WebhookEvent.ARTICLE_REVIEWED)
    if not hooks:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_NAMESPACE | article.pk])
    revision_id = Article.objects.filter(pk=article.pk).values_list("current_revision_id", flat=True).first()
    claims = Claim.objects.filter(revision_id=revision_id)
    pending = claims.filter((Q(checkworthy=True) & ~Q(status__in=DECIDED)) | Q(status__in=IN_WORK))
    if pending.exists() or Flag.objects.filter(revision_id=revision_id, status=FlagStatus.OPEN).exists():
        return

    def data() -> dict:
        approved = (
            Verdict.objects.filter(claim__revision_id=revision_id, status="approved")
            .select_related("rating", "claim")
            .order_by("claim__index")
        )
        return {
            "article": article_data(article),
            "revision": Article.objects.get(pk=article.pk).current_revision.number,
            "verdicts": [
                {"claim": v.claim_id, "text": v.claim.text, "rating": v.rating.label, "summary": v.summary}
                for v in approved
            ],
            "exports": {
                fmt: _site(reverse("api:article-export", args=[article.pk, fmt]))
                for fmt in ("html", "md", "docx", "webanno", "claimreview", "bundle")
            },
        }

    event_emit(WebhookEvent.ARTICLE_REVIEWED, data, hooks)


# --- delivery --------------------------------------------------------------------------------


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx; the job queue tries again later."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A signed event goes where it was registered to go, nowhere else.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:500]


def webhook_deliver(delivery_id: int, *, final: bool = True, replay: bool = False) -> WebhookAttempt | None:
    """Send one delivery now and log the attempt; raise DeliveryFailed for a retry unless
    ``final`` (then a failure is recorded as the delivery's outcome)."""
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    if delivery.status == DeliveryStatus.DELIVERED and not replay:
        return None  # a duplicate of a job that succeeded
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.event_id),
        SIGNATURE_HEADER: sign(delivery.webhook.secret, body, int(time.time())),
    }
    started = time.monotonic()
    code, error = _post(delivery.webhook.url, body, headers)
    ok = code is not None and 200 <= code < 300
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempts += 1
        attempt = WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            status_code=code,
            error=error,
            duration_ms=int((time.monotonic() - started) * 1000),
            replay=replay,
        )
        delivery.last_status_code = code
        if ok:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, timezone.now()
        elif final:
            delivery.status = DeliveryStatus.FAILED
        delivery.save(update_fields=["attempts", "last_status_code", "status", "delivered_at"])
    if not ok and not final:
        raise DeliveryFailed(f"{delivery.webhook.url} answered {code or error}")
    return attempt


@shared_task(
    bind=True,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=settings.WEBHOOK_MAX_RETRIES,
)
def webhook_deliver_task(self, delivery_id: int, replay: bool = False) -> None:
    """Deliver one webhook event; retried with exponential back-off until ``max_retries``."""
    webhook_deliver(delivery_id, final=self.request.retries >= self.max_retries, replay=replay)


@transaction.atomic
def deliveries_replay(*, deliveries: Iterable[WebhookDelivery], actor) -> int:
    """Send deliveries again (from the admin), with a fresh signature; the receiver sees the
    same event id."""
    if not actor.has_perm("reviews.change_webhook"):
        raise PermissionError(f"{actor.get_username()} may not replay webhook deliveries")
    ids = []
    for delivery in WebhookDelivery.objects.select_for_update().filter(pk__in=[d.pk for d in deliveries]):
        delivery.status = DeliveryStatus.PENDING
        delivery.save(update_fields=["status"])
        ids.append(delivery.pk)
    log.info("%s replays webhook deliveries %s", actor.get_username(), ids)
    transaction.on_commit(lambda: deliveries_queue(ids, replay=True), robust=True)
    return len(ids)


# --- endpoints (the admin's writes) ------------------------------------------------------------


class WebhookError(Exception):
    """A webhook change that is not allowed; the message says why."""


def _webhook_check(webhook: Webhook, actor) -> None:
    from ..textproc import is_http_url

    if not actor.has_perm("reviews.change_webhook" if webhook.pk else "reviews.add_webhook"):
        raise WebhookError(f"{actor.get_username()} may not register webhooks")
    if not is_http_url(webhook.url):
        raise WebhookError("a webhook's URL is an http(s) address")
    unknown = set(webhook.events) - set(WebhookEvent.values)
    if unknown or not webhook.events:
        raise WebhookError(f"choose events among {', '.join(WebhookEvent.values)}")


@transaction.atomic
def webhook_save(*, webhook: Webhook, actor) -> tuple[Webhook, str | None]:
    """Register or change an endpoint; a new one gets its signing secret, returned once."""
    _webhook_check(webhook, actor)
    secret = None
    if webhook.pk is None:
        secret = webhook.secret = Webhook.new_secret()
        webhook.created_by = actor
    webhook.save()
    return webhook, secret


@transaction.atomic
def webhook_secret_rotate(*, webhook: Webhook, actor) -> str:
    """A new signing secret (the old one stops working at once); returned once."""
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    _webhook_check(webhook, actor)
    webhook.secret = Webhook.new_secret()
    webhook.save(update_fields=["secret"])
    log.info("%s rotated the secret of webhook %s", actor.get_username(), webhook.pk)
    return webhook.secret
