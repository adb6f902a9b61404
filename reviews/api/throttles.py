"""Request rates, counted per token (per user for a logged-in session, per address without one)."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        ident = (
            f"token-{request.auth.pk}" if isinstance(request.auth, ApiToken) else f"user-{request.user.pk}"
        )
        return self.cache_format % {"scope": self.scope, "ident": ident}


class SubmitRateThrottle(TokenRateThrottle):
    """Article submissions (the costly requests: analysis and flag rules), on their own budget."""

    scope = "submit"

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


class AnonThrottle(AnonRateThrottle):
    scope = "anon"
