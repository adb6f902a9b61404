"""API token services: issue (the key is returned once and stored only as its hash), revoke.

A person issues tokens for themselves; a superuser may issue one for anyone (a CMS's own
account, say). A token acts with its user's roles, so it grants nothing its user lacks.
"""

from django.db import transaction
from django.utils import timezone

from ..api.models import ApiToken


class TokenError(Exception):
    """A token action that is not allowed; the message says why."""


def token_manage_refusal(actor, user) -> str | None:
    """Why ``actor`` may not issue or revoke ``user``'s tokens, or None when they may."""
    if actor.is_superuser:
        return None
    if actor.pk != user.pk:
        return "only a superuser may manage another person's API tokens"
    # A role is a group's permissions (read from the user's permission cache: no query per page).
    if not (actor.is_active and actor.is_staff and actor.get_group_permissions()):
        return f"{actor.get_username()} has no role in the newsroom, so no use for an API token"
    return None


@transaction.atomic
def token_issue(*, user, name: str, actor) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its key, which is never shown again."""
    refusal = token_manage_refusal(actor, user)
    if refusal:
        raise TokenError(refusal)
    if not name.strip():
        raise TokenError("name the token after what will use it")
    prefix, key = ApiToken.new_key()
    while ApiToken.objects.filter(prefix=prefix).exists():  # 4 billion prefixes: a clash is rare
        prefix, key = ApiToken.new_key()
    token = ApiToken(user=user, name=name.strip()[:100], prefix=prefix, created_by=actor)
    token.set_key(key)
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token: every request with it is refused from now on."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    refusal = token_manage_refusal(actor, token.user)
    if refusal:
        raise TokenError(refusal)
    if token.revoked_at is not None:
        raise TokenError(f"token {token.prefix} is already revoked")
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token
