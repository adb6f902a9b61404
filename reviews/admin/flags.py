"""Flags: triage by the role each rule names."""

import copy
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db.models import Q
from django.http import HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from ..models import (
    Flag,
    FlagStatus,
)
from ..selectors import flag_page
from ..services.flags import RESOLVER_WORDS, FlagError, can_resolve, flag_resolve, resolvable, resolver_roles
from ..textproc.shorten import shorten
from .common import (
    CappedCountMixin,
    ReadOnlyHistoryAdmin,
    RecentArticleFilter,
    apply_each,
    cut_cell,
)

SEVERITY_COLOURS = {
    "info": "#6c757d",
    "low": "#0d6efd",
    "medium": "#fd7e14",
    "high": "#dc3545",
    "legal": "#6f42c1",
}


class ConfidenceFilter(admin.SimpleListFilter):
    """The scorer's confidence bands (``Flag.CONFIDENCE_BANDS``): triage the surest flags first."""

    title = "confidence"
    parameter_name = "confidence"

    def lookups(self, request, model_admin):
        bands, ceiling = [], None
        for floor, label in Flag.CONFIDENCE_BANDS:
            low, high = round(floor * 100), None if ceiling is None else round(ceiling * 100)
            bound = (
                f"{low} % and over" if high is None else f"under {high} %" if not low else f"{low}–{high} %"
            )
            bands.append((label, f"{label.capitalize()} ({bound})"))
            ceiling = floor
        return [*bands, ("none", "Not scored")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(confidence__isnull=True)
        ceiling = None
        for floor, label in Flag.CONFIDENCE_BANDS:
            if value == label:
                queryset = queryset.filter(confidence__gte=floor)
                return queryset if ceiling is None else queryset.filter(confidence__lt=ceiling)
            ceiling = floor
        return queryset


class FlagResolveForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Required: why the flag is confirmed or dismissed. Shown in exports and history.",
    )


# The two decisions, as the flag page's buttons, the list's actions and the messages name them.
DECISIONS = {
    FlagStatus.CONFIRMED: ("confirm", "the risk is real"),
    FlagStatus.DISMISSED: ("dismiss", "no risk here"),
}

QUEUE_CAP = 1000  # flags of a list read to find the next open one after the current


def _flags(n: int, kind: str = "") -> str:
    kind = f"{kind} " if kind else ""
    return f"a {kind}flag" if n == 1 else f"{kind}flags"


def queue_word(roles) -> str:
    """ "legal", "editorial" or "" (both): the flags a person's queue holds."""
    return RESOLVER_WORDS[next(iter(roles))][0] if len(roles) == 1 else ""


def selection_summary(flags, mine: set[int], verb: str) -> list[str]:
    """What a selection holds that this person may not resolve, said before they write a note:
    e.g. "2 of 5 selected flags are legal flags (Attack on people out of combat); a legal
    reviewer resolves them." Empty when every selected flag is theirs to resolve."""
    total = len(flags)
    if len(mine) == total:
        return []
    lines = []
    for role, (kind, who) in RESOLVER_WORDS.items():
        theirs = [
            f for f in flags if f.pk not in mine and f.status == FlagStatus.OPEN and f.resolver_role == role
        ]
        if theirs:
            n = len(theirs)
            titles = ", ".join(dict.fromkeys(f.rule.title for f in theirs))
            lines.append(
                f"{n} of {total} selected flags {'is' if n == 1 else 'are'} {_flags(n, kind)} ({titles}); "
                f"{who} resolves {'it' if n == 1 else 'them'}."
            )
    decided = sum(f.status != FlagStatus.OPEN for f in flags)
    if decided:
        lines.append(f"{decided} of {total} {'is' if decided == 1 else 'are'} already resolved.")
    if mine:
        lines.append(f"{verb.capitalize()} the other {len(mine)}?")
    else:
        lines.append("None of them is yours to resolve; nothing was changed.")
    return lines


@admin.register(Flag)
class FlagAdmin(CappedCountMixin, ReadOnlyHistoryAdmin):
    # Four columns, so that the list fits beside the navigation at 1280 px: the rule (its title,
    # as the claim page and the exports name it) with its severity, the passage, the article,
    # and the flag's state (decision, or who decides and how sure the scorer is).
    list_display = ("rule_title", "short_text", "article_link", "state")
    list_select_related = ("rule", "article", "resolved_by")
    list_filter = (
        "status",
        "severity",
        ConfidenceFilter,
        "rule__category",
        "resolver_role",
        "rule",
        RecentArticleFilter,
    )
    search_fields = ("text", "article__title", "note")
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
        "confidence_shown",
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

    change_form_template = "admin/reviews/flag/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/next/",
                self.admin_site.admin_view(self.next_view),
                name="reviews_flag_next",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A flag page shows the passage in its paragraph, the rule and, to whoever may resolve
        the flag, a note and Confirm / Dismiss: the only change a flag takes. There is no Save
        (nothing else is editable)."""
        flag = self.get_object(request, unquote(object_id)) if object_id else None
        if flag is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        triage = flag.status == FlagStatus.OPEN and self.has_change_permission(request, flag)
        triage = triage and can_resolve(request.user, flag)
        if request.method == "POST":
            if not self.has_change_permission(request, flag):
                raise PermissionDenied
            form = FlagResolveForm(request.POST)
            decision = request.POST.get("_triage", "")
            if decision not in DECISIONS:
                self.message_user(request, "A flag is confirmed or dismissed with a note; nothing was saved.")
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                try:
                    flag_resolve(
                        flag=flag, actor=request.user, status=decision, note=form.cleaned_data["note"]
                    )
                except FlagError as exc:
                    self.message_user(request, f"Not saved: {exc}.", messages.ERROR)
                else:
                    return HttpResponseRedirect(self._after_decision(request, flag, decision))
            else:  # said at the top, where the page opens again; the note is beside the buttons
                verb = DECISIONS[decision][0]
                self.message_user(
                    request,
                    f"The flag was not {decision}: write the note below (why), then {verb} it again.",
                    messages.ERROR,
                )
        else:
            form = FlagResolveForm()
        page = flag_page(flag.pk)
        roles = resolver_roles(request.user)
        kind, who = RESOLVER_WORDS.get(flag.resolver_role, ("", "someone else"))
        context = {
            **(extra_context or {}),
            "title": f"Flag: {flag.rule.title}",
            "subtitle": None,
            "page": page,
            "severity": self.severity_badge(flag),
            "resolver": f"{kind.capitalize()} flags are resolved by {who}",
            "triage_form": form if triage else None,
            "next_url": self._next_url(request, flag) if roles else "",
            "next_label": " ".join(filter(None, ("Next open", queue_word(roles), "flag"))),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete_link": False,
        }
        request.method = "GET"  # render the page; the decision above was the only write
        return super().changeform_view(request, object_id, form_url, context)

    # The queue: the list a flag was opened from (its filters and order, kept by the admin in
    # ``_changelist_filters``), or, for a flag opened on its own, every flag; of it, the open
    # flags this person resolves.

    def _queue(self, request, filters: str):
        if filters:
            listing = copy.copy(request)
            listing.GET = QueryDict(filters)
            try:
                return self.get_changelist_instance(listing).queryset
            except (IncorrectLookupParameters, SuspiciousOperation):
                pass  # filters the list would refuse: the whole queue instead
        return self.get_queryset(request).order_by("article_id", "start", "pk")

    def _next_open(self, request, flag, filters: str) -> tuple[int | None, int]:
        """The next open flag after ``flag`` in the queue that this person may resolve (wrapping
        round to the top), and how many such flags are left."""
        roles = resolver_roles(request.user)
        if not roles:
            return None, 0
        queue = self._queue(request, filters)
        ids = list(
            queue.filter(Q(status=FlagStatus.OPEN, resolver_role__in=roles) | Q(pk=flag.pk)).values_list(
                "pk", flat=True
            )[:QUEUE_CAP]
        )
        at = ids.index(flag.pk) if flag.pk in ids else -1
        rest = ids[at + 1 :] + ids[: max(at, 0)]
        return (rest[0] if rest else None), len(rest)

    def _change_url(self, pk: int, filters: str) -> str:
        url = reverse("admin:reviews_flag_change", args=[pk])
        return f"{url}?{urlencode({'_changelist_filters': filters})}" if filters else url

    def _next_url(self, request, flag) -> str:
        url = reverse("admin:reviews_flag_next", args=[flag.pk])
        filters = request.GET.get("_changelist_filters", "")
        return f"{url}?{urlencode({'_changelist_filters': filters})}" if filters else url

    def _after_decision(self, request, flag, decision: str) -> str:
        """On to the next open flag of the list the flag was opened from (the open legal flags,
        say), keeping its filters; when none is left, back to that list (or, for a flag opened
        on its own, its page), saying so."""
        filters = request.GET.get("_changelist_filters", "")
        nxt, left = self._next_open(request, flag, filters)
        kind = queue_word(resolver_roles(request.user))
        where = "in this list" if filters else "for you"
        done = format_html('Flag <a href="{}">{}</a>.', self._change_url(flag.pk, filters), decision)
        if nxt is not None:
            more = f"{left}+" if left >= QUEUE_CAP - 1 else str(left)
            self.message_user(
                request,
                format_html(
                    "{} Next open {}flag ({} left {}).", done, f"{kind} " if kind else "", more, where
                ),
                messages.SUCCESS,
            )
            return self._change_url(nxt, filters)
        self.message_user(
            request,
            format_html("{} No open {} are left {}.", done, _flags(2, kind), where),
            messages.SUCCESS,
        )
        if not filters:
            return request.path
        return f"{reverse('admin:reviews_flag_changelist')}?{QueryDict(filters).urlencode()}"  # re-encoded

    def next_view(self, request, object_id):
        """Skip to the next open flag of the queue without deciding this one."""
        flag = self.get_object(request, unquote(object_id))
        if flag is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, flag):
            raise PermissionDenied
        filters = request.GET.get("_changelist_filters", "")
        nxt, _ = self._next_open(request, flag, filters)
        if nxt is not None:
            return HttpResponseRedirect(self._change_url(nxt, filters))
        kind = queue_word(resolver_roles(request.user))
        where = "in this list" if filters else "for you"
        self.message_user(request, f"No other open {_flags(2, kind)} are left {where}.", messages.INFO)
        return HttpResponseRedirect(self._change_url(flag.pk, filters))

    @admin.display(description="Rule", ordering="rule__title")
    def rule_title(self, obj):
        """The rule's title (its code on hover) over its severity."""
        return format_html(
            '<span title="{}">{}</span><br>{}', obj.rule.code, obj.rule.title, self.severity_badge(obj)
        )

    @admin.display(description="Passage")
    def short_text(self, obj):
        label = "Headline: " if obj.field == "title" else ""
        return format_html("{}{}", label, cut_cell(obj.text, 120))

    @admin.display(description="Article", ordering="article__title")
    def article_link(self, obj):
        url = reverse("admin:reviews_article_change", args=[obj.article_id])
        title = obj.article.title
        return format_html('<a href="{}" title="{}">{}</a>', url, title, shorten(title, 40))

    @admin.display(description="Severity", ordering="severity")
    def severity_badge(self, obj):
        return format_html(
            '<span class="nr-status" style="background:{}">{}</span>',
            SEVERITY_COLOURS.get(obj.severity, "#6c757d"),
            obj.get_severity_display(),
        )

    @admin.display(description="Confidence", ordering="confidence")
    def confidence_shown(self, obj):
        return obj.confidence_label or "not scored"

    @admin.display(description="State", ordering="status")
    def state(self, obj):
        if obj.status != FlagStatus.OPEN:
            who = obj.resolved_by.get_username() if obj.resolved_by else ""
            return f"{obj.get_status_display()} by {who}" if who else obj.get_status_display()
        who = f"Open, for the {obj.get_resolver_role_display().lower()}"
        if not obj.confidence_label:
            return who
        return format_html(
            '{}<br><span class="nr-confidence nr-confidence-{}">confidence {}</span>',
            who,
            obj.confidence_band,
            obj.confidence_label,
        )

    @admin.display(description="Resolved by role")
    def resolver(self, obj):
        return obj.get_resolver_role_display()

    @admin.display(description="Reference")
    def reference(self, obj):
        return obj.rule.reference

    @admin.display(description="What to do")
    def guidance(self, obj):
        return obj.rule.guidance

    def _resolve(self, request, queryset, status):
        """Ask first, showing which selected flags this person may resolve and which are
        another role's; then resolve, with the note, those posted back (the service refuses
        any other)."""
        verb, meaning = DECISIONS[status]
        flags = list(queryset.select_related("rule"))
        form = FlagResolveForm(request.POST if "note" in request.POST else None)
        if form.is_valid():
            apply_each(
                self,
                request,
                flags,
                lambda flag: flag_resolve(
                    flag=flag, actor=request.user, status=status, note=form.cleaned_data["note"]
                ),
                errors=FlagError,
                describe=lambda f: f"{f.rule.title}, “{shorten(f.text, 50)}”",
                done=f"flag(s) {status}",
            )
            return None
        mine = resolvable(request.user, flags)
        n = len(mine)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{verb.capitalize()} {n} flag{'' if n == 1 else 's'}: {meaning}"
            if n
            else f"No flag to {verb}",
            "opts": self.model._meta,
            "summary": selection_summary(flags, mine, verb),
            "mine": [f for f in flags if f.pk in mine],
            "others": [f for f in flags if f.pk not in mine],
            "form": form if mine else None,
            "action": request.POST.get("action"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "changelist_url": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/reviews/flag/resolve_selected.html", context)

    @admin.action(description="Confirm selected flags: the risk is real…", permissions=["change"])
    def confirm_flags(self, request, queryset):
        return self._resolve(request, queryset, FlagStatus.CONFIRMED)

    @admin.action(description="Dismiss selected flags: no risk here…", permissions=["change"])
    def dismiss_flags(self, request, queryset):
        return self._resolve(request, queryset, FlagStatus.DISMISSED)
