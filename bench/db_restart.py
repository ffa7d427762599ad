"""The fault behind bench/db_restart.sh: PostgreSQL restarted while the production server is under
load. Shows that the site answers the friendly 503 page quickly during the outage (no hung
workers), that an editor's save in the outage gets a clear error and leaves nothing half-written,
and measures how soon after PostgreSQL is back the site answers again, without restarting
gunicorn (the same worker processes before and after).

Environment (defaults in brackets); the server and archive settings are bench/soak.py's:
  RESTART_BEFORE      seconds of load before the restart [10]
  RESTART_OUTAGE      seconds PostgreSQL stays down [5]
  RESTART_AFTER       seconds of load after it is back [20]
  RESTART_CLIENTS     concurrent readers [16]
  RESTART_VIA_PROXY=1 rehearse without touching PostgreSQL: the server reaches it through a
                      loopback proxy in this process, and the "restart" cuts every connection and
                      refuses new ones for the outage (other users of PostgreSQL are undisturbed)
Exits non-zero if a reader got anything but 200 or 503, a 503 page was not the friendly one, a
503 took longer than RESTART_SLOW seconds [5], the site did not recover within RESTART_RECOVERY
seconds [15], a worker was replaced, or the editor's failed save left anything behind.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadtest  # noqa: E402
import soak  # noqa: E402

env, log, ROOT, OUT = loadtest.env, loadtest.log, loadtest.ROOT, loadtest.OUT
PROXY_PORT = 5439


class Proxy:
    """A loopback TCP proxy to PostgreSQL that can be 'restarted': every connection cut at once,
    new ones refused until it is started again."""

    def __init__(self, target_port):
        self.target_port, self.up, self.sockets = target_port, True, set()
        self.listener = socket.create_server(("127.0.0.1", PROXY_PORT))
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets.update({client, server})
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    def pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                self.sockets.discard(s)
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def stop(self):
        self.up = False
        for s in list(self.sockets):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def start(self):
        self.up = True


class PostgreSQL:
    """The real thing: the local cluster stopped and started with pg_ctlcluster."""

    def __init__(self):
        versions = sorted(os.listdir("/etc/postgresql"))
        self.command = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main"]

    def stop(self):
        subprocess.run([*self.command, "stop", "-m", "fast"], check=True)

    def start(self):
        subprocess.run([*self.command, "start"], check=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit("PostgreSQL did not come back within a minute")


class Restart(soak.Soak):
    def __init__(self):
        super().__init__()
        self.before = float(env("RESTART_BEFORE", "10"))
        self.outage = float(env("RESTART_OUTAGE", "5"))
        self.after = float(env("RESTART_AFTER", "20"))
        self.clients = int(env("RESTART_CLIENTS", "16"))
        self.slow = float(env("RESTART_SLOW", "5"))
        self.recovery_limit = float(env("RESTART_RECOVERY", "15"))
        self.via_proxy = env("RESTART_VIA_PROXY", "0") == "1"
        self.server_pg = f"postgres://postgres@127.0.0.1:{PROXY_PORT}" if self.via_proxy else None

    def server_env(self, size, worker_class=None, **options):
        values = super().server_env(size, worker_class, **options)
        if self.server_pg:
            values["DATABASE_URL"] = f"{self.server_pg}/{self.database}"
        return values

    def run(self):
        database = Proxy(5432) if self.via_proxy else PostgreSQL()
        self.build(self.size)
        server = self.serve(self.size, None)
        try:
            cookie = self.probe_cookie()
            editor = soak.Editor(self.port, cookie, self.edit_interval)
            editor.save_once(0)  # signed in, a contact chosen, and one save that works
            paths = ["/", "/updates/", "/dashboard/", "/networks/", "/contacts/"]
            workers_before = set(soak.worker_rss(server.pid))
            timeline, stop = [], threading.Event()
            readers = [
                # Half the readers are signed in: never served from the page cache.
                threading.Thread(
                    target=self.reader, args=(paths, i, timeline, stop, cookie if i % 2 else None)
                )
                for i in range(self.clients)
            ]
            for thread in readers:
                thread.start()
            time.sleep(self.before)
            form = editor.open_form()  # the editor has the form open when the database goes
            t_down = time.monotonic()
            log("Stopping PostgreSQL …")
            database.stop()
            t_stopped = time.monotonic()
            time.sleep(self.outage / 2)
            failed_save = self.save_in_outage(editor, form)
            time.sleep(self.outage / 2)
            log("Starting PostgreSQL …")
            database.start()
            t_up = time.monotonic()
            time.sleep(self.after)
            stop.set()
            for thread in readers:
                thread.join()
            failed_save["role_after"] = self.contact_role(editor.contact)
            failed_save["role_before"] = editor.last_role
            editor.save_once(99)  # and the editor can save again
            workers_after = set(soak.worker_rss(server.pid))
        finally:
            loadtest.stop(server)
        return self.report(
            timeline, t_down, t_stopped, t_up, failed_save, editor, workers_before, workers_after
        )

    def probe_cookie(self):
        return self.probe(self.server_env(self.size))["cookie"]

    def reader(self, paths, offset, timeline, stop, cookie):
        import http.client

        n = offset
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            started = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                body = response.read().decode("utf-8", "replace")
                status, retry = response.status, response.getheader("Retry-After")
            except OSError as error:
                status, retry, body = f"{type(error).__name__}", None, ""
            finally:
                conn.close()
            friendly = status != 503 or ("Back in a moment" in body and "Traceback" not in body)
            timeline.append((started, time.monotonic(), path, status, retry, friendly, cookie))

    def save_in_outage(self, editor, form):
        role = "Saved during the outage"
        started = time.monotonic()
        try:
            status, _, page = editor.submit(form, role)
        except OSError as error:
            status, page = type(error).__name__, ""
        return {
            "status": status,
            "friendly": "Back in a moment" in page and "it was not saved" in page,
            "seconds": time.monotonic() - started,
        }

    def report(self, timeline, t_down, t_stopped, t_up, failed_save, editor, before, after):
        outage = [t for t in timeline if t[1] >= t_stopped and t[0] <= t_up]
        statuses = {}
        for t in timeline:
            statuses[t[3]] = statuses.get(t[3], 0) + 1
        bad = [t for t in timeline if t[3] not in (200, 503)]
        unfriendly = [t for t in timeline if t[3] == 503 and not (t[5] and t[4])]
        slowest = max((t[1] - t[0] for t in timeline), default=0)
        outage_slowest = max((t[1] - t[0] for t in outage if t[3] == 503), default=0)
        failures_after_up = [t for t in timeline if t[3] != 200 and t[1] >= t_up]
        recovered_at = max((t[1] for t in failures_after_up), default=t_up)
        first_ok = min((t[1] for t in timeline if t[3] == 200 and t[0] >= t_up), default=None)
        # Recovered once a request sent after PostgreSQL is back succeeds and none fails later.
        recovery = max(recovered_at, first_ok or float("inf")) - t_up
        role = failed_save["role_after"]
        nothing_half_written = role == failed_save["role_before"]
        ok = (
            not bad
            and not unfriendly
            and outage_slowest <= self.slow
            and recovery <= self.recovery_limit
            and before == after
            and nothing_half_written
            and failed_save["status"] == 503
            and failed_save["friendly"]
        )
        lines = [
            f"PostgreSQL {'(through the rehearsal proxy) ' if self.via_proxy else ''}stopped "
            f"for {t_up - t_stopped:.1f} s (stop took {t_stopped - t_down:.1f} s) under "
            f"{self.clients} concurrent readers; {len(timeline)} requests in all",
            f"Answers: {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items(), key=str))}"
            f"; during the outage, to signed-in readers: {answers(outage, signed_in=True)}, to "
            f"readers not signed in (the page cache may answer): {answers(outage, signed_in=False)}",
            f"During the outage: {sum(1 for t in outage if t[3] == 503)} friendly 503 pages "
            f"(with Retry-After), slowest {outage_slowest * 1000:.0f} ms (limit {self.slow:.0f} s); "
            f"{len(unfriendly)} 503s without the page or Retry-After; {len(bad)} other answers",
            f"Slowest request of the run: {slowest * 1000:.0f} ms (a busy machine; none hung)",
            f"Recovery: {recovery * 1000:.0f} ms after PostgreSQL accepted connections again "
            f"(first 200 to a request sent after that: {((first_ok or t_up) - t_up) * 1000:.0f} ms;"
            f" last failure: {(recovered_at - t_up) * 1000:.0f} ms; limit "
            f"{self.recovery_limit:.0f} s)",
            f"Workers: {sorted(before)} before, {sorted(after)} after"
            + (" (the same: gunicorn was not restarted)" if before == after else " (replaced!)"),
            f"Editor's save during the outage: HTTP {failed_save['status']} in "
            f"{failed_save['seconds'] * 1000:.0f} ms, "
            f"{'the friendly 503 page' if failed_save['friendly'] else 'NOT the friendly page'}; "
            f"the contact's role after the outage is {role!r}, from the last save that worked "
            f"({'nothing half-written' if nothing_half_written else 'MISMATCH'}); "
            f"{editor.saves} saves succeeded in all",
            "PASS" if ok else "FAIL",
        ]
        return "\n".join(lines) + "\n", ok

    def contact_role(self, change_url):
        import psycopg

        pk = int(change_url.rstrip("/").split("/")[-2])
        with psycopg.connect(f"{self.pg}/{self.database}") as conn:
            return conn.execute("SELECT role FROM contacts_contact WHERE id = %s", [pk]).fetchone()[
                0
            ]


def answers(requests, *, signed_in):
    counts = {}
    for t in requests:
        if bool(t[6]) == signed_in:
            counts[t[3]] = counts.get(t[3], 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str)) or "none"


def main():
    text, ok = Restart().run()
    (OUT / "db_restart.txt").write_text(text)
    print(text, end="")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
