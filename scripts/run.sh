#!/usr/bin/env bash
# Starts Teńdik on the embedded SQLite database with reference data and the demo:
# migrate, load (both idempotent), then the background worker and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PORT="${PORT:-8000}"
PY=.venv/bin/python

$PY manage.py migrate --no-input -v 0
$PY manage.py load_reference
$PY manage.py load_plan
$PY manage.py load_indicators
$PY manage.py load_criteria
$PY manage.py load_classifier
$PY manage.py load_demo
$PY manage.py send_plan_reminders --schedule
$PY manage.py run_rules --schedule

$PY manage.py db_worker --queue-name '*' --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

echo
echo "Teńdik is running at http://127.0.0.1:${PORT}/ (Ctrl+C stops it; PORT=… changes the port)"
echo "Back office: http://127.0.0.1:${PORT}/ru/admin/   API: http://127.0.0.1:${PORT}/ru/api/"
echo
$PY manage.py runserver --noreload "127.0.0.1:${PORT}"
