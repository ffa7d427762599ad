#!/usr/bin/env bash
# Serve seslip as in production: DEBUG off, hashed and compressed static files (whitenoise),
# PostgreSQL, gunicorn configured by gunicorn.conf.py. Every default below can be overridden:
#   DATABASE_URL         default postgres://postgres@127.0.0.1:5432/seslip (created if missing)
#   SECRET_KEY           default: generated once and kept in bench/out/secret-key (git-ignored)
#   ALLOWED_HOSTS        default 127.0.0.1,localhost
#   SECURE_SSL_REDIRECT  default 0: plain http on loopback; set 1 behind a TLS-terminating proxy
#   DB_POOL=1            a psycopg connection pool per worker instead of persistent connections
#   CONN_MAX_AGE         seconds a connection is kept (default 600; forced to 0 with DB_POOL=1)
#   PORT, HOST, GUNICORN_WORKER_CLASS, WEB_CONCURRENCY, GUNICORN_THREADS: see gunicorn.conf.py
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

export DEBUG=0
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/seslip}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}
if [[ ${DB_POOL:-0} == 1 ]]; then
  export CONN_MAX_AGE=0  # a pool and persistent connections exclude each other
else
  export CONN_MAX_AGE=${CONN_MAX_AGE:-600}
fi

if [[ -z ${SECRET_KEY:-} ]]; then
  key_file=bench/out/secret-key
  if [[ ! -s $key_file ]]; then
    mkdir -p bench/out
    (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$key_file")
  fi
  SECRET_KEY=$(<"$key_file")
  export SECRET_KEY
fi

if [[ $DATABASE_URL == postgres* ]]; then
  "$PY" bench/pgdb.py "$DATABASE_URL"
fi
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py migrate --noinput -v0
exec "$(dirname "$PY")/gunicorn" seslip.wsgi:application
