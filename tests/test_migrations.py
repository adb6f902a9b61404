from django.contrib.auth.models import Group

from reviews.models import Rating
from reviews.roles import GROUP_PERMISSIONS


def test_groups_have_exactly_their_permissions(db):
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        assert sorted(group.permissions.values_list("codename", flat=True)) == sorted(codenames)


def test_default_rating_scale(db):
    scale = list(Rating.objects.filter(scale="default").values_list("label", "value"))
    assert scale == [
        ("False", 1),
        ("Mostly false", 2),
        ("Half true", 3),
        ("Mostly true", 4),
        ("True", 5),
        ("Unverifiable", None),
    ]
    assert Rating.history.filter(history_type="+").count() == 6


def test_workflow_permissions_are_split_by_role(db):
    def perms(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert "approve_verdict" in perms("Editors") and "approve_verdict" not in perms("Fact-checkers")
    assert "add_verdict" in perms("Fact-checkers") and "add_verdict" not in perms("Editors")
    assert "resolve_legal_flag" in perms("Legal reviewers") and "resolve_legal_flag" not in perms("Editors")
    assert "add_article" not in perms("Fact-checkers") | perms("Legal reviewers")
