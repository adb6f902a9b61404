"""The claim workflow, declared once.

Claim: new -> assigned -> in_review -> submitted -> approved, with returned (an editor sends
the verdict back), stale (the sentence changed in a new version) and not_checkworthy
(dismissed with a reason). Each action below names the states it is taken from, the state it
leads to, the permission it needs and who may take it. The services guard every step with
``refusal`` (and raise its message), and every page that offers a step offers exactly the
actions ``allowed_actions`` returns, in the manner of Wagtail's ``Task.get_actions``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ..models import TODO_STATUSES, Claim, ClaimStatus

S = ClaimStatus

ASSIGNABLE = frozenset({S.NEW, S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.STALE})
EVERY_STATE = frozenset(S)


class WorkflowError(Exception):
    """A transition that is not allowed; the message says why."""


class StaleWriteError(WorkflowError):
    """The object changed since the actor loaded it.

    For a claim it carries the claim as it is now, who changed it last, when (HH:MM) and what
    changed, in words ("reassigned this claim to bob"), for a page to say what to do next.
    """

    def __init__(self, message: str, *, claim=None, who: str = "", when: str = "", changes=()):
        super().__init__(message)
        self.claim, self.who, self.when, self.changes = claim, who, when, tuple(changes)


@dataclass(frozen=True)
class Context:
    """What deciding an action needs besides the user and the claim."""

    # The author of the claim's verdict awaiting approval or approved, if any.
    author_id: int | None = None
    # Whether the claim belongs to its article's current version.
    current_version: bool = True


Who = Callable[[object, Claim, Context], str | None]


def anyone(user, claim: Claim, context: Context) -> str | None:
    return None


def assignee(user, claim: Claim, context: Context) -> str | None:
    if claim.assignee_id == user.pk:
        return None
    if claim.assignee_id is None:
        return "only the assigned fact-checker can do this, and nobody is assigned yet"
    return f"this claim is assigned to {claim.assignee.get_username()}, not to {user.get_username()}"


def second_person(user, claim: Claim, context: Context) -> str | None:
    if context.author_id is not None and context.author_id == user.pk:
        return "you cannot approve or return your own verdict (four eyes)"
    return None


def editor_or_assignee(user, claim: Claim, context: Context) -> str | None:
    if user.has_perm("reviews.assign_claim"):
        return None
    if claim.assignee_id == user.pk and claim.status in TODO_STATUSES:
        return None
    who = user.get_username()
    return f"{who} may not edit claim #{claim.index + 1}: editors and its assigned fact-checker may"


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # the page's button
    verb: str  # "cannot <verb> a claim that is …"
    sources: frozenset  # the states it is taken from
    target: str | None  # the state it leads to (None: the state does not change)
    permissions: tuple[str, ...]  # any one of these ("reviews.<codename>"); () for none
    who: Who  # who among those holding the permission
    refused_as: str  # "<user> may not <refused_as>" when the permission is missing
    # A clearer refusal than "cannot <verb> a claim that is <state>" for some states.
    in_state: tuple[tuple[str, str], ...] = ()


EDITORS_MAY = ("reviews.assign_claim",)
CHECKERS_MAY = ("reviews.add_verdict",)
APPROVERS_MAY = ("reviews.approve_verdict",)
WITH_AN_ASSIGNEE = frozenset({S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.STALE})

_DECLARED = (
    Action(
        name="assign", label="Assign", verb="assign", sources=ASSIGNABLE, target=S.ASSIGNED,
        permissions=EDITORS_MAY, who=anyone, refused_as="assign claims",
    ),
    Action(
        name="schedule", label="Set due date", verb="set a due date on", sources=WITH_AN_ASSIGNEE,
        target=None, permissions=EDITORS_MAY, who=anyone, refused_as="set due dates",
    ),
    Action(
        name="dismiss", label="Dismiss", verb="dismiss", sources=ASSIGNABLE, target=S.NOT_CHECKWORTHY,
        permissions=EDITORS_MAY, who=anyone, refused_as="dismiss claims",
    ),
    Action(
        name="start", label="Start review", verb="start",
        sources=frozenset({S.ASSIGNED, S.RETURNED, S.STALE}), target=S.IN_REVIEW, permissions=(),
        who=assignee, refused_as="start reviews",
    ),
    Action(
        name="submit", label="Submit verdict for approval", verb="submit a verdict on",
        sources=frozenset({S.IN_REVIEW, S.RETURNED}), target=S.SUBMITTED, permissions=CHECKERS_MAY,
        who=assignee, refused_as="write verdicts",
    ),
    Action(
        name="approve", label="Approve verdict", verb="approve", sources=frozenset({S.SUBMITTED}),
        target=S.APPROVED, permissions=APPROVERS_MAY, who=second_person, refused_as="approve verdicts",
    ),
    Action(
        name="return", label="Return with comment", verb="return", sources=frozenset({S.SUBMITTED}),
        target=S.RETURNED, permissions=APPROVERS_MAY, who=second_person, refused_as="return verdicts",
    ),
    Action(
        name="edit", label="Split, merge or narrow", verb="edit",
        sources=EVERY_STATE - {S.WITHDRAWN, S.SUBMITTED}, target=None, permissions=(),
        who=editor_or_assignee, refused_as="edit claims",
        in_state=(
            (S.SUBMITTED, "a verdict on claim #{n} awaits approval: approve or return it first"),
            (S.WITHDRAWN, "a withdrawn claim cannot be edited"),
        ),
    ),
    Action(
        name="describe", label="Save the claim's details", verb="describe",
        sources=EVERY_STATE - {S.WITHDRAWN}, target=None, permissions=CHECKERS_MAY + EDITORS_MAY, who=anyone,
        refused_as="describe claims",
        in_state=((S.WITHDRAWN, "the claim was withdrawn with its sentence"),),
    ),
    Action(
        name="checkworthiness", label="Check this / Not a claim", verb="correct the check-worthiness of",
        sources=EVERY_STATE, target=None, permissions=CHECKERS_MAY + EDITORS_MAY, who=anyone,
        refused_as="correct check-worthiness",
    ),
)  # fmt: skip
ACTIONS: dict[str, Action] = {a.name: a for a in _DECLARED}


def refusal(name: str, user, claim: Claim, context: Context = Context()) -> str | None:
    """Why ``user`` may not take action ``name`` on ``claim`` now, or None when they may.

    Checked in order: the permission, who may act, the claim's state, the article's version.
    """
    action = ACTIONS[name]
    if action.permissions and not any(user.has_perm(p) for p in action.permissions):
        return f"{user.get_username()} may not {action.refused_as}"
    why = action.who(user, claim, context)
    if why:
        return why
    if claim.status not in action.sources:
        special = dict(action.in_state).get(claim.status)
        if special:
            return special.format(n=claim.index + 1)
        return f"cannot {action.verb} a claim that is {claim.get_status_display().lower()}"
    if name == "edit" and not context.current_version:
        return "only claims of the article's current version can be edited"
    return None


def guard(name: str, user, claim: Claim, context: Context = Context()) -> None:
    """Raise WorkflowError with the reason when ``user`` may not take the action."""
    why = refusal(name, user, claim, context)
    if why:
        raise WorkflowError(why)


def allowed_actions(user, claim: Claim, context: Context = Context()) -> frozenset[str]:
    """The actions ``user`` may take on ``claim`` now: what every page offers."""
    return frozenset(name for name in ACTIONS if refusal(name, user, claim, context) is None)


def list_actions(user, names) -> frozenset[str]:
    """Of the actions ``names`` a list of claims can take, those it offers ``user``: the ones
    whose permission the user holds and that anyone holding it may take (each claim's state
    is checked as the action reaches it)."""
    return frozenset(
        name
        for name in names
        if ACTIONS[name].who is anyone and any(user.has_perm(p) for p in ACTIONS[name].permissions)
    )
