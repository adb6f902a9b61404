"""The admin: the working surface for editors, fact-checkers and legal reviewers."""

import io
import zipfile
from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, F, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from .exporters import EXPORTERS, FORMATS
from .flagging import FlagError, flag_resolve
from .forms import ArticleAddForm, ClaimAssignForm, ClaimDismissForm, ClaimDueForm
from .history import save_with_history
from .models import (
    Article,
    ArticleRevision,
    Claim,
    ClaimStatus,
    Evidence,
    Flag,
    FlagRule,
    FlagStatus,
    Outlet,
    PartySource,
    Rating,
    User,
    Verdict,
)
from .roles import FACT_CHECKERS
from .selectors import article_body_segments, article_export_doc
from .services import InputError, article_ingest
from .workflow import WorkflowError, claim_assign, claim_dismiss, claims_auto_assign

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


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Newsroom", {"fields": ("expertise",)}))
    list_display = ("username", "first_name", "last_name", "email", "roles", "is_active")
    list_filter = ("groups", "is_active", "is_staff")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, obj):
        return ", ".join(g.name for g in obj.groups.all())


@admin.register(Outlet)
class OutletAdmin(HistoryAttributedAdmin):
    list_display = ("name", "domain", "created_at")
    search_fields = ("name", "domain")


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


@admin.register(Article)
class ArticleAdmin(HistoryAttributedAdmin):
    list_display = ("title", "outlet", "published", "claim_count", "checkworthy_count", "created_at")
    list_select_related = ("outlet",)
    list_filter = ("outlet", "created_at")
    search_fields = ("title", "url", "byline")
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["download_exports"]
    readonly_fields = (
        "risk_summary",
        "exports",
        "current_revision",
        "created_by",
        "created_at",
        "article_text",
        "removed_debris",
    )
    fieldsets = (
        ("Risks", {"fields": ("risk_summary", "exports")}),
        (None, {"fields": ("title", "url", "outlet", "byline", "published", "topics")}),
        ("Text and claims", {"fields": ("article_text",)}),
        ("Cleaning", {"classes": ("collapse",), "fields": ("removed_debris",)}),
        ("Provenance", {"fields": ("current_revision", "created_by", "created_at")}),
    )

    class Media:
        css = {"all": ("reviews/admin.css",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("outlet", "current_revision", "created_by")
            .annotate(
                n_claims=Count("claims", distinct=True),
                n_checkworthy=Count("claims", filter=Q(claims__checkworthy=True), distinct=True),
            )
        )

    @admin.display(description="Sentences", ordering="n_claims")
    def claim_count(self, obj):
        return obj.n_claims

    @admin.display(description="Check-worthy", ordering="n_checkworthy")
    def checkworthy_count(self, obj):
        url = reverse("admin:reviews_claim_changelist") + f"?article={obj.pk}&checkworthy__exact=1"
        return format_html('<a href="{}">{}</a>', url, obj.n_checkworthy)

    @admin.display(description="Article text")
    def article_text(self, obj):
        segments = article_body_segments(obj)
        if not segments:
            return "—"
        flags_by_claim: dict[int, list[str]] = {}
        for claim_id, code, severity in Flag.objects.filter(
            revision=obj.current_revision, field="body", status__in=[FlagStatus.OPEN, FlagStatus.CONFIRMED]
        ).values_list("claim_id", "rule__code", "severity"):
            flags_by_claim.setdefault(claim_id, []).append(f"{code} ({severity})")
        flag_url = reverse("admin:reviews_flag_changelist") + f"?article={obj.pk}"
        parts = []
        for seg in segments:
            if seg.claim is None:
                parts.append(format_html("{}", seg.text))
                continue
            claim = seg.claim
            url = reverse("admin:reviews_claim_change", args=[claim.pk])
            css = "nr-claim nr-cw" if claim.checkworthy else "nr-claim"
            flagged = flags_by_claim.get(claim.pk)
            if flagged:
                parts.append(
                    format_html(
                        '<a class="nr-flag" href="{}" title="Flags: {}">⚑</a>', flag_url, ", ".join(flagged)
                    )
                )
            parts.append(
                format_html(
                    '<a class="{} nr-{}" id="claim-{}" href="{}" title="{} · {} · score {}">'
                    '<sup class="nr-num">{}</sup>{}</a>',
                    css,
                    claim.status,
                    claim.pk,
                    url,
                    claim.get_kind_display(),
                    claim.get_status_display(),
                    f"{claim.score:.2f}",
                    seg.number,
                    seg.text,
                )
            )
        return format_html(
            '<div class="nr-article">{}</div>', format_html_join("", "{}", ((p,) for p in parts))
        )

    @admin.display(description="Export")
    def exports(self, obj):
        if obj.current_revision is None:
            return "—"
        labels = {
            "html": "HTML",
            "md": "Markdown",
            "docx": "Word",
            "webanno": "Web Annotation",
            "claimreview": "ClaimReview",
            "bundle": "All (zip)",
        }
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            ((reverse("reviews:article_export", args=[obj.pk, fmt]), label) for fmt, label in labels.items()),
        )

    @admin.action(description="Download annotated exports of selected articles (zip)", permissions=["view"])
    def download_exports(self, request, queryset):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for article in queryset.filter(current_revision__isnull=False):
                doc = article_export_doc(article)
                zf.writestr(doc.filename(FORMATS["bundle"][0]), EXPORTERS["bundle"](doc))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="newsroom-review-exports.zip"'
        return response

    @admin.display(description="Flags")
    def risk_summary(self, obj):
        flags = list(obj.flags.select_related("rule").order_by("start"))
        if not flags:
            return "No flags."
        open_legal = [f for f in flags if f.status == FlagStatus.OPEN and f.rule.resolver_role == "legal"]
        counts = Counter((f.severity, f.status) for f in flags)
        changelist = reverse("admin:reviews_flag_changelist") + f"?article={obj.pk}"
        banner = (
            format_html(
                '<p class="nr-legal-banner">{} unresolved legal flag(s): a legal reviewer must sign off '
                "before publication.</p>",
                len(open_legal),
            )
            if open_legal
            else ""
        )
        rows = format_html_join(
            "",
            "<li>{} · {}: {}</li>",
            ((sev, status, n) for (sev, status), n in sorted(counts.items())),
        )
        return format_html(
            '{}<ul class="nr-risks">{}</ul><a href="{}">Triage these flags</a>', banner, rows, changelist
        )

    @admin.display(description="Removed by cleaning")
    def removed_debris(self, obj):
        removed = obj.current_revision.removed if obj.current_revision else []
        if not removed:
            return "—"
        return format_html(
            "<ul class='nr-removed'>{}</ul>",
            format_html_join("", "<li><b>{}</b>: {}</li>", ((r["reason"], r["text"]) for r in removed)),
        )

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleAddForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data, name = form.source()
            try:
                result = article_ingest(
                    data=data, name=name, actor=request.user, url=form.cleaned_data["url"]
                )
            except InputError as exc:
                form.add_error(None, f"{name}: {exc}")
            else:
                article = result.article
                if result.created:
                    self.message_user(
                        request, f"“{article}” ingested: {result.claims} sentences.", messages.SUCCESS
                    )
                else:
                    self.message_user(
                        request, f"This text is already stored as “{article}”.", messages.WARNING
                    )
                return HttpResponseRedirect(reverse("admin:reviews_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Add article",
            "form": form,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/reviews/article/add_form.html", context)


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(SimpleHistoryAdmin):
    list_display = ("article", "number", "source_name", "pipeline_version", "created_by", "created_at")
    list_select_related = ("article", "created_by")
    search_fields = ("article__title", "source_name", "sha256")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # revisions are immutable

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(Rating)
class RatingAdmin(HistoryAttributedAdmin):
    list_display = ("label", "value", "scale", "colour_swatch", "order")
    list_filter = ("scale",)

    @admin.display(description="Colour")
    def colour_swatch(self, obj):
        return format_html('<span class="nr-swatch" style="background:{}"></span> {}', obj.colour, obj.colour)


@admin.register(Evidence)
class EvidenceAdmin(HistoryAttributedAdmin):
    list_display = ("__str__", "stance", "accessed", "created_by")
    list_select_related = ("created_by",)
    list_filter = ("stance",)
    search_fields = ("url", "title", "excerpt")


@admin.register(Verdict)
class VerdictAdmin(SimpleHistoryAdmin):
    list_display = ("claim", "rating", "status", "author", "approved_by", "submitted_at")
    list_select_related = ("claim", "rating", "author", "approved_by")
    list_filter = ("status", "rating")
    search_fields = ("summary", "claim__text")
    show_full_result_count = False


@admin.register(FlagRule)
class FlagRuleAdmin(HistoryAttributedAdmin):
    list_display = ("code", "title", "category", "severity", "resolver_role", "enabled", "builtin")
    list_filter = ("category", "severity", "enabled", "builtin")
    search_fields = ("code", "title")
    fields = (
        "code",
        "title",
        "category",
        "severity",
        "resolver_role",
        "enabled",
        "reference",
        "guidance",
        "terms",
        "builtin",
    )

    def get_readonly_fields(self, request, obj=None):
        # A built-in rule's detection ships with the library: the newsroom tunes it, never rewires it.
        if obj is not None and obj.builtin:
            return ("code", "category", "resolver_role", "terms", "builtin")
        return ("builtin",)


SEVERITY_COLOURS = {
    "info": "#6c757d",
    "low": "#0d6efd",
    "medium": "#fd7e14",
    "high": "#dc3545",
    "legal": "#6f42c1",
}


class FlagResolveForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Required: why the flag is confirmed or dismissed. Shown in exports and history.",
    )


@admin.register(PartySource)
class PartySourceAdmin(HistoryAttributedAdmin):
    list_display = ("term", "kind", "party", "conflict")
    list_filter = ("conflict", "kind")
    search_fields = ("term", "party", "conflict")


@admin.register(Flag)
class FlagAdmin(SimpleHistoryAdmin):
    list_display = (
        "rule_code",
        "short_text",
        "article_link",
        "severity_badge",
        "status",
        "resolver",
        "resolved_by",
    )
    list_select_related = ("rule", "article", "resolved_by")
    list_filter = ("status", "severity", "rule__category", "rule__resolver_role", "rule", RecentArticleFilter)
    search_fields = ("text", "article__title", "note")
    show_full_result_count = False
    actions = ["confirm_flags", "dismiss_flags"]
    readonly_fields = (
        "article",
        "revision",
        "claim",
        "rule",
        "field",
        "start",
        "end",
        "text",
        "why",
        "severity",
        "reference",
        "guidance",
        "rules_version",
        "status",
        "resolved_by",
        "resolved_at",
        "note",
    )
    fields = readonly_fields

    class Media:
        css = {"all": ("reviews/admin.css",)}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Rule", ordering="rule__code")
    def rule_code(self, obj):
        return obj.rule.code

    @admin.display(description="Passage")
    def short_text(self, obj):
        label = "Headline: " if obj.field == "title" else ""
        return label + (obj.text if len(obj.text) <= 120 else obj.text[:119] + "…")

    @admin.display(description="Article", ordering="article__title")
    def article_link(self, obj):
        url = reverse("admin:reviews_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article.title[:40])

    @admin.display(description="Severity", ordering="severity")
    def severity_badge(self, obj):
        return format_html(
            '<span class="nr-status" style="background:{}">{}</span>',
            SEVERITY_COLOURS.get(obj.severity, "#6c757d"),
            obj.get_severity_display(),
        )

    @admin.display(description="Resolved by role")
    def resolver(self, obj):
        return obj.rule.get_resolver_role_display()

    @admin.display(description="Reference")
    def reference(self, obj):
        return obj.rule.reference

    @admin.display(description="What to do")
    def guidance(self, obj):
        return obj.rule.guidance

    def _resolve(self, request, queryset, status, verb):
        form = FlagResolveForm(request.POST if "note" in request.POST else None)
        if not form.is_valid():
            items = [
                (f.pk, f"{f.rule.code} ({f.rule.get_resolver_role_display()}): {f.text[:140]}")
                for f in queryset.select_related("rule")
            ]
            title = f"{verb.capitalize()} {len(items)} flag(s)"
            return action_form_page(self, request, items=items, form=form, title=title)
        note = form.cleaned_data["note"]
        apply_each(
            self,
            request,
            queryset.select_related("rule"),
            lambda flag: flag_resolve(flag=flag, actor=request.user, status=status, note=note),
            errors=FlagError,
            describe=lambda f: f"{f.rule.code} on “{f.text[:50]}”",
            done=f"flag(s) {verb}ed",
        )
        return None

    @admin.action(description="Confirm selected flags (needs sign-off)…", permissions=["change"])
    def confirm_flags(self, request, queryset):
        return self._resolve(request, queryset, FlagStatus.CONFIRMED, "confirm")

    @admin.action(description="Dismiss selected flags…", permissions=["change"])
    def dismiss_flags(self, request, queryset):
        return self._resolve(request, queryset, FlagStatus.DISMISSED, "dismiss")
