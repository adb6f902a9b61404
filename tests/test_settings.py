import os
import subprocess
import sys

from tests.conftest import ROOT


def settings_value(expr, **env):
    code = f"import django; django.setup(); from django.conf import settings; print({expr})"
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
    environ.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)


def test_sqlite_is_the_default():
    result = settings_value("settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE")
    assert result.stdout.strip() == "django.db.backends.sqlite3 UTC"


def test_database_url_selects_postgresql():
    result = settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql newsroom"


def test_production_refuses_the_development_secret_key():
    result = settings_value("settings.DEBUG", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_a_weak_secret_key():
    for weak in ("short-key", "x" * 60, "django-insecure-" + "k3#Vq9!tR2@xW7$zL5^mN8&bP4*cJ6(hF1)gD0"):
        result = settings_value("settings.DEBUG", DEBUG="0", SECRET_KEY=weak)
        assert result.returncode != 0, weak
        assert "SECRET_KEY is too weak for production" in result.stderr


def test_production_settings_from_environment():
    result = settings_value(
        "settings.DEBUG, settings.ALLOWED_HOSTS",
        DEBUG="false",
        SECRET_KEY="k3#Vq9!tR2@xW7$zL5^mN8&bP4*cJ6(hF1)gD0_sA-yU+eI=oT~",
        ALLOWED_HOSTS="news.example.org, review.example.org",
    )
    assert result.stdout.strip() == "False ['news.example.org', 'review.example.org']"


def test_malformed_boolean_is_an_error():
    result = settings_value("settings.DEBUG", DEBUG="maybe")
    assert "DEBUG must be a boolean" in result.stderr


def test_custom_user_model():
    assert settings_value("settings.AUTH_USER_MODEL").stdout.strip() == "reviews.User"


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3#Vq9!tR2@xW7$zL5^mN8&bP4*cJ6(hF1)gD0_sA-yU+eI=oT~",
    "ALLOWED_HOSTS": "review.example.org",
    "DATABASE_URL": "postgres://newsroom@db.internal:5432/newsroom",
}


def test_check_deploy_is_clean_under_production_settings():
    # The browser tests' async-safety switch is a test-harness setting, never a deployment's.
    dropped = ("DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environ = {k: v for k, v in os.environ.items() if k not in dropped}
    environ.update(PRODUCTION, DJANGO_SETTINGS_MODULE="newsroom.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_cookies_hsts_and_static_files():
    result = settings_value(
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS, "
        "settings.SECURE_SSL_REDIRECT, 'whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE, "
        "settings.PASSWORD_HASHERS[0]",
        **PRODUCTION,
    )
    assert result.stdout.strip() == (
        "True True 31536000 True True django.contrib.auth.hashers.Argon2PasswordHasher"
    ), result.stderr
