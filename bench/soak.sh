#!/usr/bin/env bash
# The soak, in one command: the production server (bench/serve.sh, PostgreSQL) under wrk at 32
# connections over a mix of pages for 10 minutes, while an editor saves a change in the admin
# every 3 seconds. Reports errors (must be 0), p99, worker memory growth (under 10%) and the
# PostgreSQL connections in use (never above the bound); exits non-zero if one fails.
#   SOAK_SECONDS=90 bench/soak.sh          # a shorter run
#   DB_POOL=1 bench/soak.sh                # with the psycopg pool instead of persistent connections
# Other settings (SOAK_CONNECTIONS, SOAK_UPDATES, SOAK_PORT …): see bench/soak.py.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  SUDO=$([[ $(id -u) == 0 ]] || echo sudo)
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq wrk >/dev/null
fi
PY=.venv/bin/python
[[ -x $PY ]] || { echo "No .venv: run 'make install' first." >&2; exit 1; }
exec "$PY" bench/soak.py
