"""Time each benchmark page's uncached render in one process, and profile one of them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seslip_bench_6000 \\
        .venv/bin/python bench/render.py [--repeat 20] [--profile dashboard]

Renders through Django's test client with DEBUG off and the page cache off (PAGE_CACHE=0), as
the production server would for a page not yet cached; prints the median and the fastest render
of each page in milliseconds, the median CPU time of this process for it (steadier than the wall
time when other work shares the machine; the database's own time is not in it) and its SQL
queries. --profile PAGE prints where that page's time
goes (cProfile, by cumulative time). The archives are the ones bench/run.sh builds.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.update({"DEBUG": "0", "PAGE_CACHE": "0", "SECURE_SSL_REDIRECT": "0"})
os.environ.setdefault("SECRET_KEY", "bench-render-only")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import loadtest  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", metavar="PAGE", choices=loadtest.PAGES[1:])
    parser.add_argument("--pages", nargs="*", choices=loadtest.PAGES[1:])
    args = parser.parse_args()
    loadtest.setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    urls, _ = loadtest.page_urls()
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    signed_in = Client(SERVER_NAME="127.0.0.1")
    signed_in.force_login(admin)
    anonymous = Client(SERVER_NAME="127.0.0.1")
    pages = [args.profile] if args.profile else args.pages or loadtest.PAGES[1:]
    print(f"{'page':<10} {'median ms':>10} {'fastest ms':>11} {'CPU ms':>7} {'queries':>8}  URL")
    for page in pages:
        url = urls[page]
        client = signed_in if page == "admin" else anonymous
        client.get(url)  # warm: templates compiled, connection open
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
        times, cpu = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
                int(os.environ.get("LINES", "40"))
            )
        median, fastest = statistics.median(times), min(times)
        print(
            f"{page:<10} {median:>10.1f} {fastest:>11.1f} {statistics.median(cpu):>7.1f}"
            f" {len(queries):>8}  {url}"
        )


if __name__ == "__main__":
    main()
