"""The ``make demo`` profile: embedded SQLite, console email, demo data; not for real personal data."""

import os

os.environ.setdefault("SECRET_KEY", "demo-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz")
# No debug pages: a demo shows what users get, never tracebacks or the list of addresses.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Demo accounts hold invented data only; MFA_REQUIRED=true shows the production behaviour.
os.environ.setdefault("MFA_REQUIRED", "false")

from matchmaking.config.settings.base import *

DEMO_MODE = True
