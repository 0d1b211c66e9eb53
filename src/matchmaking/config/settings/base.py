"""Settings shared by every profile; every value a deployment may change comes from the environment.

See docs/configuration.md for the list of variables.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from matchmaking.config.settings.environment import env_bool, env_int, env_list, env_networks, env_str

PACKAGE_DIR = Path(__file__).resolve().parents[2]
REPO_DIR = PACKAGE_DIR.parents[1]
DATA_DIR = Path(env_str("MATCHMAKING_DATA_DIR", str(REPO_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "matchmaking.config.admin_app.CoordinatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "matchmaking.core",
    "matchmaking.accounts",
    "matchmaking.taxonomies",
    "matchmaking.organisations",
    "matchmaking.mobility",
    "matchmaking.exchanges",
    "matchmaking.library",
    "matchmaking.participants",
    "matchmaking.placements",
    "matchmaking.pathways",
    "matchmaking.privacy",
    "matchmaking.monitoring",
    "matchmaking.events",
    "matchmaking.interchange",
    "matchmaking.web",
]
INSTALLED_APPS += env_list("EXTRA_INSTALLED_APPS")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "matchmaking.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "matchmaking.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "matchmaking.permissions.session_timeout.SessionIdleTimeoutMiddleware",
    "matchmaking.permissions.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "matchmaking.config.urls"
WSGI_APPLICATION = "matchmaking.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],  # before the apps' own, so allauth gets our shell
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "matchmaking.web.context_processors.shell",
            ],
        },
    },
]
# Selects written without a template per option (``web/form_renderer.py``): the same markup.
FORM_RENDERER = "matchmaking.web.form_renderer.FormRenderer"

# --- Database -----------------------------------------------------------------------------------
# SQLite (the embedded default) runs in WAL mode with IMMEDIATE transactions and a busy timeout so the
# web process and the background worker wait for each other instead of failing with "database is locked".
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'matchmaking.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("POSTGRES_JIT"):
    # PostgreSQL compiles a query whose estimated cost passes jit_above_cost: 60-80 ms of compiling for a
    # search count that runs in 20 ms (a row-by-row subquery inflates the estimate). A web app's queries
    # are short, so JIT is off for our connections. Behind PgBouncer, which refuses startup options, set
    # POSTGRES_JIT=true and turn it off for the role instead: ALTER ROLE matchmaking SET jit = off.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

ACCOUNT_ADAPTER = "matchmaking.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "matchmaking.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Login throttling in allauth's notation (amount/period/per): failed logins count per account ("key",
# the email address) and per client address ("ip": the address the proxy reports, see TRUSTED_PROXIES).
# Two rates per account make the wait grow: 5 failures in 5 minutes wait out the 5 minutes, 10 in an hour
# wait out the hour. A successful login does not count as a failure.
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "5/5m/key,10/1h/key,20/5m/ip,60/1h/ip"),
    "login": "30/m/ip",
    "reset_password": "5/m/ip,5/m/key",
    # Throttled by core.throttle: applications to join, the admin's own login form, downloads of
    # exports and PDFs (rendering a PDF costs a second of CPU; public stories' PDFs are anonymous).
    "join": env_str("JOIN_RATE_LIMIT", "5/h/ip"),
    "admin_login": "5/5m/ip,20/1h/ip",
    "export": "30/m/user",
    "pdf": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mobility Matchmaking] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Mobility Matchmaking")
MFA_TOTP_TOLERANCE = 1  # accept the neighbouring 30-second step: phones' clocks drift
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False

# Single sign-on by configuration: an OpenID Connect provider (e.g. a region's Keycloak or Entra ID).
# SAML works through allauth's SAML provider (install the "saml" extra); see docs/configuration.md.
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {}
if env_str("OIDC_CLIENT_ID", ""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env_str("OIDC_PROVIDER_ID", "sso"),
                "name": env_str("OIDC_PROVIDER_NAME", "Single sign-on"),
                "client_id": env_str("OIDC_CLIENT_ID"),
                "secret": env_str("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": env_str("OIDC_SERVER_URL")},
            }
        ]
    }

# Roles that can see participants' personal data must use a second factor (see accounts.policies).
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
# How many days a new API token lasts unless its owner chooses fewer; no token lasts more than 365.
API_TOKEN_DAYS = min(max(env_int("API_TOKEN_DAYS", 90), 1), 365)

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sv", _("Swedish")),
    ("nb", _("Norwegian Bokmål")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("ca", _("Catalan")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["matchmaking.config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

# --- Email --------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mobility Matchmaking <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache -------------------------------------------------------------------------------------
# In the database, so login throttling and one-time TOTP codes hold across several app servers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "matchmaking_cache",
    }
}

# --- Background tasks ---------------------------------------------------------------------------
# Queues: "default" for what people wait for (emails, alerts, one change's suggestions), "batch" for
# long computations (the full suggestion refresh); run a worker for each (docs/deployment.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "batch"]}}
# /healthz answers 503 when the worker's last heartbeat (queued every minute) is older than this.
HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS = env_int("HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS", 300)

# --- Reverse proxy ------------------------------------------------------------------------------
# Addresses or networks of the reverse proxies whose X-Forwarded-For, -Proto and -Host headers
# `matchmaking serve` believes; the same headers from anyone else are removed. Empty: nobody is trusted.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
# The server has already replaced REMOTE_ADDR with the client address a trusted proxy reported, so
# allauth (login throttling) must read REMOTE_ADDR and not X-Forwarded-For again.
ALLAUTH_TRUSTED_PROXY_COUNT = 0

# --- Sessions -----------------------------------------------------------------------------------
# A session ends after this many hours whatever happens, and earlier when idle: after
# SESSION_IDLE_MINUTES_PERSONAL_DATA for people whose role shows personal data, SESSION_IDLE_MINUTES
# for everyone else (see permissions/session_timeout.py).
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 12) * 3600
SESSION_IDLE_MINUTES_PERSONAL_DATA = env_int("SESSION_IDLE_MINUTES_PERSONAL_DATA", 30)
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 8 * 60)

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page uses, switched off for the pages and anything they embed (Permissions-Policy).
PERMISSIONS_POLICY_DENY = (
    "accelerometer",
    "autoplay",
    "bluetooth",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)

# A strict Content Security Policy: every script and style is a vendored file on our own origin; no
# inline code, no eval, nothing loaded from another site.
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
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- The product --------------------------------------------------------------------------------
NETWORK_NAME = env_str("NETWORK_NAME", "Regional Skills Partnership on Lifelong Learning Mobility")
NOTIFICATION_EMAIL = env_bool("NOTIFICATION_EMAIL", True)
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 730)
# Ask why a person's record is opened, once a session per record, and log that purpose.
ACCESS_PURPOSE_PROMPT = True
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# --- Participants and pathways ---
# Youth Guarantee: people under this age (on the day their clock starts) count as young and should have
# an offer (job, continued education, apprenticeship, traineeship) within YOUNG_MONTHS; adults within
# ADULT_MONTHS (the 2020 reinforced Youth Guarantee; seed 004).
YOUTH_GUARANTEE_AGE_LIMIT = env_int("YOUTH_GUARANTEE_AGE_LIMIT", 30)
YOUTH_GUARANTEE_YOUNG_MONTHS = env_int("YOUTH_GUARANTEE_YOUNG_MONTHS", 4)
YOUTH_GUARANTEE_ADULT_MONTHS = env_int("YOUTH_GUARANTEE_ADULT_MONTHS", 12)
# Retention: a participant's record is erased (anonymous statistics kept) this many days after they left.
PARTICIPANT_RETENTION_DAYS = env_int("PARTICIPANT_RETENTION_DAYS", 3 * 365)
# ... and an inactive record (no change at all) after this many days, even if nobody recorded an exit.
PARTICIPANT_INACTIVE_RETENTION_DAYS = env_int("PARTICIPANT_INACTIVE_RETENTION_DAYS", 5 * 365)
# Days after which an unanswered referral reminds the worker who sent it.
REFERRAL_REMINDER_DAYS = env_int("REFERRAL_REMINDER_DAYS", 14)
# Days after which a referral still without an answer shows on the case worker's worklist.
WORKLIST_REFERRAL_DAYS = env_int("WORKLIST_REFERRAL_DAYS", 10)
# A freed seat offered to the next person (a contest upheld, a host declining) is held this many days for
# the host's answer; an hourly job then frees it and offers it to the next one.
PLACEMENT_SEAT_HOLD_DAYS = env_int("PLACEMENT_SEAT_HOLD_DAYS", 5)
# Allocation rounds with more participant × placement pairs than this run as a background task.
ROUND_BACKGROUND_PAIRS = env_int("ROUND_BACKGROUND_PAIRS", 2000)
# Processes a refresh of many partner suggestion lists shares its work between (0: the cores, at most 2).
SUGGESTION_REFRESH_PROCESSES = env_int("SUGGESTION_REFRESH_PROCESSES", 0)
# A round being computed in the background with no progress for this many seconds is taken as lost (its
# worker died) and started again, at most three times in all; see docs/deployment.md.
ROUND_TASK_LEASE_SECONDS = env_int("ROUND_TASK_LEASE_SECONDS", 300)
# Other background tasks (emails, suggestion refreshes, saved-search alerts): one still running this many
# seconds after a worker took it is taken as lost, and one lost or failed on a passing error is queued
# again after TASK_RETRY_BACKOFF_SECONDS × 1, 2, 4, at most TASK_RETRY_LIMIT times (docs/deployment.md).
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 600)
TASK_RETRY_LIMIT = env_int("TASK_RETRY_LIMIT", 3)
TASK_RETRY_BACKOFF_SECONDS = env_int("TASK_RETRY_BACKOFF_SECONDS", 60)
TASK_RECLAIM_BATCH = 500
# Bulk import of participants and placements: the largest file (bytes, checked before it is read) and the
# most rows (counted as they are read, so a larger file is refused without being read whole).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000)
# Load the ESCO data and build its search indexes when a process starts (a second or two, in the
# background) rather than on the first skills search.
ESCO_WARM_ON_START = env_bool("ESCO_WARM_ON_START", True)

# Monitoring: counts from 1 to below this are suppressed in every summary that leaves the tool (small-cell
# disclosure control; statistical offices use 3, 5 or 10).
SMALL_CELL_THRESHOLD = max(env_int("SMALL_CELL_THRESHOLD", 5), 2)
