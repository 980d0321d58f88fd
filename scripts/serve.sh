#!/usr/bin/env bash
# Teńdik's production server, as an operator runs it (docs/deployment.md):
#   DATABASE_URL=postgres://… SECRET_KEY=… ALLOWED_HOSTS=tendik.example.kz \
#   TRUSTED_PROXIES=10.0.0.5 BEHIND_TLS_PROXY=1 scripts/serve.sh
# Brings the schema and reference data up to date (skipping what is already loaded),
# collects the static files with hashed, compressed names, then runs gunicorn and the
# background job workers under one supervisor (`manage.py serve`), which restarts a
# worker that dies. Sizing: WEB_WORKERS (default cores + 1), WEB_THREADS (4),
# JOB_WORKERS (1); BIND (default 127.0.0.1:PORT, PORT 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export STATIC_MANIFEST=1

$PY manage.py collect_static
if [ "${PREPARE:-1}" = 1 ]; then
  if [ "${DEMO:-0}" = 1 ]; then
    $PY manage.py prepare --demo --allow-without-debug
  else
    $PY manage.py prepare
  fi
fi
exec $PY manage.py serve
