"""History pages are read-only for everyone: posting to a version page changes nothing.

simple-history's version page is a change form that saves what is posted to it whatever the
"revert disabled" setting hides; each tracked model's page is posted to by every role here.
"""

import re

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from reviews.models import Verdict

from .test_permission_matrix import ANONYMOUS, EDITOR, POLICY, ROLES, login, objects, people  # noqa: F401

TRACKED = [m for m in POLICY if hasattr(m, "history")]


def snapshot(obj):
    obj = type(obj)._default_manager.get(pk=obj.pk)
    fields = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    many = {f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True)) for f in obj._meta.many_to_many}
    return fields, many, obj.history.count()


def forged(obj, cast):
    """Form data that would rewrite ``obj``: every editable field, text fields changed."""
    data = {}
    for field in obj._meta.concrete_fields:
        if not field.editable or field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            value = "https://forged.example/" if isinstance(field, models.URLField) else "FORGED"
        elif isinstance(field, models.BooleanField):
            value = "on" if not value else ""
        data[field.name] = "" if value is None else value
    for field in obj._meta.many_to_many:
        data[field.name] = list(getattr(obj, field.name).values_list("pk", flat=True))
    if isinstance(obj, Verdict):
        data.update(status="approved", approved_by=cast[EDITOR].pk)
    return data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m.__name__)
def test_posting_to_a_history_version_changes_nothing(client, people, objects, role, model):  # noqa: F811
    obj = objects[model]
    version = obj.history.order_by("history_id").first().history_id
    url = reverse(f"admin:reviews_{model._meta.model_name}_simple_history", args=[obj.pk, version])
    before = snapshot(obj)
    login(client, people, role)
    response = client.post(url, forged(obj, people))
    assert snapshot(obj) == before
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m.__name__)
def test_a_history_version_is_shown_read_only(client, people, objects, model):  # noqa: F811
    obj = objects[model]
    version = obj.history.order_by("history_id").first()
    url = reverse(f"admin:reviews_{model._meta.model_name}_simple_history", args=[obj.pk, version.history_id])
    login(client, people, EDITOR)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<form" not in page.split('id="content-main"')[1]
    assert "cannot be edited or restored" in page
    assert version.history_change_reason in page


def test_every_registered_admin_uses_the_read_only_version_page():
    from simple_history.admin import SimpleHistoryAdmin

    from reviews.admin.common import ReadOnlyHistoryAdmin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, ReadOnlyHistoryAdmin), model.__name__


@pytest.mark.parametrize("version", ["abc", "²", "99999999"])
def test_a_bad_version_number_is_not_found(client, people, objects, version):  # noqa: F811
    login(client, people, EDITOR)
    url = f"/admin/reviews/verdict/{objects[Verdict].pk}/history/{version}/"
    assert client.get(url).status_code in (302, 404)  # not found, or back to the index with a message


def test_a_history_list_reads_like_sentences(client, seed_article, editor, alice):
    """Changes are sentences with labels and names: no raw values, no "Deleted user (pk=None)",
    no microseconds."""
    import datetime

    from reviews.services.claims import claim_assign

    claim = seed_article.claims.order_by("index").first()
    claim_assign(
        claim=claim,
        assignee=alice,
        actor=editor,
        priority=3,
        due=datetime.date.today() + datetime.timedelta(days=20),
    )
    client.force_login(editor)
    page = client.get(reverse("admin:reviews_claim_history", args=[claim.pk])).content.decode()
    assert "Assignee set to alice." in page
    assert "Priority changed from Normal to High." in page
    assert "Status changed from New to Assigned." in page
    assert "pk=None" not in page and "Deleted user" not in page
    assert "→" not in page and "&rarr;" not in page
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", page)
