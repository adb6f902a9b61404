"""Crafted query values on every admin list and custom admin page: 400 or ignored, never 500.

Each changelist is asked for its own filter parameters (read from its filter specs, so a new
filter is covered without touching this test), search, ordering and paging; the custom pages
for the parameters they read. Values: digits that are not ASCII ('²'.isdigit() is True),
numbers too big for any column, impossible dates, unknown choices, NUL and SQL-ish strings.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.test import RequestFactory
from django.urls import reverse

CRAFTED = (
    "²",
    "٣",
    "１",
    "99999999999999999999999999",
    "-1",
    "1.5",
    "2026-02-30T10:00",
    "2026-13-45",
    "not-a-choice",
    "' OR 1=1 --",
    "1\x00",
    "",
)
# Parameters read by the custom pages (besides the changelists' own filters).
CUSTOM_PAGES = {
    "admin:index": ("user", "model"),
    "admin:audit": ("user", "model", "before"),
}


@pytest.fixture
def boss(db, django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-for-tests-only")


def changelist_parameters(model_admin, user) -> set[str]:
    url = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
    request = RequestFactory().get(url)
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = {SEARCH_VAR, ORDER_VAR, PAGE_VAR, "all"}
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        names.update(f"{field}__{part}" for part in ("year", "month", "day"))
    return names


def crafted_requests(user):
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for name in sorted(changelist_parameters(model_admin, user)):
            yield url, name
    for view, names in CUSTOM_PAGES.items():
        for name in names:
            yield reverse(view), name


@pytest.mark.django_db
def test_every_admin_list_and_page_answers_crafted_values_without_a_server_error(client, boss, seed_article):
    client.force_login(boss)
    client.raise_request_exception = False
    failures = []
    seen = 0
    for url, name in crafted_requests(boss):
        for value in CRAFTED:
            response = client.get(url, {name: value})
            seen += 1
            if response.status_code >= 500:
                failures.append(f"{url}?{name}={value!r}: {response.status_code}")
    assert seen > 300
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "99999999999999999999999999", "1\x00"])
def test_crafted_object_ids_in_admin_paths_do_not_fail(client, boss, value):
    client.force_login(boss)
    client.raise_request_exception = False
    for model in admin.site._registry:
        for view in ("change", "history", "delete"):
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=[value])
            assert client.get(url).status_code < 500, url
    url = reverse("admin:reviews_article_new_version", args=[value])
    assert client.get(url).status_code < 500
