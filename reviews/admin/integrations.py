"""API tokens and webhooks in the admin: issue and revoke tokens (the key shown once), register
endpoints per event, read every delivery's attempts and send one again."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from ..api.models import ApiToken, DeliveryStatus, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent
from ..services.tokens import TokenError, token_issue, token_manage_refusal, token_revoke
from ..services.webhooks import (
    SIGNATURE_HEADER,
    WebhookError,
    deliveries_replay,
    webhook_save,
    webhook_secret_rotate,
)
from .common import ViewOnlyMixin, apply_each


def _shown_once(model_admin, request, *, title, secrets, help, stored_as):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "secrets": secrets,
        "help": help,
        "stored_as": stored_as,
    }
    response = TemplateResponse(request, "admin/reviews/secret_shown.html", context)
    response["Cache-Control"] = "no-store"
    return response


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("user", "name")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone with a role manages their own tokens; superusers anyone's."""

    form = ApiTokenForm
    list_display = ("name", "user", "prefix", "state", "created_at", "last_used_at", "created_by")
    list_select_related = ("user", "created_by")
    list_filter = ("revoked_at",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    actions = ["revoke_tokens"]

    def _may(self, request, obj=None) -> bool:
        return token_manage_refusal(request.user, obj.user if obj else request.user) is None

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return False  # a token's key never changes: revoke it and issue another

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay, as a record of who could call the API when

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def get_object(self, request, object_id, from_field=None):
        # Someone else's token is refused (403), not reported missing.
        obj = (
            ApiToken.objects.select_related("user").filter(pk=object_id).first()
            if object_id.isascii() and object_id.isdigit()
            else None
        )
        if obj is not None and not self._may(request, obj):
            raise PermissionDenied
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "user" in form.base_fields and not request.user.is_superuser:
            field = form.base_fields["user"]
            field.queryset = field.queryset.filter(pk=request.user.pk)
            field.initial = request.user.pk
        return form

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()

    def save_model(self, request, obj, form, change):
        try:
            token, key = token_issue(user=obj.user, name=obj.name, actor=request.user)
        except TokenError as exc:
            raise PermissionDenied(str(exc)) from exc
        obj.pk, self._issued = token.pk, (token, key)

    def response_add(self, request, obj, post_url_continue=None):
        token, key = self._issued
        return _shown_once(
            self,
            request,
            title="API token issued",
            secrets=[(f"{token.name} — for {token.user.get_username()}", key)],
            help="Send it as: Authorization: Bearer <token>",
            stored_as="its SHA-256 hash",
        )

    @admin.display(description="State")
    def state(self, obj):
        return "revoked" if obj.revoked_at else "active"

    @admin.action(description="Revoke selected tokens")
    def revoke_tokens(self, request, queryset):
        apply_each(
            self,
            request,
            queryset.select_related("user"),
            lambda t: token_revoke(token=t, actor=request.user),
            errors=(TokenError,),
            describe=lambda t: f"token {t.prefix}",
            done="tokens revoked",
        )


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        max_length=2000, assume_scheme="https", help_text="Receives a signed POST for each event."
    )
    events = forms.MultipleChoiceField(choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Webhook
        fields = ("name", "url", "events", "active")


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("name", "url", "event_list", "active", "deliveries_link", "created_by", "created_at")
    list_select_related = ("created_by",)
    readonly_fields = ("signature", "created_by", "created_at")
    actions = ["rotate_secrets"]

    def get_fields(self, request, obj=None):
        return ("name", "url", "events", "active", *(self.readonly_fields if obj else ()))

    def save_model(self, request, obj, form, change):
        try:
            _, self._secret = webhook_save(webhook=obj, actor=request.user)
        except WebhookError as exc:
            raise PermissionDenied(str(exc)) from exc

    def response_add(self, request, obj, post_url_continue=None):
        return _shown_once(
            self,
            request,
            title="Webhook registered",
            secrets=[(f"Signing secret of {obj.name}", self._secret)],
            help=f"Deliveries carry {SIGNATURE_HEADER}: t=<unix time>,v1=<hex HMAC-SHA256 of '<t>.<body>'>",
            stored_as="the key deliveries are signed with",
        )

    @admin.display(description="Events")
    def event_list(self, obj):
        return ", ".join(WebhookEvent(e).label for e in obj.events if e in WebhookEvent.values)

    @admin.display(description="Deliveries")
    def deliveries_link(self, obj):
        url = reverse("admin:reviews_webhookdelivery_changelist") + f"?webhook__id__exact={obj.pk}"
        return format_html('<a href="{}">deliveries</a>', url)

    @admin.display(description="Signature")
    def signature(self, obj):
        return f"{SIGNATURE_HEADER}: t=<unix time>,v1=<hex HMAC-SHA256(secret, '<t>.' + body)>"

    @admin.action(description="Rotate the signing secret of selected webhooks", permissions=["change"])
    def rotate_secrets(self, request, queryset):
        try:
            secrets = [
                (f"New signing secret of {h.name}", webhook_secret_rotate(webhook=h, actor=request.user))
                for h in queryset
            ]
        except WebhookError as exc:
            raise PermissionDenied(str(exc)) from exc
        return _shown_once(
            self,
            request,
            title="Signing secrets rotated",
            secrets=secrets,
            help="The old secret no longer signs deliveries.",
            stored_as="the key deliveries are signed with",
        )


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("number", "at", "status_code", "error", "duration_ms", "replay")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reviews.view_webhookdelivery")  # the log is part of the delivery

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = (
        "event",
        "webhook",
        "status_badge",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
    )
    list_select_related = ("webhook",)
    list_filter = ("status", "event", "webhook")
    fields = (
        "webhook",
        "event",
        "event_id",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
        "payload",
    )
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["replay_deliveries"]
    show_full_result_count = False

    def has_replay_permission(self, request):
        return request.user.has_perm("reviews.change_webhook")

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj):
        colour = {DeliveryStatus.DELIVERED: "#198754", DeliveryStatus.FAILED: "#dc3545"}.get(
            obj.status, "#6c757d"
        )
        return format_html(
            '<span class="nr-status" style="background:{}">{}</span>', colour, obj.get_status_display()
        )

    @admin.action(description="Send selected deliveries again", permissions=["replay"])
    def replay_deliveries(self, request, queryset):
        try:
            n = deliveries_replay(deliveries=list(queryset), actor=request.user)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        self.message_user(request, f"{n} deliveries queued again.", messages.SUCCESS)
