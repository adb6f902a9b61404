"""Settings for Newsroom Review, read from the environment.

Development works with no environment at all (SQLite, DEBUG on, a development
secret key). Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL;
start-up refuses to run without debug on the development key.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-secret-key-never-use-in-production"


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
WEAK_KEY = len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
if not DEBUG and WEAK_KEY:
    # The same test as Django's security.W009, made fatal: a guessable key forges sessions.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "newsroom.admin.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "csp",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.RefuseNulBytesMiddleware",
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),  # static files in production
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "reviews.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Argon2 for new and changed passwords; older hashes are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # locks out repeated failed logins
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for one username from one address lock that pair out for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures from one address over every account (password spraying): see newsroom/lockout.py.
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_HANDLER = "newsroom.lockout.SprayAwareHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind PROXY_COUNT proxies, the client address is the one the outermost proxy appended
# to X-Forwarded-For; with none, it is the connection's address.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "newsroom.net.client_ip"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Models trained by `manage.py train` (versioned; the shipped ones are used until one is active).
MODEL_DIR = Path(os.environ.get("MODEL_DIR") or BASE_DIR / "var" / "models")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Content Security Policy on every page: nothing but this site's own scripts, styles,
# images and forms; no frames. Inline style attributes are allowed (status colours);
# inline scripts are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Production: HTTPS only, behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)  # allows, never forces, preload listing
    SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "12")) * 3600

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom-review@localhost")

# Public base URL of this installation: stable identifiers in exports are built on it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The organisation publishing the fact-checks: the author and publisher of every ClaimReview.
PUBLISHER_NAME = os.environ.get("PUBLISHER_NAME", "Newsroom fact-check desk")
PUBLISHER_URL = os.environ.get("PUBLISHER_URL") or SITE_URL.rstrip("/") + "/"
PUBLISHER_LOGO = (
    os.environ.get("PUBLISHER_LOGO") or SITE_URL.rstrip("/") + "/static/reviews/publisher-logo.png"
)
PUBLISHER_SAME_AS = env_list("PUBLISHER_SAME_AS", [])
_relative = [
    u
    for u in (PUBLISHER_URL, PUBLISHER_LOGO, *PUBLISHER_SAME_AS)
    if not u.startswith(("http://", "https://"))
]
if _relative:
    raise ImproperlyConfigured(
        f"PUBLISHER_URL, PUBLISHER_LOGO and PUBLISHER_SAME_AS take absolute http(s) URLs: {_relative}"
    )

# Uploaded and ingested articles larger than this are refused (bytes).
ARTICLE_MAX_BYTES = int(os.environ.get("ARTICLE_MAX_BYTES", str(5 * 1024 * 1024)))
# Sentences (claims) per article: a long feature has a few hundred; a book-length paste is refused.
ARTICLE_MAX_CLAIMS = int(os.environ.get("ARTICLE_MAX_CLAIMS", "5000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_BYTES + 1024 * 1024

# Change reasons can be long (a dismissal reason, a return comment).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background jobs (Celery on Redis). With no broker, every job runs inline in the process that
# asked for it (after its transaction commits), so one machine needs nothing more. With
# CELERY_BROKER_URL, `make worker` processes on any machine sharing the database and Redis
# run them, and `make beat` (one per installation) starts the periodic ones.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "memory://")):
    raise ImproperlyConfigured("CELERY_BROKER_URL must be a redis:// or rediss:// URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    # never reached (jobs run inline), but never a default server either; the host is named so that
    # kombu does not warn that it "reverts to localhost" (the in-memory transport opens nothing)
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "newsroom")
# A task is acknowledged when it has finished, and handed back to the queue when the process
# running it dies: a killed worker's job runs again elsewhere (jobs are idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # state, progress and errors live in the Job table
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job no worker acknowledged within this many seconds (its whole worker machine vanished)
# is delivered again; longer than any job runs (JOB_TIME_LIMIT).
JOB_TIME_LIMIT = int(os.environ.get("JOB_TIME_LIMIT_SECONDS", "3600"))
CELERY_TASK_TIME_LIMIT = JOB_TIME_LIMIT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(JOB_TIME_LIMIT + 600)))
}
JOB_MAX_RETRIES = int(os.environ.get("JOB_MAX_RETRIES", "5"))
JOB_RETRY_SECONDS = float(os.environ.get("JOB_RETRY_SECONDS", "5"))  # first back-off, doubled each time
JOB_KEEP_DAYS = int(os.environ.get("JOB_KEEP_DAYS", "30"))  # finished jobs are purged after this
# Feeds are polled every this many minutes (by `make beat`; `manage.py feeds poll` by hand).
FEED_POLL_MINUTES = int(os.environ.get("FEED_POLL_MINUTES", "15"))
CELERY_BEAT_SCHEDULE = {
    "feeds-poll": {"task": "reviews.feeds_poll", "schedule": FEED_POLL_MINUTES * 60.0},
    "jobs-purge": {"task": "reviews.jobs_purge", "schedule": 24 * 3600.0},
}

# Fetching articles and feeds from the web. Addresses that are not public (loopback, private,
# link-local, …) are refused unless the host or its network is listed here, e.g.
# "127.0.0.1" or "10.1.0.0/16" or "wire.internal".
FETCH_ALLOWED_HOSTS = env_list("FETCH_ALLOWED_HOSTS", [])
FETCH_TIMEOUT = float(os.environ.get("FETCH_TIMEOUT_SECONDS", "20"))  # whole fetch, redirects included
FETCH_MAX_REDIRECTS = int(os.environ.get("FETCH_MAX_REDIRECTS", "5"))
FETCH_MAX_BYTES = int(os.environ.get("FETCH_MAX_BYTES", str(ARTICLE_MAX_BYTES)))
FETCH_USER_AGENT = os.environ.get("FETCH_USER_AGENT", "NewsroomReview/1.0 (+editorial review)")

# --- REST API, webhooks and the job queue (reviews/api, reviews/services/webhooks.py) --------
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "reviews.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the browsable docs, when logged in
    ],
    "DEFAULT_PERMISSION_CLASSES": ["reviews.api.permissions.HasRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "reviews.api.throttles.TokenRateThrottle",
        "reviews.api.throttles.AnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_RATE", "600/min"),  # every request, per token (or per session user)
        "submit": os.environ.get("API_SUBMIT_RATE", "60/min"),  # article submissions, per token
        "anon": os.environ.get("API_ANON_RATE", "60/min"),  # unauthenticated, per address
    },
    "EXCEPTION_HANDLER": "reviews.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom Review API",
    "DESCRIPTION": "Send articles for review from a CMS and read the review's results back. "
    "Authenticate with `Authorization: Bearer <token>` (tokens are issued in the admin). "
    "Errors are `application/problem+json` (RFC 9457).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",  # served from this site: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "reviews.models.ClaimStatus",
        "FlagStatusEnum": "reviews.models.FlagStatus",
    },
}
# Webhook deliveries: tries after the first, and each try's time limit (seconds).
WEBHOOK_MAX_RETRIES = int(os.environ.get("WEBHOOK_MAX_RETRIES", "5"))
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))
# The job queue: Celery on Redis when CELERY_BROKER_URL is set; without it, tasks run in the
# process that queues them (development, tests).
if "CELERY_BROKER_URL" not in globals():
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if "CELERY_TASK_ALWAYS_EAGER" not in globals():
    CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_IMPORTS = [*globals().get("CELERY_IMPORTS", []), "reviews.services.webhooks"]
# --- end of REST API, webhooks and the job queue ----------------------------------------------
