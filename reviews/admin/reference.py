"""Reference data and people: users, outlets, ratings, evidence, rules, party sources."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..models import (
    ArticleRevision,
    Claim,
    Evidence,
    FlagRule,
    Outlet,
    PartySource,
    Rating,
    ResolverRole,
    User,
    Verdict,
)
from ..roles import EDITORS, has_role
from ..services.flags import flagrule_save
from ..services.verdicts import evidence_create, evidence_edit_refusal, evidence_update
from ..textproc.shorten import shorten
from .common import HistoryAttributedAdmin, ReadOnlyHistoryAdmin, ViewOnlyMixin


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


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ViewOnlyMixin, ReadOnlyHistoryAdmin):  # revisions are immutable
    list_display = ("article", "number", "source_name", "pipeline_version", "created_by", "created_at")
    list_select_related = ("article", "created_by")
    search_fields = ("article__title", "source_name", "sha256")
    list_filter = ("created_at",)
    show_full_result_count = False
    fields = (
        "article",
        "number",
        "what_changed",
        "source_name",
        "source_format",
        "sha256",
        "created_by",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description="What changed from the previous revision")
    def what_changed(self, obj):
        changes = (obj.metadata or {}).get("changes")
        if obj.number == 1:
            return "First revision."
        if not changes:
            return "No claim changed (the text moved or only its furniture changed)."
        new_claims = dict(
            Claim.objects.filter(
                revision=obj, index__in=[c["new_index"] for c in changes if c["fate"] == "new"]
            ).values_list("index", "pk")
        )
        rows = []
        for change in changes:
            pk = change["claim"] or new_claims.get(change["new_index"])
            link = (
                format_html('<a href="{}">claim</a>', reverse("admin:reviews_claim_change", args=[pk]))
                if pk
                else ""
            )
            rows.append(
                (
                    change["fate"],
                    change["fate"],
                    format_html("<del>{}</del>", change["old"]) if change["old"] else "",
                    format_html("<ins>{}</ins>", change["new"]) if change["new"] else "",
                    link,
                )
            )
        return format_html(
            "<table class='nr-diff'><thead><tr><th>Fate</th><th>Before</th><th>After</th><th></th></tr>"
            "</thead><tbody>{}</tbody></table>",
            format_html_join("", '<tr class="nr-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>', rows),
        )


@admin.register(Rating)
class RatingAdmin(HistoryAttributedAdmin):
    list_display = ("label", "value", "scale", "colour_swatch", "order")
    list_filter = ("scale",)

    @admin.display(description="Colour")
    def colour_swatch(self, obj):
        return format_html('<span class="nr-swatch" style="background:{}"></span> {}', obj.colour, obj.colour)


@admin.register(Evidence)
class EvidenceAdmin(HistoryAttributedAdmin):
    """Sources: recorded by anyone who writes verdicts, edited only by whoever recorded them and
    only until a verdict cites them (then they are part of its record)."""

    list_display = ("__str__", "stance", "accessed", "created_by")
    list_select_related = ("created_by",)
    list_filter = ("stance",)
    search_fields = ("url", "description", "title", "excerpt")
    exclude = ("created_by",)
    readonly_fields = ("recorded_by", "cited_by")

    @admin.display(description="Recorded by")
    def recorded_by(self, obj):
        return obj.created_by.get_username() if obj and obj.created_by else "—"

    @admin.display(description="Cited by")
    def cited_by(self, obj):
        verdicts = list(obj.verdicts.select_related("claim")[:20]) if obj and obj.pk else []
        if not verdicts:
            return "No verdict yet: whoever recorded it may still edit it."
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a>',
            (
                (reverse("admin:reviews_claim_change", args=[v.claim_id]), shorten(str(v.claim), 80))
                for v in verdicts
            ),
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or evidence_edit_refusal(obj, request.user) is None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A source shown read-only says why, above it: cited by a verdict, or someone else's."""
        obj = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        refusal = evidence_edit_refusal(obj, request.user) if obj is not None else None
        if refusal and self.has_view_permission(request, obj):
            self.message_user(request, f"Read only: {refusal}.", messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            evidence_update(evidence=obj, actor=request.user, reason="edited in admin")
        else:
            fields = {f.name: getattr(obj, f.name) for f in Evidence._meta.concrete_fields if f.editable}
            created = evidence_create(fields=fields, actor=request.user, reason="created in admin")
            obj.pk, obj.created_by, obj._state.adding = created.pk, created.created_by, False


@admin.register(Verdict)
class VerdictAdmin(ViewOnlyMixin, ReadOnlyHistoryAdmin):
    list_display = ("claim", "rating", "status", "author", "approved_by", "submitted_at")
    list_select_related = ("claim", "rating", "author", "approved_by")
    list_filter = ("status", "rating")
    search_fields = ("summary", "claim__text")
    show_full_result_count = False

    # Verdicts are written on the claim page, through the workflow: never edited here.


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

    # What a legal reviewer (who is not also an editor) may change, on legal rules only.
    LEGAL_FIELDS = ("severity", "resolver_role", "enabled", "guidance")

    def get_readonly_fields(self, request, obj=None):
        # A built-in rule's detection ships with the library: the newsroom tunes it, never rewires it.
        if obj is not None and obj.builtin:
            readonly = {"code", "category", "resolver_role", "terms", "builtin"}
        else:
            readonly = {"builtin"}
        if obj is not None and obj.resolver_role == ResolverRole.LEGAL:
            if not request.user.has_perm("reviews.resolve_legal_flag"):
                # a legal sign-off is the legal reviewers' to give up
                readonly |= {"resolver_role", "enabled"}
            if not has_role(request.user, EDITORS):
                readonly |= set(self.fields) - set(self.LEGAL_FIELDS)
        return tuple(f for f in self.fields if f in readonly)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # Legal reviewers change legal rules only; editors any rule, within the fields above.
        return obj is None or has_role(request.user, EDITORS) or obj.resolver_role == ResolverRole.LEGAL

    def get_model_perms(self, request):
        # The dashboard's link says "Change" to those who manage the rules (editors, who add
        # them) and "View" to a legal reviewer, who reads the list and may change only a legal
        # rule's few settings, on its own page. (Read from the cached permissions: no query.)
        perms = super().get_model_perms(request)
        return {**perms, "change": perms["change"] and perms["add"]}

    def save_model(self, request, obj, form, change):
        reason = "edited in admin" if change else "created in admin"
        flagrule_save(rule=obj, actor=request.user, reason=reason)


@admin.register(PartySource)
class PartySourceAdmin(HistoryAttributedAdmin):
    list_display = ("term", "kind", "party", "conflict")
    list_filter = ("conflict", "kind")
    search_fields = ("term", "party", "conflict")
