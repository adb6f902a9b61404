"""Sign-in lockout that also stops password spraying.

django-axes counts failures per account and address (``AXES_FAILURE_LIMIT``, 5 by default):
a person who mistypes is locked out alone. Spraying tries a few passwords on many accounts
from one address and stays under that limit on each, so failures are also counted per
address across every account, against a higher limit (``LOGIN_ADDRESS_FAILURE_LIMIT``, 20 by
default: a newsroom's office shares one address).
"""

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def address_failures(ip_address: str) -> int:
    """Failed sign-ins from one address, over every account, within the cool-off period."""
    if not ip_address:
        return 0
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class SprayAwareHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        per_account = super().get_failures(request, credentials)
        ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        per_address = address_failures(ip_address)
        # On the per-account scale, so that axes' one limit decides both: reaching the address
        # limit counts as reaching the account limit.
        scaled = math.floor(per_address * settings.AXES_FAILURE_LIMIT / settings.LOGIN_ADDRESS_FAILURE_LIMIT)
        return max(per_account, scaled)
