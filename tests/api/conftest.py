"""The API's test world: the named people of tests/conftest.py, each with a token."""

import pytest
from rest_framework.test import APIClient

from reviews.api.models import ApiToken


def issue_key(user) -> str:
    """A working key for ``user`` (as the admin issues one, without its role check)."""
    prefix, key = ApiToken.new_key()
    token = ApiToken(user=user, name="tests", prefix=prefix, created_by=user)
    token.set_key(key)
    token.save()
    return key


@pytest.fixture
def api():
    """api(user) -> a client sending that user's token; api(None) -> no credentials."""

    def client_for(user):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(user)}")
        return client

    return client_for


@pytest.fixture
def nobody(db, django_user_model):
    return django_user_model.objects.create_user("nobody", password="x", is_staff=True)
