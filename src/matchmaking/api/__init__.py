"""The REST API (django-ninja, OpenAPI at /api/docs): same permission module as the web views."""
