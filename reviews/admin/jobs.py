"""Jobs and feeds in the admin: what runs in the background, how far it is, why it failed."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from ..feeds import feed_poll_later
from ..jobs import job_retry
from ..models import Feed, FeedEntry, FeedState, Job, JobState
from .common import HistoryAttributedAdmin, badge, cut_cell

STATE_COLOURS = {
    JobState.QUEUED: "#6c757d",
    JobState.RUNNING: "#0d6efd",
    JobState.RETRYING: "#fd7e14",
    JobState.DONE: "#198754",
    JobState.FAILED: "#dc3545",
}


def job_badge(job: Job) -> str:
    return badge(job.get_state_display(), STATE_COLOURS.get(job.state, "#6c757d"))


class JobChildInline(admin.TabularInline):
    model = Job
    fk_name = "parent"
    fields = ("child", "kind", "state", "article", "error")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Jobs of this batch"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article").defer("payload", "output")

    @admin.display(description="Job")
    def child(self, obj):
        return str(obj)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "state_badge",
        "progress",
        "article",
        "attempts",
        "short_error",
        "created_by",
        "created_at",
    )
    list_filter = ("state", "kind")
    list_select_related = ("article", "created_by")
    search_fields = ("error", "params")
    actions = ["retry_jobs"]
    inlines = [JobChildInline]
    fields = (
        "kind",
        "state_badge",
        "progress",
        "article",
        "feed",
        "parent",
        "params",
        "attempts",
        "worker",
        "error",
        "result",
        "download",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("payload", "output")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="State", ordering="state")
    def state_badge(self, obj):
        return job_badge(obj)

    @admin.display(description="Progress")
    def progress(self, obj):
        if not obj.progress_total:
            return "—"
        return f"{obj.progress_done} of {obj.progress_total}"

    @admin.display(description="Error")
    def short_error(self, obj):
        return cut_cell(obj.error, 120)

    @admin.display(description="File")
    def download(self, obj):
        if not obj.output_name:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:reviews_job_download", args=[obj.pk]), obj.output_name
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="reviews_job_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, object_id):
        job = get_object_or_404(Job, pk=object_id)
        if not self.has_view_permission(request, job) or not job.output_name:
            raise PermissionDenied
        response = HttpResponse(bytes(job.output), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
        return response

    @admin.action(description="Run the selected failed jobs again", permissions=["change"])
    def retry_jobs(self, request, queryset):
        count = 0
        for job in queryset.filter(state=JobState.FAILED):
            try:
                job_retry(job=job, actor=request.user)
                count += 1
            except ValueError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(request, f"{count} job(s) queued again.", messages.SUCCESS)


ENTRIES_SHOWN = 100


class FeedEntryInline(admin.TabularInline):
    model = FeedEntry
    fields = ("url", "title", "published", "state", "article", "note", "seen_at")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("-seen_at", "-id")
    verbose_name_plural = f"Entries taken in (the newest {ENTRIES_SHOWN})"

    def get_queryset(self, request):
        """The feed's newest entries only: a wire feed gathers thousands."""
        entries = super().get_queryset(request).select_related("article")
        feed_id = (request.resolver_match.kwargs if request.resolver_match else {}).get("object_id")
        if not str(feed_id or "").isdigit():
            return entries.none()
        newest = FeedEntry.objects.filter(feed_id=int(feed_id)).order_by("-seen_at", "-id")
        return entries.filter(pk__in=list(newest.values_list("pk", flat=True)[:ENTRIES_SHOWN]))


@admin.register(Feed)
class FeedAdmin(HistoryAttributedAdmin):
    list_display = ("__str__", "url", "enabled", "entries", "last_success", "errors_in_a_row", "last_error")
    list_filter = ("enabled",)
    search_fields = ("url", "title")
    actions = ["poll_now"]
    fields = ("url", "title", "enabled", "added_by", "created_at", "polling")
    readonly_fields = ("added_by", "created_at", "polling")
    inlines = [FeedEntryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("state", "added_by")

    def _state(self, obj) -> FeedState:
        try:
            return obj.state
        except FeedState.DoesNotExist:
            return FeedState(feed=obj)

    @admin.display(description="Entries")
    def entries(self, obj):
        return self._state(obj).entries_seen

    @admin.display(description="Last success")
    def last_success(self, obj):
        return self._state(obj).last_success_at or "—"

    @admin.display(description="Errors in a row")
    def errors_in_a_row(self, obj):
        return self._state(obj).error_count

    @admin.display(description="Last error")
    def last_error(self, obj):
        return cut_cell(self._state(obj).last_error, 120) or "—"

    @admin.display(description="Polling")
    def polling(self, obj):
        state = self._state(obj)

        def when(moment, none="never"):
            return timezone.localtime(moment).strftime("%d %b %Y %H:%M") if moment else none

        return format_html(
            "last polled {} · last success {} · newest entry {} · {} entries · {} errors in a row "
            "({} in all){}",
            when(state.last_polled_at),
            when(state.last_success_at),
            when(state.last_entry_at, "—"),
            state.entries_seen,
            state.error_count,
            state.errors_total,
            format_html("<br>last error: {}", state.last_error) if state.last_error else "",
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            FeedState.objects.get_or_create(feed=obj)
            feed_poll_later(feed=obj, actor=request.user)
            self.message_user(request, "Its first poll is queued.", messages.INFO)

    @admin.action(description="Take in the selected feeds' new entries now", permissions=["change"])
    def poll_now(self, request, queryset):
        queued = [feed for feed in queryset if feed_poll_later(feed=feed, actor=request.user)]
        self.message_user(request, f"{len(queued)} feed poll(s) queued (see Jobs).", messages.SUCCESS)
