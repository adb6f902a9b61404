"""Export downloads, the public fact-check pages, and the identifiers exports emit.

Every identifier an export writes (``SITE_URL/articles/N``, ``…/claims/C``, ``…/revisions/R``,
``…/flags/F``, ``…/annotations``) answers here: a public page once the fact-check is published,
else the newsroom's own page, behind sign-in. A public page keeps answering readers once its
fact-check comes off the public pages: "being updated" while the claim is checked again, 410
Gone once the fact-checks are withdrawn or the sentence left the article.
"""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .exporters import EXPORTERS, FORMATS, html
from .exporters.claimreview import claim_reviewed, media_review, review
from .exporters.doc import human_date
from .models import Article, ArticleRevision, Claim, Flag
from .selectors import article_export_doc, publisher
from .services.publishing import article_withdrawn_at, public_article, public_claim_past


def export_response(doc, fmt: str, *, inline: bool = False) -> HttpResponse:
    suffix, content_type = FORMATS[fmt]
    response = HttpResponse(EXPORTERS[fmt](doc), content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{doc.filename(suffix)}"'
    response["Content-Security-Policy"] = html.CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def article_export(request, pk: int, fmt: str):
    """One export of an article; HTML opens in the browser (``?download=1`` saves it)."""
    if fmt not in FORMATS:
        raise Http404("unknown export format")
    if not request.user.is_staff or not request.user.has_perm("reviews.view_article"):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.filter(current_revision__isnull=False), pk=pk)
    inline = fmt == "html" and request.GET.get("download") != "1"
    return export_response(article_export_doc(article, exported_by=request.user), fmt, inline=inline)


def _internal(request, admin_url: str):
    """The newsroom's page for an identifier: signed-in staff go there, others sign in first."""
    if request.user.is_authenticated and request.user.is_staff:
        return redirect(admin_url)
    return redirect_to_login(admin_url, login_url=reverse("admin:login"))


def _json_ld(items: list[dict]) -> str:
    """JSON-LD for a <script> element: '<', '>' and '&' escaped so no text can end the element."""
    text = json.dumps(items if len(items) != 1 else items[0], ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _reviews_ld(doc, claims) -> list[dict]:
    out = []
    for claim in claims:
        out.append(review(doc, claim))
        if claim.media is not None and claim.verdict.media_rating:
            out.append(media_review(doc, claim))
    return out


@require_safe
def public_article_page(request, pk: int):
    """An article's published fact-checks, with their ClaimReview JSON-LD."""
    page = public_article(pk)
    if page is None:
        article = get_object_or_404(Article.objects.only("pk", "title"), pk=pk)
        withdrawn = article_withdrawn_at(pk)
        if withdrawn is None:
            return _internal(request, reverse("admin:reviews_article_change", args=[pk]))
        return _gone(request, article, withdrawn_at=withdrawn)
    context = {
        "doc": page.doc,
        "org": page.doc.org,
        "reviews": [(c, claim_reviewed(c)) for c in page.reviews],
        "published_at": page.published_at,
        "byline": " · ".join(
            x for x in (page.doc.outlet, page.doc.byline, human_date(page.doc.published)) if x
        ),
        "json_ld": _json_ld(_reviews_ld(page.doc, page.reviews)),
    }
    return TemplateResponse(request, "public/article.html", context)


@require_safe
def public_claim_page(request, pk: int, claim_pk: int):
    """One published fact-check; one that was public says what became of it; any other claim
    is the newsroom's, behind sign-in."""
    claim = get_object_or_404(
        Claim.objects.only("pk", "article_id", "revision_id", "status"), pk=claim_pk, article_id=pk
    )
    page = public_article(pk)
    shown = next((c for c in page.reviews if c.id == claim.pk), None) if page else None
    if shown is None:
        past = public_claim_past(claim)
        if past is None:
            return _internal(request, reverse("admin:reviews_claim_change", args=[claim.pk]))
        article = Article.objects.only("pk", "title").get(pk=pk)
        if past.withdrawn_at is not None or not past.in_article:
            return _gone(request, article, past=past, withdrawn_at=past.withdrawn_at)
        context = {"org": publisher(), "article": article, "past": past, "canonical": _here(request)}
        return TemplateResponse(request, "public/updating.html", context)
    context = {
        "doc": page.doc,
        "org": page.doc.org,
        "claim": shown,
        "statement": claim_reviewed(shown),
        "json_ld": _json_ld(_reviews_ld(page.doc, [shown])),
    }
    return TemplateResponse(request, "public/claim.html", context)


def _here(request) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{request.path}"


def _gone(request, article: Article, *, past=None, withdrawn_at=None) -> TemplateResponse:
    """410 Gone: a fact-check that was public and is no more, said so in a few words."""
    context = {
        "org": publisher(),
        "article": article,
        "past": past,
        "withdrawn_at": withdrawn_at,
        "canonical": _here(request),
    }
    return TemplateResponse(request, "public/gone.html", context, status=410)


@require_safe
def revision_iri(request, pk: int, number: int):
    revision = get_object_or_404(ArticleRevision.objects.only("pk"), article_id=pk, number=number)
    return _internal(request, reverse("admin:reviews_articlerevision_change", args=[revision.pk]))


@require_safe
def flag_iri(request, pk: int, flag_pk: int):
    flag = get_object_or_404(Flag.objects.only("pk"), pk=flag_pk, article_id=pk)
    return _internal(request, reverse("admin:reviews_flag_change", args=[flag.pk]))


@require_safe
def annotations_iri(request, pk: int):
    get_object_or_404(Article.objects.only("pk"), pk=pk)
    return _internal(request, reverse("reviews:article_export", args=[pk, "webanno"]))
