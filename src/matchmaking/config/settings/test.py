"""The test suite: fast hashing, in-memory email, tasks run immediately; DATABASE_URL picks the database."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("ESCO_WARM_ON_START", "false")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

from matchmaking.config.settings.base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "batch"]}
}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
ACCOUNT_RATE_LIMITS = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and DATABASES["default"]["NAME"] in (
    "",
    ":memory:",
):
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}
# Partner suggestions without description vectors (no text model in every test); their tests use a fake.
PARTNER_DESCRIPTION_VECTORS = False
# Opening a person's record asks why, once a session (participants/record_purpose.py); the suites
# about access turn it on, the others would each have to answer it first.
ACCESS_PURPOSE_PROMPT = False
