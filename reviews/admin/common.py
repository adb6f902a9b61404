"""Pieces every admin page of the app shares."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ..history import save_with_history
from ..models import (
    Article,
    ClaimStatus,
)

F_DUE = F("due").asc(nulls_last=True)

STATUS_COLOURS = {
    ClaimStatus.NEW: "#6c757d",
    ClaimStatus.ASSIGNED: "#0d6efd",
    ClaimStatus.IN_REVIEW: "#6f42c1",
    ClaimStatus.SUBMITTED: "#fd7e14",
    ClaimStatus.APPROVED: "#198754",
    ClaimStatus.RETURNED: "#dc3545",
    ClaimStatus.NOT_CHECKWORTHY: "#adb5bd",
    ClaimStatus.STALE: "#b58900",
    ClaimStatus.WITHDRAWN: "#343a40",
}


def status_badge(status: str) -> str:
    return format_html(
        '<span class="nr-status" style="background:{}">{}</span>',
        STATUS_COLOURS.get(status, "#6c757d"),
        ClaimStatus(status).label,
    )


def apply_each(model_admin, request, objects, act, *, errors, describe, done: str) -> None:
    """Run a service on each selected object; report each refusal and the count that worked."""
    ok = 0
    for obj in objects:
        try:
            act(obj)
            ok += 1
        except errors as exc:
            model_admin.message_user(request, f"{describe(obj)}: {exc}", messages.ERROR)
    if ok:
        model_admin.message_user(request, f"{ok} {done}.", messages.SUCCESS)


def action_form_page(model_admin, request, *, items, form, title):
    """The page an admin action shows to ask for its input (a note, an assignee, a date)."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "items": items,
        "form": form,
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/reviews/action_form.html", context)


class HistoryAttributedAdmin(SimpleHistoryAdmin):
    """Admin saves go through the services' history-attributed save."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        reason = "edited in admin" if change else "created in admin"
        save_with_history(obj, actor=request.user, reason=reason)


class RecentArticleFilter(admin.SimpleListFilter):
    """Filter by article without loading every article: lists the latest, accepts any id."""

    title = "article"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        chosen = self.value()
        recent = list(Article.objects.order_by("-created_at", "-id").values_list("id", "title")[:15])
        if chosen and chosen.isdigit() and all(str(pk) != chosen for pk, _ in recent):
            recent += list(Article.objects.filter(pk=chosen).values_list("id", "title"))
        return [(str(pk), title[:60]) for pk, title in recent]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(article_id=int(value))
        return queryset
