"""The soak behind bench/soak.sh: the production server (bench/serve.sh, PostgreSQL) under wrk at
32 connections over a mix of pages for SOAK_SECONDS, while an editor saves a change in the admin
every few seconds. Reports errors (must be 0), p99, worker memory growth (under 10%) and the
PostgreSQL connections in use (never above the bound the worker shape allows); exits non-zero if
any of the three fails.

Environment (defaults in brackets):
  SOAK_SECONDS        length of the measured run [600]
  SOAK_WARMUP         seconds of load before the memory baseline is taken [30, at most a tenth]
  SOAK_CONNECTIONS    wrk connections [32]
  SOAK_EDIT_INTERVAL  seconds between the editor's saves [3]
  SOAK_UPDATES        size of the generated archive [600], in database seslip_soak_<n>
  SOAK_PG             PostgreSQL server URL [postgres://postgres@127.0.0.1:5432]
  SOAK_PORT           loopback port [8788]
  SOAK_MAX_REQUESTS   gunicorn max_requests [0: workers are never recycled, so growth shows]
  SOAK_TIMEOUT        wrk's per-request timeout in seconds [30]
  DB_POOL=1, GUNICORN_WORKER_CLASS, WEB_CONCURRENCY, GUNICORN_THREADS: passed to the server.
Everything the server prints goes to bench/out/soak-server.log; the report to bench/out/soak.txt.
"""

import datetime
import html.parser
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadtest  # noqa: E402  (bench/loadtest.py: building, serving and stopping the server)

ROOT = loadtest.ROOT
OUT = loadtest.OUT
env = loadtest.env
log = loadtest.log
MIX = [  # (page, weight): what readers open most, and everything else now and then
    ("static CSS", 4),
    ("home", 4),
    ("update", 4),
    ("archive", 3),
    ("dashboard", 2),
    ("search", 1),
    ("networks", 2),
    ("peer challenge", 1),
    ("contacts", 1),
    ("feed", 1),
    ("iCalendar", 1),
]


class Soak(loadtest.Bench):
    def __init__(self):
        super().__init__()
        self.seconds = int(env("SOAK_SECONDS", "600"))
        self.warmup = int(env("SOAK_WARMUP", str(min(30, max(self.seconds // 10, 5)))))
        self.connections = int(env("SOAK_CONNECTIONS", "32"))
        self.edit_interval = float(env("SOAK_EDIT_INTERVAL", "3"))
        self.size = int(env("SOAK_UPDATES", "600"))
        self.pg = env("SOAK_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
        self.port = int(env("SOAK_PORT", "8788"))
        self.timeout = int(env("SOAK_TIMEOUT", "30"))
        self.pool = env("DB_POOL", "0") == "1"
        self.keep_db = True
        self.database = f"seslip_soak_{self.size}"

    def port_for(self, size):
        return self.port

    def server_env(self, size, worker_class=None, **options):
        values = super().server_env(size, worker_class, **options)
        values["DATABASE_URL"] = f"{self.pg}/{self.database}"
        values["GUNICORN_MAX_REQUESTS"] = env("SOAK_MAX_REQUESTS", "0")
        values["GUNICORN_MAX_REQUESTS_JITTER"] = "0"
        return values

    def build(self, size):
        if self.archive_size(size) == size:
            log(f"Reusing the archive of {size} updates in {self.database}.")
            return
        subprocess.run(
            [loadtest.PY, "bench/pgdb.py", f"{self.pg}/{self.database}", "--fresh"],
            cwd=ROOT,
            check=True,
        )
        self.manage(size, "migrate", "--noinput", "-v0")
        self.manage(size, "generate_archive", "--updates", str(size), "--big-update", "30")

    def pages(self, probed):
        urls = {page: info["url"] for page, info in probed["pages"].items()}
        urls.update(
            {
                "networks": "/networks/",
                "peer challenge": "/peer-challenge/",
                "contacts": "/contacts/",
                "feed": "/updates/feed/",
            }
        )
        return [url for page, weight in MIX if urls.get(page) for url in [urls[page]] * weight]

    def run(self):
        self.build(self.size)
        server = self.serve(self.size, None)
        try:
            probed = self.probe(self.server_env(self.size))
            paths = self.pages(probed)
            for path in sorted(set(paths)):
                if self.status(path, self.port) != 200:
                    raise SystemExit(f"{path} does not answer 200; not soaking it")
            report = self.soak(server, paths, probed["cookie"])
        finally:
            loadtest.stop(server)
        report["workers"] = loadtest.workers_line(
            self.server_log, self.server_env(self.size)
        ).replace(" after max_requests", "")
        return report

    def serve(self, size, worker_class):
        self.server_log = OUT / "soak-server.log"
        server = super().serve(size, worker_class)
        # bench/loadtest.py names its log after the size and worker class: keep ours apart.
        default = OUT / f"server-{size}-{worker_class}.log"
        if default.exists():
            default.replace(self.server_log)
        return server

    def soak(self, server, paths, cookie):
        stop = threading.Event()
        samples = {"connections": [], "rss": []}
        editor = Editor(self.port, cookie, self.edit_interval)
        sampler = threading.Thread(target=self.sample, args=(server.pid, samples, stop))
        editing = threading.Thread(target=editor.run, args=(stop,))
        wrk = subprocess.Popen(
            [
                "wrk",
                "-t2",
                f"-c{self.connections}",
                f"-d{self.seconds}s",
                "--timeout",
                f"{self.timeout}s",
                "--latency",
                "-s",
                str(ROOT / "bench" / "soak.lua"),
                f"http://127.0.0.1:{self.port}/",
            ],
            env={
                **os.environ,
                "SOAK_PATHS": " ".join(paths),
                "SOAK_REPORT_LUA": str(ROOT / "bench" / "report.lua"),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started = time.monotonic()
        sampler.start()
        editing.start()
        log(
            f"Soaking for {self.seconds} s at {self.connections} connections over {len(set(paths))} pages …"
        )
        out, err = wrk.communicate(timeout=self.seconds + self.timeout + 120)
        stop.set()
        sampler.join()
        editing.join()
        line = next((ln for ln in out.splitlines() if ln.startswith("JSON ")), None)
        if line is None:
            raise SystemExit(f"wrk failed: {err or out}")
        load = json.loads(line[5:])
        baseline = next(
            (s for t, s in samples["rss"] if t - started >= self.warmup), samples["rss"][0][1]
        )
        final = samples["rss"][-1][1]
        return {
            "rss_first": samples["rss"][0][1],
            "load": load,
            "editor": editor.summary(),
            "rss_start": baseline,
            "rss_end": final,
            "connections": max(n for _, n in samples["connections"]),
            "connection_bound": self.connection_bound(),
            "samples": len(samples["connections"]),
            "paths": sorted(set(paths)),
        }

    def sample(self, master, samples, stop):
        import psycopg

        with psycopg.connect(f"{self.pg}/postgres", autocommit=True) as conn:
            while not stop.is_set():
                now = time.monotonic()
                count = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [self.database]
                ).fetchone()[0]
                samples["connections"].append((now, count))
                samples["rss"].append((now, worker_rss(master)))
                stop.wait(1)

    def connection_bound(self):
        shape = loadtest.runpy.run_path(str(ROOT / "gunicorn.conf.py"))
        per_worker = int(env("DB_POOL_MAX_SIZE", "8")) if self.pool else shape["threads"]
        return shape["workers"] * per_worker


def worker_rss(master):
    """{pid: resident set size in kB} of the gunicorn master's children (its workers)."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master) and "VmRSS" in fields:
            found[int(proc.name)] = int(fields["VmRSS"].split()[0])
    return found


class FormFields(html.parser.HTMLParser):
    """The fields of the admin change form, with their current values, as the browser sends them."""

    def __init__(self):
        super().__init__()
        self.fields, self.in_form, self.select, self.textarea = [], False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("id") or "").endswith("_form"):
            self.in_form = True
        if not self.in_form or not a.get("name"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append([a["name"], a.get("value") or ""])
        elif tag == "select":
            self.select = [a["name"], None]
        elif tag == "option" and self.select and ("selected" in a) and self.select[1] is None:
            self.select[1] = a.get("value") or ""
        elif tag == "textarea":
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            if self.select[1] is not None:
                self.fields.append(self.select)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append(self.textarea)
            self.textarea = None


class Editor:
    """An editor in the admin: opens a contact's change form, changes the role, saves, repeats."""

    def __init__(self, port, cookie, interval):
        self.port, self.interval = port, interval
        self.cookies = dict([cookie.split("=", 1)])
        self.saves, self.errors, self.latencies = 0, [], []
        self.contact = None

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location"), data
        finally:
            conn.close()

    def find_contact(self):
        status, _, page = self.request("GET", "/admin/contacts/contact/")
        match = re.search(r'href="(/admin/contacts/contact/\d+/change/)[^"]*"', page)
        if status != 200 or not match:
            raise RuntimeError(f"no contact to edit (changelist answered {status})")
        return match.group(1)

    def open_form(self):
        """The contact's change form as the editor sees it: [[name, value]]."""
        self.contact = self.contact or self.find_contact()
        status, _, page = self.request("GET", self.contact)
        if status != 200:
            raise RuntimeError(f"the change form answered {status}")
        form = FormFields()
        form.feed(page)
        return form.fields

    def submit(self, fields, role):
        """Save the form with a new role: (status, location, page)."""
        fields = [(k, role if k == "role" else v) for k, v in fields]
        return self.request("POST", self.contact, urllib.parse.urlencode(fields))

    def save_once(self, n):
        fields = self.open_form()
        role = f"Soak test role, save {n}"
        started = time.monotonic()
        status, location, page = self.submit(fields, role)
        self.latencies.append(time.monotonic() - started)
        if status != 302 or not location or "/change/" in location:
            note = re.search(r'class="errornote"[^>]*>([^<]*)', page)
            raise RuntimeError(
                f"the save answered {status}: {note.group(1).strip() if note else page[:80]!r}"
            )
        self.last_role = role
        self.saves += 1

    def run(self, stop):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                self.save_once(n)
            except Exception as error:  # every failure is counted and reported
                self.errors.append(f"{type(error).__name__}: {error}")
            stop.wait(self.interval)

    def summary(self):
        latencies = sorted(self.latencies)
        return {
            "saves": self.saves,
            "errors": self.errors,
            "max_s": latencies[-1] if latencies else None,
            "contact": self.contact,
            "last_role": getattr(self, "last_role", None),
        }


def format_report(soak, report):
    load, editor = report["load"], report["editor"]
    errors = sum(load[k] for k in ("connect", "read", "write", "status", "timeout"))
    start, end = sum(report["rss_start"].values()), sum(report["rss_end"].values())
    growth = (end - start) / start if start else 0.0
    per_worker = [
        (report["rss_start"].get(pid), report["rss_end"][pid]) for pid in sorted(report["rss_end"])
    ]
    same_workers = set(report["rss_start"]) == set(report["rss_end"])
    ok = (
        errors == 0
        and not editor["errors"]
        and growth < 0.10
        and same_workers
        and report["connections"] <= report["connection_bound"]
    )
    lines = [
        f"Soak {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC at commit "
        f"{loadtest.git_commit()} on {loadtest.machine()}, load average {os.getloadavg()[0]:.1f}",
        f"{soak.seconds} s at {soak.connections} connections, {soak.size} updates, "
        f"{report['workers']}, {'psycopg pool' if soak.pool else 'persistent connections'}",
        f"Pages: {' '.join(report['paths'])}",
        f"Requests: {load['requests']:,} ({load['requests'] / (load['duration_us'] / 1e6):.1f}/s); "
        f"p50 {load['p50_us'] / 1000:.0f} ms, p90 {load['p90_us'] / 1000:.0f} ms, "
        f"p99 {load['p99_us'] / 1000:.0f} ms, max {load['max_us'] / 1000:.0f} ms",
        f"Errors: {errors} (connect {load['connect']}, read {load['read']}, write "
        f"{load['write']}, non-2xx/3xx {load['status']}, timeouts {load['timeout']})",
        f"Editor: {editor['saves']} saves of {editor['contact']}, {len(editor['errors'])} errors"
        + (f" (slowest {editor['max_s']:.2f} s)" if editor["max_s"] else "")
        + "".join(f"\n  {e}" for e in editor["errors"][:10]),
        f"Worker memory (RSS) after {soak.warmup} s of warm-up vs at the end: {start / 1024:.0f} MB "
        f"-> {end / 1024:.0f} MB ({growth:+.1%}); per worker "
        + ", ".join(f"{(a or 0) / 1024:.0f}->{b / 1024:.0f} MB" for a, b in per_worker)
        + ("" if same_workers else " (workers were replaced during the run!)")
        + f"; at the first second of load: {sum(report['rss_first'].values()) / 1024:.0f} MB",
        f"PostgreSQL connections in use: at most {report['connections']} "
        f"(bound {report['connection_bound']}; {report['samples']} samples of pg_stat_activity)",
        "PASS" if ok else "FAIL",
    ]
    return "\n".join(lines) + "\n", ok


def main():
    soak = Soak()
    report = soak.run()
    text, ok = format_report(soak, report)
    (OUT / "soak.txt").write_text(text)
    print(text, end="")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
