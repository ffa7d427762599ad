"""Time the compose screen: the admin change page of a 30-item draft update, at each archive size.

    .venv/bin/python bench/compose.py [--repeat 20] [--write]

Builds the archives bench/run.sh builds (generate_archive --updates N --big-update 30, on
PostgreSQL), or reuses one that already has N updates; adds to each, once, a draft update holding
the 30 items of the archive's biggest update with its Tools & Templates, Contact Details and
meeting lines (a draft's page is what an editor opens on a Friday). Then, in one process per
archive, renders the draft's change page through Django's test client with DEBUG off, signed in
as a superuser: the median and fastest of --repeat renders, the HTML's size and its SQL queries.
`uptime` is printed beside the figures; --write puts them in bench/RESULTS.md's “Compose screen”
section (bench/run.sh keeps that section when it rewrites the file).

Environment: BENCH_SIZES (default "600 6000"), BENCH_PG (default
postgres://postgres@127.0.0.1:5432), BENCH_DB_PREFIX (default seslip_bench: the databases are
<prefix>_<size>, the ones bench/run.sh uses).
"""

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadtest  # noqa: E402

ROOT = loadtest.ROOT
DRAFT_SOURCE = "bench/compose.py draft"
SECTION = "## Compose screen"
BUDGET = {"ms": 150, "kb": 80}


def make_draft():
    """The 30-item draft (made once): the biggest update's lines, in a new draft after the last."""
    from django.db import transaction

    from newsletters.models import Issue, IssueContact, IssueMeeting, IssueResource, Placement

    draft = Issue.objects.filter(source_name=DRAFT_SOURCE).first()
    if draft is not None:
        return draft
    _, big = loadtest.page_urls()
    last = Issue.objects.order_by("-number").first()
    with transaction.atomic():
        draft = Issue.objects.create(
            number=last.number + 1,
            date=last.date + datetime.timedelta(weeks=1),
            intro=big.intro,
            source_name=DRAFT_SOURCE,
        )
        for model, fields in [
            (Placement, ["item_id", "section", "position"]),
            (IssueResource, ["resource_id", "position"]),
            (IssueContact, ["contact_id", "role", "organisation_name", "position"]),
            (IssueMeeting, ["meeting_id", "text", "position"]),
        ]:
            rows = model.objects.filter(issue=big).values(*fields)
            model.objects.bulk_create(model(issue=draft, **row) for row in rows)
    return draft


def measure(repeat):
    """Inside one archive: print, as JSON, the draft's change page timings, size and queries."""
    os.environ.update({"DEBUG": "0", "PAGE_CACHE": "0", "SECURE_SSL_REDIRECT": "0"})
    os.environ.setdefault("SECRET_KEY", "bench-compose-only")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    loadtest.setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from newsletters.models import Issue

    draft = make_draft()
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(admin)
    url = reverse("admin:newsletters_issue_change", args=[draft.pk])
    client.get(url)  # warm: templates compiled, connection open
    times, cpu = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    json.dump(
        {
            "url": url,
            "updates": Issue.objects.count(),
            "items": draft.placements.count(),
            "median_ms": statistics.median(times),
            "fastest_ms": min(times),
            "cpu_ms": statistics.median(cpu),
            "bytes": len(response.content),
            "queries": len(queries),
        },
        sys.stdout,
    )


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run(repeat, write):
    bench = loadtest.Bench()
    bench.keep_db = True
    rows = []
    for size in bench.sizes:
        loadtest.log(f"Building or reusing the archive of {size:,} updates …")
        bench.build(size)
    collected = subprocess.run(
        [loadtest.PY, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=bench.server_env(bench.sizes[0]),
        check=True,
    )
    assert collected.returncode == 0
    load_before = uptime()
    for size in bench.sizes:
        env = {**bench.server_env(size), "PYTHONUNBUFFERED": "1"}
        done = subprocess.run(
            [loadtest.PY, "bench/compose.py", "measure", "--repeat", str(repeat)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append({"size": size, **json.loads(done.stdout)})
    load_after = uptime()
    table = section(rows, repeat, load_before, load_after)
    print(table)
    if write:
        write_section(table)


def settings():
    names = sorted(name for name in os.environ if name.startswith("BENCH_"))
    return "".join(f"{name}={os.environ[name]} " for name in names)


def section(rows, repeat, load_before, load_after):
    lines = [
        SECTION,
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC at commit "
        f"{loadtest.git_commit()} on {loadtest.machine()}.",
        "",
        f"Reproduce: `{settings()}.venv/bin/python bench/compose.py --repeat {repeat} --write`",
        "",
        "The change page of a draft update holding 30 news items (those of the archive's biggest "
        "update, with its Tools & Templates, Contact Details and meeting lines), rendered "
        f"{repeat} times in one process through Django's test client, DEBUG off, signed in as a "
        "superuser; medians from this one run (“CPU ms”: the rendering process's own CPU time, "
        "which other work on the machine sways less than the wall-clock time). "
        f"Budget: ≤ {BUDGET['ms']} ms median, ≤ {BUDGET['kb']} KB (thousand bytes) of HTML, "
        "a query count that does not grow with the archive.",
        "",
        f"- `uptime` before: {load_before}",
        f"- `uptime` after: {load_after}",
        "",
        "| page | archive | items | median ms | fastest ms | CPU ms | HTML KB | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| compose screen `{r['url']}` | {r['updates']:,} updates | {r['items']} "
            f"| {r['median_ms']:.1f} | {r['fastest_ms']:.1f} | {r['cpu_ms']:.1f} "
            f"| {r['bytes'] / 1000:.1f} "
            f"| {r['queries']} |"
        )
    return "\n".join(lines) + "\n"


def write_section(table):
    path = Path(loadtest.env("BENCH_RESULTS", str(ROOT / "bench" / "RESULTS.md")))
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    text = re.sub(rf"\n{re.escape(SECTION)}\n.*?(?=\n## |\Z)", "", text, flags=re.S)
    path.write_text(text.rstrip("\n") + "\n\n" + table)
    loadtest.log(f"Wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "measure"])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--write", action="store_true", help="Write bench/RESULTS.md's section.")
    args = parser.parse_args()
    if args.command == "measure":
        measure(args.repeat)
    else:
        run(args.repeat, args.write)


if __name__ == "__main__":
    main()
