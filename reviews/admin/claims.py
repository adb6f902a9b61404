"""Claims: the work views, editor actions and the claim page."""

from collections import Counter

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ..forms import ClaimAssignForm, ClaimDismissForm, ClaimDueForm
from ..models import (
    Claim,
    ClaimStatus,
    User,
)
from ..roles import FACT_CHECKERS
from ..workflow import WorkflowError, claim_assign, claim_dismiss, claims_auto_assign
from .common import F_DUE, RecentArticleFilter, action_form_page, apply_each, status_badge


class WorkFilter(admin.SimpleListFilter):
    """The views people work from: my queue, overdue, awaiting approval, being reviewed."""

    title = "work"
    parameter_name = "work"

    def lookups(self, request, model_admin):
        return [
            ("mine", "My queue"),
            ("overdue", "Overdue"),
            ("awaiting", "Awaiting approval"),
            ("in_review", "Being reviewed"),
            ("unassigned", "Check-worthy, unassigned"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return queryset.for_checker(request.user)
        if value == "overdue":
            return queryset.overdue()
        if value == "awaiting":
            return queryset.filter(status=ClaimStatus.SUBMITTED)
        if value == "in_review":
            return queryset.filter(status=ClaimStatus.IN_REVIEW)
        if value == "unassigned":
            return queryset.filter(status=ClaimStatus.NEW, checkworthy=True)
        return queryset


class CheckerFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee__id__exact"

    def lookups(self, request, model_admin):
        checkers = User.objects.filter(groups__name=FACT_CHECKERS).order_by("username")
        return [(str(u.pk), u.get_username()) for u in checkers]

    def queryset(self, request, queryset):
        return queryset.filter(assignee_id=int(self.value())) if (self.value() or "").isdigit() else queryset


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = (
        "short_text",
        "article_link",
        "kind",
        "status_display",
        "checkworthy",
        "score_display",
        "assignee",
        "due",
        "priority",
    )
    list_select_related = ("article", "assignee")
    list_filter = (
        WorkFilter,
        "status",
        "kind",
        RecentArticleFilter,
        CheckerFilter,
        "checkworthy",
        "priority",
    )
    search_fields = ("text",)
    show_full_result_count = False
    list_per_page = 50
    actions = ["assign_to", "auto_assign", "set_due_date", "dismiss_claims"]

    def _run(self, request, queryset, service, done: str, **kwargs) -> None:
        apply_each(
            self,
            request,
            queryset,
            lambda claim: service(claim=claim, actor=request.user, **kwargs),
            errors=WorkflowError,
            describe=lambda c: f"#{c.index + 1} “{c.text[:50]}”",
            done=f"claim(s) {done}",
        )

    def _form_page(self, request, queryset, form, title):
        items = [
            (c.pk, f"#{c.index + 1} {c.text[:120]} ({c.article.title[:40]})")
            for c in queryset.select_related("article")
        ]
        return action_form_page(self, request, items=items, form=form, title=title)

    @admin.action(description="Assign to a fact-checker…", permissions=["assign"])
    def assign_to(self, request, queryset):
        form = ClaimAssignForm(request.POST if "assignee" in request.POST else None)
        if not form.is_valid():
            return self._form_page(request, queryset, form, f"Assign {queryset.count()} claim(s)")
        data = form.cleaned_data
        self._run(
            request,
            queryset,
            claim_assign,
            f"assigned to {data['assignee']}",
            assignee=data["assignee"],
            due=data["due"],
            priority=data["priority"],
        )
        return None

    @admin.action(description="Auto-assign (balance load, match expertise)", permissions=["assign"])
    def auto_assign(self, request, queryset):
        try:
            assigned = claims_auto_assign(claims=list(queryset), actor=request.user)
        except WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        by_user = Counter(c.assignee.get_username() for c in assigned)
        summary = ", ".join(f"{n} to {user}" for user, n in sorted(by_user.items()))
        self.message_user(request, f"Assigned {summary}.", messages.SUCCESS)

    @admin.action(description="Set due date…", permissions=["assign"])
    def set_due_date(self, request, queryset):
        form = ClaimDueForm(request.POST if "due" in request.POST else None)
        if not form.is_valid():
            return self._form_page(
                request, queryset, form, f"Set the due date of {queryset.count()} claim(s)"
            )
        due = form.cleaned_data["due"]

        def set_due(claim):
            if claim.assignee is None:
                raise WorkflowError("assign it before setting a due date")
            claim_assign(claim=claim, assignee=claim.assignee, actor=request.user, due=due)

        apply_each(
            self,
            request,
            queryset.select_related("assignee"),
            set_due,
            errors=WorkflowError,
            describe=lambda c: f"#{c.index + 1}",
            done="due date(s) set",
        )
        return None

    @admin.action(description="Dismiss as not check-worthy…", permissions=["assign"])
    def dismiss_claims(self, request, queryset):
        form = ClaimDismissForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return self._form_page(request, queryset, form, f"Dismiss {queryset.count()} claim(s)")
        self._run(request, queryset, claim_dismiss, "dismissed", reason=form.cleaned_data["reason"])
        return None

    def get_ordering(self, request):
        if request.GET.get("work") in ("mine", "overdue"):
            return [F_DUE, "-priority", "pk"]  # what is due first, then what matters most
        return super().get_ordering(request)

    def has_assign_permission(self, request):
        return request.user.has_perm("reviews.assign_claim")

    class Media:
        css = {"all": ("reviews/admin.css",)}

    readonly_fields = (
        "article",
        "revision",
        "index",
        "start",
        "end",
        "text",
        "kind",
        "score",
        "checkworthy",
        "checkables",
        "status",
        "assignee",
        "assigned_by",
        "due",
        "priority",
        "version",
        "created_at",
        "updated_at",
    )

    @admin.display(description="Claim", ordering="index")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 140 else obj.text[:139] + "…"

    @admin.display(description="Article", ordering="article__title")
    def article_link(self, obj):
        url = reverse("admin:reviews_article_change", args=[obj.article_id])
        title = obj.article.title
        return format_html(
            '<a href="{}#claim-{}" title="{}">{}</a>',
            url,
            obj.pk,
            title,
            title[:40] + ("…" if len(title) > 40 else ""),
        )

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        return status_badge(obj.status)

    @admin.display(description="Score", ordering="score")
    def score_display(self, obj):
        return f"{obj.score:.2f}"

    def has_add_permission(self, request):
        return False  # claims come from ingest
