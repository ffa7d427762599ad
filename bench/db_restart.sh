#!/usr/bin/env bash
# The fault, in one command: PostgreSQL is restarted (stopped for 5 s) while the production server
# (bench/serve.sh) is under load. Reports the 503 answers during the outage, the slowest request,
# the time until the site answers again, that the workers were not restarted and that an editor's
# save in the outage was refused cleanly; exits non-zero if one fails.
# It restarts the local cluster (pg_ctlcluster): every other user of PostgreSQL is cut off too.
#   RESTART_VIA_PROXY=1 bench/db_restart.sh   # a rehearsal that leaves PostgreSQL alone
# Other settings (RESTART_OUTAGE, RESTART_CLIENTS …): see bench/db_restart.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[[ -x $PY ]] || { echo "No .venv: run 'make install' first." >&2; exit 1; }
exec "$PY" bench/db_restart.py
