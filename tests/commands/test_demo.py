import io

from django.contrib.auth import get_user_model
from django.core.management import call_command


def run_demo(monkeypatch, password=None):
    if password is None:
        monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("DEMO_PASSWORD", password)
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_accounts_have_roles_and_are_created_once(db, monkeypatch):
    out = run_demo(monkeypatch)
    User = get_user_model()
    roles = {u.username: [g.name for g in u.groups.all()] for u in User.objects.all()}
    assert roles == {
        "editor": ["Editors"],
        "checker1": ["Fact-checkers"],
        "checker2": ["Fact-checkers"],
        "legal": ["Legal reviewers"],
    }
    password = out.split("demo password (shown once): ")[1].split()[0]
    assert User.objects.get(username="checker1").check_password(password)
    second = run_demo(monkeypatch)
    assert "already exist" in second and password not in second
    assert User.objects.count() == 4


def test_demo_password_from_environment(db, monkeypatch):
    out = run_demo(monkeypatch, password="correct horse battery")
    assert "correct horse battery" not in out
    assert get_user_model().objects.get(username="legal").check_password("correct horse battery")
