"""Articles: ingest, text with claims in place, risks and exports."""

from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .. import jobs
from ..forms import ArticleAddForm, ArticleUrlForm, WithdrawForm, about
from ..models import Article, Flag, FlagStatus, Job, JobKind, JobState
from ..selectors import TEXT_PAGE, article_body_segments, article_export_doc, article_title_derived
from ..services.articles import article_ingest
from ..services.publishing import (
    PublishError,
    article_reviews_publish,
    article_reviews_withdraw,
    publish_refusal,
)
from ..textproc import InputError
from ..textproc.shorten import shorten
from .common import CappedCountMixin, HistoryAttributedAdmin, apply_each, claim_counts, progress_bar, query_id

TEXT_PAGE_VAR = "text_page"
EXPORT_INLINE_MAX = 20  # more selected articles than this are bundled by a job
REMOVED_SHOWN = 200  # removed lines listed on the article page


class ArticleChangeList(ChangeList):
    """The articles list, with its claim counts computed for the page shown only."""

    def get_results(self, request):
        super().get_results(request)
        claim_counts(self.result_list)


DERIVED_TITLE = "Taken from the first sentence: the text had no headline. Write the article's headline here."


@admin.register(Article)
class ArticleAdmin(CappedCountMixin, HistoryAttributedAdmin):
    list_display = (
        "title",
        "outlet",
        "published",
        "claim_count",
        "checkworthy_count",
        "progress",
        "created_at",
    )
    list_select_related = ("outlet",)
    list_filter = ("outlet", "created_at")
    search_fields = ("title", "url", "byline")
    actions = ["download_exports", "publish_reviews"]
    readonly_fields = (
        "risk_summary",
        "progress",
        "background",
        "versions",
        "exports",
        "public_reviews",
        "current_revision",
        "created_by",
        "created_at",
        "article_text",
        "removed_debris",
    )
    fieldsets = (
        (
            "Risks and progress",
            {"fields": ("risk_summary", "progress", "background", "versions", "exports", "public_reviews")},
        ),
        (None, {"fields": ("title", "url", "outlet", "byline", "published", "topics")}),
        ("Text and claims", {"fields": ("article_text",)}),
        ("Cleaning", {"classes": ("collapse",), "fields": ("removed_debris",)}),
        ("Provenance", {"fields": ("current_revision", "created_by", "created_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("outlet", "current_revision", "created_by")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        title = form.base_fields.get("title")
        if title is not None:
            title.widget.attrs["class"] = "vTextField nr-title-input"  # a headline is read whole
            if obj is not None and article_title_derived(obj):
                title.help_text = DERIVED_TITLE
        return form

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None:
            claim_counts([article])
            article.text_page = query_id(request.GET.get(TEXT_PAGE_VAR)) or 1
            # The page offers only the steps its reader may take (new version, publishing).
            article.reader_may_change = self.has_change_permission(request, article)
            article.reader_may_publish = self.has_publish_permission(request)
            article.reader_may_triage = request.user.has_perm("reviews.change_flag")
        return article

    @admin.display(description="Sentences")
    def claim_count(self, obj):
        return obj.n_claims

    @admin.display(description="Check-worthy")
    def checkworthy_count(self, obj):
        url = reverse("admin:reviews_claim_changelist") + f"?article={obj.pk}&checkworthy__exact=1"
        return format_html('<a href="{}">{}</a>', url, obj.n_checkworthy)

    @admin.display(description="Progress")
    def progress(self, obj):
        return progress_bar(obj, reverse("admin:reviews_claim_changelist") + f"?article={obj.pk}")

    @admin.display(description="Article text")
    def article_text(self, obj):
        page = getattr(obj, "text_page", 1)
        segments = article_body_segments(obj, page=page)
        if not segments:
            return "—"
        flags_by_claim: dict[int, list[str]] = {}
        for claim_id, code, severity in Flag.objects.filter(
            revision=obj.current_revision,
            field="body",
            status__in=[FlagStatus.OPEN, FlagStatus.CONFIRMED],
            claim__in=[seg.claim for seg in segments if seg.claim is not None],
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
            '{}<div class="nr-article">{}</div>{}',
            pager := self._text_pager(obj, page),
            format_html_join("", "{}", ((p,) for p in parts)),
            pager,
        )

    def _text_pager(self, obj, page: int):
        """Links to the other pages of a long article's text ('' when it fits on one)."""
        pages = -(-(getattr(obj, "n_claims", 0) or 0) // TEXT_PAGE)
        if pages <= 1:
            return ""
        url = reverse("admin:reviews_article_change", args=[obj.pk])
        links = format_html_join(
            " ",
            "{}",
            (
                (
                    format_html("<b>{}</b>", n)
                    if n == page
                    else format_html('<a href="{}?{}={}">{}</a>', url, TEXT_PAGE_VAR, n, n),
                )
                for n in range(1, pages + 1)
            ),
        )
        first, last = (page - 1) * TEXT_PAGE + 1, min(page * TEXT_PAGE, obj.n_claims)
        return format_html(
            '<p class="nr-pager">Sentences {}–{} of {} · page {}</p>', first, last, obj.n_claims, links
        )

    @admin.display(description="Versions")
    def versions(self, obj):
        revision = obj.current_revision
        if revision is None:
            return "—"
        may_change = getattr(obj, "reader_may_change", False)
        upload = (
            format_html(
                ' · <a class="button" href="{}">Upload new version</a>',
                reverse("admin:reviews_article_new_version", args=[obj.pk]),
            )
            if may_change
            else ""
        )
        refetch = (
            format_html(
                ' · <a class="button" href="{}">Fetch again from its URL</a>',
                reverse("admin:reviews_article_refetch", args=[obj.pk]),
            )
            if obj.url and may_change
            else ""
        )
        canonical = (revision.metadata or {}).get("url", "")
        source = (
            format_html('<br>Canonical URL: <a href="{}" rel="noreferrer">{}</a>', canonical, canonical)
            if canonical and canonical != obj.url
            else ""
        )
        return format_html(
            'Revision {} · <a href="{}">what changed</a> · <a href="{}">all revisions</a>{}{}{}',
            revision.number,
            reverse("admin:reviews_articlerevision_change", args=[revision.pk]),
            reverse("admin:reviews_articlerevision_changelist") + f"?article__id__exact={obj.pk}",
            upload,
            refetch,
            source,
        )

    @admin.display(description="Background work")
    def background(self, obj):
        """Jobs on this article not done yet: "matching…" until its claims are matched."""
        pending = list(
            Job.objects.filter(article=obj)
            .exclude(state=JobState.DONE)
            .defer("payload", "output")
            .order_by("-id")[:5]
        )
        if not pending:
            return "—"
        items = []
        for job in pending:
            url = reverse("admin:reviews_job_change", args=[job.pk])
            if job.state == JobState.FAILED:
                items.append(
                    format_html('<a href="{}">{} failed</a>: {}', url, job.get_kind_display(), job.error)
                )
            elif job.kind == JobKind.MATCH:
                items.append(format_html('<a href="{}" class="nr-pending">matching…</a>', url))
            else:
                items.append(format_html('<a href="{}">{}: {}…</a>', url, job.get_kind_display(), job.state))
        return format_html_join(mark_safe("<br>"), "{}", ((i,) for i in items))

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

    @admin.display(description="Public fact-checks")
    def public_reviews(self, obj):
        public = reverse("public:article", args=[obj.pk])
        step = reverse("admin:reviews_article_publish", args=[obj.pk])
        may_publish = getattr(obj, "reader_may_publish", False)
        if obj.reviews_published_at:
            return format_html(
                'Published {} by {} · <a href="{}">public page</a>{}',
                obj.reviews_published_at.strftime("%d %b %Y %H:%M"),
                obj.reviews_published_by.get_username() if obj.reviews_published_by else "—",
                public,
                format_html(' · <a class="button" href="{}">Withdraw…</a>', step) if may_publish else "",
            )
        if not may_publish:
            return "Not published (an editor publishes them)"
        return format_html('Not published · <a class="button" href="{}">Publish fact-checks…</a>', step)

    def has_publish_permission(self, request):
        return request.user.has_perm("reviews.publish_reviews")

    @admin.action(description="Publish the fact-checks of selected articles", permissions=["publish"])
    def publish_reviews(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda article: article_reviews_publish(article=article, actor=request.user),
            errors=PublishError,
            describe=lambda a: f"“{shorten(a.title, 60)}”",
            done="article(s) published",
        )

    def publish_view(self, request, object_id):
        """Publish an article's fact-checks, or withdraw them, after a look at what readers see."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        published = article.reviews_published_at is not None
        form = WithdrawForm(request.POST or None) if published else None
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                if published:
                    article_reviews_withdraw(
                        article=article, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    self.message_user(
                        request, "Fact-checks withdrawn from the public pages.", messages.SUCCESS
                    )
                else:
                    article_reviews_publish(article=article, actor=request.user)
                    self.message_user(request, "Fact-checks published.", messages.SUCCESS)
            except PublishError as exc:
                self.message_user(request, f"Not done: {exc}.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:reviews_article_change", args=[article.pk]))
        doc = article_export_doc(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": "Withdraw fact-checks" if published else "Publish fact-checks",
            "published": published,
            "reviews": [c for c in doc.claims if c.published],
            "held_back": [c for c in doc.claims if c.verdict is not None and not c.published],
            "refusal": None if published else publish_refusal(article, request.user),
            "form": form,
            "public_url": reverse("public:article", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/reviews/article/publish.html", context)

    @admin.action(description="Download annotated exports of selected articles (zip)", permissions=["view"])
    def download_exports(self, request, queryset):
        from ..tasks import export_bundle

        ids = list(queryset.filter(current_revision__isnull=False).values_list("pk", flat=True))
        if len(ids) > EXPORT_INLINE_MAX:  # a big bundle is made by a job, off the request
            job = jobs.job_enqueue(
                jobs.job_create(kind=JobKind.EXPORT, actor=request.user, params={"articles": ids})
            )
            self.message_user(
                request,
                format_html(
                    'The bundle of {} articles is being made: download it from <a href="{}">its job</a>.',
                    len(ids),
                    reverse("admin:reviews_job_change", args=[job.pk]),
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.get_full_path())
        articles = Article.objects.filter(pk__in=ids).order_by("pk")
        response = HttpResponse(
            export_bundle(articles, exported_by=request.user), content_type="application/zip"
        )
        response["Content-Disposition"] = 'attachment; filename="newsroom-review-exports.zip"'
        return response

    @admin.display(description="Flags")
    def risk_summary(self, obj):
        flags = list(
            obj.flags.filter(revision_id=obj.current_revision_id).select_related("rule").order_by("start")
        )
        if not flags:
            return "No flags."
        open_legal = [f for f in flags if f.status == FlagStatus.OPEN and f.resolver_role == "legal"]
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
        # A fact-checker reads the flags but decides none of them.
        link = "Triage these flags" if getattr(obj, "reader_may_triage", False) else "See these flags"
        return format_html(
            '{}<ul class="nr-risks">{}</ul><a href="{}">{}</a>', banner, rows, changelist, link
        )

    @admin.display(description="Removed by cleaning")
    def removed_debris(self, obj):
        removed = obj.current_revision.removed if obj.current_revision else []
        if not removed:
            return "—"
        more = len(removed) - REMOVED_SHOWN
        return format_html(
            "<ul class='nr-removed'>{}</ul>{}",
            format_html_join(
                "",
                "<li><b>{}</b>: {}</li>",
                ((r["reason"], shorten(r["text"], 300)) for r in removed[:REMOVED_SHOWN]),
            ),
            format_html("<p>… and {} more</p>", more) if more > 0 else "",
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="reviews_article_publish",
            ),
            path(
                "<path:object_id>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="reviews_article_new_version",
            ),
            path(
                "add-by-url/",
                self.admin_site.admin_view(self.add_by_url_view),
                name="reviews_article_add_by_url",
            ),
            path(
                "<path:object_id>/refetch/",
                self.admin_site.admin_view(self.refetch_view),
                name="reviews_article_refetch",
            ),
            *super().get_urls(),
        ]

    def new_version_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return self.add_view(request, extra_context={"original": article, "title": "Upload new version"})

    def refetch_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return self.add_by_url_view(request, original=article)

    def add_by_url_view(self, request, original=None):
        """Fetch a page and ingest it, as a job; a stored URL gives a new version when it changed."""
        if original is None and not self.has_add_permission(request):
            raise PermissionDenied
        initial = {"url": original.url} if original is not None else {}
        form = ArticleUrlForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            job = jobs.url_ingest_later(url=form.cleaned_data["url"], actor=request.user, article=original)
            job.refresh_from_db()
            if job.state == JobState.FAILED:  # it ran here (no broker configured) and failed
                form.add_error("url", job.error)
            elif job.state == JobState.DONE:
                result = job.result
                if result.get("note"):
                    self.message_user(request, f"{result['note']}.", messages.WARNING)
                if result["revised"]:
                    fates = ", ".join(f"{n} {fate}" for fate, n in sorted(result["fates"].items()))
                    self.message_user(
                        request, f"Revision {result['revision']} stored; claims: {fates}.", messages.SUCCESS
                    )
                elif result["created"]:
                    self.message_user(
                        request,
                        f"“{result['title']}” ingested: {result['claims']} sentences.",
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(request, "This page's text is already stored.", messages.WARNING)
                return HttpResponseRedirect(reverse("admin:reviews_article_change", args=[result["article"]]))
            else:
                self.message_user(
                    request, "The page is being fetched and ingested by a worker.", messages.INFO
                )
                return HttpResponseRedirect(reverse("admin:reviews_job_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Fetch again from its URL" if original else "Add article by URL",
            "form": form,
            "original": original,
            "by_url": True,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/reviews/article/add_form.html", context)

    def add_view(self, request, form_url="", extra_context=None):
        original = (extra_context or {}).get("original")
        if original is None and not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleAddForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data, name = form.source()
            try:
                result = article_ingest(
                    data=data, name=name, actor=request.user, url=form.cleaned_data["url"], article=original
                )
            except InputError as exc:
                form.add_error(None, about(form.source_label, str(exc)))
            else:
                article = result.article
                if result.note:
                    self.message_user(request, about(form.source_label, f"{result.note}."), messages.WARNING)
                if result.revised:
                    fates = ", ".join(f"{n} {fate}" for fate, n in sorted(result.fates.items()))
                    self.message_user(
                        request,
                        f"Revision {result.revision.number} stored; claims: {fates}.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:reviews_articlerevision_change", args=[result.revision.pk])
                    )
                if original is not None and not result.created:
                    self.message_user(
                        request, "This is the text already stored: nothing changed.", messages.WARNING
                    )
                elif result.created:
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
