"""Errors as problem details (RFC 9457): ``application/problem+json`` with type, title, status,
detail and instance, and for bad input the list of what is wrong (``errors``).

The services' refusals keep their own words: a workflow refusal is a 409 saying why, input
the pipeline cannot take a 422 saying what is wrong with it.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..services.flags import FlagError
from ..services.workflow import StaleWriteError, WorkflowError
from ..textproc import InputError

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:newsroom-review:problem:"

# (type, title) by HTTP status, for the errors that are just that status.
TITLES = {
    400: ("invalid-request", "The request is not valid"),
    401: ("not-authenticated", "Authentication needed"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict with the current state"),
    413: ("too-large", "Request too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("unprocessable", "The content cannot be processed"),
    429: ("throttled", "Too many requests"),
    500: ("server-error", "Internal error"),
}


def problem_body(status_code: int, detail: str, *, instance: str, kind: str = "", title: str = "", **extra):
    default_kind, default_title = TITLES.get(status_code, ("error", "Error"))
    return {
        "type": TYPE_BASE + (kind or default_kind),
        "title": title or default_title,
        "status": status_code,
        "detail": detail,
        "instance": instance,
        **extra,
    }


def problem(request, status_code: int, detail: str, **extra) -> Response:
    return Response(
        problem_body(status_code, detail, instance=request.get_full_path(), **extra),
        status=status_code,
        content_type=CONTENT_TYPE,
    )


def field_errors(detail, pointer: str = "#") -> list[dict]:
    """A DRF validation error's nested detail as a flat list of {pointer, detail}."""
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in field_errors(value, f"{pointer}/{key}")]
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [
                {"pointer": pointer.removesuffix("/non_field_errors"), "detail": str(item)} for item in detail
            ]
        return [e for index, item in enumerate(detail) for e in field_errors(item, f"{pointer}/{index}")]
    return [{"pointer": pointer, "detail": str(detail)}]


def exception_handler(exc, context):
    request = context["request"]
    if isinstance(exc, StaleWriteError):
        return problem(request, 409, str(exc), kind="stale-write", title="Changed since you loaded it")
    if isinstance(exc, WorkflowError | FlagError):
        return problem(
            request, 409, str(exc), kind="workflow", title="Not allowed in the claim's current state"
        )
    if isinstance(exc, InputError):
        return problem(request, 422, str(exc), kind="unusable-article", title="Not a usable article")
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        log.exception("API error on %s", request.get_full_path(), exc_info=exc)
        return problem(request, 500, "Something went wrong on our side; it has been logged.")
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        extra["errors"] = field_errors(exc.detail)
        detail = "; ".join(f"{e['pointer'][2:] or 'request'}: {e['detail']}" for e in extra["errors"])
    else:
        detail = str(exc.detail)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after"] = int(exc.wait)
    body = problem_body(response.status_code, detail, instance=request.get_full_path(), **extra)
    headers = {k: response[k] for k in ("WWW-Authenticate", "Retry-After", "Allow") if k in response}
    return Response(body, status=response.status_code, headers=headers, content_type=CONTENT_TYPE)


def problem_response(request, status_code: int, detail: str) -> JsonResponse:
    """A problem answered outside DRF (middleware, paths that name no endpoint)."""
    body = problem_body(status_code, detail, instance=request.path)
    return JsonResponse(body, status=status_code, content_type=CONTENT_TYPE)


@csrf_exempt  # it changes nothing; a POST to a wrong path gets the same 404
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any path under /api/ that names no endpoint."""
    return problem_response(
        request, status.HTTP_404_NOT_FOUND, f"There is no API endpoint at {request.path}."
    )
