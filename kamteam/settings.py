"""Settings for kamteam, read from the environment.

Every value comes through one of the small typed helpers of kamteam/env.py,
which fail at start-up with ImproperlyConfigured on a bad value instead of
letting a typo turn into surprising behaviour at run time.

Development (`make run`) sets DEBUG=1 and uses the embedded SQLite file.
Production sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, and leaves DEBUG
unset (off).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kamteam.api_settings import api_settings
from kamteam.csp_settings import content_security_policy
from kamteam.database_settings import database_settings
from kamteam.documents_settings import documents_settings
from kamteam.env import env_bool, env_choice, env_int, env_list, env_str, env_url
from kamteam.imports_settings import imports_settings, progress_cache
from kamteam.mail_settings import mail_settings
from kamteam.observability_settings import observability_settings
from sso.ldap_settings import GROUP_TYPES as LDAP_GROUP_TYPES
from sso.ldap_settings import TEXTS as LDAP_TEXTS
from sso.ldap_settings import ldap_settings
from sso.oidc_settings import SIGN_ALGOS as OIDC_SIGN_ALGOS
from sso.oidc_settings import TEXTS as OIDC_TEXTS
from sso.oidc_settings import oidc_settings

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: the prefix makes `check --deploy` flag it if it ever
    # reaches production.
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_countries",
    "simple_history",
    "axes",
    "csp",
    # Background work (README, "Production: background work"): the tasks
    # backport and its database backend; the RQ apps join below with Redis.
    "django_tasks",
    "django_tasks_db",
    # Ours, from the base layer up (README, "Architecture").
    "core",
    "users",
    "sso",
    "profiles",
    "accounts",
    "notifications",
    "actions",
    "raci",
    "touchpoints",
    "whitespace",
    "opportunities",
    "news",
    "documents",
    "imports",
    "activities",
    "portfolio",
    "comments",
    "coaching",
    "workspace",
    "search",
    # The REST API (api/) on django-ninja, whose own static files serve its docs (no CDN).
    "ninja",
    "api",
]

MIDDLEWARE = [
    # Outermost (core/observability.py): every answer carries the request id, every
    # log line of the request has it, and the timings cover the whole stack.
    "core.observability.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "core.observability.SlowRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after it (the three above never answer themselves), so the policy also
    # covers answers other middleware gives itself (CSRF 403, the NUL-byte 400,
    # the axes lockout page).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything decodes a form (the CSRF check does): see the class.
    "core.middleware.BoundedFormDecodingMiddleware",
    # After WhiteNoise, so static files keep their long caching; before the
    # rest, so answers they give themselves (CSRF 403, lockout) are covered.
    "core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SessionIdleRefreshMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    # After sessions, login and messages; its check runs after the CSRF check
    # (process_view, in this order): a form sent twice is saved once.
    "core.form_guard.OneTimeFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Requests and latency by view (/metrics); as late as axes allows.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kamteam.urls"
WSGI_APPLICATION = "kamteam.wsgi.application"

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
                # The top bar's unread count, counted only when a page shows it.
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
    # Jinja2 for the hot partials only (kamteam/jinja2.py): templates in each
    # app's jinja2/ folder, named .jinja, rendered with core's {% jinja %} tag.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "kamteam.jinja2.environment",
            "extensions": ["jinja2.ext.i18n"],
            "autoescape": True,
        },
    },
]

DATABASES = {"default": database_settings(BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, shared by every app server and task worker (README, "Several app
# servers"). Unset, everything stays on one machine: the cache in each worker
# process's memory, the tasks in the database.
REDIS_URL = env_str("REDIS_URL").strip()
if REDIS_URL:
    REDIS_URL = env_url("REDIS_URL", REDIS_URL, ("redis", "rediss", "unix"))

# Rendered page fragments (core.fragments), form claims, throttle counters.
# The fragment keys carry change counters kept in the database, so no process
# ever serves a stale entry, whether the cache is its own memory or Redis.
# With Redis the app servers share it (a fragment is rendered once for all,
# limits hold across servers); core.cache.ForgivingRedisCache treats a Redis
# that is down as an empty cache instead of failing the page.
# The cache "progress": how far a background import has come (imports.progress).
CACHES = {"progress": progress_cache(base_dir=BASE_DIR, redis_url=REDIS_URL)}
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "core.cache.ForgivingRedisCache",
        "LOCATION": REDIS_URL,
        # The task queue shares the database: its keys start with "rq:".
        "KEY_PREFIX": "kamteam",
    }
else:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kamteam",
        "OPTIONS": {"MAX_ENTRIES": env_int("FRAGMENT_CACHE_ENTRIES", 1000)},
    }

# E-mail (core/mail.py), sent by the task worker, never inside a request, and
# kamteam's own address for the links in mails: kamteam/mail_settings.py.
globals().update(mail_settings(DEBUG=DEBUG, ALLOWED_HOSTS=ALLOWED_HOSTS))

# Background work (core/tasks.py) through Django's Tasks API (the django-tasks
# backport). "database": tasks wait in the database for `manage.py db_worker`,
# nothing else to run (`make run` starts it beside the server). "redis": tasks
# go to RQ on Redis at REDIS_URL, for installations with several app servers;
# workers run `manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler`.
# The default follows REDIS_URL; an explicit KAMTEAM_TASKS wins.
KAMTEAM_TASKS = env_choice(
    "KAMTEAM_TASKS", "redis" if REDIS_URL else "database", ("database", "redis")
)
if KAMTEAM_TASKS == "redis" and not REDIS_URL:
    # No silent default: on several app servers, a local Redis each would
    # split the queue into one per machine.
    raise ImproperlyConfigured(
        "KAMTEAM_TASKS=redis needs REDIS_URL, the Redis every app server and worker "
        "shares, e.g. redis://redis.example.com:6379/0 (redis://127.0.0.1:6379/0 "
        "for one on this machine, the former default)."
    )
if KAMTEAM_TASKS == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# django-rq's queues (read only with KAMTEAM_TASKS=redis). A mail that takes
# longer than five minutes is stuck, not slow.
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}

# Urlencoded forms and query strings with more %-escapes are refused (400)
# before they are decoded: decoding costs ~230 bytes of memory per escape.
MAX_PERCENT_ESCAPES = env_int("MAX_PERCENT_ESCAPES", 20_000)

# Where the API's routes live (kamteam/urls.py): errors under it answer JSON (core.errors).
API_URL_PREFIX = "/api/"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out user is refused before the password
    # is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with OpenID Connect (sso/oidc_settings.py; README, "Single sign-on").
_OIDC = oidc_settings(
    environ={name: env_str(name) for name in OIDC_TEXTS},
    sign_algo=env_choice("OIDC_SIGN_ALGO", "rs256", OIDC_SIGN_ALGOS),
    provider_logout=env_bool("OIDC_OP_LOGOUT", False),
    timeout=env_int("OIDC_TIMEOUT", 10),
)
globals().update(_OIDC)
if _OIDC["OIDC_ENABLED"]:  # after axes' backend: its lockout check runs first here too
    AUTHENTICATION_BACKENDS.append("sso.backends.KamteamOIDCBackend")

# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is locked out until the cool-off
# expires. Locking the pair (not the address alone) keeps one office behind
# a shared proxy from locking everybody out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The password change counts a wrong current password as a failed login
# (profiles.password_views.PasswordChangeView). Axes keeps a failure's form data, so
# its password fields are masked like the login's.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]

# Sign-in with LDAP / Active Directory (sso/; README): on when LDAP_SERVER_URI is
# set. ldap_settings() checks that the LDAP_* values fit together and builds
# django-auth-ldap's AUTH_LDAP_* settings. Its backend goes right after axes.
_LDAP = ldap_settings(
    environ={name: env_str(name) for name in LDAP_TEXTS},
    group_type=env_choice("LDAP_GROUP_TYPE", "groupofnames", LDAP_GROUP_TYPES),
    start_tls=env_bool("LDAP_START_TLS", False),
    timeout=env_int("LDAP_TIMEOUT", 5),
)
globals().update(_LDAP)
if _LDAP:
    AUTHENTICATION_BACKENDS.insert(1, "sso.ldap.KamteamLDAPBackend")

# Customer contacts never agreed to being profiled: the profile of a contact
# archived longer ago than this is erased, history included, by
# `manage.py purge_contact_profiles` (run daily).
CONTACT_PROFILE_RETENTION_MONTHS = env_int("CONTACT_PROFILE_RETENTION_MONTHS", 24)
if CONTACT_PROFILE_RETENTION_MONTHS < 1:
    raise ImproperlyConfigured(
        "CONTACT_PROFILE_RETENTION_MONTHS must be 1 or more; "
        f"got {CONTACT_PROFILE_RETENTION_MONTHS}"
    )

# One currency per installation (ISO 4217 code): every amount is in it, shown in
# the number format of the viewer's language (core.money).
KAMTEAM_CURRENCY = env_str("KAMTEAM_CURRENCY", "EUR").strip().upper()
if not (len(KAMTEAM_CURRENCY) == 3 and KAMTEAM_CURRENCY.isascii() and KAMTEAM_CURRENCY.isalpha()):
    raise ImproperlyConfigured(
        f"KAMTEAM_CURRENCY must be a three-letter ISO 4217 code such as EUR; "
        f"got {KAMTEAM_CURRENCY!r}"
    )

LANGUAGES = [("en", _("English")), ("de", _("German"))]
# The language of people without a choice of their own (and of `manage.py demo`).
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en").strip().lower()
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be en or de; got {LANGUAGE_CODE!r}")
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kamteam.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
# Grouping is applied where it helps (money), never to years or ids.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
# Where collectstatic writes and nginx serves from (deploy/nginx/kamteam.conf).
STATIC_ROOT = Path(env_str("STATIC_ROOT").strip() or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files, saved with the database by deploy/backup.py (README, "Backups").
MEDIA_ROOT = Path(env_str("MEDIA_ROOT").strip() or BASE_DIR / "media")
# Account documents: size limit, storage, nginx's X-Accel-Redirect (kamteam/documents_settings.py).
_DOCUMENTS = documents_settings(MEDIA_ROOT=MEDIA_ROOT)
DOCUMENTS_MAX_BYTES: int = _DOCUMENTS["DOCUMENTS_MAX_BYTES"]
DOCUMENTS_X_ACCEL_REDIRECT: str = _DOCUMENTS["DOCUMENTS_X_ACCEL_REDIRECT"]
globals().update(imports_settings())  # spreadsheet imports: kamteam/imports_settings.py
globals().update(api_settings())  # the REST API: kamteam/api_settings.py
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": _DOCUMENTS["DOCUMENTS_STORAGE"],
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_REVERT_DISABLED = True

# Security: strict by default, so `check --deploy` passes with no warning.
# An intranet without TLS can turn the HTTPS parts off explicitly.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers check over plain HTTP and take a redirect for "down" (/metrics is not exempt).
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Behind the TLS proxy: its X-Forwarded-Proto says https, and the last
# X-Forwarded-For entry is the visitor's address for the login and reset limits
# (core.client_ip; axes asks AXES_CLIENT_IP_CALLABLE).
KAMTEAM_BEHIND_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if KAMTEAM_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, their read kept compiled (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Idle timeout: a session ends SESSION_IDLE_TIMEOUT_MINUTES after the last
# request (default 8 hours, one working day). SessionIdleRefreshMiddleware
# moves the expiry forward at most once a minute, so the age counts from the
# last request without a session write on every request.
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_TIMEOUT_MINUTES", 8 * 60)
if SESSION_COOKIE_AGE <= 0:
    raise ImproperlyConfigured("SESSION_IDLE_TIMEOUT_MINUTES must be at least 1.")

# Content-Security-Policy (django-csp), everything from our own origin only:
# kamteam/csp_settings.py. After a single sign-on, the logout form's answer may
# go on to the provider.
CONTENT_SECURITY_POLICY = content_security_policy(form_action=_OIDC["OIDC_FORM_ACTION"])

# Logs with request ids (LOG_FORMAT), SLOW_REQUEST_MS, METRICS_TOKEN, PROMETHEUS_MULTIPROC_DIR,
# LOGGING, error mails to ADMINS, Sentry (SENTRY_DSN): README, "Observability".
globals().update(observability_settings(log_level=env_str("LOG_LEVEL", "INFO")))
