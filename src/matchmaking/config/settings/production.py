"""Production: secrets and hosts must come from the environment; HTTPS everywhere.

``manage.py check --deploy`` passes with no warnings under this profile.
"""

from django.core.exceptions import ImproperlyConfigured

from matchmaking.config.settings.base import *
from matchmaking.config.settings.environment import env_bool, env_int, env_str, secret_key_problem

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if (_weakness := secret_key_problem(SECRET_KEY)) is not None:
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for production: {_weakness}. Generate one with: "
        'python3 -c "import secrets; print(secrets.token_urlsafe(64))"'
    )

# Whether a request came over HTTPS is decided by the server, from the X-Forwarded-Proto header of a
# proxy listed in TRUSTED_PROXIES only (`matchmaking serve` removes the header when anyone else sends
# it); Django reads the result from the WSGI scheme, so SECURE_PROXY_SSL_HEADER is left unset: with it,
# a client that reaches the app without the proxy could claim HTTPS itself.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# Logs as one JSON object a line (time, level, logger, message, traceback), for a log collector;
# LOG_FORMAT=plain keeps the readable lines of the other profiles.
if env_str("LOG_FORMAT", "json") == "json":
    LOGGING = {
        **LOGGING,
        "formatters": {"json": {"()": "matchmaking.core.log_format.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    }
