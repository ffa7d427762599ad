"""Benchmark: import the five seeds and the 2023-shaped sample into a fresh database N times;
per-file median in ms (the goal: under 100 ms a file), wall clock and this process's CPU time
(on a shared machine the CPU time shows what the importer costs apart from the wait for a core).

    .venv/bin/python bench/import_seeds.py [N]

Uses a throwaway SQLite database in a temporary folder unless BENCH_DATABASE_URL is set
(e.g. postgres://postgres@127.0.0.1:5432/seslip_bench, its test_ copy created and dropped here).
Each round runs inside a transaction that is rolled back, so every round starts fresh.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "newsletters" / "samples" / "update-2023-format.txt"
sys.path.insert(0, str(ROOT))


def main(rounds):
    tmp = tempfile.mkdtemp(prefix="seslip-bench-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seslip.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.test.utils import setup_databases, teardown_databases

    from newsletters.importer.load import load_update
    from newsletters.importer.parse import parse_update
    from newsletters.importer.text import read_update

    old = setup_databases(verbosity=0, interactive=False)
    try:
        paths = sorted((ROOT / "seeds").glob("*.txt")) + [SAMPLE]
        timings = {p.name: [] for p in paths}
        cpu = {p.name: [] for p in paths}
        for _ in range(rounds):
            with transaction.atomic():
                parsed = []
                for path in paths:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    source = read_update(path)
                    update = parse_update(source.lines)
                    timings[path.name].append(time.perf_counter() - start)
                    cpu[path.name].append(time.process_time() - start_cpu)
                    parsed.append((path, update, source))
                parsed.sort(key=lambda r: (r[1].date, r[1].number))
                for path, update, source in parsed:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    load_update(update, source_name=source.name, sha256=source.sha256)
                    timings[path.name][-1] += time.perf_counter() - start
                    cpu[path.name][-1] += time.process_time() - start_cpu
                transaction.set_rollback(True)
    finally:
        teardown_databases(old, verbosity=0)
    print(f"import of each seed into a fresh database, median of {rounds} rounds (wall, CPU):")
    for name, values in timings.items():
        print(
            f"  {name}: {statistics.median(values) * 1000:7.1f} ms"
            f"  {statistics.median(cpu[name]) * 1000:7.1f} ms"
        )
    every = [value for values in timings.values() for value in values]
    every_cpu = [value for values in cpu.values() for value in values]
    print(
        f"  median over every file and round: {statistics.median(every) * 1000:7.1f} ms"
        f"  {statistics.median(every_cpu) * 1000:7.1f} ms"
    )
    total = sum(statistics.median(v) for v in timings.values())
    print(f"  all {len(timings)} files: {total * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
