"""gunicorn settings for the production server, sized for a 2-core machine.

Every choice can be changed from the environment:
  GUNICORN_WORKER_CLASS  sync (default) or gthread
  WEB_CONCURRENCY        worker processes (default: cores for gthread, 2 × cores + 1 for sync)
  GUNICORN_THREADS       threads per gthread worker (default 4)
  PORT / HOST            where to listen (default 127.0.0.1:8000); GUNICORN_BIND overrides both
  GUNICORN_ACCESS_LOG    a file, or - for standard output; no access log by default
  GUNICORN_TIMEOUT       seconds before a stuck worker is killed and replaced (default 30)
"""

import gc
import os


def env_int(name, default):
    return int(os.environ.get(name) or default)


cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

# Sync workers won in bench/RESULTS-workers.md: as fast on cached pages with a lower p99, and up to
# three times gthread's requests/s on pages rendered afresh and the admin (threads in one process
# contend for Python's lock while rendering). Sync workers hold a connection while a client reads,
# so run them behind a buffering proxy (the TLS one). BENCH_WORKERS="sync gthread" bench/run.sh
# compares them again.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
if worker_class not in {"sync", "gthread"}:
    raise RuntimeError(f"GUNICORN_WORKER_CLASS must be sync or gthread, not {worker_class!r}")
threaded = worker_class == "gthread"
# Sync workers each serve one request at a time, so there are more of them than cores; gthread
# workers overlap database waits with threads, one process per core.
workers = env_int("WEB_CONCURRENCY", cores if threaded else 2 * cores + 1)
threads = env_int("GUNICORN_THREADS", 4) if threaded else 1

bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
backlog = 2048

# Load Django once in the master: workers fork ready to serve, and restart fast after max_requests.
# Database connections are only ever opened in the workers, after the fork.
preload_app = True
# A worker is replaced after this many requests, a guard against slow memory growth (bench/soak.sh,
# never replacing workers, saw +3 % in 1.5 million requests). Each replacement starts with an empty page cache, so not too often: at full load
# on 2 cores that is every few minutes, in real use every few weeks.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 200000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 20000)  # never both at once

timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)  # only the gthread worker keeps connections open

# The heartbeat file on memory, not disk: a slow disk must not get healthy workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "seslip"

# A shared control socket would clash between two servers on one machine (the benchmark runs two).
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]


def when_ready(server):
    """In the master, after Django is loaded and before the first fork: compile every template and
    load the URL patterns once, so no worker (nor a replacement) does it on a reader's request."""
    from seslip.warmup import warm_up

    server.log.info("Compiled %d templates ahead of the workers", warm_up())
    # Everything loaded so far lives as long as the server. Frozen, it is left out of the workers'
    # garbage collections: no full collection walks it in the middle of a request (a pause of tens of
    # milliseconds: bench/gc_pauses.py), and the memory it sits on stays shared after the fork.
    gc.collect()
    gc.freeze()
