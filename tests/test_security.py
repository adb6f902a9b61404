"""Sign-in lockout, password hashing, the Content Security Policy on every page."""

import pytest
from django.urls import reverse

LOGIN = reverse("admin:login")


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_repeated_failed_sign_ins_lock_the_account_out(client, editor):
    for _ in range(4):
        assert sign_in(client, "eddie", "wrong").status_code == 200  # the form again, with an error
    locked = sign_in(client, "eddie", "wrong")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert sign_in(client, "eddie", "pw-for-tests-only").status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, editor):
    for _ in range(4):
        sign_in(client, "eddie", "wrong")
    assert sign_in(client, "eddie", "pw-for-tests-only").status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "eddie", "wrong").status_code == 200


def test_password_spraying_from_one_address_is_locked_out(client, editor, django_user_model):
    """Four failures on each of ten accounts stay under the per-account limit; the address is
    locked out after twenty, even for a right password, while another address is not."""
    for n in range(10):
        django_user_model.objects.create_user(f"user{n}", password="pw-for-tests-only", is_staff=True)
    codes = [sign_in(client, f"user{n}", f"guess{k}").status_code for n in range(10) for k in range(4)]
    assert codes[:19] == [200] * 19
    assert set(codes[20:]) == {429}
    assert sign_in(client, "eddie", "pw-for-tests-only").status_code == 429
    right = {"username": "eddie", "password": "pw-for-tests-only", "next": "/admin/"}
    elsewhere = client.post(LOGIN, right, REMOTE_ADDR="10.9.8.7")
    assert elsewhere.status_code == 302


def test_passwords_are_hashed_with_argon2(editor):
    assert editor.password.startswith("argon2$")


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:login"),
        reverse("admin:index"),
        reverse("admin:reviews_claim_changelist"),
        reverse("admin:reviews_article_add"),
    ],
)
def test_every_page_carries_the_content_security_policy(client, editor, url):
    client.force_login(editor)
    policy = client.get(url)["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy and "unsafe-eval" not in policy
    assert "script-src 'self' 'unsafe-inline'" not in policy


def test_a_nul_character_in_the_address_answers_400(client, editor):
    client.force_login(editor)
    for url in ("/admin/reviews/claim/?q=%00", "/admin/axes/accessattempt/?path_info=1%00", "/admin/?x%00=1"):
        assert client.get(url).status_code == 400, url
