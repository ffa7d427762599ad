"""The benchmark behind bench/run.sh: build archives, serve them as in production, load them with wrk.

    python bench/loadtest.py run      # everything; settings from the BENCH_* variables below
    python bench/loadtest.py probe    # (inside one archive) URLs, admin cookie, SQL queries per page

Environment:
  BENCH_SIZES        archive sizes in updates (default "600 6000"), one database each
  BENCH_DURATION     seconds of each measured run (default 4)
  BENCH_ROUNDS       measured runs of each page per size and connection count, the sizes taking
                     turns; the table gives their medians (default 3)
  BENCH_WARMUP       seconds of warm-up before each page's runs (default 1)
  BENCH_CONNECTIONS  wrk connection counts (default "8 32")
  BENCH_WORKERS      gunicorn worker classes, e.g. "sync gthread" to compare (default sync, as served)
  BENCH_DB_POOL      1: serve with a psycopg pool instead of persistent connections
  BENCH_PG           PostgreSQL server URL (default postgres://postgres@127.0.0.1:5432)
  BENCH_REDIS_URL    serve with the cache in this Redis (e.g. redis://127.0.0.1:6379/0), as CI
                     and several app servers do: each archive's servers (and the processes that
                     probe and publish in it) get their own CACHE_KEY_PREFIX, bench-<database>,
                     and the keys under it, and no others, are deleted before each server
                     starts. Unset: pages in each process's memory, the shared cache in files (a
                     REDIS_URL in the environment is not passed on)
  BENCH_PORT         loopback port of the first archive's server, the next on the next (default 8787)
  BENCH_KEEP_DB      1: reuse an archive database that already has the right number of updates
  BENCH_DB_PREFIX    the archives' databases are <prefix>_<size> (default seslip_bench)
  BENCH_RESULTS      where the table goes (default bench/RESULTS.md)
  BENCH_PUBLISH_SECONDS  length of each "after publish" run and of its twin without (default 20)
  BENCH_PUBLISH_ROUNDS   runs of each kind, with and without publishing, taken in turns; the
                     rows give their medians (default 3)
  BENCH_PAGES        only these pages, separated by ";" (e.g. "update, member;search, DCS"): a
                     short focused run. The static file is always loaded (the ratios need it);
                     "update, uncached" or a floor row brings up the uncached server, "after
                     publish" the rows of that name. Unset: every page
Everything the server prints goes to bench/out/.
"""

import datetime
import http.client
import json
import os
import platform
import runpy
import shlex
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import readers  # noqa: E402

OUT = ROOT / "bench" / "out"
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
SEARCH = "care leavers"
PUBLIC_PAGES = ["home", "update", "archive", "dashboard", "search", "iCalendar"]
# Signed-in readers' pages (bench/readers.py): a DCS's and an authority member's.
PAGES = ["static CSS", *PUBLIC_PAGES, *readers.reader_page_names(), "admin"]
# The smallest responses Django gives here, uncached: how far an uncached page can go at best.
FLOOR_PAGES = ["floor: one meeting's .ics", "floor: contacts"]


def env(name, default):
    return os.environ.get(name) or default


# ---------------------------------------------------------------- inside one archive (Django)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seslip.settings")
    import django

    django.setup()


def page_urls():
    """{page: URL} for this archive (None where it has no such page), and its biggest update."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db.models import Count
    from django.utils.http import urlencode

    from networks.models import Meeting
    from newsletters.models import Issue

    published = Issue.objects.published().order_by("-number")
    numbers = list(published.values_list("number", flat=True)[:2])
    big = Issue.objects.annotate(items=Count("placements")).order_by("-items", "number").first()
    try:
        css = staticfiles_storage.url("css/site.css")
    except ValueError:  # not collected: no such file yet
        css = None
    urls = {
        "static CSS": css,
        "home": "/",
        "update": f"/updates/{numbers[-1]}/" if numbers else None,
        "archive": "/updates/",
        "dashboard": "/dashboard/",
        "search": "/search/?" + urlencode({"q": SEARCH}),
        "iCalendar": "/calendar.ics",
        "admin": f"/admin/newsletters/issue/{big.pk}/change/" if big else None,
    }
    meeting = Meeting.objects.filter(date__isnull=False).order_by("pk").first()
    urls[FLOOR_PAGES[0]] = f"/meetings/{meeting.pk}.ics" if meeting else None
    urls[FLOOR_PAGES[1]] = "/contacts/"
    return urls, big


def probe():
    """Print, as JSON, the URLs to load and each page's status and SQL query count (twice)."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from newsletters.models import Issue

    urls, big = page_urls()
    admin, created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:  # signed in by session only: nobody can log in with a password
        admin.set_unusable_password()
        admin.save(update_fields=["password"])
    signed_in = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    signed_in.force_login(admin)
    anonymous = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    pages = {}
    for page, url in urls.items():
        client = signed_in if page == "admin" else anonymous
        counts, status = [], None
        if url and page != "static CSS":
            for _ in range(2):  # first and second request: shows what caching saves
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(url).status_code
                counts.append(len(queries))
        pages[page] = {"url": url, "status": status, "queries": counts}

    def count(client, url):
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        return status, len(queries)

    pages.update(readers.signed_in_pages(urls, count))
    json.dump(
        {
            "pages": pages,
            "cookie": f"{signed_in.cookies['sessionid'].key}={signed_in.cookies['sessionid'].value}",
            "big_update": {"number": big.number, "items": big.items} if big else None,
            "updates": Issue.objects.count(),
        },
        sys.stdout,
    )


# ---------------------------------------------------------------- the whole run (no Django)


class Bench:
    def __init__(self):
        self.sizes = [int(s) for s in env("BENCH_SIZES", "600 6000").split()]
        self.duration = int(env("BENCH_DURATION", "4"))
        self.rounds = int(env("BENCH_ROUNDS", "3"))
        self.warmup = int(env("BENCH_WARMUP", "1"))
        self.connections = [int(c) for c in env("BENCH_CONNECTIONS", "8 32").split()]
        self.workers = env("BENCH_WORKERS", "sync").split()
        self.pool = env("BENCH_DB_POOL", "0") == "1"
        self.pg = env("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
        self.redis = env("BENCH_REDIS_URL", "")
        self.port = int(env("BENCH_PORT", "8787"))
        self.keep_db = env("BENCH_KEEP_DB", "0") == "1"
        self.db_prefix = env("BENCH_DB_PREFIX", "seslip_bench")
        self.results = Path(env("BENCH_RESULTS", str(ROOT / "bench" / "RESULTS.md")))
        wanted = env("BENCH_PAGES", "")
        self.wanted = {name.strip() for name in wanted.split(";") if name.strip()} or None
        self.sections, self.generation = [], {}
        OUT.mkdir(parents=True, exist_ok=True)

    def server_env(self, size, worker_class=None, *, cached=True):
        key_file = OUT / "secret-key"
        if not key_file.exists():
            import secrets

            key_file.write_text(secrets.token_urlsafe(50) + "\n")
            key_file.chmod(0o600)
        values = {
            "DEBUG": "0",
            "SECRET_KEY": key_file.read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"{self.pg}/{self.db_prefix}_{size}",
            "PORT": str(self.port_for(size)),
            "PY": PY,
        }
        if worker_class:
            values["GUNICORN_WORKER_CLASS"] = worker_class
        if not cached:
            values["PAGE_CACHE"] = "0"
        if self.pool:
            values["DB_POOL"] = "1"
        if self.redis:
            values["REDIS_URL"] = self.redis
            values["CACHE_KEY_PREFIX"] = self.cache_prefix(size)
        inherited = {
            k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_KEY_PREFIX")
        }
        return {**inherited, **values}

    def cache_prefix(self, size):
        """The CACHE_KEY_PREFIX of an archive's servers when the cache is in Redis."""
        return f"bench-{self.db_prefix}_{size}"

    def flush_cache(self, size):
        """Delete the keys of this archive's servers from Redis, and no others (Django's keys are
        <prefix>:<version>:<key>): nothing cached from an earlier run of another archive is
        served. Returns how many went."""
        import redis

        prefix = self.cache_prefix(size)
        pattern = "".join(f"\\{c}" if c in "\\*?[]" else c for c in prefix) + ":*"
        deleted, batch = 0, []
        with redis.Redis.from_url(self.redis) as client:
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) == 1000:
                    deleted, batch = deleted + client.delete(*batch), []
            if batch:
                deleted += client.delete(*batch)
        return deleted

    def manage(self, size, *args, capture=False):
        return subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=self.server_env(size),
            check=True,
            capture_output=capture,
            text=True,
        )

    def build(self, size):
        url = f"{self.pg}/{self.db_prefix}_{size}"
        if self.keep_db and self.archive_size(size) in (size, size + 1):  # +1: compose.py's draft
            log(f"Reusing the archive of {size} updates in {self.db_prefix}_{size}.")
            return
        subprocess.run([PY, "bench/pgdb.py", url, "--fresh"], cwd=ROOT, check=True)
        self.manage(size, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        done = self.manage(
            size, "generate_archive", "--updates", str(size), "--big-update", "30", capture=True
        )
        self.generation[size] = time.monotonic() - started
        log(done.stdout.strip())

    def archive_size(self, size):
        try:
            found = self.manage(
                size,
                "shell",
                "-c",
                "from newsletters.models import Issue; print(Issue.objects.count())",
                capture=True,
            )
            return int(found.stdout.strip().splitlines()[-1])
        except (subprocess.CalledProcessError, ValueError, IndexError):
            return None

    def port_for(self, size):
        """Each archive's server has its own port: all of them are up while pages are loaded."""
        return self.port + self.sizes.index(size)

    def serve(self, size, worker_class, *, cached=True):
        port = self.port_for(size)
        if self.status("/", port) is not None:
            raise SystemExit(f"Something already answers on port {port}: set BENCH_PORT.")
        if self.redis:
            gone = self.flush_cache(size)
            log(f"Deleted the {gone} keys under {self.cache_prefix(size)}: in {self.redis}.")
        log_file = open(self.log_path(size, worker_class, cached), "w")  # noqa: SIM115
        server = subprocess.Popen(
            ["bash", "bench/serve.sh"],
            cwd=ROOT,
            env=self.server_env(size, worker_class, cached=cached),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one, by its id
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"The server stopped; see {log_file.name}")
            if self.status("/", port) is not None:
                return server
            time.sleep(0.5)
        stop(server)
        raise SystemExit(f"The server did not answer within two minutes; see {log_file.name}")

    def status(self, path, port, cookie=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            return conn.getresponse().status
        except OSError:
            return None
        finally:
            conn.close()

    def wrk(self, path, port, connections, seconds, cookie=None):
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        command += ["--latency", "-s", str(ROOT / "bench" / "report.lua")]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        command.append(f"http://127.0.0.1:{port}{path}")
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("JSON ")), None)
        if line is None:
            return {"error": (done.stderr or done.stdout).strip()[:80] or "wrk failed"}
        result = json.loads(line[5:])
        result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
        result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
        return result

    def measure(self, worker_class):
        """Every archive served at once, the sizes taking turns on each page, run after run: the
        machine's drift over a long run does not pass for growth."""
        load_before = os.getloadavg()[0]
        rows = {size: [] for size in self.sizes}
        workers = {size: [] for size in self.sizes}
        probed = {}
        for cached in (True, False):
            pages = self.chosen(cached)
            if not pages:
                continue
            servers = {}
            try:
                for size in self.sizes:
                    servers[size] = self.serve(size, worker_class, cached=cached)
                    probed[size] = self.probe(self.server_env(size, worker_class, cached=cached))
                for page in pages:
                    for size, measured in self.measure_page(page, probed, cached=cached).items():
                        rows[size].extend(measured)
                if cached and (self.wanted is None or "after publish" in self.wanted):
                    published = readers.after_publish(self, probed, worker_class, servers)
                    for size, measured in published.items():
                        rows[size].extend(measured)
            finally:
                for server in servers.values():
                    stop(server)
            for size in self.sizes:
                env = self.server_env(size, worker_class, cached=cached)
                workers[size].append(workers_line(self.log_path(size, worker_class, cached), env))
        for size in self.sizes:
            workers[size].append("not run")  # a focused run without the uncached server
        load = (load_before, os.getloadavg()[0])
        for size in self.sizes:
            self.sections.append(
                {
                    "size": size,
                    "worker_class": worker_class,
                    "workers": workers[size][0],
                    "uncached_workers": workers[size][1],
                    "probe": probed[size],
                    "rows": rows[size],
                    "load": load,
                }
            )
            print(self.table(self.sections[-1]), flush=True)
        print(readers.after_publish_table(self.sections[-len(self.sizes) :]), flush=True)

    def chosen(self, cached):
        """The pages to load on the cached server, or on the uncached one (BENCH_PAGES)."""
        pages = PAGES if cached else PUBLIC_PAGES + FLOOR_PAGES
        if self.wanted is None:
            return pages
        if cached:
            return [p for p in pages if p == "static CSS" or p in self.wanted]
        return [
            p
            for p in pages
            if p in self.wanted and p in FLOOR_PAGES or f"{p}, uncached" in self.wanted
        ]

    def probe(self, env):
        """`loadtest.py probe` inside the archive `env` serves: its URLs, cookie and queries."""
        done = subprocess.run(
            [PY, "bench/loadtest.py", "probe"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(done.stdout)

    def log_path(self, size, worker_class, cached):
        return OUT / f"server-{size}-{worker_class}{'' if cached else '-uncached'}.log"

    def measure_page(self, page, probed, *, cached=True):
        """{size: rows} for one page: a warm-up at each size, then for each connection count
        BENCH_ROUNDS runs at each size in turn, summed up by their medians."""
        label = page if cached or page in ("static CSS", *FLOOR_PAGES) else f"{page}, uncached"
        rows, ready = {}, {}
        for size in self.sizes:
            info = probed[size]["pages"][page]
            url = info["url"]
            cookie = info.get("cookie") or (probed[size]["cookie"] if page == "admin" else None)
            base = {"page": label, "url": url, "queries": info["queries"]}
            if url is None:
                rows[size] = [{**base, "error": "no such page in this archive"}]
                continue
            port = self.port_for(size)
            status = self.status(url, port, cookie)
            if status != 200:
                answer = (
                    f"HTTP {status}" if status else "no answer within 60 s, or connection closed"
                )
                rows[size] = [{**base, "error": answer}]
                continue
            log(f"  {page} at {size:,} updates: {url}")
            self.wrk(url, port, self.connections[0], self.warmup, cookie)
            ready[size], rows[size] = (base, url, port, cookie), []
        for connections in self.connections:
            runs = {size: [] for size in ready}
            for _ in range(self.rounds):
                for size, (_, url, port, cookie) in ready.items():
                    runs[size].append(self.wrk(url, port, connections, self.duration, cookie))
            for size, (base, *_) in ready.items():
                rows[size].append({**base, "connections": connections, **medians(runs[size])})
        return rows

    def table(self, section):
        static = {
            r["connections"]: r["rps"]
            for r in section["rows"]
            if r["page"] == "static CSS" and "rps" in r
        }
        lines = [
            f"### {section['size']:,} updates, {section['worker_class']} workers "
            f"({section['workers']}{', psycopg pool' if self.pool else ', persistent connections'}"
            f"{', cache in Redis' if self.redis else ''})",
            "",
            f"Load average (1 min) before and after: {section['load'][0]:.1f}, "
            f"{section['load'][1]:.1f}; other work on the machine skews the figures.",
            "",
            f"The “uncached” rows: a second server with the page cache off (PAGE_CACHE=0), so "
            f"every request renders the page ({section['uncached_workers']}). The “floor” rows, "
            "on that server too, are the smallest responses Django gives here: one meeting's "
            "calendar file (one query, no template) and the contacts page (one query, the site's "
            "layout); no uncached page with more to show can go faster.",
            "",
            "| page | SQL queries (1st, 2nd request) | connections | requests/s | p50 ms | p99 ms "
            "| errors | vs static |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in section["rows"]:
            queries = ", ".join(str(q) for q in r["queries"]) or "–"
            page = f"{r['page']} `{r['url']}`" if r["url"] else r["page"]
            if "rps" not in r or not r["requests"]:
                error = r.get("error") or f"no request completed in {self.duration} s"
                if r.get("errors"):
                    error += f" ({r['errors']} errors)"
                conns = r.get("connections", "–")
                lines.append(f"| {page} | {queries} | {conns} | – | – | – | {error} | – |")
                continue
            ratio = r["rps"] / static[r["connections"]] if static.get(r["connections"]) else None
            lines.append(
                f"| {page} | {queries} | {r['connections']} | {rate(r['rps'])} "
                f"| {r['p50_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {r['errors']} "
                f"| {f'{ratio:.1%}' if ratio is not None else '–'} |"
            )
        return "\n".join(lines) + "\n"

    def run(self):
        started = time.monotonic()
        for size in self.sizes:
            log(f"Building the archive of {size:,} updates …")
            self.build(size)
        for worker_class in self.workers:
            log(
                f"Serving {', '.join(f'{size:,}' for size in self.sizes)} updates with "
                f"{worker_class} workers …"
            )
            self.measure(worker_class)
        self.write(time.monotonic() - started)

    def write(self, seconds):
        settings = " ".join(
            f"{name}={shlex.quote(os.environ[name])}"
            for name in sorted(os.environ)
            if name.startswith("BENCH_")
        )
        head = [
            "# Benchmark results",
            "",
            f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC at commit "
            f"{git_commit()} on {machine()}, in {seconds / 60:.1f} minutes.",
            "",
            f"Reproduce: `{(settings + ' ') if settings else ''}bench/run.sh`",
            "",
            f"Each page: {self.warmup} s warm-up, then, for each connection count, "
            f"{self.rounds} runs of {self.duration} s of wrk (2 threads) at each archive size, the "
            "sizes taking turns (all their servers are up), from a second process on loopback; "
            "a row gives the medians of its runs' requests/s, p50 and p99, and all their errors. "
            "A page whose p50 is near a second or more reads low in requests/s: each run starts "
            "with every connection waiting for its first answer. "
            "“vs static” is the page's requests/s over the static CSS file's in the same run. "
            "“uncached” rows render every request afresh (PAGE_CACHE=0). "
            "SQL queries are counted through Django's test client on the same database: an "
            "anonymous reader, except for the admin page (a superuser) and the rows of a "
            "signed-in DCS or authority member (a lead of Kent; bench/readers.py). "
            "“after publish” rows: the page loaded for BENCH_PUBLISH_SECONDS without "
            "publishing, then as long while an update is published every 10 s (the first at "
            "once), in turns, BENCH_PUBLISH_ROUNDS times each (3 unless set), the rows giving "
            "each kind's medians; the publisher is a process of its own, started before the "
            "runs, and its CPU time is given under the “After publish” tables. Errors are socket "
            "errors, timeouts (10 s) and 4xx/5xx answers; a page that does not answer 200 is "
            "not loaded.",
            "",
        ]
        for size, took in self.generation.items():
            head.append(f"- `generate_archive --updates {size} --big-update 30`: {took:.1f} s")
        head.append("")
        body = "\n".join(self.table(s) for s in self.sections) + self.growth_tables()
        published = readers.after_publish_table(self.sections)
        body += "\n" + published if published else ""
        self.results.write_text("\n".join(head) + "\n" + body + kept_compose_section(self.results))
        log(
            f"Wrote {self.results.relative_to(ROOT) if self.results.is_relative_to(ROOT) else self.results}"
        )

    def growth_tables(self):
        """Each page's requests/s at the largest archive against the smallest, same run."""
        small, large = min(self.sizes), max(self.sizes)
        if small == large:
            return ""
        tables = []
        for worker_class in self.workers:
            rows = {
                s["size"]: {(r["page"], r.get("connections")): r for r in s["rows"]}
                for s in self.sections
                if s["worker_class"] == worker_class
            }
            lines = [
                f"### {large:,} against {small:,} updates, {worker_class} workers",
                "",
                "Median requests/s of each page's runs, the sizes taking turns; in brackets the "
                "slowest and fastest run, which show how much this machine drifts.",
                "",
                f"| page | connections | requests/s at {small:,} | at {large:,} | change "
                "| within 20 % |",
                "| --- | ---: | ---: | ---: | ---: | --- |",
            ]
            for key, before in rows[small].items():
                after = rows[large].get(key)
                if not (after and before.get("requests") and after.get("requests")):
                    continue
                change = after["rps"] / before["rps"] - 1
                lines.append(
                    f"| {key[0]} | {key[1]} | {spread(before)} | {spread(after)} "
                    f"| {change:+.1%} | {'yes' if change >= -0.2 else '**no**'} |"
                )
            tables.append("\n".join(lines) + "\n")
        return "\n" + "\n".join(tables)


def kept_compose_section(results):
    """bench/compose.py's section of the results file, kept as it was when the file is rewritten."""
    text = results.read_text() if results.exists() else ""
    start = text.find("\n## Compose screen\n")
    if start < 0:
        return ""
    end = text.find("\n## ", start + 1)
    return "\n" + text[start : end if end > 0 else None].strip("\n") + "\n"


def medians(runs):
    """One row from several wrk runs: the median requests/s, p50 and p99, and every error."""
    done = [r for r in runs if "rps" in r and r["requests"]]
    if not done:
        return runs[0]
    return {
        "requests": sum(r["requests"] for r in done),
        "rps": statistics.median(r["rps"] for r in done),
        "rps_range": (min(r["rps"] for r in done), max(r["rps"] for r in done)),
        "p50_us": statistics.median(r["p50_us"] for r in done),
        "p99_us": statistics.median(r["p99_us"] for r in done),
        "errors": sum(r.get("errors", 0) for r in runs) + len(runs) - len(done),
    }


def spread(row):
    low, high = row["rps_range"]
    return f"{rate(row['rps'])} ({rate(low)}–{rate(high)})"


def rate(per_second):
    return f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.1f}"


def stop(server):
    """Stop the server we started: its own process group, by id; SIGTERM, then SIGKILL."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def workers_line(log_path, env):
    """The worker shape gunicorn.conf.py gives this environment, and what happened to them."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    shape = f"{conf['workers']} processes"
    if conf["worker_class"] == "gthread":
        shape += f" × {conf['threads']} threads"
    text = log_path.read_text(errors="replace")
    restarts = text.count("Autorestarting worker")
    timeouts = text.count("WORKER TIMEOUT")
    return f"{shape}; {restarts} restarts after max_requests, {timeouts} timed out"


def git_commit():
    found = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return found.stdout.strip() or "unknown"


def machine():
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model or platform.processor() or 'unknown CPU'})"


def log(message):
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["probe"]:
        probe()
    elif sys.argv[1:] == ["run"]:
        Bench().run()
    else:
        sys.exit(__doc__)
