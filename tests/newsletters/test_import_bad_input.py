"""Bad input: a clear error naming file and line, nothing half-written, the rest imported."""

import datetime

import pytest

from contacts.models import Contact
from networks.models import Triad
from newsletters.models import Issue, NewsItem

from .test_import_support import SEED, run_import

pytestmark = pytest.mark.django_db

UPDATE = """UPDATE NO 600 10 March 2023

Three children playing happily together


Welcome to this week's update.

UPDATE NO 600 10 March 2023


Regional café network launched


The new network met on 1 March and agreed its plan for the year ahead with all members.

Action Required:

Please send your nominations to Isabelle Gregory (details below) by 24 March.

Contact Details

SESLIP Consultant: Isabelle Gregory (South East Sector-Led Improvement Programme)

isabelle@example.org

07931 586784
"""


def write(tmp_path, text, name="update.txt", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_a_file_that_is_not_an_update_is_an_error(tmp_path):
    path = write(tmp_path, "Minutes of the DCS meeting\n\nApologies were received.\n")
    result = run_import(path)
    assert result.failed
    assert result.err.startswith(f"{path}:1: error: this is not an update")
    assert "Traceback" not in result.err
    assert Issue.objects.count() == 0


def test_a_header_number_that_is_not_a_number_is_an_error(tmp_path):
    path = write(tmp_path, UPDATE.replace("UPDATE NO 600", "UPDATE NO six hundred", 1))
    result = run_import(path)
    assert result.failed
    assert f"{path}:1: error: the update number “six” in the header is not a number" in result.err


def test_an_impossible_header_date_is_an_error(tmp_path):
    path = write(tmp_path, UPDATE.replace("10 March 2023", "31 February 2023", 1))
    result = run_import(path)
    assert result.failed
    assert f"{path}:1: error: the header's date “31 February 2023” does not exist" in result.err


def test_a_file_that_is_not_utf8_is_an_error(tmp_path):
    path = write(tmp_path, UPDATE.replace("café", "caf\u00e9"), encoding="latin-1")
    result = run_import(path)
    assert result.failed
    assert f"{path}:11: error: the file is not UTF-8 text" in result.err
    assert Issue.objects.count() == 0


def test_bom_and_crlf_are_read_and_non_breaking_spaces_are_stored_as_spaces(tmp_path):
    text = UPDATE.replace("agreed its plan", "agreed\u00a0its “plan” – ").replace("\n", "\r\n")
    path = write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = run_import(path)
    assert not result.failed, result.err
    item = NewsItem.objects.get()
    assert item.title == "Regional café network launched"
    assert "agreed its “plan” –" in item.update_text
    assert Issue.objects.get().number == 600


def test_unknown_authority_is_a_warning(tmp_path):
    text = UPDATE.replace(
        "The new network met",
        "Triad 7 – Kent, Narnia and Surrey on Monday 25 November 2019\n\nThe new network met",
    )
    result = run_import(write(tmp_path, text))
    assert not result.failed
    assert "update.txt:14: warning: unknown authority “Narnia”" in result.err
    triad = Triad.objects.get(number=7)
    assert [m.authority.name for m in triad.memberships.all()] == ["Kent", "Surrey"]


def test_weekday_that_does_not_match_the_date_is_a_warning(tmp_path):
    text = UPDATE.replace(
        "The new network met",
        "Triad 2 – Kent, Medway and Slough on Tuesday 25 November 2019\n\nThe new network met",
    )
    result = run_import(write(tmp_path, text))
    assert "update.txt:14: warning: “Tuesday 25 November 2019”: 25 November 2019 is a Monday" in (
        result.err
    )
    assert Triad.objects.get(number=2).date == datetime.date(2019, 11, 25)


def test_person_named_details_below_but_not_listed_is_a_warning(tmp_path):
    text = UPDATE.replace("Isabelle Gregory (details below)", "Jo Bloggs (details below)")
    result = run_import(write(tmp_path, text))
    assert (
        "update.txt:18: warning: Jo Bloggs is named “(details below)” but is not under "
        "Contact Details"
    ) in result.err
    item = NewsItem.objects.get()
    assert "Jo Bloggs" in {c.name for c in item.contacts.all()}


def test_a_failing_file_leaves_the_database_as_it_was_and_the_others_import(tmp_path):
    bad = write(tmp_path, UPDATE.replace("10 March 2023", "10 Smarch 2023", 1), name="bad.txt")
    result = run_import(bad, SEED[312])
    assert result.failed
    assert f"{bad}:1: error:" in result.err
    assert list(Issue.objects.values_list("number", flat=True)) == [312]


def test_exit_status_and_one_line_summary(tmp_path):
    bad = write(tmp_path, "not an update\n", name="bad.txt")
    result = run_import(bad, SEED[312], SEED[349])
    assert result.failed
    assert result.summary == (
        "3 files: 2 new, 0 changed, 0 unchanged, 1 failed; 6 items, 4 reminders, 3 actions, "
        "0 meetings, 6 triads, 25 resources, 13 contacts; 1 warnings"
    )


def test_the_command_exits_non_zero(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    bad = write(tmp_path, "not an update\n", name="bad.txt")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_updates", "--dry-run", str(bad)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "error: this is not an update" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_file_is_an_error(tmp_path):
    result = run_import(tmp_path / "nowhere.txt")
    assert result.failed
    assert "nowhere.txt: error: cannot read the file" in result.err


def test_an_update_written_in_the_admin_is_not_overwritten(tmp_path):
    Issue.objects.create(number=600, intro="Written by Edith")
    result = run_import(write(tmp_path, UPDATE))
    assert result.failed
    assert "update 600 already exists and was written in the admin" in result.err
    assert Issue.objects.get().intro == "Written by Edith"
    assert Contact.objects.count() == 0


MEETINGS = """UPDATE NO 601 10 March 2023

UPDATE NO 601 10 March 2023


Regional café network launched


The new network met and agreed its plan for the year ahead.

Action Required:

Please tell us who will attend.


Future dates for network meetings


AD Safeguarding: Friday 31 April 10:00am. More from Mark Evans (contact details below)

The next meeting will be held in the usual place as soon as it can be arranged by the group

Early Help: Monday 13 March 1.30pm. More from Mark Evans (contact details below)

Contact Details

CSC Workforce, PSW and AD Safeguarding Network Lead: Mark Evans (South East Sector-Led Improvement Programme)
"""


def test_meeting_lines_it_cannot_read_are_warnings_and_the_rest_imports(tmp_path):
    from networks.models import Meeting

    result = run_import(write(tmp_path, MEETINGS))
    assert not result.failed
    assert "update.txt:19: warning: “Friday 31 April” is not a real date; left out" in result.err
    assert "update.txt:21: warning: could not tell which network this meeting is for" in result.err
    early_help = Meeting.objects.get(network__name="Early Help")
    assert (early_help.date, early_help.start_time) == (
        datetime.date(2023, 3, 13),
        datetime.time(13, 30),
    )
    assert Meeting.objects.get(network__name="AD Safeguarding").status == "tbc"
