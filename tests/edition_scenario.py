"""An e-mail edition sent by real `manage.py db_worker` processes to an aiosmtpd sink, on a database
of its own (a SQLite file, or a fresh PostgreSQL database when DATABASE_URL names PostgreSQL).

pytest-django's test database lives in the test process (in memory on SQLite), where no worker
process can see it; this scenario makes and drops its own. The worker-kill test and
bench/email_edition.py share it.
"""

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SETUP = """
from django.utils import timezone
from newsletters.models import Issue, NewsItem, Placement, Subscriber
issue = Issue.objects.create(number=900, date=timezone.localdate(), intro="This week in the region.")
for n, (title, dcs) in enumerate([("Regional news", False), ("For directors", True)]):
    item = NewsItem.objects.create(title=title, update_text="<p>What has happened.</p>", dcs_only=dcs)
    Placement.objects.create(issue=issue, item=item, position=n)
Subscriber.objects.bulk_create(
    Subscriber(email=f"reader{n}@example.org", name=f"Reader {n}", status="subscribed",
               role="dcs" if n % 10 == 0 else "")
    for n in range(COUNT)
)
"""
PUBLISH = "from newsletters.models import Issue; Issue.objects.get(number=900).publish()"
# Read straight from the scenario's database: a `manage.py shell` a second would cost a Django
# start-up each time it asks.
FINISHED = "SELECT count(*) FROM newsletters_edition WHERE finished_at IS NOT NULL"


class Scenario:
    def __init__(
        self, workdir: Path, *, smtp_port: int, lease_seconds: int = 6, debug: bool = True
    ):
        self.workdir = workdir
        self.base_url = os.environ.get("DATABASE_URL", "")
        self.postgres = self.base_url.startswith("postgres")
        if self.postgres:
            db = dj_database_url.parse(self.base_url)
            self.db_name = f"{db['NAME']}_edition_{uuid.uuid4().hex[:8]}"
            self.url = self.base_url.rsplit("/", 1)[0] + "/" + self.db_name
        else:
            self.sqlite_path = workdir / "edition.sqlite3"
            self.url = f"sqlite:///{self.sqlite_path}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": str(max(1, lease_seconds // 2)),
            "EDITION_LEASE_SECONDS": str(lease_seconds),
            "CACHE_DIR": str(workdir / "cache"),
            "DEBUG": "1" if debug else "0",
            "SECRET_KEY": "edition-scenario-" + "x" * 40,
            "SITE_URL": "https://seslip.example",
            "SECURE_SSL_REDIRECT": "0",
        }
        self.workers = []

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def prepare(self, subscribers: int, *, template=None) -> None:
        """The scenario's database, migrated, with `subscribers`: a copy of the test run's
        migrated `template` (tests/databases.py) when given, else made by `manage.py migrate`."""
        if self.postgres:
            create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.db_name))
            if template is not None:
                create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template.pg_name))
            with self.server() as conn:
                conn.execute(create)
        elif template is not None:
            with (
                contextlib.closing(sqlite3.connect(template.sqlite_file)) as source,
                contextlib.closing(sqlite3.connect(self.sqlite_path)) as target,
            ):
                source.backup(target)
        if template is None:
            self.manage("migrate", "--noinput")
        self.manage("shell", "--no-imports", "-c", SETUP.replace("COUNT", str(subscribers)))

    def server(self):
        db = dj_database_url.parse(self.base_url)
        return psycopg.connect(
            dbname="postgres",
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            autocommit=True,
        )

    def start_worker(self) -> subprocess.Popen:
        worker = subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env=self.env,
        )
        self.workers.append(worker)
        return worker

    def publish(self) -> None:
        self.manage("shell", "--no-imports", "-c", PUBLISH)

    def finished(self) -> bool:
        if self.postgres:
            with psycopg.connect(self.url) as conn:
                row = conn.execute(FINISHED).fetchone()
        else:
            with contextlib.closing(sqlite3.connect(self.sqlite_path)) as conn:
                row = conn.execute(FINISHED).fetchone()
        return bool(row and row[0])

    def close(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
        if self.postgres:
            with self.server() as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(self.db_name)
                    )
                )


def wait_for(condition, *, timeout: float, every: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()
