"""The benchmark's signed-in readers and its publisher (issue 17), used by bench/loadtest.py.

    python bench/readers.py publisher   # inside one archive: publish an update for each line
                                        # "publish" read; remove them at the end of the input

`signed_in_pages` adds to the probe the pages a signed-in DCS and an authority member (a lead of
Kent) read, with their session cookies: accounts made for the benchmark, with no usable
password, signed in by session only. `publisher` is the editor of the "after publish" rows: each
publication is a new update with one news item, published as the admin's Publish button does
(a new content generation, seen by every server process through the shared cache); the updates
it made are deleted when it stops, so the archive keeps its size. `after_publish` measures the
pages with and without publishing in turns, several times each (one pair of runs varied by
more than the 20 % the rows are held to), and `after_publish_table` compares them.
"""

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = {"DCS": ("bench-dcs", "dcs"), "member": ("bench-member", "lead")}
READER_PAGES = ["update", "dashboard", "search"]
AFTER_PUBLISH_PAGES = ["home", "update"]


def reader_page_names():
    return [f"{page}, {reader}" for reader in READERS for page in READER_PAGES]


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seslip.settings")
    import django

    django.setup()


def reader_client(username, role):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from contacts.models import Membership, Organisation

    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user, defaults={"organisation": Organisation.objects.get(name="Kent"), "role": role}
    )
    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    client.force_login(user)
    return client


def signed_in_pages(urls, count):
    """{page: {url, status, queries, cookie}} for each signed-in reader's pages; `count(client,
    url)` gives (status, queries) of one request."""
    pages = {}
    for reader, (username, role) in READERS.items():
        client = reader_client(username, role)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        for page in READER_PAGES:
            url, counts, status = urls.get(page), [], None
            if url:
                for _ in range(2):
                    status, queries = count(client, url)
                    counts.append(queries)
            pages[f"{page}, {reader}"] = {
                "url": url,
                "status": status,
                "queries": counts,
                "cookie": cookie,
            }
    return pages


def publisher():
    """The editor of the "after publish" rows, driven through its standard input: each line
    "publish" publishes a new update with one news item, as the admin's Publish button does, and
    answers "published NUMBER CPU_MS" (this process's CPU time for it, the database's not
    counted); at the end of its input it deletes the updates it made (the archive keeps its size)
    and answers "removed". Django is set up before it answers "ready", so that none of its
    start-up falls in a measured run."""
    setup_django()
    from django.db.models.deletion import ProtectedError
    from django.utils import timezone

    from newsletters.models import Issue, NewsItem, Placement

    first = (Issue.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    number = first
    print("ready", flush=True)
    try:
        for line in sys.stdin:
            if line.strip() != "publish":
                continue
            cpu = time.process_time()
            issue = Issue.objects.create(number=number, date=timezone.localdate())
            item = NewsItem.objects.create(
                title=f"Bench publication {number}", update_text="<p>Published by the bench.</p>"
            )
            Placement.objects.create(issue=issue, item=item, section=Placement.Section.HEADLINE)
            issue.publish()
            print(f"published {number} {(time.process_time() - cpu) * 1000:.1f}", flush=True)
            number += 1
    finally:
        made = Issue.objects.filter(number__gte=first)
        for _ in range(5):
            try:
                NewsItem.objects.filter(title__startswith="Bench publication").delete()
                made.delete()
                break
            except ProtectedError as error:
                for record in error.protected_objects:
                    record.delete()
        print("removed", flush=True)


class Publisher:
    """A `publisher` process inside one archive, started (Django loaded) before any run."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, "bench/readers.py", "publisher"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.answer("ready")
        self.cpu_ms = []  # each publication's CPU time in the publisher

    def answer(self, expected):
        line = self.process.stdout.readline().strip()
        if not line.startswith(expected):
            raise SystemExit(f"bench/readers.py publisher answered {line!r}, not {expected!r}")
        return line

    def publish(self):
        self.process.stdin.write("publish\n")
        self.process.stdin.flush()
        self.cpu_ms.append(float(self.answer("published").split()[2]))

    def every(self, seconds, stop):
        """Publish at once, then every `seconds` until `stop` is set (in a thread)."""
        next_at = time.monotonic()
        while not stop.wait(max(0.0, next_at - time.monotonic())):
            self.publish()
            next_at += seconds

    def close(self):
        self.process.stdin.close()
        try:
            self.answer("removed")
        finally:
            self.process.wait(timeout=120)


def after_publish(bench, probed, worker_class, servers):
    """{size: rows}: the home and update pages loaded for BENCH_PUBLISH_SECONDS without
    publishing and as long while an update is published every 10 s (the first at once), in
    turns (without, with, with, without, …: a drift of the machine falls on both kinds),
    BENCH_PUBLISH_ROUNDS times each; the rows give the medians of each kind's runs, and the
    server processes' CPU time per request (`servers`: {size: the gunicorn master's process}).
    The publisher is one process per archive, started before the runs; its CPU time is kept in
    the rows."""
    from bench.loadtest import log, medians

    seconds = int(os.environ.get("BENCH_PUBLISH_SECONDS") or "20")
    rounds = int(os.environ.get("BENCH_PUBLISH_ROUNDS") or "3")
    rows = {size: [] for size in bench.sizes}
    publishers = {}
    try:
        for size in bench.sizes:
            env_ = {**bench.server_env(size, worker_class), "PAGE_WARMING": "off"}
            publishers[size] = Publisher(env_)
        for page in AFTER_PUBLISH_PAGES:
            for connections in bench.connections:
                for size in bench.sizes:
                    info = probed[size]["pages"][page]
                    if info["status"] != 200:
                        continue
                    port, base = bench.port_for(size), {"url": info["url"], "queries": []}
                    log(f"  {page} at {size:,} updates, {connections} connections: publishing")
                    bench.wrk(info["url"], port, connections, bench.warmup)
                    quiet, busy = [], []
                    for turn in range(rounds * 2):
                        publishing = turn % 4 in (1, 2)  # without, with, with, without, …
                        master = servers[size].pid
                        cpu = workers_cpu_ms(master)
                        stop = threading.Event()
                        editor = threading.Thread(
                            target=publishers[size].every, args=(10, stop), daemon=True
                        )
                        if publishing:
                            editor.start()
                        try:
                            run = bench.wrk(info["url"], port, connections, seconds)
                        finally:
                            stop.set()
                            if publishing:
                                editor.join()
                        if cpu is not None and run.get("requests"):
                            run["cpu_us"] = (workers_cpu_ms(master) - cpu) * 1000 / run["requests"]
                        (busy if publishing else quiet).append(run)
                    for label, runs in (("no publishing", quiet), ("publishing every 10 s", busy)):
                        rows[size].append(
                            {
                                **base,
                                "page": f"{page}, {seconds} s, {label}",
                                "connections": connections,
                                **medians(runs),
                                "p99_range": p99_range(runs),
                                "cpu_us": median_of(runs, "cpu_us"),
                            }
                        )
    finally:
        for publisher in publishers.values():
            publisher.close()
    for size, publisher in publishers.items():
        for row in rows[size]:
            row["publisher_cpu_ms"] = publisher.cpu_ms
    return rows


def workers_cpu_ms(master):
    """The CPU time (user and system, ms) the gunicorn master's workers have used so far; None
    where /proc cannot tell."""
    ticks, found = 0, False
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return None
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(stat[1]) == master:  # its parent
            ticks, found = ticks + int(stat[11]) + int(stat[12]), True
    return ticks * 1000 / os.sysconf("SC_CLK_TCK") if found else None


def median_of(runs, name):
    values = [r[name] for r in runs if name in r]
    return statistics.median(values) if values else None


def p99_range(runs):
    done = [r["p99_us"] for r in runs if r.get("requests")]
    return (min(done), max(done)) if done else None


def after_publish_table(sections):
    """Each archive's after-publish rows, publishing against not: the issue's test."""
    lines = []
    for section in sections:
        found = {(r["page"], r.get("connections")): r for r in section["rows"] if "p99_range" in r}
        pairs = []
        for (page, connections), quiet in found.items():
            if not page.endswith(", no publishing"):
                continue
            head = page.removesuffix(", no publishing")
            busy = found.get((f"{head}, publishing every 10 s", connections))
            if busy and quiet.get("requests") and busy.get("requests"):
                pairs.append((head, connections, quiet, busy))
        if not pairs:
            continue
        cpu = next(iter(found.values())).get("publisher_cpu_ms") or []
        lines += [
            f"### After publish: {section['size']:,} updates, {section['worker_class']} workers",
            "",
            "Medians of the runs with and without publishing (taken in turns); in brackets the "
            "lowest and highest run. Within 20 %: requests/s no more than 20 % lower and p99 no "
            "more than 20 % higher while publishing. The servers' CPU time a request: the "
            "server processes' (user and system) over the run, divided by its requests, with "
            "what publishing costs them (pages rendered again) in it; other work on the machine "
            "moves it too, by 10 % or more when the machine is loaded.",
            "",
            "| page | connections | requests/s without | with | change | p99 ms without | with "
            "| change | within 20 % | servers' CPU µs a request, without | with |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
        ]
        for head, connections, quiet, busy in pairs:
            rps = busy["rps"] / quiet["rps"] - 1
            p99 = busy["p99_us"] / quiet["p99_us"] - 1
            ok = rps >= -0.2 and p99 <= 0.2
            lines.append(
                f"| {head} | {connections} | {spread_rps(quiet)} | {spread_rps(busy)} "
                f"| {rps:+.1%} | {spread_p99(quiet)} | {spread_p99(busy)} | {p99:+.1%} "
                f"| {'yes' if ok else '**no**'} | {cpu_us(quiet)} | {cpu_us(busy)} |"
            )
        if cpu:
            lines += [
                "",
                f"The publisher (bench/readers.py, one process beside the servers, started before "
                f"the runs) made {len(cpu)} publications at a median of "
                f"{statistics.median(cpu):.0f} ms of its own CPU each (the database's work not "
                "counted): a share of the machine the servers did not have while publishing.",
            ]
        lines.append("")
    return "\n".join(lines)


def cpu_us(row):
    return "–" if row.get("cpu_us") is None else f"{row['cpu_us']:,.0f}"


def spread_rps(row):
    low, high = row["rps_range"]
    return f"{row['rps']:,.0f} ({low:,.0f}–{high:,.0f})"


def spread_p99(row):
    low, high = row["p99_range"]
    return f"{row['p99_us'] / 1000:.1f} ({low / 1000:.1f}–{high / 1000:.1f})"


if __name__ == "__main__":
    if sys.argv[1:] == ["publisher"]:
        publisher()
    else:
        sys.exit(__doc__)
