"""The audit page: who did what, newest first, from the history tables."""

from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime

from ..audit import AUDITED, audit_trail
from ..roles import EDITORS, LEGAL_REVIEWERS, has_role
from .common import query_id

PAGE = 100


def may_audit(user) -> bool:
    """Editors and legal reviewers read the audit trail; fact-checkers do not."""
    return user.is_active and user.is_staff and (has_role(user, EDITORS) or has_role(user, LEGAL_REVIEWERS))


def audit_page(site, request):
    users = list(
        get_user_model().objects.filter(is_staff=True).order_by("username").values_list("pk", "username")
    )
    user = request.GET.get("user", "")
    model = request.GET.get("model", "")
    try:
        before = parse_datetime(request.GET.get("before", ""))
    except ValueError:  # well-formed but impossible, such as 30 February: ignored
        before = None
    entries = audit_trail(
        user_id=query_id(user),
        model=model if model in {m._meta.model_name for m in AUDITED} else "",
        before=before,
        limit=PAGE,
    )
    rows = []
    for entry in entries:
        try:
            url = reverse(f"admin:reviews_{entry.model}_history", args=[entry.object_id])
        except NoReverseMatch:
            url = ""
        rows.append((entry, url))
    context = {
        **site.each_context(request),
        "title": "Audit trail",
        "rows": rows,
        "users": users,
        "models": [(m._meta.model_name, m._meta.verbose_name) for m in AUDITED],
        "chosen_user": user,
        "chosen_model": model,
        "older": entries[-1].when.isoformat() if len(entries) == PAGE else "",
    }
    return TemplateResponse(request, "admin/audit.html", context)
