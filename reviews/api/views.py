"""The API's endpoints: thin adapters over the services (writes) and selectors (reads).

Every write calls the same service the admin calls; what a person may do to a claim is the
declared workflow's answer (``services.workflow``), read here to tell "not yours to do"
(403) from "not now" (409, the service's own refusal).
"""

import re
from pathlib import PurePath

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from .. import jobs
from ..exporters import FORMATS
from ..models import Article, Claim, Flag, Rating, Verdict, VerdictStatus
from ..selectors import article_export_doc
from ..services.articles import article_ingest
from ..services.claims import claim_assign, claim_start
from ..services.common import claim_context
from ..services.flags import can_resolve, flag_resolve
from ..services.publishing import DetailsError, claim_details_change
from ..services.verdicts import verdict_approve, verdict_return, verdict_submit
from ..services.workflow import ACTIONS, allowed_actions
from ..textproc import is_http_url
from ..views import export_response
from . import serializers as s
from .throttles import AnonThrottle, SubmitRateThrottle, TokenRateThrottle

PROBLEM = OpenApiResponse(
    response={"type": "object", "additionalProperties": True},
    description="A problem (RFC 9457, application/problem+json).",
)
ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 429), PROBLEM)
READ_ERRORS = dict.fromkeys((400, 401, 403, 404, 429), PROBLEM)


def _validated(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


# --- articles --------------------------------------------------------------------------------


def _fetch_later(request, url: str, article: Article | None) -> Response:
    """A URL alone: the page is fetched and ingested by a job (202, with the job to follow)."""
    if not is_http_url(url):
        raise exceptions.ValidationError({"url": ["send an http(s) address"]})
    job = jobs.url_ingest_later(url=url, actor=request.user, article=article)
    job.refresh_from_db()  # without a broker the job has already run, once the request committed
    body = {
        "job": job.pk,
        "state": job.state,
        "error": job.error,
        "article": job.article_id,
        "job_url": _absolute(request, reverse("admin:reviews_job_change", args=[job.pk])),
    }
    return Response(body, status=status.HTTP_202_ACCEPTED)


def _ingest(request, data, article: Article | None) -> Response:
    if "text" not in data and "html" not in data:
        if data.get("url"):
            return _fetch_later(request, data["url"], article)
        raise exceptions.ValidationError(
            {"text": ["send the article as 'text' or 'html' (with its 'url' if it has one)"]}
        )
    suffix = ".html" if "html" in data else ".txt"
    name = PurePath(data.get("name") or "api-submission").stem + suffix
    result = article_ingest(
        data=data.get("html", data.get("text")),
        name=name,
        actor=request.user,
        url=data.get("url", ""),
        article=article,
    )
    path = reverse("api:article-detail", args=[result.article.pk])
    body = {
        "article": result.article.pk,
        "revision": result.revision.number if result.revision else None,
        "created": result.created,
        "new_version": result.revised,
        "claims": result.claims,
        "flags": result.flags,
        "note": result.note,
        "api_url": _absolute(request, path),
    }
    code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
    return Response(body, status=code, headers={"Location": _absolute(request, path)})


class ArticleSubmitView(GenericAPIView):
    required_perms = {"POST": ("reviews.add_article",)}
    doing = {"POST": "submit articles"}
    throttle_classes = [TokenRateThrottle, SubmitRateThrottle, AnonThrottle]
    serializer_class = s.ArticleInput

    @extend_schema(
        operation_id="article_submit",
        summary="Submit an article for review",
        description="Analyses the article (claims, flags) and stores it. The same text sent again is not "
        "stored twice (200, created false); a page whose URL is known and whose text mostly matches "
        "becomes that article's next version. A 'url' without 'text' or 'html' is fetched and ingested "
        "by a job (202, with the job's id and state).",
        request=s.ArticleInput,
        responses={
            201: s.IngestResultSerializer,
            200: s.IngestResultSerializer,
            202: s.JobSerializer,
            422: PROBLEM,
            **ERRORS,
        },
    )
    def post(self, request):
        return _ingest(request, _validated(s.ArticleInput, request.data), None)


def _article_with_everything(pk: int) -> Article:
    """The article with its revisions and its current revision's claims, flags and verdicts,
    in a fixed number of queries."""
    article = get_object_or_404(
        Article.objects.filter(current_revision__isnull=False).select_related("outlet", "current_revision"),
        pk=pk,
    )
    current = article.current_revision_id
    article.api_revisions = list(article.revisions.order_by("number"))
    article.api_claims = list(
        Claim.objects.filter(revision=current).select_related("assignee", "revision").order_by("index")
    )
    article.api_flags = list(
        Flag.objects.filter(revision=current)
        .select_related("rule", "resolved_by")
        .order_by("field", "start", "pk")
    )
    article.api_verdicts = list(
        _verdicts().filter(claim__revision=current).order_by("claim_id", "submitted_at", "pk")
    )
    return article


def _verdicts():
    return Verdict.objects.select_related("rating", "author", "approved_by").prefetch_related("evidence")


class ArticleDetailView(GenericAPIView):
    required_perms = {"GET": ("reviews.view_article", "reviews.view_claim")}
    doing = {"GET": "read articles"}
    serializer_class = s.ArticleSerializer

    @extend_schema(
        operation_id="article_read",
        summary="An article with its revisions, claims, flags and verdicts",
        responses={200: s.ArticleSerializer, **READ_ERRORS},
    )
    def get(self, request, pk: int):
        article = _article_with_everything(pk)
        article.api_exports = {
            fmt: _absolute(request, reverse("api:article-export", args=[pk, fmt])) for fmt in s.EXPORT_FORMATS
        }
        return Response(s.ArticleSerializer(article).data)


class ArticleVersionView(GenericAPIView):
    required_perms = {"POST": ("reviews.add_article", "reviews.change_article")}
    doing = {"POST": "add versions of articles"}
    throttle_classes = [TokenRateThrottle, SubmitRateThrottle, AnonThrottle]
    serializer_class = s.ArticleInput

    @extend_schema(
        operation_id="article_version_add",
        summary="Add a new version of an article",
        description="Stores the text as the article's next revision: unchanged claims keep their work, "
        "changed ones go back to their fact-checker, flags are raised again. A 'url' alone is fetched "
        "again by a job (202).",
        request=s.ArticleInput,
        responses={
            201: s.IngestResultSerializer,
            200: s.IngestResultSerializer,
            202: s.JobSerializer,
            422: PROBLEM,
            **ERRORS,
        },
    )
    def post(self, request, pk: int):
        article = get_object_or_404(Article, pk=pk)
        return _ingest(request, _validated(s.ArticleInput, request.data), article)


class BinaryRenderer(BaseRenderer):
    """Lets an export answer whatever the client accepts; its errors are still JSON."""

    media_type = "*/*"
    format = "bin"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data) if isinstance(data, dict | list) else data


class ArticleExportView(GenericAPIView):
    required_perms = {"GET": ("reviews.view_article",)}
    doing = {"GET": "read articles"}
    renderer_classes = [JSONRenderer, BinaryRenderer]

    @extend_schema(
        operation_id="article_export",
        summary="Download an export of the article",
        parameters=[OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=s.EXPORT_FORMATS)],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="html, md, docx, webanno (JSON-LD), claimreview (JSON-LD) or bundle (zip)",
            ),
            **READ_ERRORS,
        },
    )
    def get(self, request, pk: int, fmt: str):
        if fmt not in FORMATS:
            raise exceptions.NotFound(
                f"unknown export format {fmt[:20]!r}; one of: {', '.join(s.EXPORT_FORMATS)}"
            )
        article = get_object_or_404(Article.objects.filter(current_revision__isnull=False), pk=pk)
        return export_response(article_export_doc(article), fmt)


# --- claims ----------------------------------------------------------------------------------


class ClaimCursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                int(cursor.position)
            except ValueError:
                raise exceptions.NotFound(self.invalid_cursor_message) from None
        return cursor


def _claims_filtered(params) -> object:
    claims = Claim.objects.select_related("assignee", "revision")
    if "status" in params:
        claims = claims.filter(status=params["status"])
    if "assignee" in params:
        who = params["assignee"]
        claims = (
            claims.filter(assignee__isnull=True) if who == "none" else claims.filter(assignee__username=who)
        )
    if "flag" in params:
        claims = claims.filter(Exists(Flag.objects.filter(claim=OuterRef("pk"), rule__code=params["flag"])))
    if "rating" in params:
        current = Verdict.objects.filter(
            claim=OuterRef("pk"),
            status__in=[VerdictStatus.SUBMITTED, VerdictStatus.APPROVED],
            rating__label__iexact=params["rating"],
        )
        claims = claims.filter(Exists(current))
    if "article" in params:
        claims = claims.filter(article_id=params["article"])
    if params.get("checkworthy") is not None:
        claims = claims.filter(checkworthy=params["checkworthy"])
    if "updated_after" in params:
        claims = claims.filter(updated_at__gte=params["updated_after"])
    if "updated_before" in params:
        claims = claims.filter(updated_at__lt=params["updated_before"])
    return claims


class ClaimListView(GenericAPIView):
    required_perms = {"GET": ("reviews.view_claim",)}
    doing = {"GET": "read claims"}
    serializer_class = s.ClaimSerializer
    pagination_class = ClaimCursor

    @extend_schema(
        operation_id="claims_list",
        summary="Claims, filtered; newest first, a page at a time (follow 'next')",
        parameters=[s.ClaimFilter],
        responses={200: s.ClaimSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        params = _validated(s.ClaimFilter, request.query_params)
        page = self.paginate_queryset(_claims_filtered(params))
        return self.get_paginated_response(s.ClaimSerializer(page, many=True).data)


def _claim_detail(request, pk: int) -> Response:
    claim = get_object_or_404(Claim.objects.select_related("assignee", "revision", "article"), pk=pk)
    claim.verdicts_all = list(_verdicts().filter(claim=claim).order_by("submitted_at", "pk"))
    claim.flags_all = list(claim.flags.select_related("rule", "resolved_by").order_by("field", "start", "pk"))
    claim.allowed = sorted(allowed_actions(request.user, claim, claim_context(claim)))
    return Response(s.ClaimDetailSerializer(claim).data)


class ClaimDetailView(GenericAPIView):
    required_perms = {"GET": ("reviews.view_claim",)}
    doing = {"GET": "read claims"}
    serializer_class = s.ClaimDetailSerializer

    @extend_schema(
        operation_id="claim_read",
        summary="A claim with its verdicts, flags and the steps you may take on it now",
        responses={200: s.ClaimDetailSerializer, **READ_ERRORS},
    )
    def get(self, request, pk: int):
        return _claim_detail(request, pk)


class ClaimStepView(GenericAPIView):
    """One step of the declared workflow on a claim, through its service."""

    step = ""  # the name of the action in services.workflow.ACTIONS
    input = s.VersionInput
    required_perms = {"POST": ("reviews.view_claim",)}  # then the declared workflow decides
    doing = {"POST": "work on claims"}

    def perform(self, claim: Claim, data: dict, actor) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        claim = get_object_or_404(Claim.objects.select_related("assignee", "article"), pk=pk)
        action = ACTIONS[self.step]
        if action.permissions and not any(request.user.has_perm(p) for p in action.permissions):
            raise exceptions.PermissionDenied(f"{request.user.get_username()} may not {action.refused_as}")
        why = action.who(request.user, claim, claim_context(claim))
        if why:
            raise exceptions.PermissionDenied(why)
        self.perform(claim, _validated(self.input, request.data), request.user)
        return _claim_detail(request, pk)


def _step_schema(operation_id: str, summary: str, request):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=request,
        responses={200: s.ClaimDetailSerializer, **ERRORS},
    )


class ClaimAssignView(ClaimStepView):
    step, input, serializer_class = "assign", s.AssignInput, s.AssignInput

    @_step_schema("claim_assign", "Assign the claim to a fact-checker (editors)", s.AssignInput)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, claim, data, actor):
        claim_assign(
            claim=claim,
            assignee=data["assignee"],
            actor=actor,
            due=data.get("due"),
            priority=data.get("priority"),
            version=data.get("version"),
        )


class ClaimStartView(ClaimStepView):
    step, serializer_class = "start", s.VersionInput

    @_step_schema("claim_start", "Start the review (the assigned fact-checker)", s.VersionInput)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, claim, data, actor):
        claim_start(claim=claim, actor=actor, version=data.get("version"))


class VerdictSubmitView(ClaimStepView):
    step, input, serializer_class = "submit", s.VerdictInput, s.VerdictInput

    @_step_schema(
        "verdict_submit", "Submit a verdict with its evidence (the assigned fact-checker)", s.VerdictInput
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, claim, data, actor):
        verdict_submit(
            claim=claim,
            rating=data["rating"],
            summary=data["summary"],
            claim_reviewed=data.get("claim_reviewed", ""),
            media_rating=data.get("media_rating", ""),
            explanation=data.get("explanation", ""),
            evidence=data.get("evidence", []),
            new_evidence=[dict(e) for e in data.get("new_evidence", [])],
            actor=actor,
            version=data.get("version"),
            reason="verdict submitted through the API",
        )


class VerdictApproveView(ClaimStepView):
    step, serializer_class = "approve", s.VersionInput

    @_step_schema(
        "verdict_approve", "Approve the submitted verdict (an editor, not its author)", s.VersionInput
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, claim, data, actor):
        verdict_approve(claim=claim, actor=actor, version=data.get("version"))


class VerdictReturnView(ClaimStepView):
    step, input, serializer_class = "return", s.ReturnInput, s.ReturnInput

    @_step_schema("verdict_return", "Return the submitted verdict with a comment (an editor)", s.ReturnInput)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, claim, data, actor):
        verdict_return(claim=claim, actor=actor, comment=data["comment"], version=data.get("version"))


class ClaimDescribeView(ClaimStepView):
    step, input, serializer_class = "describe", s.DescribeInput, s.DescribeInput
    # As the admin's claim page, whose steps need the change permission besides the step's own.
    required_perms = {"POST": ("reviews.view_claim", "reviews.change_claim")}
    doing = {"POST": "describe claims"}

    @_step_schema(
        "claim_describe",
        "Record who made the claim, where it appeared and its media item (editors, fact-checkers)",
        s.DescribeInput,
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, claim, data, actor):
        changes = {name: value for name, value in data.items() if name != "version"}
        try:
            claim_details_change(claim=claim, actor=actor, changes=changes, version=data.get("version"))
        except DetailsError as exc:  # what is wrong with the details together (the fields are fine alone)
            raise exceptions.ValidationError([str(exc)]) from None


# --- flags and ratings -------------------------------------------------------------------------


class FlagResolveView(GenericAPIView):
    required_perms = {"POST": ("reviews.change_flag",)}
    doing = {"POST": "resolve flags"}
    serializer_class = s.FlagResolveInput

    @extend_schema(
        operation_id="flag_resolve",
        summary="Confirm or dismiss a flag, with a note (legal flags: legal reviewers; others: editors)",
        request=s.FlagResolveInput,
        responses={200: s.FlagSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        flag = get_object_or_404(Flag.objects.select_related("rule"), pk=pk)
        if not can_resolve(request.user, flag):
            who = "a legal reviewer" if flag.resolver_role == "legal" else "an editor"
            raise exceptions.PermissionDenied(f"{flag.rule.code} flags are resolved by {who}")
        data = _validated(s.FlagResolveInput, request.data)
        flag = flag_resolve(flag=flag, actor=request.user, status=data["status"], note=data["note"])
        return Response(
            s.FlagSerializer(Flag.objects.select_related("rule", "resolved_by").get(pk=flag.pk)).data
        )


class RatingListView(GenericAPIView):
    required_perms = {"GET": ("reviews.view_rating",)}
    doing = {"GET": "read ratings"}
    serializer_class = s.RatingSerializer
    pagination_class = None

    @extend_schema(
        operation_id="ratings_list",
        summary="The rating scale a verdict chooses from",
        responses={200: s.RatingSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        return Response(s.RatingSerializer(Rating.objects.order_by("scale", "order", "pk"), many=True).data)


# --- the API's root --------------------------------------------------------------------------

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def endpoints() -> dict[str, dict]:
    """Each endpoint of the URL config, by name: its path (``{id}`` for a parameter) and methods.

    Read from the URL patterns themselves, so the index never lists what is not served.
    """
    from .urls import urlpatterns  # the URL config imports this module

    out = {}
    for pattern in urlpatterns:
        view = getattr(pattern.callback, "cls", None)
        if not pattern.name or view is None or view is ApiRootView or not hasattr(view, "required_perms"):
            continue
        methods = sorted(m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m))
        # Parameters named as the schema names them ({id} for a primary key).
        path = _PARAM.sub(lambda m: "{%s}" % ("id" if m[1] == "pk" else m[1]), str(pattern.pattern))
        out[pattern.name] = {"path": path, "methods": methods}
    return out


class ApiRootView(GenericAPIView):
    """The API's index: what it serves and where its schema and documentation are.

    Open to anyone, as the schema and the docs are: it names endpoints, never data.
    """

    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenRateThrottle, AnonThrottle]

    @extend_schema(exclude=True)
    def get(self, request):
        base = _absolute(request, reverse("api:root"))  # the paths' braces stay as they are
        return Response(
            {
                "name": settings.SPECTACULAR_SETTINGS["TITLE"],
                "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                "schema": _absolute(request, reverse("api:schema")),
                "docs": _absolute(request, reverse("api:docs")),
                "authentication": "Authorization: Bearer <token> (tokens are issued in the admin)",
                "endpoints": {
                    name: {"url": base + e["path"], "methods": e["methods"]}
                    for name, e in endpoints().items()
                },
            }
        )
