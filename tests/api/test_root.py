"""/api/ itself: an index of the endpoints, pointing at the schema and the docs.

It is as open as the schema (anyone may read it) and names endpoints, never data.
"""

import pytest
import yaml
from django.test import Client

from reviews.models import Article

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
KEYS = {"name", "version", "schema", "docs", "authentication", "endpoints"}


def _schema_operations() -> set[tuple[str, str]]:
    paths = yaml.safe_load(Client().get("/api/schema/").content)["paths"]
    return {
        (method.upper(), path) for path, item in paths.items() for method in item if method != "parameters"
    }


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["application/json", BROWSER, None])
def test_the_root_answers_an_index_to_anyone(accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = Client().get("/api/", **headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    index = response.json()
    assert set(index) == KEYS
    assert index["schema"] == "http://testserver/api/schema/"
    assert index["docs"] == "http://testserver/api/docs/"
    assert index["endpoints"]["claim-detail"] == {
        "url": "http://testserver/api/claims/{id}/",
        "methods": ["GET"],
    }


@pytest.mark.django_db
def test_the_index_names_exactly_the_schemas_operations():
    index = Client().get("/api/").json()
    listed = {
        (method, endpoint["url"].removeprefix("http://testserver"))
        for endpoint in index["endpoints"].values()
        for method in endpoint["methods"]
    }
    assert listed == _schema_operations()
    assert ("GET", "/api/") not in _schema_operations()  # the index is not an operation on data


def test_the_index_shows_no_data_to_anyone(api, seed_article, editor):
    """Anonymous or not, the same index: no article, claim or count in it."""
    anonymous = api(None).get("/api/")
    signed_in = api(editor).get("/api/")
    assert anonymous.status_code == signed_in.status_code == 200
    assert anonymous.json() == signed_in.json()
    assert Article.objects.exists()
    assert seed_article.title not in anonymous.content.decode()
    # and the data itself stays behind authentication
    assert api(None).get("/api/claims/").status_code == 401


@pytest.mark.django_db
def test_other_methods_and_unknown_paths_answer_problems():
    response = Client().post("/api/", {}, content_type="application/json")
    assert response.status_code == 405 and response["Content-Type"] == "application/problem+json"
    assert Client().get("/api/nothing-here/").status_code == 404
