"""What a page served from the page cache costs in one process: the time of each request after
the first (wall-clock and CPU time of this process), and (--profile) where it goes. No wrk, no gunicorn: Django's request handling alone,
as a signed-in DCS or authority member (bench/readers.py) or a reader not signed in gets it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seslip_bench_6000 \\
        .venv/bin/python bench/served.py [--repeat 2000] [--profile] ["update, member" ...]

Pages are bench/loadtest.py's names ("update", "update, member", "search, DCS" …; default the
update page for each reader). Each request carries only the reader's session cookie, as wrk's do.
DEBUG is off and the caches are the production settings' (pages in this process's memory, the
shared cache in files, or both in Redis with REDIS_URL). The archives are bench/run.sh's.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from http.cookies import SimpleCookie
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
    parser.add_argument("--profile", action="store_true", help="where the time goes (cProfile)")
    args = parser.parse_args()
    loadtest.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    urls, _ = loadtest.page_urls()
    print(
        f"{'page':<18} {'median µs':>10} {'fastest µs':>11} {'CPU median µs':>14} {'queries':>8}  URL"
    )
    for page in args.pages:
        name, _, reader = page.partition(", ")
        client = Client(SERVER_NAME="127.0.0.1")
        cookies = SimpleCookie()
        if reader:
            signed_in = readers.reader_client(*readers.READERS[reader])
            cookies["sessionid"] = signed_in.cookies["sessionid"].value
        url = urls[name]
        get(client, cookies, url)  # rendered for the cache, and who the reader is learnt
        with CaptureQueriesContext(connection) as queries:
            get(client, cookies, url)
        profiler = cProfile.Profile() if args.profile else None
        times, cpu = [], []
        for _ in range(args.repeat):
            if profiler:
                profiler.enable()
            started, started_cpu = time.perf_counter(), time.process_time()
            get(client, cookies, url)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            if profiler:
                profiler.disable()
        print(
            f"{page:<18} {statistics.median(times) * 1e6:>10.0f} {min(times) * 1e6:>11.0f} "
            f"{statistics.median(cpu) * 1e6:>14.0f} {len(queries):>8}  {url}"
        )
        if profiler:
            stats = pstats.Stats(profiler).strip_dirs()
            stats.sort_stats("cumulative").print_stats(35)
            stats.sort_stats("tottime").print_stats(20)


def get(client, cookies, url):
    client.cookies = SimpleCookie(cookies)  # only the session, as wrk sends
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


if __name__ == "__main__":
    main()
