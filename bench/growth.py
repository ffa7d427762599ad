"""Every public page rendered uncached at two archive sizes: does any grow with the archive?

    .venv/bin/python bench/growth.py [--sizes 600 6000] [--repeat 30]

Uses the archives bench/run.sh builds (seslip_bench_600, seslip_bench_6000 on BENCH_PG). Each
size runs in its own process, through Django's test client with DEBUG and the page cache off, as
bench/render.py does; the table gives each page's median ms, SQL queries and size at both, and
flags a page whose render at the larger archive is over 20 % slower.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadtest  # noqa: E402

LIMIT = 1.2


def urls():
    """The public pages of this archive, by name."""
    from networks.models import Meeting, Network
    from newsletters.models import Action, Issue, NewsItem

    latest = Issue.objects.published().order_by("-number").values_list("number", flat=True)[:2]
    network = Network.objects.filter(meetings__isnull=False).order_by("name").first()
    meeting = Meeting.objects.filter(date__isnull=False).order_by("-date").first()
    action = Action.objects.public().dated().order_by("-due_date").first()
    year = Issue.objects.published().years()[len(Issue.objects.published().years()) // 2]
    # an item the update page shows that ran before it too, as reminders do
    items = NewsItem.objects.public().filter(placements__issue__number=latest[len(latest) - 1])
    item = items.order_by("-placements__section", "pk").first()
    return {
        "home": "/",
        "update": f"/updates/{latest[len(latest) - 1]}/",
        "news item": f"/items/{item.pk}/",
        "archive": "/updates/",
        "archive, page 2": "/updates/?page=2",
        "archive, a year": f"/updates/?year={year}",
        "dashboard": "/dashboard/",
        "search": "/search/?q=care+leavers",
        "networks": "/networks/",
        "network": f"/networks/{network.slug}/",
        "peer challenge": "/peer-challenge/",
        "contacts": "/contacts/",
        "Atom feed": "/updates/feed/",
        "iCalendar": "/calendar.ics",
        "network calendar": f"/networks/{network.slug}/calendar.ics",
        "meeting calendar file": f"/meetings/{meeting.pk}.ics",
        "deadline calendar file": f"/actions/{action.pk}.ics",
    }


def measure(repeat):
    """{page: [median ms, queries, bytes]} for the archive DATABASE_URL names."""
    os.environ.update({"DEBUG": "0", "PAGE_CACHE": "0", "SECURE_SSL_REDIRECT": "0"})
    os.environ.setdefault("SECRET_KEY", "bench-growth-only")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    loadtest.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    found = {}
    for page, url in urls().items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        found[page] = [statistics.median(times), len(queries), len(response.content), url]
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs=2, type=int, default=[600, 6000])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.repeat)))
        return
    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    small, large = (
        json.loads(
            subprocess.run(
                [loadtest.PY, __file__, "--one", "--repeat", str(args.repeat)],
                env={**os.environ, "DATABASE_URL": f"{pg}/seslip_bench_{size}"},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for size in args.sizes
    )
    a, b = args.sizes
    print(f"| page | ms at {a:,} | ms at {b:,} | ratio | queries | KB at {a:,} / {b:,} |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    grew = []
    for page, (ms_a, queries_a, bytes_a, _) in small.items():
        ms_b, queries_b, bytes_b, _ = large[page]
        ratio = ms_b / ms_a
        if ratio > LIMIT or queries_a != queries_b:
            grew.append(page)
        print(
            f"| {page} | {ms_a:.1f} | {ms_b:.1f} | {ratio:.2f} | {queries_a} / {queries_b} "
            f"| {bytes_a / 1024:.0f} / {bytes_b / 1024:.0f} |"
        )
    print(f"\nOver {LIMIT:.0%} slower or more queries at {b:,}: {', '.join(grew) or 'none'}")


if __name__ == "__main__":
    main()
