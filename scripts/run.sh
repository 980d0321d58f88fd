#!/usr/bin/env bash
# Starts Teńdik on the embedded SQLite database with reference data and the demo:
# `manage.py prepare` (schema and data, skipping what is already loaded), then the
# background worker and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PORT="${PORT:-8000}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"  # e-mails link to this server
PY=.venv/bin/python

# Schema, reference data, plan, catalogues and demo in one process: each step prints what it
# loads, its rows and its time, and a step whose source is unchanged is skipped.
# DEMO=0 starts without the demo.
if [ "${DEMO:-1}" = 0 ]; then $PY manage.py prepare; else $PY manage.py prepare --demo; fi

# At a lower priority: on two cores the worker's start would slow the server's first page.
nice -n 10 $PY manage.py run_worker --queue-name '*' --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

echo
echo "Teńdik is running at http://127.0.0.1:${PORT}/ (Ctrl+C stops it; PORT=… changes the port)"
echo "Back office: http://127.0.0.1:${PORT}/ru/admin/   API: http://127.0.0.1:${PORT}/ru/api/"
echo
# prepare has run the system checks already.
$PY manage.py runserver --noreload --skip-checks "127.0.0.1:${PORT}"
