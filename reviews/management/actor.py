import os

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def add_actor_argument(parser) -> None:
    parser.add_argument(
        "--as",
        dest="username",
        default=os.environ.get("INGEST_USER", ""),
        help="Who is acting; history is attributed to this user (default: $INGEST_USER).",
    )


def acting_user(username: str):
    """The user a command acts as, or a CommandError that says what to do."""
    if not username:
        raise CommandError("say who is acting: --as USERNAME (or set INGEST_USER)")
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user named {username!r}") from None
