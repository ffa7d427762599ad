"""What a page served from the page cache costs in one process: the time of each request after
the first (wall-clock and CPU time of this process), and (--profile) where it goes. No wrk, no
gunicorn: Django's WSGI handler called as gunicorn's workers call it, with the environ of a
wrk request, as a signed-in DCS or authority member (bench/readers.py) or a reader not signed
in gets it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seslip_bench_6000 \\
        .venv/bin/python bench/served.py [--repeat 2000] [--rounds 3] [--profile] ["update, member" ...]

Pages are bench/loadtest.py's names ("update", "update, member", "search, DCS" …; default the
update page for each reader). Each request carries only the reader's session cookie, as wrk's do.
The pages take turns, `--rounds` times, each time `--repeat` requests; a row gives the median of
all of a page's requests, so drift of a shared machine falls on every page alike. DEBUG is off
and the caches are the production settings' (pages in this process's memory, the shared cache
in files, or both in Redis with REDIS_URL). The archives are bench/run.sh's.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.update({"DEBUG": "0", "SECURE_SSL_REDIRECT": "0"})
os.environ.setdefault("SECRET_KEY", "bench-served-only")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import loadtest  # noqa: E402
import readers  # noqa: E402

DEFAULT_PAGES = ["update", "update, DCS", "update, member"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=DEFAULT_PAGES)
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="where the time goes (cProfile)")
    args = parser.parse_args()
    loadtest.setup_django()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    handler = WSGIHandler()
    urls, _ = loadtest.page_urls()
    requests = {}
    for page in args.pages:
        name, _, reader = page.partition(", ")
        cookie = None
        if reader:
            signed_in = readers.reader_client(*readers.READERS[reader])
            cookie = f"sessionid={signed_in.cookies['sessionid'].value}"
        url = urls[name]
        get(handler, url, cookie)  # rendered for the cache, and who the reader is learnt
        with CaptureQueriesContext(connection) as queries:
            size = get(handler, url, cookie)
        requests[page] = (url, cookie, len(queries), size)
    times = {page: [] for page in args.pages}
    cpu = {page: [] for page in args.pages}
    profiles = {page: cProfile.Profile() for page in args.pages} if args.profile else {}
    for _ in range(args.rounds):
        for page, (url, cookie, _, _) in requests.items():
            profiler = profiles.get(page)
            for _ in range(args.repeat):
                if profiler:
                    profiler.enable()
                started, started_cpu = time.perf_counter(), time.process_time()
                get(handler, url, cookie)
                cpu[page].append(time.process_time() - started_cpu)
                times[page].append(time.perf_counter() - started)
                if profiler:
                    profiler.disable()
    print(
        f"{'page':<18} {'median µs':>10} {'fastest µs':>11} {'CPU median µs':>14} "
        f"{'queries':>8} {'bytes':>7}  URL"
    )
    for page, (url, _, queries, size) in requests.items():
        print(
            f"{page:<18} {statistics.median(times[page]) * 1e6:>10.0f} "
            f"{min(times[page]) * 1e6:>11.0f} {statistics.median(cpu[page]) * 1e6:>14.0f} "
            f"{queries:>8} {size:>7}  {url}"
        )
    for page, profiler in profiles.items():
        print(f"\n{page}")
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(20)


def get(handler, url, cookie):
    """One GET as a gunicorn worker hands it to Django: the answer's length in bytes."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8787",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8787",
        "HTTP_USER_AGENT": "wrk",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    status = []
    body = handler(environ, lambda line, headers, *_: status.append(line))
    try:
        size = sum(len(chunk) for chunk in body)
    finally:
        body.close()
    assert status[0].startswith("200"), (url, status)
    return size


if __name__ == "__main__":
    main()
