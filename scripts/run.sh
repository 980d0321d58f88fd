#!/usr/bin/env bash
# `make run`: Teńdik on the embedded SQLite database with reference data and the demo,
# on the same production server an operator runs (scripts/serve.sh), without TLS since
# it listens on this machine only. `manage.py prepare` loads the schema and data,
# skipping what is already loaded, and prints each step. DEMO=0 starts without the demo;
# DEBUG=1 runs Django's development server instead, which reloads on code changes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
export PORT
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"  # e-mails link to this server
PY=.venv/bin/python

if [ "${DEBUG:-0}" = 1 ]; then
  export DEBUG
  if [ "${DEMO:-1}" = 0 ]; then $PY manage.py prepare; else $PY manage.py prepare --demo; fi
  nice -n 10 $PY manage.py run_worker --queue-name '*' --no-reload &
  worker=$!
  trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
  echo "Teńdik (development server) at http://127.0.0.1:${PORT}/"
  $PY manage.py runserver --skip-checks "127.0.0.1:${PORT}"
fi

# Plain HTTP on the loopback address: no TLS redirect, no Secure-only cookies.
export DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
export BIND="127.0.0.1:${PORT}" DEMO="${DEMO:-1}"
echo "Teńdik will answer at http://127.0.0.1:${PORT}/ (Ctrl+C stops it; PORT=… changes the port)"
echo "Back office: http://127.0.0.1:${PORT}/ru/admin/   API: http://127.0.0.1:${PORT}/ru/api/"
exec bash scripts/serve.sh
