"""Hostile update files through `manage.py import_updates`: the seeds mutated (lines deleted,
duplicated, swapped; random bytes; truncation; huge numbers; odd unicode and whitespace) and files
generated line by line. Each one either imports, or fails with `path:line: error: …` naming the
file and the line; never a traceback; and a failed file leaves every table exactly as it was.

(tests/newsletters/test_import_robustness.py fuzzes the parser alone; this goes through the
command and the database.)
"""

import hashlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.examples import examples

from .test_import_support import SEED

pytestmark = pytest.mark.django_db

EXAMPLES = examples(200)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs on every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SEEDS = {number: path.read_bytes() for number, path in SEED.items()}
ODD = [
    "\u00a0",  # no-break space
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark inside the text
    "\u202e",  # right-to-left override
    "\u2028",  # line separator
    "\t",
    "\r",
    "\x0b",
    "\x0c",
    "e\u0301",  # combining accent
    "\U0001f600",
    "\uff15",  # fullwidth digit five
    "٣",  # Arabic-Indic digit three
    "ǅ",
]
HUGE = ["99999999999999999999", "2147483648", "9223372036854775808", "0", "00", "1e9", "-1"]


def snapshot():
    """Every table's row count and a checksum of its rows."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        rows = sorted(repr(row) for row in model.objects.order_by().values_list())
        state[model._meta.db_table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).digest())
    return state


def lines_of(data):
    return data.split(b"\n")


@st.composite
def mutated_seed(draw):
    lines = lines_of(draw(st.sampled_from(sorted(SEEDS)).map(SEEDS.get)))
    for _ in range(draw(st.integers(1, 4))):
        lines = draw(st.sampled_from(MUTATIONS))(draw, lines)
    return b"\n".join(lines)


def _index(draw, lines):
    return draw(st.integers(0, max(len(lines) - 1, 0)))


def delete_lines(draw, lines):
    at = _index(draw, lines)
    return lines[:at] + lines[at + draw(st.integers(1, 5)) :]


def duplicate_lines(draw, lines):
    at = _index(draw, lines)
    chunk = lines[at : at + draw(st.integers(1, 8))]
    to = _index(draw, lines)
    return lines[:to] + chunk + lines[to:]


def swap_lines(draw, lines):
    if len(lines) < 2:
        return lines
    a, b = _index(draw, lines), _index(draw, lines)
    lines = list(lines)
    lines[a], lines[b] = lines[b], lines[a]
    return lines


def random_bytes(draw, lines):
    at = _index(draw, lines)
    line = lines[at] if lines else b""
    cut = draw(st.integers(0, len(line)))
    noise = draw(st.binary(min_size=1, max_size=12))
    return lines[:at] + [line[:cut] + noise + line[cut:]] + lines[at + 1 :]


def truncate(draw, lines):
    data = b"\n".join(lines)
    return lines_of(data[: draw(st.integers(0, len(data)))])


def huge_number(draw, lines):
    at = _index(draw, lines)
    if not lines or not re.search(rb"\d+", lines[at]):
        at = 0  # the header's update number, or its date
    huge = draw(st.sampled_from(HUGE)).encode()
    line = re.sub(rb"\d+", huge, lines[at], count=draw(st.integers(1, 3))) if lines else huge
    return lines[:at] + [line] + lines[at + 1 :]


def odd_text(draw, lines):
    at = _index(draw, lines)
    line = lines[at].decode("utf-8", "replace") if lines else ""
    cut = draw(st.integers(0, len(line)))
    odd = "".join(draw(st.lists(st.sampled_from(ODD), min_size=1, max_size=4)))
    return lines[:at] + [(line[:cut] + odd + line[cut:]).encode("utf-8")] + lines[at + 1 :]


def random_line(draw, lines):
    at = _index(draw, lines)
    text = draw(st.text(max_size=200))
    return lines[:at] + [text.encode("utf-8", "surrogatepass")] + lines[at:]


MUTATIONS = [
    delete_lines,
    duplicate_lines,
    swap_lines,
    random_bytes,
    truncate,
    huge_number,
    odd_text,
    random_line,
]

GENERATED_LINES = st.sampled_from(
    [
        "",
        "",
        "",
        "UPDATE NO 700 3 May 2024",
        "UPDATE NO 700 3 May 2024",
        "UPDATE NO 4294967296 3 May 2024",
        "UPDATE NO 701 31 June 2024",
        "Programme:",
        "Update:",
        "Action Required:",
        "Reminders from previous weeks",
        "Tools & Templates",
        "Contact Details",
        "Future dates for network meetings",
        "AD Safeguarding: Friday 9 September 10:00am. More from Mark Evans (contact details below)",
        "Early Help: 99 March 25:99pm",
        "Triad 1 – East Sussex, Surrey and Wokingham on Monday 25 November 2019",
        "Triad 99999999999999999999 – Kent on 1 May 2024",
        "Quartet 3",
        "2019-20 DCS Peer Challenge dates",
        "Please return the form to Isabelle Gregory (details below) by 24 March.",
        "Reply by 31 February 2024.",
        "A report published by the DfE on 12 May 2024.",
        "SESLIP Consultant: Isabelle Gregory (South East Sector-Led Improvement Programme)",
        "Role: Name (Org (Inner))",
        "isabelle@example..org",
        "07931 586784",
        "Regional café network launched",
        "The new network met on 1 March and agreed its plan for the year ahead with all members.",
    ]
)


GENERATED_BLOCKS = st.sampled_from(
    [
        "\n\n\nRegional café network launched\n\n\nThe new network met on 1 March and agreed "
        "its plan for the year ahead with all members.\n\nAction Required:\n\nPlease reply to "
        "Isabelle Gregory (details below) by 24 March.",
        "\n\n\nPeer Challenge 2023-24\n\n\nThe triads for this year are set out below for "
        "everyone.\n\nTriad 40000 – Kent, Surrey and Slough on Monday 25 November 2024\n\n"
        "Triad 2 – Kent, Narnia and Medway on 3 or 4 December 2024",
        "Programme:\nA 2022 style item\nUpdate:\nSomething happened this week in the region.\n"
        "Action Required:\nReply by 12 May.",
        "Future dates for network meetings\n\n\nAD Safeguarding: Friday 9 May 10:00am. More from "
        "Mark Evans (contact details below)\n\nData: 31 April 2024 9-10am",
        "Contact Details\n\nSESLIP Consultant: Isabelle Gregory (SESLIP)\n\n"
        + "a" * 250
        + "@example.org\n\n07931 586784",
    ]
)
HEADERS = st.sampled_from(["UPDATE NO 700 3 May 2024", "UPDATE NO 702 10 May 2024"])


@st.composite
def generated_update(draw):
    parts = draw(
        st.lists(st.one_of(GENERATED_LINES, GENERATED_BLOCKS, st.text(max_size=60)), max_size=40)
    )
    if draw(st.booleans()):
        header = draw(HEADERS)
        parts = [header, "", header, ""] + parts
    return "\n".join(parts).encode("utf-8", "surrogatepass")


def import_file(tmp_path, data):
    path = tmp_path / "update.txt"
    path.write_bytes(data)
    out, err = StringIO(), StringIO()
    try:
        call_command("import_updates", str(path), stdout=out, stderr=err)
        failed = False
    except CommandError:
        failed = True
    return path, failed, out.getvalue(), err.getvalue()


def assert_imports_or_names_file_and_line(tmp_path, data):
    before = snapshot()
    path, failed, out, err = import_file(tmp_path, data)
    assert "Traceback" not in err + out
    for line in err.split("\n")[:-1]:  # a quoted line may hold \x1e, \u2028…
        assert re.match(rf"{re.escape(str(path))}:\d+: (warning|error): \S", line), line
    if failed:
        assert re.search(rf"^{re.escape(str(path))}:\d+: error: ", err, re.M), err
        assert snapshot() == before, "a failed import changed the database"
    else:
        assert ": error:" not in err, err
        assert re.search(r"^1 files: [01] new, [01] changed, [01] unchanged, 0 failed", out, re.M)


REGRESSIONS = [  # inputs that once ended in "unexpected problem" without a line
    b"UPDATE NO 2147483648 3 May 2024\n\n\nA title\n\n\nA body of text long enough for prose.",
    b"UPDATE NO 99999999999999999999 3 May 2024\n",
    "UPDATE NO \u00b2 3 May 2024\n".encode(),
]


@FUZZ
@given(data=mutated_seed())
@example(data=REGRESSIONS[0])
@example(data=REGRESSIONS[1])
@example(data=REGRESSIONS[2])
def test_mutated_seeds_import_or_fail_cleanly_naming_file_and_line(tmp_path, data):
    assert_imports_or_names_file_and_line(tmp_path, data)


@FUZZ
@given(data=generated_update())
def test_generated_updates_import_or_fail_cleanly_naming_file_and_line(tmp_path, data):
    assert_imports_or_names_file_and_line(tmp_path, data)
