"""Pieces every admin page of the app shares."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, router, transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from ..models import OPEN_STATUSES, Article, Claim, ClaimStatus
from ..selectors import COUNT_CAP, count_shown
from ..services.reference import reference_save
from ..textproc.shorten import shorten

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


def badge(label: str, colour: str = "#6c757d") -> str:
    return format_html('<span class="nr-status" style="background:{}">{}</span>', colour, label)


def status_badge(status: str) -> str:
    return badge(ClaimStatus(status).label, STATUS_COLOURS.get(status, "#6c757d"))


def cut_cell(text: str, limit: int) -> str:
    """A list cell's text shortened to ``limit`` characters; when cut, the whole text is its
    tooltip."""
    short = shorten(text, limit)
    return short if short == (text or "").strip() else format_html('<span title="{}">{}</span>', text, short)


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


def action_form_page(model_admin, request, *, items, form, title, refused: str = ""):
    """The page an admin action shows to ask for its input (a note, an assignee, a date).

    ``refused`` says what did not happen when the input comes back with a mistake ("Not
    assigned"); the page keeps the chosen rows and what was typed.
    """
    context = {
        "refused": refused,
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "items": items,
        "form": form,
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/reviews/action_form.html", context)


SEEN_FIELD = "_seen_history"


def latest_history(obj):
    return obj.history.select_related("history_user").order_by("-history_date", "-history_id").first()


def changed_since(obj, seen: str) -> str | None:
    """Why saving ``obj`` would overwrite someone's change, or None when the form is current.

    ``seen`` is the newest history row the editing form was built from.
    """
    last = latest_history(obj)
    if last is None or str(last.history_id) == seen:
        return None
    who = last.history_user.get_username() if last.history_user else "someone"
    when = last.history_date.strftime("%d %b %H:%M")
    return (
        f"{who} changed this {obj._meta.verbose_name} at {when} UTC after you opened it. "
        "Your edit was not saved: reload the page to see their change, then edit again."
    )


def shown(field, value) -> str:
    """A field's value as a person reads it: labels for choices, names for people and records,
    dates to the minute, a dash for nothing."""
    if field.many_to_many:
        key = get_m2m_reverse_field_name(field)
        return ", ".join(str(v[key]) if isinstance(v, dict) else str(v) for v in value) or "—"
    if field.is_relation:
        if value is None or getattr(value, "pk", value) is None:
            return "—"
        if isinstance(value, DeletedObject):
            return f"a deleted {field.related_model._meta.verbose_name} (#{value.pk})"
        if hasattr(value, "get_username"):
            return value.get_username()
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "strftime"):
        return value.strftime("%d %b %Y %H:%M UTC" if hasattr(value, "hour") else "%d %b %Y")
    return str(value)


def _related(record, field):
    pk = getattr(record, field.attname)
    if pk is None:
        return None
    found = field.related_model._default_manager.filter(pk=pk).first()
    return found if found is not None else DeletedObject(field.related_model, pk)


class ChangeSentences(HistoricalRecordContextHelper):
    """Each change in a history list as a sentence: "Priority changed from Normal to High"."""

    def context_for_delta_changes(self, delta) -> list[dict]:
        rows = []
        for change in delta.changes:
            field = self.model._meta.get_field(change.field)
            label = capfirst(field.verbose_name)
            old, new = (Truncator(shown(field, v)).chars(120) for v in (change.old, change.new))
            if old == "—":
                sentence = f"{label} set to {new}"
            elif new == "—":
                sentence = f"{label} cleared (was {old})"
            else:
                sentence = f"{label} changed from {old} to {new}"
            rows.append({"field": label, "old": old, "new": new, "sentence": sentence})
        return rows


class ViewOnlyMixin:
    """An admin page that only shows records: they are written elsewhere (the claim page, a
    service, a job), never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History pages show what a record was at each change; they never write.

    simple-history's own version page is a change form that saves whatever is posted to it,
    whatever the "revert disabled" setting hides, so it is replaced here by a read-only page
    and every other method is refused. Changes go through the services, with their checks.
    """

    object_history_form_template = "admin/reviews/history_version.html"
    object_history_list_template = "admin/reviews/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ChangeSentences(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("History pages are read-only.")
        if not (str(version_id).isascii() and str(version_id).isdigit()):
            raise Http404("No such version.")
        opts = self.model._meta
        history_model = getattr(self.model, opts.simple_history_manager_attribute).model
        try:
            record = get_object_or_404(
                history_model.objects.select_related("history_user"),
                **{opts.pk.attname: unquote(object_id), "history_id": int(version_id)},
            )
        except (ValueError, ValidationError):
            raise Http404("No such version.") from None
        obj = record.instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        fields = [f for f in opts.concrete_fields if not f.primary_key]
        rows = [
            (f.verbose_name, shown(f, _related(record, f) if f.is_relation else getattr(record, f.attname)))
            for f in fields
        ]
        for m2m in getattr(history_model, "_history_m2m_fields", ()):
            through = getattr(record, m2m.name).select_related(m2m.name)
            rows.append((m2m.verbose_name, "; ".join(str(getattr(t, m2m.name)) for t in through) or "—"))
        info = opts.app_label, opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "title": f"{opts.verbose_name.capitalize()} as of {record.history_date:%d %b %Y %H:%M} UTC",
            "opts": opts,
            "original": obj,
            "record": record,
            "rows": rows,
            "who": record.history_user.get_username() if record.history_user else "the system",
            "change_url": reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
            "history_url": reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
            "changelist_url": reverse("admin:{}_{}_changelist".format(*info)),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_form_template, context)


class HistoryAttributedAdmin(ReadOnlyHistoryAdmin):
    """Admin saves go through the services' history-attributed save, and never overwrite a
    change made since the form was opened (the form carries the newest history row it saw).

    A save locks the row first and checks and saves under that lock in one transaction: of
    simultaneous saves from one opened version, one wins and the others find its change.
    """

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    change_form_template = "admin/reviews/history_change_form.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        seen = request.POST.get(SEEN_FIELD, "")
        if object_id and request.method != "POST":
            obj = self.get_object(request, object_id)
            last = latest_history(obj) if obj is not None else None
            seen = str(last.history_id) if last else ""
        extra_context = {**(extra_context or {}), "seen_history": seen}
        if not (object_id and request.method == "POST"):
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._lock_row(object_id)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _lock_row(self, object_id) -> None:
        """Lock the row being saved until the transaction ends (before the form reads it)."""
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            return  # not a key: the change view answers "does not exist"
        list(self.model._default_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form

        class CurrentOnlyForm(form):
            def clean(self):
                data = super().clean()
                stale = changed_since(self.instance, self.data.get(SEEN_FIELD, ""))
                if stale:
                    raise ValidationError(stale)
                return data

        return CurrentOnlyForm

    def save_model(self, request, obj, form, change):
        reason = "edited in admin" if change else "created in admin"
        reference_save(obj=obj, actor=request.user, reason=reason)


BIGINT_MAX = 2**63 - 1


def query_id(value) -> int | None:
    """A primary key from a query value, or None: ASCII digits only ('²'.isdigit() is True)."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= BIGINT_MAX else None


class RecentArticleFilter(admin.SimpleListFilter):
    """Filter by article without loading every article: lists the latest, accepts any id."""

    title = "article"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        chosen = query_id(self.value())
        recent = list(Article.objects.order_by("-created_at", "-id").values_list("id", "title")[:15])
        if chosen is not None and all(pk != chosen for pk, _ in recent):
            recent += list(Article.objects.filter(pk=chosen).values_list("id", "title"))
        return [(str(pk), shorten(title, 60)) for pk, title in recent]

    def queryset(self, request, queryset):
        chosen = query_id(self.value())
        return queryset if chosen is None else queryset.filter(article_id=chosen)


# Where an article's check-worthy claims stand: (name, label, colour, which claims).
PROGRESS = [
    ("approved", "approved", STATUS_COLOURS[ClaimStatus.APPROVED], Q(status=ClaimStatus.APPROVED)),
    (
        "submitted",
        "awaiting approval",
        STATUS_COLOURS[ClaimStatus.SUBMITTED],
        Q(status=ClaimStatus.SUBMITTED),
    ),
    ("open", "with a fact-checker", STATUS_COLOURS[ClaimStatus.IN_REVIEW], Q(status__in=OPEN_STATUSES)),
    ("stale", "stale", STATUS_COLOURS[ClaimStatus.STALE], Q(status=ClaimStatus.STALE)),
    (
        "todo",
        "check-worthy, unassigned",
        STATUS_COLOURS[ClaimStatus.NEW],
        Q(status=ClaimStatus.NEW, checkworthy=True),
    ),
]
# Withdrawn claims are the sentences earlier versions had and the current one has not.
CURRENT = ~Q(status=ClaimStatus.WITHDRAWN)


def claim_counts(articles) -> None:
    """Set ``n_claims``, ``n_checkworthy`` and the ``n_<progress>`` counts on these articles,
    in one query over their claims only (never a count over every article's claims)."""
    articles = list(articles)
    counts = {
        row.pop("article_id"): row
        for row in Claim.objects.filter(article__in=articles)
        .values("article_id")
        .order_by()
        .annotate(
            n_claims=Count("pk", filter=CURRENT),
            n_checkworthy=Count("pk", filter=CURRENT & Q(checkworthy=True)),
            **{f"n_{name}": Count("pk", filter=condition) for name, _, _, condition in PROGRESS},
        )
    }
    empty = {"n_claims": 0, "n_checkworthy": 0, **{f"n_{name}": 0 for name, *_ in PROGRESS}}
    for article in articles:
        for field, n in counts.get(article.pk, empty).items():
            setattr(article, field, n)


def progress_bar(article, url: str) -> str:
    """A stacked bar of an article's claims by state; the article carries ``n_<name>`` counts."""
    parts = [(label, colour, getattr(article, f"n_{name}", 0)) for name, label, colour, _ in PROGRESS]
    total = sum(n for _, _, n in parts)
    if not total:
        return "—"
    x, rects = 0.0, []
    for label, colour, n in parts:
        if n:
            width = 100 * n / total
            rects.append((f"{x:.2f}", f"{width:.2f}", colour, f"{n} {label}"))
            x += width
    summary = "; ".join(f"{n} {label}" for label, _, n in parts if n)
    return format_html(
        '<a href="{}" class="nr-progress" title="{}"><svg viewBox="0 0 100 8" preserveAspectRatio="none" '
        'width="140" height="10" role="img" aria-label="{}">{}</svg> {}/{} approved</a>',
        url,
        summary,
        summary,
        format_html_join(
            "", '<rect x="{}" y="0" width="{}" height="8" fill="{}"><title>{}</title></rect>', rects
        ),
        parts[0][2],
        total,
    )


class CappedCountPaginator(Paginator):
    """Counts at most ``cap`` rows: a work list of millions needs its first pages, not an exact
    total that costs a scan. Beyond the cap the list says "10,000+" (a search: "1,000+")."""

    CAP = COUNT_CAP
    SEARCH_CAP = 1_000  # a search that matches more is refined, not paged through

    def __init__(self, *args, cap: int = CAP, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self):
        # In no order: any cap + 1 rows will do, and an index (text search, a filter) can stop early.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def shown_count(self) -> str:
        return count_shown(self.count, self.cap)


class CappedCountMixin:
    """For a ModelAdmin: its changelist counted by ``CappedCountPaginator``, with the lower cap
    while searching."""

    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        searching = bool(request.GET.get(SEARCH_VAR, "").strip())
        cap = CappedCountPaginator.SEARCH_CAP if searching else CappedCountPaginator.CAP
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, cap=cap)
