"""Every role × every API operation × whose object it is: who may, who may not.

Written out by hand as the newsroom's policy (as tests/test_permission_matrix.py does for the
admin), not derived from the groups or the workflow table it tests. "checker" is the claim's
assigned fact-checker and the author of its verdict; "other checker" is a fact-checker it is
not assigned to. An allowed call answers 2xx and changes what it should; a refused one answers
401 (anonymous) or 403 and changes nothing.
"""

import pytest

from reviews.models import Article, Claim, Flag, Rating
from reviews.services.claims import claim_assign, claim_start
from reviews.services.verdicts import verdict_submit
from tests.conftest import POW_SEED

EDITOR, CHECKER, OTHER, LEGAL, NOBODY, ANONYMOUS = (
    "editor",
    "checker",
    "other checker",
    "legal",
    "nobody",
    "anonymous",
)
ROLES = (EDITOR, CHECKER, OTHER, LEGAL, NOBODY, ANONYMOUS)
READERS = (EDITOR, CHECKER, OTHER, LEGAL)

# (method, path): {object: who may}
MATRIX = {
    ("POST", "/api/articles/"): {"new text": (EDITOR,)},
    ("GET", "/api/articles/{id}/"): {"any article": READERS},
    ("POST", "/api/articles/{id}/versions/"): {"any article": (EDITOR,)},
    ("GET", "/api/articles/{id}/export/{fmt}/"): {"any article": READERS},
    ("GET", "/api/claims/"): {"every claim": READERS},
    ("GET", "/api/claims/{id}/"): {"claim assigned to checker": READERS},
    ("POST", "/api/claims/{id}/assign/"): {"claim assigned to checker": (EDITOR,)},
    ("POST", "/api/claims/{id}/start/"): {"claim assigned to checker": (CHECKER,)},
    ("POST", "/api/claims/{id}/verdict/"): {"claim in review by checker": (CHECKER,)},
    ("POST", "/api/claims/{id}/approve/"): {"verdict by checker": (EDITOR,)},
    ("POST", "/api/claims/{id}/return/"): {"verdict by checker": (EDITOR,)},
    # As on the admin's claim page: editors and every fact-checker, whoever the claim is assigned to.
    ("POST", "/api/claims/{id}/describe/"): {"claim assigned to checker": (EDITOR, CHECKER, OTHER)},
    ("POST", "/api/flags/{id}/resolve/"): {"legal flag": (LEGAL,), "editorial flag": (EDITOR,)},
    ("GET", "/api/ratings/"): {"the scale": READERS},
}
CELLS = [(op, obj) for op, objects in MATRIX.items() for obj in objects]


@pytest.fixture
def people(editor, alice, bob, lawyer, nobody):
    return {EDITOR: editor, CHECKER: alice, OTHER: bob, LEGAL: lawyer, NOBODY: nobody, ANONYMOUS: None}


def _claim(article, index, state, editor, alice):
    claim = article.claims.order_by("index")[index]
    claim_assign(claim=claim, assignee=alice, actor=editor)
    if state in ("in_review", "submitted"):
        claim_start(claim=claim, actor=alice)
    if state == "submitted":
        verdict_submit(claim=claim, rating=Rating.objects.get(label="True"), summary="Yes.", actor=alice)
    return Claim.objects.get(pk=claim.pk)


def _arrange(op, obj, article, editor, alice, index):
    """(path, payload, a function returning the state the call may change)."""
    _, path = op
    claim_state = {"claim assigned to checker": "assigned", "claim in review by checker": "in_review"}
    claim_state["verdict by checker"] = "submitted"
    if path == "/api/articles/":
        text = POW_SEED.read_text().replace("reports have flown in", f"reports ({index}) have flown in", 1)
        return path, {"text": text}, lambda: Article.objects.count()
    if "{id}" in path and path.startswith("/api/articles/"):
        url = path.replace("{id}", str(article.pk)).replace("{fmt}", "md")
        text = POW_SEED.read_text().replace("reports have flown in", f"reports ({index}) have flown in", 1)
        return url, {"text": text}, lambda: article.revisions.count()
    if path.startswith("/api/claims/{id}/"):
        claim = _claim(article, index, claim_state[obj], editor, alice)
        payload = {
            "/api/claims/{id}/assign/": {"assignee": "bob"},
            "/api/claims/{id}/verdict/": {"rating": "False", "summary": "No."},
            "/api/claims/{id}/return/": {"comment": "Sources?"},
            "/api/claims/{id}/describe/": {
                "claimant": "Ministry of Defence",
                "claimant_kind": "Organization",
            },
        }.get(path, {})
        return path.replace("{id}", str(claim.pk)), payload, lambda: Claim.objects.get(pk=claim.pk).version
    if path == "/api/flags/{id}/resolve/":
        role = "legal" if obj == "legal flag" else "editor"
        flags = list(article.flags.filter(resolver_role=role, status="open").order_by("pk"))
        flag = flags[index % len(flags)]
        payload = {"status": "dismissed", "note": "Checked."}
        return path.replace("{id}", str(flag.pk)), payload, lambda: Flag.objects.get(pk=flag.pk).status
    return path, {}, lambda: None


@pytest.mark.parametrize(("op", "obj"), CELLS, ids=[f"{m} {p} [{o}]" for (m, p), o in CELLS])
def test_api_permission_matrix(api, people, seed_article, op, obj):
    method, _ = op
    wrong = {}
    for index, role in enumerate(ROLES):
        path, payload, state = _arrange(op, obj, seed_article, people[EDITOR], people[CHECKER], index)
        before = state()
        client = api(people[role])
        if method == "GET":
            response = client.get(path, HTTP_ACCEPT="*/*")
        else:
            response = client.post(path, payload, format="json")
        changed = state() != before
        may = role in MATRIX[op][obj]
        if role == ANONYMOUS:
            ok = response.status_code == 401 and not changed
        elif may:
            ok = 200 <= response.status_code < 300 and (method == "GET" or changed)
        else:
            ok = response.status_code == 403 and not changed
        if not ok:
            wrong[role] = (response.status_code, changed, response.content[:200])
    assert not wrong, wrong


def test_another_checker_may_not_take_over_a_claim(api, people, seed_article):
    """The 403 says whose claim it is, in the declared workflow's words."""
    claim = _claim(seed_article, 3, "assigned", people[EDITOR], people[CHECKER])
    response = api(people[OTHER]).post(f"/api/claims/{claim.pk}/start/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "this claim is assigned to alice, not to bob"


def test_a_person_without_staff_access_is_refused(api, people, django_user_model):
    people[EDITOR].is_staff = False
    people[EDITOR].save()
    response = api(people[EDITOR]).get("/api/ratings/")
    assert response.status_code == 403 and "has no access" in response.json()["detail"]
