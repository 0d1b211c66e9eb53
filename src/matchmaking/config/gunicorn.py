"""gunicorn's settings for production (``scripts/serve-production.sh``, or
``gunicorn -c python:matchmaking.config.gunicorn matchmaking.cli.wsgi_proxied:application``).

Each value can be changed from the environment; the defaults suit a 2-core server behind nginx.
Forwarded headers are believed from ``TRUSTED_PROXIES`` only, by the application (the same code as
``matchmaking serve``), so gunicorn's own forwarded-header handling is switched off.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes × threads: the database is the limit, so a few of each (see docs/deployment.md for the pool).
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so that a slow leak never grows for long.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
proxy_allow_ips = ""
# One JSON object a line for each request, like the application's own logs.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s}'
)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
