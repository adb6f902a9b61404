"""Export downloads: thin adapters over the export selector and the exporters."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from .exporters import EXPORTERS, FORMATS, html
from .models import Article
from .selectors import article_export_doc


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
    if fmt not in FORMATS:
        raise Http404("unknown export format")
    if not request.user.is_staff or not request.user.has_perm("reviews.view_article"):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.filter(current_revision__isnull=False), pk=pk)
    return export_response(article_export_doc(article), fmt, inline=request.GET.get("inline") == "1")
