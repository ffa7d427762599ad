"""The round trip over generated archives: export every update, import the files into an empty
database, and the records are the same (items, their order and sections, whether each is for DCSs
only, actions with their due dates, order and contact, meetings with their end time and whether
they are online, triads with their status, resources, contacts). What the text has no printed
form for is listed in archive_records.py."""

import datetime
import tempfile

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.archive_generator import generate_archive
from tests.examples import examples

from .archive_records import archive_records, empty_archive
from .test_import_support import run_import

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 11, 29)
ROUND_TRIP = settings(
    max_examples=examples(150),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Rollback(Exception):
    pass


@ROUND_TRIP
@given(
    seed=st.integers(0, 10_000),
    updates=st.integers(1, 5),
    items=st.integers(1, 8),
    autumn=st.booleans(),
)
def test_a_generated_archive_exported_and_imported_again_prints_the_same(
    seed, updates, items, autumn
):
    today = TODAY - datetime.timedelta(weeks=6) if autumn else TODAY + datetime.timedelta(weeks=26)
    try:
        with transaction.atomic():
            generate_archive(updates=updates, items_per_update=items, seed=seed, today=today)
            before = archive_records()
            with tempfile.TemporaryDirectory() as folder:
                call_command("export_updates", "--to", folder, stdout=None)
                empty_archive()
                result = run_import(folder)
            assert not result.failed, result.err
            assert archive_records() == before
            raise Rollback
    except Rollback:
        pass
