"""Settings for Mianshi, read from the environment.

With no `DATABASE_URL` the project runs on a SQLite file and with no `REDIS_URL` Celery uses kombu's
`filesystem://` transport, so `make run` needs no server; tests and production set both.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from exc


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from exc


DEBUG = env_bool("DEBUG", False)
# No production secret has a default: only a DEBUG run may fall back to a throwaway key.
SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key-only-for-debug" if DEBUG else None)
ALLOWED_HOSTS = [h for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "accounts",
    "questionbank",
    "interviews",
    "curation",
    "catalogue",
    "progress",
    "hiring",
]

MIDDLEWARE = [
    # First, so that every log line of the request carries its id.
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.middleware.TimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (an anonymous body has the lower cap), before anything reads the body.
    "config.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Inside the locale's (the page speaks the viewer's language), around every view.
    "config.middleware.MethodNotAllowedPageMiddleware",
    # Inside htmx's (it reads request.htmx), around the views whose login_required it corrects.
    "accounts.middleware.LogInAgainMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a view's Ratelimited into the 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts connections but never answers must not hold a page: give up connecting after
    # DB_CONNECT_TIMEOUT s, and let the server cancel any statement after DB_STATEMENT_TIMEOUT_MS.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 5),
        "options": f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 15_000)}",
        # A peer that stops acknowledging (a cut network) fails the socket instead of hanging it.
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 2,
        "tcp_user_timeout": env_int("DB_TCP_USER_TIMEOUT_MS", 10_000),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default runs web and worker against one file: wait for locks instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # "mianshi123": a common or site word dressed up with digits and symbols.
    {"NAME": "accounts.passwords.GuessableWordValidator"},
]
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# whitenoise serves the collected files (hashed names, gzip and brotli) from the WSGI processes themselves.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Bodies: a form field set may hold DATA_UPLOAD_MAX_MEMORY_SIZE, a file is kept in memory up to
# FILE_UPLOAD_MAX_MEMORY_SIZE, and RequestBodyLimitMiddleware refuses (413) any larger body before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 10 * 1024 * 1024)
REQUEST_MAX_BYTES_ANONYMOUS = env_int("REQUEST_MAX_BYTES_ANONYMOUS", 64 * 1024)

# Behind HTTPS (a proxy setting X-Forwarded-Proto), HTTPS=true turns on secure cookies, redirects and HSTS.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The health check answers plain HTTP from inside the network (compose, a load balancer).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content Security Policy (django-csp): our own scripts, styles, fonts and images only. KaTeX positions
# glyphs with inline styles, hence 'unsafe-inline' for styles (never for scripts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Cache, rate limits and quotas ---------------------------------------------------------------------
# Redis when REDIS_URL is set; else the database (`createcachetable`), so that limits hold across processes.
# A cache that cannot be reached fails open: no rate limit rather than an error page.
CACHE_URL = os.environ.get("CACHE_URL", "") or os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, object]] = {
    "default": (
        {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "mianshi",
            "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "mianshi_cache"}
    )
}
if not CACHE_URL:
    # The embedded default is one machine with few users: a non-atomic increment is good enough there.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
# Sessions are read from Redis and written through to the database (which stays the record): every page and
# every autosave of a signed-in user saves a query. Without Redis the cache is the database: no gain there.
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if CACHE_URL else 'db'}"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_FAIL_OPEN = True
RATELIMIT_VIEW = "config.views.ratelimited"
# Behind a proxy, the client's address is in a header the proxy sets (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
# Rates as "<count>/<period>" (s, m, h, d); see accounts/throttle.py.
RATELIMITS = {
    "login_ip": env_str("RATELIMIT_LOGIN_IP", "30/15m"),
    "login_username": env_str("RATELIMIT_LOGIN_USERNAME", "8/15m"),
    "signup_ip": env_str("RATELIMIT_SIGNUP_IP", "10/h"),
    "autosave": env_str("RATELIMIT_AUTOSAVE", "120/m"),
    "submit": env_str("RATELIMIT_SUBMIT", "30/m"),
}
# Quotas per candidate and hour, counted in the database (interviews/services/quotas.py).
QUOTA_ATTEMPTS_PER_HOUR = env_int("QUOTA_ATTEMPTS_PER_HOUR", 30)
QUOTA_GRADINGS_PER_HOUR = env_int("QUOTA_GRADINGS_PER_HOUR", 200)

# --- Celery -------------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_FILESYSTEM_BROKER_DIR = Path(env_str("CELERY_FILESYSTEM_DIR", str(BASE_DIR / "var" / "broker")))
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
        # A black-holed broker fails a send within seconds instead of hanging the process that sends.
        "socket_connect_timeout": env_float("BROKER_CONNECT_TIMEOUT", 2.0),
        "socket_timeout": env_float("BROKER_SOCKET_TIMEOUT", 5.0),
        "socket_keepalive": True,
        "health_check_interval": 10,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "processed"),
        # The exchange tables (the worker's remote control), else written to ./control wherever it starts.
        "control_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # kombu's filesystem transport expects its folders to exist in every process that sends or reads.
    for _folder in ("queue", "processed", "control"):
        (CELERY_FILESYSTEM_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
# Grades are written to the database; task results are not needed.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("BROKER_CONNECT_TIMEOUT", 2.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-attempts-and-grades": {
        "task": "interviews.tasks.sweep",
        # Often, so that a grading the broker refused is queued again within seconds.
        "schedule": env_float("SWEEP_SECONDS", 10.0),
    },
}

# --- Grading ------------------------------------------------------------------------------------------
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "") or None
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_MODEL = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
OPENAI_TIMEOUT = env_float("OPENAI_TIMEOUT", 60.0)
# "json_schema" (strict structured output) or "json_object" for servers without schema support.
OPENAI_RESPONSE_FORMAT = env_str("OPENAI_RESPONSE_FORMAT", "json_schema")
# Grading wants repeatable verdicts. An empty OPENAI_TEMPERATURE sends none: some reasoning models take
# only their default.
OPENAI_TEMPERATURE: float | None = (
    None if os.environ.get("OPENAI_TEMPERATURE") == "" else env_float("OPENAI_TEMPERATURE", 0.0)
)
# The LLM's reply is bounded; the answer it sees is bounded by ANSWER_MAX_CHARS, what the product accepts.
OPENAI_MAX_TOKENS = env_int("OPENAI_MAX_TOKENS", 4096)
# Samples per grading, seeded JUDGE_SEED, JUDGE_SEED + 1, ...: each point gets the majority verdict. Several
# samples only differ with a temperature above 0 (OPENAI_TEMPERATURE), and each costs a full request.
JUDGE_SAMPLES = env_int("JUDGE_SAMPLES", 1)
JUDGE_SEED = env_int("JUDGE_SEED", 0)
# A grade is uncertain (provisional, for a person to review) when the samples agree on less than this share
# of the marks, or when the LLM's and the offline judge's scores differ by more than this share of the marks.
JUDGE_MIN_AGREEMENT = env_float("JUDGE_MIN_AGREEMENT", 0.8)
JUDGE_MAX_DISAGREEMENT = env_float("JUDGE_MAX_DISAGREEMENT", 0.3)
# Where `recalibrate_judge` writes an adopted calibration and the offline judge reads it first: a path every
# web and worker process shares (compose: a named volume). Empty: the calibration bundled with the code.
JUDGE_CALIBRATION_FILE = os.environ.get("JUDGE_CALIBRATION_FILE", "")
GRADING_MAX_RETRIES = env_int("GRADING_MAX_RETRIES", 5)
GRADING_RETRY_BASE_SECONDS = env_float("GRADING_RETRY_BASE_SECONDS", 2.0)
# A claim older than this was abandoned (a killed worker), so it may not be shorter than a task may live.
GRADING_STALE_MINUTES = env_int("GRADING_STALE_MINUTES", 5)
# An offline stand-in grade made while the LLM was unavailable is given back to the LLM after this long.
LLM_RECHECK_MINUTES = env_int("LLM_RECHECK_MINUTES", 5)
if GRADING_STALE_MINUTES * 60 < CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"GRADING_STALE_MINUTES ({GRADING_STALE_MINUTES} min) must cover CELERY_TASK_TIME_LIMIT "
        f"({CELERY_TASK_TIME_LIMIT} s): a claim may not go stale while its task can still be running."
    )
# USD per million tokens (input, output) for the cost estimate stored on each grade.
LLM_PRICES_PER_MILLION = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "deepseek-chat": (0.27, 1.10),
    "qwen-plus": (0.40, 1.20),
}

# --- Interviews ---------------------------------------------------------------------------------------
ANSWER_MAX_CHARS = env_int("ANSWER_MAX_CHARS", 20_000)
DEADLINE_GRACE_SECONDS = env_int("DEADLINE_GRACE_SECONDS", 5)

# One JSON object a line (LOG_FORMAT=json, the default without DEBUG) or plain text, each with the request id.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
