"""Requests no page of the site can mean."""

from django.http import HttpResponseBadRequest


class RefuseNulBytesMiddleware:
    """A NUL character in a query-string value answers 400: no filter or search means it, and
    PostgreSQL refuses it in any text (a 500 deep inside a list page otherwise). Form fields
    are covered by Django's own validator on every CharField."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                from reviews.api.problems import problem_response

                return problem_response(request, 400, "A NUL character in the address is not allowed.")
            return HttpResponseBadRequest(
                "A NUL character in the address is not allowed.", content_type="text/plain"
            )
        return self.get_response(request)
