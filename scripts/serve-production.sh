#!/usr/bin/env bash
# Serve the application with gunicorn under the production profile (docs/deployment.md): processes and
# threads from src/matchmaking/config/gunicorn.py, each setting changeable from the environment
# (GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT). Extra arguments go to gunicorn.
#   scripts/serve-production.sh --bind 127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-matchmaking.config.settings.production}"
exec .venv/bin/gunicorn -c python:matchmaking.config.gunicorn "$@" matchmaking.cli.wsgi_proxied:application
