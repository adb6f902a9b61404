"""Claims: the work views, editor actions and the claim page."""

from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import BaseForm
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from ..forms import (
    ClaimAssignForm,
    ClaimDescribeForm,
    ClaimDismissForm,
    ClaimDueForm,
    EvidenceFormSet,
    ReturnForm,
    VerdictForm,
)
from ..models import (
    TODO_STATUSES,
    Claim,
    ClaimMatch,
    ClaimNote,
    ClaimStatus,
    Flag,
    FlagRule,
    FlagStatus,
    Rating,
    ResolverRole,
    User,
    Verdict,
    VerdictStatus,
)
from ..roles import FACT_CHECKERS
from ..selectors import (
    QUEUE_ORDER,
    article_text_page,
    claim_discussion,
    claim_neighbours,
    claim_page,
    reusable_evidence,
)
from ..services.claim_edits import (
    claim_merge,
    claim_narrow,
    claim_split,
    edit_refusal,
    fragment_span,
)
from ..services.claims import (
    claim_assign,
    claim_dismiss,
    claim_mark_checkworthy,
    claim_schedule,
    claim_start,
    claims_auto_assign,
)
from ..services.common import claim_context
from ..services.flags import FlagError, flag_resolve, resolvable
from ..services.matches import MatchError, match_decide, verdict_reuse
from ..services.notes import NoteError, claim_note_add
from ..services.publishing import claim_describe
from ..services.verdicts import verdict_approve, verdict_return, verdict_submit
from ..services.workflow import (
    ACTIONS,
    Context,
    StaleWriteError,
    WorkflowError,
    allowed_actions,
    list_actions,
    refusal,
)
from ..textproc.clauses import split_points
from ..textproc.shorten import shorten
from .articles import TEXT_PAGE_VAR
from .common import (
    F_DUE,
    CappedCountMixin,
    ReadOnlyHistoryAdmin,
    RecentArticleFilter,
    action_form_page,
    apply_each,
    cut_cell,
    query_id,
    status_badge,
)


class WorkFilter(admin.SimpleListFilter):
    """The views people work from: my queue, overdue, awaiting approval, being reviewed."""

    title = "work"
    parameter_name = "work"

    def lookups(self, request, model_admin):
        return [
            ("mine", "My queue"),
            ("open", "Open (assigned, in review, returned)"),
            ("overdue", "Overdue"),
            ("awaiting", "Awaiting approval"),
            ("in_review", "Being reviewed"),
            ("unassigned", "Check-worthy, unassigned"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return queryset.for_checker(request.user)
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue()
        if value == "awaiting":
            return queryset.filter(status=ClaimStatus.SUBMITTED)
        if value == "in_review":
            return queryset.filter(status=ClaimStatus.IN_REVIEW)
        if value == "unassigned":
            return queryset.filter(status=ClaimStatus.NEW, checkworthy=True)
        return queryset


class FlagRuleFilter(admin.SimpleListFilter):
    """Claims carrying an open flag of one rule (on the text they stand in now)."""

    title = "open flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return list(FlagRule.objects.filter(enabled=True).order_by("code").values_list("code", "title"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        flagged = Flag.objects.filter(rule__code=self.value(), status=FlagStatus.OPEN, claim__isnull=False)
        return queryset.filter(pk__in=flagged.values("claim_id"))


class RatingFilter(admin.SimpleListFilter):
    """Claims whose current verdict (submitted or approved) has this rating."""

    title = "rating"
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        return [
            (str(pk), label)
            for pk, label in Rating.objects.order_by("scale", "order").values_list("pk", "label")
        ]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if not (value.isascii() and value.isdigit()):
            return queryset
        current = Verdict.objects.filter(
            rating_id=int(value), status__in=[VerdictStatus.SUBMITTED, VerdictStatus.APPROVED]
        )
        return queryset.filter(pk__in=current.values("claim_id"))


class CheckerFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee__id__exact"

    def lookups(self, request, model_admin):
        checkers = User.objects.filter(groups__name=FACT_CHECKERS).order_by("username")
        return [(str(u.pk), u.get_username()) for u in checkers]

    def queryset(self, request, queryset):
        chosen = query_id(self.value())
        return queryset if chosen is None else queryset.filter(assignee_id=chosen)


S = ClaimStatus
# Claims as they run in their article's text (each version's sentences together, the newest
# version first): one article's list and the list actions' confirmations.
READING_ORDER = ("article_id", "-revision_id", "index", "pk")


def page_permissions(user, claim: Claim, current_author_id: int | None) -> dict[str, bool]:
    """Which steps the claim page offers: the declared workflow's allowed actions (the services
    enforce the same declaration on submit)."""
    context = Context(
        author_id=current_author_id, current_version=claim.article.current_revision_id == claim.revision_id
    )
    allowed = allowed_actions(user, claim, context)
    return {name: name in allowed for name in ACTIONS}


def _edit_forms(claim: Claim, user) -> dict | None:
    """What the "Edit the claim" forms offer: split points, the next claim to merge with."""
    if edit_refusal(claim, user):
        return None
    words = 5
    points = []
    for at in split_points(claim.text):
        before, after = claim.text[:at].split(), claim.text[at:].split()
        head = ("…" if len(before) > words else "") + " ".join(before[-words:])
        tail = " ".join(after[:words]) + ("…" if len(after) > words else "")
        points.append((claim.start + at, f"{head} ‖ {tail}"))
    following = Claim.objects.filter(revision_id=claim.revision_id, index=claim.index + 1).first()
    return {"split_points": points, "next": following}


def _in_article(claim: Claim) -> str:
    """The claim in its article's text, on the page of a long article that holds it."""
    page = article_text_page(claim)
    query = f"?{TEXT_PAGE_VAR}={page}" if page > 1 else ""
    return f"{reverse('admin:reviews_article_change', args=[claim.article_id])}{query}#claim-{claim.pk}"


def _open_legal_flags(claim: Claim) -> int:
    return Flag.objects.filter(claim=claim, status=FlagStatus.OPEN, resolver_role=ResolverRole.LEGAL).count()


def _resubmission(verdicts) -> dict:
    """A returned verdict comes back as it was written, to be corrected rather than retyped."""
    latest = verdicts[0] if verdicts else None
    if latest is None or latest.status != VerdictStatus.RETURNED:
        return {}
    written = {"claim_reviewed": latest.claim_reviewed, "media_rating": latest.media_rating}
    return {
        "rating": latest.rating_id,
        "summary": latest.summary,
        "explanation": latest.explanation,
        "reuse": [e.pk for e in latest.evidence.all()],
        **{name: value for name, value in written.items() if value},
    }


# What did not happen when a step's form comes back with mistakes.
NOT_TAKEN = {
    "submit": "The verdict was not submitted",
    "return": "The verdict was not returned",
    "assign": "Not assigned",
    "schedule": "The due date was not changed",
    "dismiss": "Not dismissed",
    "describe": "Not saved",
}


def _not_saved(action: str, exc: Exception, user) -> str:
    """What a refused step tells its author. A verdict refused because the claim changed while
    it was being written says what changed and whether it can still be submitted: the typed
    verdict is on the page either way (in its form, or as text to copy)."""
    if action != "submit" or not isinstance(exc, StaleWriteError) or exc.claim is None:
        return f"Not saved: {exc}."
    who = "you" if exc.who == user.get_username() else exc.who  # in another window, say
    what = f"{who} {' and '.join(exc.changes)} at {exc.when}"
    if refusal("submit", user, exc.claim, claim_context(exc.claim)) is None:
        return f"Not submitted yet: {what}. Your verdict is below as you typed it: check it and submit again."
    return (
        f"Not submitted: {what}, so you can no longer submit a verdict on it. "
        "Your text is below: copy it if you need it."
    )


def _shown(field) -> str:
    """A bound field's typed value as text; a choice by its label."""
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    values = [str(v).strip() for v in values if v not in (None, "")]
    choices = getattr(field.field, "choices", None)
    if choices is not None and values:
        labels = {str(key): str(label) for key, label in choices}
        values = [labels.get(v, v) for v in values]
    return ", ".join(v for v in values if v)


def typed_verdict(verdict_form, evidence_formset) -> str:
    """A verdict as typed, as plain text to copy (when its form can no longer be shown)."""
    lines = [f"{f.label}: {_shown(f)}" for f in verdict_form if _shown(f)]
    rows = [form for form in evidence_formset.forms if form.has_changed()]
    for n, form in enumerate(rows, start=1):
        parts = [f"{f.label}: {_shown(f)}" for f in form.visible_fields() if _shown(f)]
        lines.append(f"Source {n}: " + "; ".join(parts))
    return "\n".join(lines)


class ClaimPageMixin:
    """The claim page: the claim in its article, its flags, checkables, verdicts and history,
    with the forms of the next step for the person looking at it."""

    page_template = "admin/reviews/claim/page.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        pk = unquote(object_id)
        if query_id(str(pk)) is None or not Claim.objects.filter(pk=pk).exists():
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        bound = {}
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            done, bound = self._act(request, Claim.objects.get(pk=pk))
            if done:
                return HttpResponseRedirect(request.path)
        return self._render_page(request, int(pk), bound)

    def _render_page(self, request, pk: int, bound: dict):
        page = claim_page(pk)
        claim, user = page.claim, request.user
        current = next(
            (v for v in page.verdicts if v.status in (VerdictStatus.SUBMITTED, VerdictStatus.APPROVED)), None
        )
        can = page_permissions(user, claim, current.author_id if current else None)
        forms = {
            "verdict_form": bound.get("verdict_form")
            or (
                VerdictForm(
                    # the sentence to confirm or shorten; one too long to fit is for the checker to state
                    initial={
                        "claim_reviewed": claim.text if len(claim.text) <= 200 else "",
                        **_resubmission(page.verdicts),
                    },
                    reusable=reusable_evidence(claim, user),
                    media=bool(claim.media_url),
                )
                if can["submit"]
                else None
            ),
            "describe_form": bound.get("describe_form")
            or (ClaimDescribeForm(initial=ClaimDescribeForm.initial_for(claim)) if can["describe"] else None),
            "evidence_formset": bound.get("evidence_formset")
            or (EvidenceFormSet(prefix="evidence") if can["submit"] else None),
            "return_form": bound.get("return_form") or (ReturnForm() if can["return"] else None),
            "schedule_form": bound.get("schedule_form")
            or (ClaimDueForm(initial={"due": claim.due}) if can["schedule"] else None),
            "assign_form": bound.get("assign_form")
            or (
                ClaimAssignForm(initial={"due": claim.due}, current_due=claim.due) if can["assign"] else None
            ),
            "dismiss_form": bound.get("dismiss_form") or (ClaimDismissForm() if can["dismiss"] else None),
        }
        typed = bound.get("verdict_form")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Claim #{claim.index + 1}",
            # A verdict refused when it can no longer be submitted: its text, to copy.
            "unsaved_verdict": typed_verdict(typed, bound["evidence_formset"])
            if typed is not None and not can["submit"]
            else "",
            "subtitle": claim.article.title,
            "page": page,
            "claim": claim,
            "current": current,
            "can": can,
            "status": status_badge(claim.status),
            "being_reviewed_by": claim.assignee
            if claim.status == S.IN_REVIEW and claim.assignee_id != user.pk
            else None,
            "has_view_permission": True,
            "can_judge_matches": user.has_perm("reviews.change_claimmatch"),
            "resolvable_flags": resolvable(user, page.flags),
            "neighbours": claim_neighbours(claim, user),
            "discussion": claim_discussion(claim),
            "can_note": user.has_perm("reviews.add_claimnote"),
            "open_legal_flags": sum(
                f.status == FlagStatus.OPEN and f.resolver_role == ResolverRole.LEGAL for f in page.flags
            ),
            "today": timezone.localdate(),
            "in_article": _in_article(claim),
            "edit": _edit_forms(claim, user),
            # A refused fragment comes back as typed, to be corrected rather than retyped.
            "fragment": request.POST.get("fragment", claim.text)
            if request.method == "POST" and request.POST.get("_action") == "narrow"
            else claim.text,
            **forms,
        }
        return TemplateResponse(request, self.page_template, context)

    def _match_step(self, request, claim: Claim, action: str, version: int | None) -> str:
        pk = request.POST.get("match", "")
        match = (
            ClaimMatch.objects.filter(Q(claim=claim) | Q(other=claim), pk=pk).first()
            if query_id(pk) is not None
            else None
        )
        if match is None:
            raise MatchError("that match is not one of this claim's")
        if action == "match_reuse":
            verdict = verdict_reuse(claim=claim, match=match, actor=request.user, version=version)
            return f"Earlier verdict reused ({verdict.rating.label}), submitted for approval."
        confirm = action == "match_confirm"
        match_decide(match=match, actor=request.user, confirm=confirm, note=request.POST.get("note", ""))
        return "Match confirmed." if confirm else "Match rejected: it will not be proposed again."

    def _bound_forms(self, action: str, request, claim: Claim) -> dict:
        post = request.POST
        if action == "submit":
            return {
                "verdict_form": VerdictForm(
                    post, reusable=reusable_evidence(claim, request.user), media=bool(claim.media_url)
                ),
                "evidence_formset": EvidenceFormSet(post, prefix="evidence"),
            }
        if action == "assign":  # an overdue claim may keep the date it has
            return {"assign_form": ClaimAssignForm(post, current_due=claim.due)}
        form_class = {
            "return": ReturnForm,
            "schedule": ClaimDueForm,
            "dismiss": ClaimDismissForm,
            "describe": ClaimDescribeForm,
        }.get(action)
        return {f"{action}_form": form_class(post)} if form_class else {}

    @staticmethod
    def _more_evidence_rows(request, claim: Claim) -> dict:
        """The verdict form again as typed so far, with room for three more sources (no JavaScript)."""
        post = request.POST
        typed = EvidenceFormSet(post, prefix="evidence")
        rows = [
            {name: form.data.get(form.add_prefix(name), "") for name in form.fields}
            for form in typed.forms
            if form.has_changed()
        ]
        names = ("rating", "claim_reviewed", "summary", "explanation", "media_rating")
        verdict = {name: post.get(name, "") for name in names}
        return {
            "verdict_form": VerdictForm(
                initial={**verdict, "reuse": post.getlist("reuse")},
                reusable=reusable_evidence(claim, request.user),
                media=bool(claim.media_url),
            ),
            "evidence_formset": EvidenceFormSet(initial=rows, prefix="evidence"),
        }

    @staticmethod
    def _note_step(request, claim: Claim) -> str:
        """Add a note, or a reply to one, to the claim's discussion."""
        pk = request.POST.get("parent", "")
        parent = None
        if pk:
            parent = (
                ClaimNote.objects.filter(claim=claim, pk=int(pk)).first()
                if pk.isascii() and pk.isdigit()
                else None
            )
            if parent is None:
                raise NoteError("the note you answered is not on this claim")
        note = claim_note_add(
            claim=claim, actor=request.user, text=request.POST.get("text", ""), parent=parent
        )
        told = ", ".join(u.get_username() for u in note.mentions.all())
        return ("Reply added." if parent else "Note added.") + (f" Told by e-mail: {told}." if told else "")

    @staticmethod
    def _edit_step(request, action: str, step: dict) -> str:
        """Split, merge or narrow the claim as the "Edit the claim" forms ask."""
        claim = step["claim"]
        if action == "merge":
            merged = claim_merge(**step)
            reads = shorten(merged.text, 80)
            return f"Merged with the next sentence: claim #{merged.index + 1} now reads “{reads}”."
        if action == "split":
            at = request.POST.get("at", "")
            if not (at.isascii() and at.isdigit()):
                raise WorkflowError("choose where to split the sentence")
            first, second = claim_split(**step, at=int(at))
            return f"Split in two: claims #{first.index + 1} and #{second.index + 1}."
        start, end = fragment_span(claim, request.POST.get("fragment", ""))
        claim_narrow(**step, start=start, end=end)
        return "Narrowed: the claim is now the fragment you kept."

    @staticmethod
    def _flag_step(request, claim: Claim, status: str) -> str:
        """Confirm or dismiss one of the claim's flags, with the note typed beside it."""
        pk = request.POST.get("flag", "")
        flag = Flag.objects.filter(claim=claim, pk=int(pk)).first() if pk.isascii() and pk.isdigit() else None
        if flag is None:
            raise FlagError("that flag is not on this claim")
        note = request.POST.get(f"note-{flag.pk}", "")
        flag_resolve(flag=flag, actor=request.user, status=status, note=note)
        return f"Flag {status}: {flag.rule.title}."

    def _act(self, request, claim: Claim) -> tuple[bool, dict]:
        """Run the posted step; (True, {}) when it is done, else the bound forms to show again."""
        action = request.POST.get("_action", "")
        if action == "more_evidence":
            return False, self._more_evidence_rows(request, claim)
        version = request.POST.get("version", "")
        bound = self._bound_forms(action, request, claim)
        if not all(form.is_valid() for form in bound.values()):
            # Said at the top, where the page opens again: the marked fields may be far below.
            what = NOT_TAKEN.get(action, "Not saved")
            self.message_user(request, f"{what}: correct the fields marked below.", messages.ERROR)
            return False, bound
        data = {
            k: v
            for form in bound.values()
            if isinstance(form, BaseForm)
            for k, v in form.cleaned_data.items()
        }
        step = {"claim": claim, "actor": request.user, "version": query_id(version)}
        try:
            if action == "start":
                claim_start(**step)
                done = "Review started: others see the claim as being reviewed by you."
            elif action == "submit":
                verdict_submit(
                    **step,
                    rating=data["rating"],
                    claim_reviewed=data["claim_reviewed"],
                    media_rating=data.get("media_rating", ""),
                    summary=data["summary"],
                    explanation=data["explanation"],
                    evidence=data["reuse"],
                    new_evidence=[f.cleaned_data for f in bound["evidence_formset"] if f.has_changed()],
                )
                done = "Verdict submitted for approval."
            elif action == "approve":
                done = f"Verdict approved: {verdict_approve(**step).rating.label}."
                legal = _open_legal_flags(claim)
                if legal:
                    self.message_user(
                        request,
                        f"{legal} legal flag(s) on this claim are still open: a legal reviewer must "
                        "confirm or dismiss them before the article is published.",
                        messages.WARNING,
                    )
            elif action == "return":
                verdict_return(**step, comment=data["comment"])
                done = "Verdict returned to its author."
            elif action == "assign":
                claim_assign(**step, assignee=data["assignee"], due=data["due"], priority=data["priority"])
                done = f"Assigned to {data['assignee']}."
            elif action == "schedule":
                claim_schedule(**step, due=data["due"])
                done = f"Due date set: {data['due']:%d %b %Y}."
            elif action == "dismiss":
                claim_dismiss(**step, reason=data["reason"])
                done = "Dismissed as not check-worthy."
            elif action in ("mark_check", "mark_not_a_claim"):
                claim_mark_checkworthy(**step, checkworthy=action == "mark_check")
                done = (
                    "Marked “check this”." if action == "mark_check" else "Marked “not a claim”."
                ) + " The next training of the model learns from it."
            elif action == "describe":
                claim_describe(**step, **bound["describe_form"].service_kwargs())
                done = "Claimant, appearances and media item saved."
            elif action in ("split", "merge", "narrow"):
                done = self._edit_step(request, action, step)
            elif action in ("match_confirm", "match_reject", "match_reuse"):
                done = self._match_step(request, claim, action, step["version"])
            elif action == "note":
                done = self._note_step(request, claim)
            elif action in ("flag_confirmed", "flag_dismissed"):
                done = self._flag_step(request, claim, action.removeprefix("flag_"))
            else:
                raise WorkflowError(f"unknown step “{action}”")
        except (WorkflowError, MatchError, FlagError, NoteError) as exc:
            self.message_user(request, _not_saved(action, exc, request.user), messages.ERROR)
            return False, bound
        self.message_user(request, done, messages.SUCCESS)
        return True, {}


@admin.register(Claim)
class ClaimAdmin(CappedCountMixin, ClaimPageMixin, ReadOnlyHistoryAdmin):
    # Every column fits a 1280 px window beside the admin's menu and filters: the article is
    # named under the claim, and check-worthiness and its score share a column.
    list_display = (
        "claim_cell",
        "kind",
        "status_display",
        "worth_display",
        "assignee",
        "due_display",
        "priority",
    )
    # A work list (my queue, overdue, …) is about who does what by when.
    work_list_display = ("claim_cell", "status_display", "assignee", "due_display", "priority")
    WORK_TITLES = {
        "mine": "My queue",
        "open": "Open claims",
        "overdue": "Overdue claims",
        "awaiting": "Verdicts awaiting approval",
        "in_review": "Claims being reviewed",
        "unassigned": "Check-worthy claims nobody has yet",
    }
    list_select_related = ("article", "assignee")
    list_filter = (
        WorkFilter,
        "status",
        "kind",
        RecentArticleFilter,
        FlagRuleFilter,
        RatingFilter,
        CheckerFilter,
        "checkworthy",
        "priority",
    )
    search_fields = ("text",)
    list_per_page = 50
    ordering = ("-pk",)  # newest first, straight off the primary key
    actions = ["assign_to", "auto_assign", "set_due_date", "dismiss_claims"]
    # The declared workflow step each list action takes on every claim chosen.
    LIST_STEPS = {
        "assign_to": "assign",
        "auto_assign": "assign",
        "set_due_date": "schedule",
        "dismiss_claims": "dismiss",
    }

    def get_actions(self, request):
        """The list's actions whose workflow step the user may take (see services.workflow)."""
        offered = list_actions(request.user, set(self.LIST_STEPS.values()))
        return {
            name: action
            for name, action in super().get_actions(request).items()
            if name not in self.LIST_STEPS or self.LIST_STEPS[name] in offered
        }

    def _run(self, request, queryset, service, done: str, **kwargs) -> None:
        apply_each(
            self,
            request,
            queryset.order_by(*READING_ORDER),
            lambda claim: service(claim=claim, actor=request.user, **kwargs),
            errors=WorkflowError,
            describe=lambda c: f"#{c.index + 1} “{shorten(c.text, 50)}”",
            done=f"claim(s) {done}",
        )

    def _form_page(self, request, queryset, form, title, refused: str = ""):
        """The action's confirmation: the chosen claims in reading order, and the form. A form
        refused on submit says so once, at the top, and keeps the selection and what was typed."""
        items = [
            (c.pk, f"#{c.index + 1} {shorten(c.text, 120)} ({shorten(c.article.title, 40)})")
            for c in queryset.select_related("article").order_by(*READING_ORDER)
        ]
        return action_form_page(self, request, items=items, form=form, title=title, refused=refused)

    @admin.action(description="Assign to a fact-checker…")
    def assign_to(self, request, queryset):
        form = ClaimAssignForm(request.POST if "assignee" in request.POST else None)
        if not form.is_valid():
            title = f"Assign {queryset.count()} claim(s)"
            return self._form_page(request, queryset, form, title, refused="Not assigned")
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

    @admin.action(description="Auto-assign (balance load, match expertise)")
    def auto_assign(self, request, queryset):
        try:
            assigned = claims_auto_assign(claims=list(queryset), actor=request.user)
        except WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        by_user = Counter(c.assignee.get_username() for c in assigned)
        summary = ", ".join(f"{n} to {user}" for user, n in sorted(by_user.items()))
        self.message_user(request, f"Assigned {summary}.", messages.SUCCESS)

    @admin.action(description="Set due date…")
    def set_due_date(self, request, queryset):
        form = ClaimDueForm(request.POST if "due" in request.POST else None)
        if not form.is_valid():
            title = f"Set the due date of {queryset.count()} claim(s)"
            return self._form_page(request, queryset, form, title, refused="No due date set")
        due = form.cleaned_data["due"]

        def set_due(claim):
            claim_schedule(claim=claim, actor=request.user, due=due)

        apply_each(
            self,
            request,
            queryset.select_related("assignee").order_by(*READING_ORDER),
            set_due,
            errors=WorkflowError,
            describe=lambda c: f"#{c.index + 1}",
            done="due date(s) set",
        )
        return None

    @admin.action(description="Dismiss as not check-worthy…")
    def dismiss_claims(self, request, queryset):
        form = ClaimDismissForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            title = f"Dismiss {queryset.count()} claim(s)"
            return self._form_page(request, queryset, form, title, refused="Not dismissed")
        self._run(request, queryset, claim_dismiss, "dismissed", reason=form.cleaned_data["reason"])
        return None

    def get_list_display(self, request):
        if request.GET.get("work") in ("mine", "overdue", "open", "in_review", "awaiting"):
            shown = self.work_list_display
        else:
            shown = self.list_display
        # One article's claims are read as its text runs: say where each sentence stands.
        return ("sentence", *shown) if self._one_article(request) else shown

    def changelist_view(self, request, extra_context=None):
        title = self.WORK_TITLES.get(request.GET.get("work", ""), "Claims")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_ordering(self, request):
        if self._one_article(request):
            return list(READING_ORDER)
        if request.GET.get("work") in ("mine", "overdue"):
            return list(QUEUE_ORDER)
        return super().get_ordering(request)

    @staticmethod
    def _one_article(request) -> bool:
        return query_id(request.GET.get(RecentArticleFilter.parameter_name)) is not None

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
        return cut_cell(obj.text, 140)

    @admin.display(description="#", ordering="index")
    def sentence(self, obj):
        return f"#{obj.index + 1}"

    @admin.display(description="Claim · article")
    def claim_cell(self, obj):
        return format_html(
            '{}<span class="nr-in-article">in “{}”</span>',
            self.short_text(obj),
            cut_cell(obj.article.title, 60),
        )

    @admin.display(description="Check-worthy", ordering="-score")
    def worth_display(self, obj):
        return format_html(
            '<span title="classifier score {}">{} {}</span>',
            f"{obj.score:.2f}",
            "yes" if obj.checkworthy else "no",
            f"{obj.score:.2f}",
        )

    @admin.display(description="Due", ordering=F_DUE)
    def due_display(self, obj):
        if obj.due is None:
            return "—"
        today = timezone.localdate()
        done = obj.status not in TODO_STATUSES
        if obj.due < today and not done:
            return format_html('<span class="nr-overdue">{} · overdue</span>', obj.due.strftime("%d %b"))
        if obj.due == today and not done:
            return format_html('<span class="nr-due-today">{}</span>', "today")
        return obj.due.strftime("%d %b")

    @admin.display(description="Article", ordering="article__title")
    def article_link(self, obj):
        url = reverse("admin:reviews_article_change", args=[obj.article_id])
        title = obj.article.title
        return format_html('<a href="{}#claim-{}" title="{}">{}</a>', url, obj.pk, title, shorten(title, 40))

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        if obj.status == S.IN_REVIEW and obj.assignee_id:
            return format_html("{} by {}", status_badge(obj.status), obj.assignee.get_username())
        return status_badge(obj.status)

    @admin.display(description="Score", ordering="score")
    def score_display(self, obj):
        return f"{obj.score:.2f}"

    def has_add_permission(self, request):
        return False  # claims come from ingest
