"""EXPLAIN ANALYZE of the site search's SQL on PostgreSQL: shows the GIN index is used, and the time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seslip_bench_6000 \
        .venv/bin/python bench/search_explain.py ["care leavers" ...]

Runs the search as a reader not signed in would (one query per group: news items, actions,
Tools & Templates; and one counting the “DCSs only” results left out), then each query again under EXPLAIN (ANALYZE, BUFFERS) RUNS times, printing
the plans (-v: the run with the median time) and a summary line per query: the indexes it used and
its median execution time; then the total of the three medians. The machine is noisy: the median
of many runs is steadier than one. Run it on an archive made with
`manage.py generate_archive --updates 6000` (bench/run.sh builds one).
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEARCHES = [
    "care leavers",
    "fostering",
    "safeguarding partnership",
    "children",
    "social care",
]
RUNS = 20  # the goal of issue 17: the median of 20


def explain(connection, sql):
    """The plan of the run with the median execution time of RUNS, and that time in ms."""
    runs = []
    for _ in range(RUNS):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        runs.append((float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)), plan))
    took, plan = sorted(runs, key=lambda run: run[0])[RUNS // 2]
    return plan, took


def main(searches):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seslip.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsletters.models import Issue, NewsItem
    from newsletters.search import search_everything

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database: SQLite has no GIN index.")
    print(f"{Issue.objects.count():,} updates, {NewsItem.objects.count():,} news items\n")
    for search in searches:
        search_everything(search)  # warm the buffers, as a server that has run a while would
        with CaptureQueriesContext(connection) as captured:
            results = search_everything(search)
        shown = {group: len(results[group]) for group in ("items", "actions", "resources")}
        print(f"## {search!r}: {shown}")
        total = 0.0
        for group, query in zip(
            ("news items", "actions", "Tools & Templates", "DCSs only left out"),
            captured,
            strict=True,
        ):
            plan, took = explain(connection, query["sql"])
            total += took
            indexes = sorted(
                set(re.findall(r"Bitmap Index Scan on (\w+)|Index Scan using (\w+)", plan))
            )
            used = sorted({name for pair in indexes for name in pair if name})
            print(
                f"{group}: {took:.3f} ms (median of {RUNS}); indexes: {', '.join(used) or 'none'}"
            )
            if "-v" in sys.argv or os.environ.get("VERBOSE"):
                print(plan, "\n")
        print(f"total: {total:.3f} ms\n")


if __name__ == "__main__":
    main([a for a in sys.argv[1:] if a != "-v"] or DEFAULT_SEARCHES)
