"""One migrated test database for the whole run, copied for each test process.

pytest-xdist runs the suite in several processes, each with a test database of its own; migrating
and serialising one (for the browser tests' `serialized_rollback`) costs each process about as
much CPU as a hundred ordinary tests. So the first process that needs a database makes it as
pytest-django would (migrate, serialise), and leaves a template: a SQLite file (the test database
itself is in memory) or a PostgreSQL database, `test_<name>_template`, with the serialised
contents beside it; every other process copies the template (SQLite's backup, PostgreSQL's
`CREATE DATABASE ... TEMPLATE`) instead of migrating. The worker-kill test starts its worker
processes on a copy of the template too, instead of running `manage.py migrate` again.

With `--reuse-db` or `--no-migrations` pytest-django's own set-up runs, and nothing is shared.
The controller drops the PostgreSQL template when the run ends (`drop_template`).
"""

import contextlib
import fcntl
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

ALIAS = "default"


@dataclass
class Template:
    """Where this run's migrated database is kept: `sqlite_file` or PostgreSQL's `pg_name`."""

    sqlite_file: Path | None = None
    pg_name: str | None = None


def shared_folder(tmp_path_factory, worker_id: str) -> Path:
    """The run's own folder, which every test process of the run sees."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if worker_id != "master" else base


def is_postgres(connection) -> bool:
    return connection.vendor == "postgresql"


def template_name(settings_dict) -> str:
    """`test_<name>_template`, from the database's own name (not the process's test name)."""
    return f"test_{settings_dict['NAME']}_template"


@contextlib.contextmanager
def locked(path: Path):
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def set_up(folder: Path, *, verbosity: int, serialized_aliases) -> tuple[list, Template]:
    """This process's test database, made (and the template left) by the first process to ask,
    copied by the others. Returns what django.test.utils.teardown_databases needs, and the
    template."""
    from django.test.utils import setup_databases

    connection = connections[ALIAS]
    template = (
        Template(pg_name=template_name(connection.settings_dict))
        if is_postgres(connection)
        else Template(sqlite_file=folder / "template.sqlite3")
    )
    contents = folder / "template.json"
    ready = folder / "template.ready"
    serialize = serialized_aliases is None or ALIAS in serialized_aliases
    with locked(folder / "template.lock"):
        if not ready.exists():
            old_config = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases={ALIAS},
                serialized_aliases=serialized_aliases,
            )
            contents.write_text(getattr(connection, "_test_serialized_contents", "") or "")
            _save(connection, template)
            ready.write_text(template.pg_name or "")  # what the controller drops at the end
            return old_config, template
        if is_postgres(connection):
            _create_from_template(connection, template.pg_name)
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES[ALIAS]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    if template.sqlite_file:
        with contextlib.closing(sqlite3.connect(template.sqlite_file)) as source:
            source.backup(connection.connection)
    if serialize:
        connection._test_serialized_contents = contents.read_text()
    return [(connection, old_name, True)], template


def _save(connection, template: Template) -> None:
    if template.sqlite_file:
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(template.sqlite_file)) as target:
            connection.connection.backup(target)
        return
    # CREATE DATABASE ... TEMPLATE needs the source without connections: this process's own.
    source = connection.settings_dict["NAME"]
    connection.close()
    _drop(connection, template.pg_name, then_copy=source)


def _create_from_template(connection, name: str) -> None:
    """This process's PostgreSQL test database, a copy of the template (made afresh)."""
    _drop(connection, connection.creation._get_test_db_name(), then_copy=name)


def _drop(connection, name: str, *, then_copy: str | None = None) -> None:
    """Drop the PostgreSQL database `name`, even while others are connected to it (WITH (FORCE)),
    and, if asked, make it again as a copy of the database `then_copy`."""
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
        if then_copy:
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(then_copy)}")


def tear_down(old_config: list, *, verbosity: int) -> None:
    """As Django's teardown_databases, except that a PostgreSQL test database is dropped even while
    a thread of the live server still holds a connection to it (WITH (FORCE)), so that no
    `test_<name>_gw<n>` database is left behind."""
    from django.test.utils import teardown_databases

    for connection, old_name, destroy in old_config:
        if not (destroy and is_postgres(connection)):
            teardown_databases([(connection, old_name, destroy)], verbosity=verbosity)
            continue
        test_name = connection.settings_dict["NAME"]
        connection.close()
        _drop(connection, test_name)
        settings.DATABASES[connection.alias]["NAME"] = old_name
        connection.settings_dict["NAME"] = old_name


def drop_template(folder: Path) -> None:
    """The controller, when the run ends: the PostgreSQL template goes (a SQLite one is a file
    in the run's temporary folder)."""
    ready = folder / "template.ready"
    name = ready.read_text() if ready.exists() else ""
    if not name:
        return
    with contextlib.suppress(Exception):
        _drop(connections[ALIAS], name)
