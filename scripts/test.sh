#!/usr/bin/env bash
# The whole suite: lint, migrations check, pytest on SQLite, the same on PostgreSQL, and
# the browser tests in Debian's chromium. Missing system packages are installed with
# apt-get when run as root; otherwise the script stops and names them. Nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export PYTHONDONTWRITEBYTECODE=1
unset DEBUG DATABASE_URL

need_packages=()
command -v chromium >/dev/null 2>&1 || need_packages+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || need_packages+=(postgresql)
command -v xgettext >/dev/null 2>&1 || need_packages+=(gettext)
if ((${#need_packages[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${need_packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
  else
    echo "Missing system packages: ${need_packages[*]}. Install them (sudo apt-get install ${need_packages[*]}) and run make test again." >&2
    exit 1
  fi
fi

PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/tendik}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if [ "$(id -u)" = 0 ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || {
    echo "PostgreSQL is not answering on 127.0.0.1:5432: start it (pg_ctlcluster <version> main start) and run make test again." >&2
    exit 1
  }
fi

echo "== ruff"
.venv/bin/ruff check .
echo "== mypy"
.venv/bin/mypy tendik
echo "== migrations are up to date"
$PY manage.py makemigrations --check --dry-run
# One worker per core (TEST_WORKERS overrides); a test file stays on one worker, so its
# module-scoped data is built once.
XDIST=(-n "${TEST_WORKERS:-auto}" --dist loadfile)
echo "== pytest on SQLite"
$PY -m pytest -m "not e2e" -q -p no:cacheprovider "${XDIST[@]}"
echo "== pytest on PostgreSQL ($PG_URL)"
DATABASE_URL="$PG_URL" $PY -m pytest -m "not e2e" -q -p no:cacheprovider "${XDIST[@]}"
echo "== scale-out: a PostgreSQL primary and replica, two app servers, two job workers"
$PY scripts/scale_out_check.py
echo "== browser tests (chromium, axe-core)"
$PY -m pytest -m e2e -q -p no:cacheprovider "${XDIST[@]}"
