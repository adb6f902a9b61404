"""The OpenAPI schema: valid, every operation in it tested, and requests generated from it
(schemathesis) never get a server error."""

import contextlib
import os

import pytest
import schemathesis
import yaml
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate
from schemathesis.generation import GenerationMode

from newsroom.wsgi import application
from tests.api.test_permission_matrix import MATRIX, _claim


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


# Operations worked as the person who may take them, on real objects as well as random ids.
ACTOR = {
    "/api/claims/{id}/start/": "checker",
    "/api/claims/{id}/verdict/": "checker",
    "/api/flags/{id}/resolve/": "legal",
}
EXAMPLES = int(os.environ.get("SCHEMA_EXAMPLES", "25"))


@pytest.fixture
def keep_connection():
    """Requests go straight to the WSGI app: keep the test's database connection (and its
    transaction) open across them, as Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_no_server_error_from_generated_requests(
    db, keep_connection, seed_article, editor, alice, lawyer, mode
):
    from tests.api.conftest import issue_key

    claim = _claim(seed_article, 2, "in_review", editor, alice)
    flag = seed_article.flags.filter(resolver_role="legal").first()
    keys = {"editor": issue_key(editor), "checker": issue_key(alice), "legal": issue_key(lawyer)}
    real_id = {"/api/flags/": flag.pk, "/api/claims/": claim.pk, "/api/articles/": seed_article.pk}
    loaded = schemathesis.openapi.from_wsgi("/api/schema/", application)
    failures, calls = [], 0
    for result in loaded.get_all_operations():
        operation = result.ok()
        headers = {"Authorization": f"Bearer {keys[ACTOR.get(operation.path, 'editor')]}"}
        real = next((pk for prefix, pk in real_id.items() if operation.path.startswith(prefix)), None)
        for path_parameters in ({"id": real} if real and "{id}" in operation.path else None, None):
            strategy = operation.as_strategy(mode, headers=headers, path_parameters=path_parameters)

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
            )
            def run(case):
                nonlocal calls
                calls += 1
                response = case.call()
                problem = response.headers.get("content-type", [""])[0].startswith("application/problem+json")
                if response.status_code >= 500 or (response.status_code >= 400 and not problem):
                    failures.append(
                        (case.method, case.formatted_path, case.body, case.query, response.status_code)
                    )

            with contextlib.suppress(Unsatisfiable):  # nothing left to make invalid once the id is fixed
                run()
    assert calls > len(MATRIX) * EXAMPLES
    assert not failures, failures[:5]
