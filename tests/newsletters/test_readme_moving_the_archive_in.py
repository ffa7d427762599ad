"""The README's "Moving the archive in" works as written: the formats it lists are the ones the
importer reads, and its commands, typed as they are (a dry run first, then for real), move a
folder of updates in."""

import re
import shlex
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from newsletters.importer.text import READABLE_SUFFIXES
from newsletters.models import Issue

from .test_import_generations import SAMPLE
from .test_import_support import SEED

README = Path(settings.BASE_DIR) / "README.md"


def section(title):
    text = README.read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_names_every_format_the_importer_reads():
    formats = section("Moving the archive in")
    assert [suffix for suffix in READABLE_SUFFIXES if f"`{suffix}`" not in formats] == []


@pytest.mark.django_db
def test_the_readme_commands_move_an_archive_in_dry_run_first(tmp_path):
    commands = re.findall(
        r"^\.venv/bin/python manage\.py (import_updates .+?)\s+#",
        section("Moving the archive in"),
        re.M,
    )
    assert commands == ["import_updates archive/ --dry-run", "import_updates archive/"]
    archive = tmp_path / "archive"
    archive.mkdir()
    for path in [*SEED.values(), SAMPLE]:
        shutil.copy(path, archive)

    def run(command):
        name, *args = shlex.split(command.replace("archive/", f"{archive}/"))
        call_command(name, *args, stdout=StringIO(), stderr=StringIO())

    run(commands[0])
    assert not Issue.objects.exists()
    run(commands[1])
    assert sorted(Issue.objects.values_list("number", flat=True)) == [312, 349, 377, 478, 515, 612]
