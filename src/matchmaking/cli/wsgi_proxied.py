"""The WSGI application for a server other than ``matchmaking serve`` (gunicorn in production): Django's
application believing the forwarded headers only of ``TRUSTED_PROXIES``, as ``matchmaking serve`` does."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from matchmaking.cli.web import behind_proxies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.config.settings.production")
application = behind_proxies(get_wsgi_application(), settings.TRUSTED_PROXIES)
