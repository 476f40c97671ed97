"""Settings for Sourcewise, read from the environment (12-factor).

Every variable is documented in the README's Configuration section.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off, Sourcewise needs a secret key: set the "
            "SECRET_KEY environment variable to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set DEBUG=1 "
            "for local development."
        )
    SECRET_KEY = "django-insecure-sourcewise-development-only-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_ratelimit",
    "accounts",
    "articles",
    "quiz",
    "lti_tool",
    "lti",
]

MIDDLEWARE = [
    # First, so every response carries X-Frame-Options: static files (WhiteNoise answers them
    # below) and the 400 for a host not in ALLOWED_HOSTS (raised by the next middleware in
    # production, by CommonMiddleware otherwise) never reach the middleware further down.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the session and CSRF middleware, so it sees the cookies they set.
    "lti.framing.PartitionedCookiesMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "config.middleware.SessionIdleTimeoutMiddleware",
    "config.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the session and before the CSP and frame-options middleware see the response.
    "lti.framing.FramingMiddleware",
    # Last, so it sees the response of every view, including the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Partials by name ("quiz/take.html#card") from Django's cached loader, as
            # django-template-partials sets it up (runserver still reloads edited templates).
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
            # Partials everywhere without {% load %}: moving to Django 6's built-in partials
            # is then a deletion.
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

# Database: a SQLite file by default (zero set-up); DATABASE_URL for anything else.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends about a second compiling each large report query (the
    # gradebook, skills, item analysis) and saves nothing on queries this size.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Parameters bound by the server, and a statement a connection runs five times prepared,
    # so PostgreSQL plans it once: planning the answer's statement (quiz.services.first_pick)
    # costs more than running it (bench/RESULTS.md). Both are psycopg options Django passes on.
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction, and the busy timeout makes a second writer wait instead of
    # failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads (saved article pages, roster CSVs): refused while they arrive once past this size.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "config.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Cache and sessions: in Redis when REDIS_URL is set, so any number of app servers share them.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis keeps its client between calls; Django's own backend builds one per
            # call, which costs a signed-in request 60 µs (bench/RESULTS.md).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sourcewise",
            # A Redis that stops answering fails the request (503) within seconds instead of
            # holding a worker until gunicorn kills it.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    # Sessions live in Redis alone, as before: cached_db would add a database write whenever a
    # session changes (each sign-in, each idle-timeout refresh) to survive a Redis flush.
    # Django's cache store with one change: Redis unreachable is an error answered 503 (see
    # config/sessions.py), not an empty session that signs everyone out.
    SESSION_ENGINE = "config.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# A login lasts SESSION_COOKIE_AGE seconds of inactivity: each request in use pushes the expiry
# forward, at most once every SESSION_REFRESH_SECONDS so busy pages do not write every time.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 2)
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 300)
SESSION_SAVE_EVERY_REQUEST = False

# Login throttling: lock out a username from one address after repeated failures, so a class
# behind one school address is not locked out by one student's mistakes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address a login comes from, read as the join throttle reads it (PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "config.addresses.client_address"
AXES_VERBOSE = False

# Joining a class: the wrong guesses (a code no open class has; with a valid code, a username
# that is taken) a client may make, counted by django-ratelimit in the default cache, per
# address and per person (the signed-in user, and the browser's session). Right codes are never
# counted, so a whole class signing up behind one school address is not held back. The
# arithmetic of guessing a code is beside JOIN_CODE_LENGTH in quiz/models.py.
JOIN_GUESS_RATE_PER_ADDRESS = f"{env_int('JOIN_GUESSES_PER_ADDRESS_PER_HOUR', 30)}/h"
JOIN_GUESS_RATE_PER_PERSON = f"{env_int('JOIN_GUESSES_PER_PERSON_PER_HOUR', 10)}/h"
PROXY_COUNT = env_int("PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "config.addresses.client_address"
if not REDIS_URL:
    # Without Redis the default cache is each process's memory, which django-ratelimit's check
    # calls an error: a client then gets the rates above once per worker process.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
# Every text is marked for translation; the translation machinery runs once a second language
# is listed. With English alone it is off, as Django's documentation advises for a site that does
# not translate: `make bench` gave 509-511 answers/s with it off against 408-434 with it on.
USE_I18N = len(LANGUAGES) > 1
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Cookies are secure and HTTPS is enforced whenever DEBUG is off; SECURE_SSL_REDIRECT
# can be switched off to try production settings over plain HTTP on one's own machine.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# SameSite=None cookies (below) are also Partitioned, so that browsers blocking third-party
# cookies keep them for the platform's frame (lti/framing.py).
LTI_COOKIES_PARTITIONED = env_bool("LTI_COOKIES_PARTITIONED", True)
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    if SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE and env_bool("LTI_COOKIES_IN_FRAMES", True):
        # Inside a learning platform's page Sourcewise is a third party: browsers send it
        # SameSite=Lax cookies only at the top level. Forms stay protected by the CSRF token
        # and Django's origin check. Without this, platform launches open in a new window.
        SESSION_COOKIE_SAMESITE = "None"
        CSRF_COOKIE_SAMESITE = "None"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by load balancers inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy: nothing inline, nothing from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# The benchmark (bench/run.sh) measures the framework's own ceiling at /bench/baseline; the URL
# exists only when it asks for it.
BENCH_BASELINE = env_bool("BENCH_BASELINE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
