import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-that-is-not-the-default-0123456789",
    "ALLOWED_HOSTS": "seslip.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_time_zone_is_london_and_language_british():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


def test_dates_are_read_and_written_the_british_way_with_translation_off():
    assert not settings.USE_I18N  # English only: no translation machinery on every render
    assert forms.DateField().clean("04/03/2026") == datetime.date(2026, 3, 4)
    assert formats.date_format(datetime.date(2026, 3, 4)) == "4 Mar 2026"
    assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_deploy_check_with_production_variables_prints_no_warning():
    env = {**os.environ, **PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, **PRODUCTION_ENV, "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_no_model_changes_are_missing_a_migration():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def start(**variables):
    env = {**os.environ, **variables}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_a_yes_or_no_setting_that_cannot_be_read_stops_the_start_naming_it():
    result = start(PAGE_CACHE="ture")
    assert result.returncode != 0
    assert "ImproperlyConfigured: PAGE_CACHE='ture' is not a yes or no" in result.stderr


def test_a_number_setting_that_cannot_be_read_stops_the_start_naming_it():
    result = start(AXES_FAILURE_LIMIT="five")
    assert result.returncode != 0
    assert "ImproperlyConfigured: AXES_FAILURE_LIMIT='five' is not a whole number" in result.stderr


def read_settings(monkeypatch, **variables):
    """The settings module read afresh with `variables` in the environment."""
    import runpy

    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "seslip" / "settings.py"))


def test_a_setting_with_a_fixed_set_of_values_refuses_another_naming_them(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="PAGE_WARMING='threads' is not one of thread,"):
        read_settings(monkeypatch, PAGE_WARMING="threads")
    assert read_settings(monkeypatch, PAGE_WARMING=" Task ")["PAGE_WARMING"] == "task"


def test_the_mail_settings_numbers_that_cannot_be_read_stop_the_start_naming_them(monkeypatch):
    for name in ("EMAIL_TIMEOUT", "EDITION_LEASE_SECONDS"):
        with pytest.raises(ImproperlyConfigured, match=f"{name}='20s' is not a whole number"):
            read_settings(monkeypatch, **{name: "20s"})
        monkeypatch.delenv(name)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='smtp' is not a whole number"):
        read_settings(monkeypatch, EMAIL_HOST="mail.example.org", EMAIL_PORT="smtp")


def test_yes_and_no_are_read_in_any_of_their_spellings():
    from seslip.settings import env_bool

    for value, expected in [("1", True), ("Yes", True), (" on ", True), ("off", False)]:
        os.environ["SESLIP_TEST_FLAG"] = value
        try:
            assert env_bool("SESLIP_TEST_FLAG", not expected) is expected
        finally:
            del os.environ["SESLIP_TEST_FLAG"]


def run_command(*arguments, **variables):
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env={**env, **variables},
        capture_output=True,
        text=True,
    )


def test_in_development_without_a_mail_server_messages_are_printed_on_the_console():
    result = run_command("sendtestemail", "dcs@kent.gov.uk", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "To: dcs@kent.gov.uk" in result.stdout


def test_with_a_mail_server_named_messages_go_to_it():
    result = run_command(
        "sendtestemail", "dcs@kent.gov.uk", DEBUG="1", EMAIL_HOST="127.0.0.1", EMAIL_PORT="9"
    )  # the discard port: nothing listens there
    assert result.returncode != 0
    assert "To: dcs@kent.gov.uk" not in result.stdout
