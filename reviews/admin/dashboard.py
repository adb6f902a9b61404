"""The dashboard on the admin index: where the work stands, drawn on the server."""

from dataclasses import dataclass

from django.urls import reverse

from .. import selectors
from ..models import ClaimStatus
from ..selectors import count_shown, dashboard
from .audit import may_audit
from .common import STATUS_COLOURS

CLAIMS = "admin:reviews_claim_changelist"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: str  # percent of the chart's largest bar, as SVG wants it
    colour: str
    url: str = ""
    note: str = ""

    @property
    def shown(self) -> str:
        return count_shown(self.value)


def bars(rows: list[tuple[str, int, str, str, str]]) -> list[Bar]:
    """(label, value, colour, url, note) rows scaled against the largest value."""
    top = max((value for _, value, *_ in rows), default=0) or 1
    return [
        Bar(label, value, f"{100 * value / top:.1f}", colour, url, note)
        for label, value, colour, url, note in rows
    ]


def dashboard_context(request) -> dict:
    user = request.user
    if not user.is_active or not user.has_perm("reviews.view_claim"):
        return {}
    data = dashboard(user)
    claims = reverse(CLAIMS)
    by_state = bars(
        [
            (ClaimStatus(s).label, n, STATUS_COLOURS[s], f"{claims}?status__exact={s}", "")
            for s, n in data.by_state
        ]
    )
    load = bars(
        [
            (
                name,
                n,
                "#0d6efd",
                f"{claims}?assignee__id__exact={pk}&work=open",
                f"{late} overdue" if late else "",
            )
            for pk, name, n, late in data.load
        ]
    )
    ratings = bars([(label, n, colour, "", "") for label, colour, n in data.by_rating])
    shortcuts = [
        ("My queue", count_shown(data.my_queue), f"{claims}?work=mine"),
        ("Awaiting approval", count_shown(data.awaiting_approval), f"{claims}?work=awaiting"),
        ("Overdue", count_shown(data.overdue), f"{claims}?work=overdue"),
        (
            "Open legal flags",
            count_shown(data.open_legal_flags),
            reverse("admin:reviews_flag_changelist") + "?status__exact=open&resolver_role__exact=legal",
        ),
    ]
    return {
        "dashboard": data,
        "state_bars": by_state,
        "state_caption": f"Every claim, by its workflow state (counts stop at {selectors.COUNT_CAP:,})",
        "load_bars": load,
        "rating_bars": ratings,
        "shortcuts": shortcuts,
        "overdue": count_shown(data.overdue),
        "may_audit": may_audit(user),
        "figures_as_of": data.computed_at,
        "refresh_seconds": selectors.DASHBOARD_SECONDS,
        "recent_actions": selectors.recent_actions(user),
    }
