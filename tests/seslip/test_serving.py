"""Production serving: the gunicorn configuration, the connection pool option, cached templates."""

import gc
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/seslip_never_connected"


def gunicorn_settings(monkeypatch, **env):
    for name in ("GUNICORN_WORKER_CLASS", "WEB_CONCURRENCY", "GUNICORN_THREADS", "PORT", "HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def settings_with(**env):
    """Database settings as a fresh process with these environment variables sees them."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "db = settings.DATABASES['default']; print(db['CONN_MAX_AGE'], db['OPTIONS'])",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "seslip.settings", **env},
        capture_output=True,
        text=True,
    )
    return result


def test_templates_are_loaded_through_the_cached_loader():
    loaders = engines["django"].engine.template_loaders

    assert [type(loader) for loader in loaders] == [CachedLoader]


def test_gunicorn_defaults_to_sync_workers_two_per_core_plus_one_on_loopback(monkeypatch):
    conf = gunicorn_settings(monkeypatch)

    assert conf["worker_class"] == "sync"
    assert conf["workers"] == 2 * conf["cores"] + 1
    assert conf["threads"] == 1
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["accesslog"] is None
    assert conf["timeout"] == 30
    assert conf["max_requests_jitter"] > 0


def test_gunicorn_gthread_workers_are_one_process_per_core_with_four_threads(monkeypatch):
    conf = gunicorn_settings(monkeypatch, GUNICORN_WORKER_CLASS="gthread")

    assert conf["workers"] == conf["cores"]
    assert conf["threads"] == 4


def test_the_gunicorn_master_compiles_every_template_before_forking_workers(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    logged = []
    server = type("Server", (), {"log": type("Log", (), {"info": lambda *a: logged.append(a)})})

    conf["when_ready"](server)

    ours = len(list((ROOT / "templates").rglob("*.html")))
    assert logged[0][0] == "Compiled %d templates ahead of the workers"
    assert logged[0][1] >= ours


def test_the_gunicorn_master_freezes_what_it_loaded_so_workers_never_collect_it(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    server = type("Server", (), {"log": type("Log", (), {"info": lambda *a: None})})
    try:
        conf["when_ready"](server)

        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_gunicorn_gthread_threads_come_from_the_environment(monkeypatch):
    conf = gunicorn_settings(monkeypatch, GUNICORN_WORKER_CLASS="gthread", GUNICORN_THREADS="6")

    assert conf["threads"] == 6


def test_gunicorn_takes_worker_count_and_port_from_the_environment(monkeypatch):
    conf = gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3", PORT="8123")

    assert conf["workers"] == 3
    assert conf["bind"] == "127.0.0.1:8123"


def test_gunicorn_refuses_an_unknown_worker_class(monkeypatch):
    with pytest.raises(RuntimeError, match="sync or gthread"):
        gunicorn_settings(monkeypatch, GUNICORN_WORKER_CLASS="eventlet")


def test_db_pool_gives_postgresql_a_checked_connection_pool():
    result = settings_with(DATABASE_URL=POSTGRES_URL, DB_POOL="1", CONN_MAX_AGE="0")

    assert result.returncode == 0, result.stderr
    assert "'pool': {'min_size': 2, 'max_size': 8" in result.stdout
    assert "check_connection" in result.stdout


def test_db_pool_refuses_persistent_connections_alongside():
    result = settings_with(DATABASE_URL=POSTGRES_URL, DB_POOL="1", CONN_MAX_AGE="600")

    assert result.returncode != 0
    assert "DB_POOL=1 needs CONN_MAX_AGE=0" in result.stderr


def test_without_db_pool_there_is_no_pool():
    result = settings_with(DATABASE_URL=POSTGRES_URL, CONN_MAX_AGE="600")

    assert result.returncode == 0, result.stderr
    assert "pool" not in result.stdout
    assert result.stdout.startswith("600")


def test_postgresql_connections_never_jit_compile_a_query():
    result = settings_with(DATABASE_URL=POSTGRES_URL)

    assert result.returncode == 0, result.stderr
    assert "'options': '-c jit=off'" in result.stdout
