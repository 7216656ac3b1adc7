"""Settings, read from the environment (12-factor) with safe defaults for one small server.

Every value a deployment may change comes from an environment variable; a `.env` file in the
project root is read if it exists. Without any configuration Stadga runs on SQLite in `var/`.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("STADGA_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    # A key that survives restarts without being committed: generated once into var/.
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key())
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

# The host names and IP addresses Stadga answers to (an IP address works as well as a name).
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Origins a form may be posted from besides the request's own host, e.g. https://stadga.kommun.se
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Behind a reverse proxy (docs/operations/reverse-proxy.md): the proxy terminates TLS and says so
# in X-Forwarded-Proto, passes the host the browser asked for in X-Forwarded-Host or Host, and the
# client's address in X-Forwarded-For. Off by default: without a proxy in front these headers come
# from the client and must not be believed.
STADGA_BEHIND_PROXY = env.bool("STADGA_BEHIND_PROXY", default=False)
# How many proxies in front of Stadga append to X-Forwarded-For (stadga.core.net.client_ip).
STADGA_TRUSTED_PROXY_COUNT = env.int("STADGA_TRUSTED_PROXY_COUNT", default=1)
if STADGA_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# Served over HTTPS (directly or by the proxy): cookies are sent over HTTPS only. Defaults to on
# behind a proxy, which is expected to terminate TLS.
STADGA_HTTPS = env.bool("STADGA_HTTPS", default=STADGA_BEHIND_PROXY)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "auditlog",
    "csp",
    "stadga.core",
    "stadga.organisation",
    "stadga.systems",
    "stadga.policy",
    "stadga.security",
    "stadga.catalogue",
    "stadga.inventory",
    "stadga.itgroup",
    "stadga.plans",
    "stadga.statusreports",
    "stadga.training",
    "stadga.portal",
    "stadga.cooperation",
    "stadga.notifications",
    "stadga.api",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stadga.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "stadga.urls"
WSGI_APPLICATION = "stadga.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "stadga" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "stadga.core.context_processors.stadga",
                "stadga.notifications.context_processors.unread_count",
            ],
        },
    },
]

# SQLite in var/ is the embedded default; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'stadga.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "stadga" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Uploaded spreadsheets waiting for the user to confirm an import: private, never served.
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "imports"},
    },
}
# Uploaded spreadsheets are read in memory; keep them bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STADGA_IMPORT_MAX_BYTES = env.int("STADGA_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
STADGA_IMPORT_MAX_ROWS = env.int("STADGA_IMPORT_MAX_ROWS", default=20_000)
# An inventory upload is streamed to disk and loaded by the worker: no size limit of its own. An
# import that shows no progress for this many hours (its worker died) may be marked failed.
STADGA_INVENTORY_STALLED_HOURS = env.int("STADGA_INVENTORY_STALLED_HOURS", default=6)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="stadga@localhost")
# The address Stadga is reached at, for links in e-mails, e.g. https://stadga.kommun.se
STADGA_BASE_URL = env.str("STADGA_BASE_URL", default="http://127.0.0.1:8000")

# Cooperation (P8.2): the days a municipality has to answer a partner's coordination inquiry
# before the rule `cooperation.inquiries_answered_in_time` counts it late.
COOPERATION_INQUIRY_ANSWER_DAYS = env.int("COOPERATION_INQUIRY_ANSWER_DAYS", default=14)

# The public portal (P7.1): how long a rendered public page is kept by the server and may be kept
# by a browser or proxy, and the limits that keep spam out of the residents' form. The rate limits
# count per client address (stadga.core.net.client_ip: REMOTE_ADDR, or X-Forwarded-For behind a
# proxy, see STADGA_BEHIND_PROXY).
PORTAL_CACHE_SECONDS = env.int("PORTAL_CACHE_SECONDS", default=300)
PORTAL_BROWSER_CACHE_SECONDS = env.int("PORTAL_BROWSER_CACHE_SECONDS", default=60)
PORTAL_RATE_LIMIT_PER_IP = env.int("PORTAL_RATE_LIMIT_PER_IP", default=5)
PORTAL_RATE_LIMIT_IP_SECONDS = env.int("PORTAL_RATE_LIMIT_IP_SECONDS", default=10 * 60)
PORTAL_RATE_LIMIT_PER_MUNICIPALITY = env.int("PORTAL_RATE_LIMIT_PER_MUNICIPALITY", default=100)
PORTAL_RATE_LIMIT_MUNICIPALITY_SECONDS = env.int(
    "PORTAL_RATE_LIMIT_MUNICIPALITY_SECONDS", default=60 * 60
)
PORTAL_MAX_BODY_BYTES = env.int("PORTAL_MAX_BODY_BYTES", default=48 * 1024)
PORTAL_MAX_LINKS = env.int("PORTAL_MAX_LINKS", default=5)
# Who answers for the installation-wide accessibility statement (pages outside a municipality).
STADGA_ACCESSIBILITY_ORGANISATION = env.str("STADGA_ACCESSIBILITY_ORGANISATION", default="")
STADGA_ACCESSIBILITY_EMAIL = env.str("STADGA_ACCESSIBILITY_EMAIL", default="")
STADGA_ACCESSIBILITY_PHONE = env.str("STADGA_ACCESSIBILITY_PHONE", default="")

# Web hardening (P9.1). Cookies: the session cookie is never readable by scripts; both cookies
# travel over HTTPS only when Stadga is served over it (SESSION_COOKIE_SECURE is the older name).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=STADGA_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HSTS: set SECURE_HSTS_SECONDS (e.g. 31536000, a year) once Stadga is served over TLS only; a
# browser that saw it refuses plain HTTP to the host for that long.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and styles from Stadga's own static files only,
# never inline (tests/…/test_security_headers.py fails on an inline script or style attribute).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a request without credentials gets 401 with a WWW-Authenticate
        # header rather than 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "stadga.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stadga API",
    "DESCRIPTION": "The municipality's IT policy as data: organisation and IT system register.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Background work: Django's Tasks API (the django-tasks backport) on the database; `stadga
# worker` runs it. A queue-based backend can replace it for scale-out.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
