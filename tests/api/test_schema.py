"""The OpenAPI schema: valid, every operation in it tested, and requests generated from it
(schemathesis) never get a server error."""

import pytest
import schemathesis
import yaml
from django.test import Client
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from newsroom.wsgi import application
from tests.api.test_permission_matrix import MATRIX


def _schema() -> dict:
    return yaml.safe_load(Client().get("/api/schema/").content)


@pytest.mark.django_db
def test_the_schema_validates():
    validate(_schema())


@pytest.mark.django_db
def test_every_operation_in_the_schema_is_in_the_permission_matrix():
    """The matrix (tests/api/test_permission_matrix.py) calls each operation as each role."""
    operations = {
        (method.upper(), path)
        for path, item in _schema()["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert operations == {(method, path) for method, path in MATRIX}


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(transactional_db, seed_article, alice, lawyer, editor):
    from tests.api.conftest import issue_key

    key = issue_key(editor)
    loaded = schemathesis.openapi.from_wsgi("/api/schema/", application)
    loaded.config.headers = {"Authorization": f"Bearer {key}"}
    return loaded


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_from_generated_requests(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, case.body, response.text[:500])
    if response.status_code >= 400:
        assert response.headers["Content-Type"][0].startswith("application/problem+json"), response.headers
