#!/usr/bin/env bash
# The benchmark, in one command: builds archives of 600 and 6,000 updates on PostgreSQL, serves
# each as in production (bench/serve.sh), loads every page with wrk at 8 and 32 connections and
# writes the table to bench/RESULTS.md. About 10 minutes with the defaults; a smoke run:
#   BENCH_SIZES=60 BENCH_DURATION=3 bench/run.sh
# and sync against gthread workers (twice as long):
#   BENCH_WORKERS="sync gthread" bench/run.sh
# and with the cache in Redis (each archive's servers under their own key prefix):
#   BENCH_REDIS_URL=redis://127.0.0.1:6379/0 bench/run.sh
# Settings (BENCH_SIZES, BENCH_DURATION, BENCH_WORKERS, BENCH_DB_POOL, BENCH_REDIS_URL …): see
# bench/loadtest.py.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  SUDO=$([[ $(id -u) == 0 ]] || echo sudo)
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq wrk >/dev/null
fi
PY=.venv/bin/python
[[ -x $PY ]] || { echo "No .venv: run 'make install' first." >&2; exit 1; }
exec "$PY" bench/loadtest.py run
