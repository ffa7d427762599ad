"""Garbage-collection pauses while pages render, with and without gunicorn's gc.freeze().

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seslip_bench_6000 \\
        .venv/bin/python bench/gc_pauses.py [--rounds 40]

Loads Django and compiles every template as gunicorn's master does (gunicorn.conf.py), then
renders each public benchmark page --rounds times, uncached, through Django's test client. It
does this twice, each in a fresh process: as before, and with what was loaded frozen first
(gc.freeze()). For each generation it prints the collections and the time they took, and the
longest single pause. The archives are the ones bench/run.sh builds.
"""

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.update({"DEBUG": "0", "PAGE_CACHE": "0", "SECURE_SSL_REDIRECT": "0"})
os.environ.setdefault("SECRET_KEY", "bench-render-only")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import loadtest  # noqa: E402


def measure(rounds, freeze):
    loadtest.setup_django()
    from django.test import Client

    from seslip.warmup import warm_up

    warm_up()
    urls, _ = loadtest.page_urls()
    client = Client(SERVER_NAME="127.0.0.1")
    pages = [urls[page] for page in loadtest.PUBLIC_PAGES if urls[page]]
    for url in pages:
        client.get(url)  # connection open, first-use caches filled
    if freeze:
        gc.collect()
        gc.freeze()
    pauses = {0: [], 1: [], 2: []}
    started = [0.0]

    def timed(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(timed)
    for _ in range(rounds):
        for url in pages:
            assert client.get(url).status_code == 200, url
    gc.callbacks.remove(timed)
    return {"renders": rounds * len(pages), "frozen": gc.get_freeze_count(), "pauses": pauses}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--child", choices=["plain", "frozen"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.rounds, args.child == "frozen")))
        return
    print(f"{'objects':<28} {'gen':>3} {'collections':>11} {'total ms':>9} {'longest ms':>10}")
    for mode in ("plain", "frozen"):
        done = subprocess.run(
            [sys.executable, __file__, "--rounds", str(args.rounds), "--child", mode],
            check=True,
            capture_output=True,
            text=True,
        )
        found = json.loads(done.stdout.strip().splitlines()[-1])
        label = "frozen before rendering" if mode == "frozen" else "as loaded (not frozen)"
        for generation, times in found["pauses"].items():
            print(
                f"{label:<28} {generation:>3} {len(times):>11} {sum(times):>9.1f} "
                f"{max(times, default=0):>10.1f}"
            )
        print(f"{'':<28} {found['renders']} renders, {found['frozen']:,} objects frozen")


if __name__ == "__main__":
    main()
