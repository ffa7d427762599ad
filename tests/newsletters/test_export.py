"""Every update exports as text in the newsletter's shape, and the text imports as the same records."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import make_issue, make_item

from .archive_records import archive_records, empty_archive
from .test_import_support import SEED, import_seed, run_import

pytestmark = pytest.mark.django_db


def test_the_five_seeds_exported_and_imported_again_are_the_same_records(tmp_path):
    import_seed(*SEED)
    before = archive_records()
    call_command("export_updates", "--to", str(tmp_path))
    empty_archive()
    result = run_import(tmp_path)
    assert not result.failed, result.err
    assert archive_records() == before


def test_each_update_is_written_to_a_file_named_by_its_number(tmp_path):
    import_seed(515, 349)
    call_command("export_updates", "515", "--to", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["515.txt"]
    text = (tmp_path / "515.txt").read_text()
    assert text.startswith("UPDATE NO 515 22 July 2022\n")
    for heading in ("Programme:", "Update:", "Action Required:", "Reminders from previous weeks"):
        assert f"\n{heading}\n" in text
    assert "\nTools & Templates\n" in text and "\nContact Details\n" in text


def test_an_unknown_number_is_refused_and_nothing_is_written(tmp_path):
    import_seed(515)
    with pytest.raises(Exception, match="there is no update 999"):
        call_command("export_updates", "515", "999", "--to", str(tmp_path / "out"))
    assert not Path(tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_published_update_reads_as_text_at_its_txt_address(client):
    issue = make_issue(600, date=datetime.date(2024, 4, 19))
    make_item(
        issue, "Kinship carers", update_text='<p>Read it <a href="https://x.org/k">here</a>.</p>'
    )

    response = client.get("/updates/600.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("UPDATE NO 600 19 April 2024\n")
    assert "\nKinship carers\n\nUpdate:\n\nRead it [here](https://x.org/k).\n" in text


def test_the_text_leaves_out_dcs_only_items_for_readers_who_are_not_dcss(client, reader):
    issue = make_issue(600)
    make_item(issue, "Open to all")
    make_item(issue, "For DCSs only", dcs_only=True, position=1)
    client.force_login(reader)

    text = client.get("/updates/600.txt").content.decode()

    assert "Open to all" in text and "For DCSs only" not in text


def test_a_dcs_reads_the_dcs_only_items_in_the_text(client, dcs):
    issue = make_issue(600)
    make_item(issue, "For DCSs only", dcs_only=True)
    client.force_login(dcs)

    assert "For DCSs only" in client.get("/updates/600.txt").content.decode()


def test_a_draft_has_no_text_address(client):
    make_issue(600, published=False)

    assert client.get("/updates/600.txt").status_code == 404
