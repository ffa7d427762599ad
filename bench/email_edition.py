"""The e-mail row of the benchmark: one edition to 5,000 subscribers, sent by one `manage.py
db_worker` to an aiosmtpd sink on loopback.

    .venv/bin/python bench/email_edition.py [--subscribers 5000] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seslip_bench .venv/bin/python bench/email_edition.py

Measures the time from the publish (its commit) to the last message the sink accepted, and the
worker's peak memory (VmHWM) while sending against its peak after starting and sitting idle.
Each run has a fresh database (a SQLite file, or a new PostgreSQL database beside DATABASE_URL's)
and a fresh worker; the medians of the runs go to bench/RESULTS-email.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.edition_scenario import PUBLISH, Scenario, wait_for  # noqa: E402
from tests.mailserver import MailServer  # noqa: E402

IDLE_SECONDS = 5


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def one_run(subscribers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp, MailServer(keep=False) as sink:
        scenario = Scenario(Path(tmp), smtp_port=sink.port, lease_seconds=60, debug=False)
        try:
            scenario.prepare(subscribers)
            worker = scenario.start_worker()
            time.sleep(IDLE_SECONDS)
            idle = peak_kib(worker.pid)
            out = scenario.manage(
                "shell", "--no-imports", "-c", PUBLISH + "; import time; print(time.monotonic())"
            )
            published = float(out.strip().splitlines()[-1])
            if not wait_for(lambda: sink.inbox.count >= subscribers, timeout=900, every=0.05):
                raise RuntimeError(f"only {sink.inbox.count} of {subscribers} arrived")
            sending = peak_kib(worker.pid)
            seconds = sink.inbox.last_at - published
        finally:
            scenario.close()
    return {
        "seconds": seconds,
        "per_second": subscribers / seconds,
        "idle_mib": idle / 1024,
        "sending_mib": sending / 1024,
        "ratio": sending / idle,
        "received": sink.inbox.count,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS-email.md"))
    args = parser.parse_args()
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    runs = []
    for n in range(args.runs):
        result = one_run(args.subscribers)
        runs.append(result)
        print(
            f"run {n + 1}: {result['seconds']:.1f} s ({result['per_second']:.0f}/s), worker peak "
            f"{result['idle_mib']:.1f} MiB idle, {result['sending_mib']:.1f} MiB sending "
            f"(×{result['ratio']:.3f}), {result['received']} received",
            flush=True,
        )
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    row = (
        f"| {database} | {args.subscribers:,} | {median['seconds']:.1f} s | "
        f"{median['per_second']:.0f} | {median['idle_mib']:.1f} MiB | "
        f"{median['sending_mib']:.1f} MiB | {100 * (median['ratio'] - 1):+.1f} % |"
    )
    print(row)
    write_results(Path(args.out), database, row, args, commit, runs)


def write_results(path: Path, database: str, row: str, args, commit: str, runs: list) -> None:
    rows = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.startswith("| SQLite") or line.startswith("| PostgreSQL"):
                rows[line.split("|")[1].strip()] = line
    rows[database] = row
    path.write_text(
        "# The e-mail edition: one edition, one worker, an aiosmtpd sink on loopback\n\n"
        "Made by `.venv/bin/python bench/email_edition.py` (SQLite) and the same with "
        "`DATABASE_URL=postgres://…` (PostgreSQL). Medians of "
        f"{args.runs} runs, each on a fresh database with a fresh worker (last: commit {commit}).\n"
        "Time: from the publish's commit to the last message the sink accepted (goal: under "
        "60 s). Memory: the worker's peak resident set (VmHWM) after starting and "
        f"{IDLE_SECONDS} s idle, and after sending (goal: under 10 % above idle).\n\n"
        "| database | subscribers | publish → last accepted | messages/s | worker idle peak | "
        "worker peak sending | growth |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        + "\n".join(rows[name] for name in ("PostgreSQL", "SQLite") if name in rows)
        + "\n"
    )


if __name__ == "__main__":
    main()
