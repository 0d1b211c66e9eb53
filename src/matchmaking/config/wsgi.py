"""WSGI entry point (``matchmaking serve`` runs it with waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.config.settings.production")
application = get_wsgi_application()
