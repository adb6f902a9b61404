"""API tokens and webhooks: how a newsroom's CMS talks to the review.

A token is stored as its SHA-256 hash with a short public prefix to find it by; the key
itself is shown once, when it is issued. A webhook is an editor's endpoint for some events;
each event it gets is a delivery, and each try of a delivery an attempt with its response.
"""

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..textproc.shorten import shorten

TOKEN_PREFIX_LENGTH = 8


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A user's key to the API: it acts as that user, with that user's roles."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What it is for, e.g. 'WordPress plug-in'.")
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the key.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["prefix"], name="apitoken_prefix_unique")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def new_key() -> tuple[str, str]:
        """A fresh (prefix, key); the key reads ``nr_<prefix>_<secret>``."""
        prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
        return prefix, f"nr_{prefix}_{secrets.token_urlsafe(32)}"

    def set_key(self, key: str) -> None:
        self.key_hash = _hash(key)

    def matches(self, key: str) -> bool:
        return hmac.compare_digest(self.key_hash, _hash(key))

    @staticmethod
    def prefix_of(key: str) -> str | None:
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != "nr" or len(parts[1]) != TOKEN_PREFIX_LENGTH:
            return None
        return parts[1]


class WebhookEvent(models.TextChoices):
    VERDICT_APPROVED = "verdict.approved", "Verdict approved"
    LEGAL_FLAG_RAISED = "flag.legal_raised", "Legal flag raised"
    LEGAL_FLAG_RESOLVED = "flag.legal_resolved", "Legal flag resolved"
    ARTICLE_REVIEWED = "article.reviewed", "Article fully reviewed"


class Webhook(models.Model):
    """An endpoint registered by an editor for some events; deliveries are signed with ``secret``."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=2000, help_text="Receives a signed POST for each event.")
    events = models.JSONField(default=list, help_text="The events it is sent.")
    secret = models.CharField(max_length=64, editable=False, help_text="HMAC-SHA256 signing key.")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @staticmethod
    def new_secret() -> str:
        return secrets.token_hex(32)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one endpoint: written with the change that caused it, sent after commit."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=WebhookEvent.choices)
    event_id = models.UUIDField(default=uuid.uuid4, editable=False, help_text="Receivers de-duplicate by it.")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"], name="delivery_webhook_idx")]

    def __str__(self):
        return f"{self.event} → {self.webhook} ({self.get_status_display().lower()})"


class WebhookAttempt(models.Model):
    """One try of a delivery: the response code (or the error) and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    replay = models.BooleanField(default=False, help_text="Sent again from the admin.")

    class Meta:
        ordering = ["delivery_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhookattempt_number_unique"),
        ]

    def __str__(self):
        return f"attempt {self.number}: {self.status_code or shorten(self.error, 40)}"
