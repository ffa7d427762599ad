"""Benchmark: a whole archive in, as an editor would move it: `import_updates FOLDER`.

    .venv/bin/python bench/import_archive.py [UPDATES]      # default 300

Writes a made-up archive of UPDATES updates (`generate_archive`), exports it as text
(`export_updates --to …`), then imports the folder into a fresh SQLite database with
`manage.py import_updates`, timing it and reading the importing process's resident memory
(VmRSS) every 0.2 s and its CPU time (what it costs apart from the wait for a core on a shared
machine). Memory is flat when the last quarter's median is near the first quarter's.
Everything happens in a temporary folder; the project's own database is not touched.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def main(updates):
    tmp = Path(tempfile.mkdtemp(prefix="seslip-import-bench-"))
    folder = tmp / "archive"
    source = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/source.sqlite3",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "SITE_URL": "https://bench.invalid",
    }
    target = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/target.sqlite3",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "SITE_URL": "https://bench.invalid",
    }
    manage(source, "migrate", "--noinput")
    manage(source, "generate_archive", "--updates", str(updates), "--seed", "1")
    manage(source, "export_updates", "--to", str(folder))
    manage(target, "migrate", "--noinput")
    files = len(list(folder.glob("*.txt")))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, "manage.py", "import_updates", str(folder)],
        cwd=ROOT,
        env=target,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    samples = []
    while process.poll() is None:
        if (kib := rss_kib(process.pid)) is not None:
            samples.append(kib)
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if process.returncode:
        sys.exit(f"import_updates failed with status {process.returncode}")
    quarter = max(1, len(samples) // 4)
    first, last = statistics.median(samples[:quarter]), statistics.median(samples[-quarter:])
    print(f"{files} updates imported with `import_updates` on SQLite in {seconds:.1f} s")
    print(f"  {seconds / files * 1000:.0f} ms per update; CPU time {cpu:.1f} s")
    print(
        f"  memory (VmRSS): first quarter median {first / 1024:.0f} MiB, last quarter median "
        f"{last / 1024:.0f} MiB, peak {max(samples) / 1024:.0f} MiB; last/first {last / first:.2f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
