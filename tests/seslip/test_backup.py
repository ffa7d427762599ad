"""`manage.py backup` and `manage.py restore`: every record comes back exactly, or nothing changes."""

import datetime
import gzip
import hashlib
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from networks.models import Meeting, Triad
from newsletters.models import Action, Issue, Placement
from tests.factories import (
    authority,
    list_contact,
    list_meeting,
    make_action,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_resource,
    make_triad,
    place,
)

UTC = datetime.UTC
TRANSIENT_APPS = {"sessions", "axes"}  # sign-in sessions and login-protection records
SEEDED = {"contacts.organisation", "auth.group"}  # what `migrate` puts in a new database


def snapshot():
    """Per table (many-to-many tables too): row count and a checksum of every row's values.

    Read straight through the ORM, independently of the backup code. Rows of many-to-many
    tables are compared without their own ids, which a restore renumbers.
    """
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in TRANSIENT_APPS:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        if model._meta.auto_created:
            names.remove("id")
        rows = sorted(model._base_manager.values_list(*names), key=repr)
        tables[model._meta.label_lower] = (
            len(rows),
            hashlib.sha256(repr(rows).encode()).hexdigest(),
        )
    return tables


def content_models():
    skipped = TRANSIENT_APPS | {"contenttypes"}
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in skipped and m._meta.label_lower != "auth.permission"
    ]


def delete_content(*, keep=()):
    """Delete every record (but those of the models in `keep`), whatever protects what."""
    pending = [m for m in content_models() if m._meta.label_lower not in keep]
    while pending:
        for model in list(pending):
            try:
                with transaction.atomic():
                    model._base_manager.all().delete()
                pending.remove(model)
            except (ProtectedError, RestrictedError):
                pass
    # Deleting records writes their last history rows (django-simple-history): clear those too.
    for model in content_models():
        if model._meta.label_lower not in keep and model.__name__.startswith("Historical"):
            model._base_manager.all().delete()


@pytest.fixture
def archive(editor, convener, dcs, safeguarding_network):
    """A small but complete archive: every kind of record, with awkward values."""
    kent, medway, surrey = authority("Kent"), authority("Medway"), authority("Surrey")
    isabelle = make_contact(
        "Isabelle Gregory",
        organisation=surrey,
        email="isabelle@example.org",
        details_as_of=datetime.date(2019, 10, 4),
    )
    zoe = make_contact("Zoë Ångström", role="Chair — “Data” group", phone="01234 567890")
    safeguarding_network.convener = isabelle
    safeguarding_network.save()
    data = make_network("Data Benchmarking", description="Benchmarks\nand more")

    issue = make_issue(349, date=datetime.date(2019, 10, 4), intro="Welcome to this week’s update.")
    issue.published_at = datetime.datetime(2019, 10, 4, 8, 30, 15, 123456, tzinfo=UTC)
    issue.save()
    draft = make_issue(350, published=False, improvement_plan="Our plan can be found here.")
    scheduled = make_issue(
        351, published=datetime.datetime(2030, 1, 2, 3, 4, 5, 999999, tzinfo=UTC)
    )

    item = make_item(
        issue,
        "Ofsted ILACS",
        update_text="<p>New <strong>framework</strong> &amp; guidance.</p>",
        action_text="<ul><li>Read it</li></ul>",
        contacts=[isabelle, zoe],
        networks=[safeguarding_network, data],
        authorities=[kent, medway],
    )
    place(draft, item, section=Placement.Section.REMINDER, position=3)
    make_item(scheduled, "DCS only news", dcs_only=True)
    make_action(
        item,
        "Return the survey",
        due_date=datetime.date(2019, 10, 18),
        contact=isabelle,
        audience=Action.Audience.DCS,
    )
    make_action(item, "Closed and undated", closed=True, position=2)

    meeting = make_meeting(
        safeguarding_network,
        datetime.date(2019, 11, 5),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 30, 15),
        online=True,
        status=Meeting.Status.TBC,
        contact=isabelle,
    )
    make_meeting(data, None, topic="Date to be fixed", place="Maidstone")
    list_meeting(issue, meeting, text="AD Safeguarding – 5 November 2019, 10.00–12.30 (Teams)")

    triad = make_triad(
        number=1, candidate_dates=["2019-11-01", "2019-11-11"], status=Triad.Status.TBC
    )
    quartet = make_triad(
        number=2,
        authorities=("Hampshire", "Isle of Wight", "Portsmouth", "Southampton"),
        date=datetime.date(2020, 1, 20),
        notes="Quartet: four authorities this round.",
    )
    issue.triads.add(triad, quartet)

    make_resource(
        issue,
        "Keeping Children Safe in Education",
        publisher="DfE",
        published_on=datetime.date(2019, 9, 2),
        url="https://example.org/kcsie",
        dcs_only=True,
    )
    list_contact(issue, isabelle, role="Programme lead (as printed that week)")
    list_contact(issue, zoe, position=1)

    dcs.user_permissions.add(Permission.objects.get(codename="view_issue"))
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Issue),
        object_id=str(issue.pk),
        object_repr=str(issue),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Intro"]}}]',
    )
    return issue


def back_up(tmp_path, name="seslip.json.gz"):
    path = tmp_path / name
    call_command("backup", str(path), verbosity=0)
    return path


def restore(path, *options):
    call_command("restore", str(path), *options, verbosity=0)


def test_round_trip_into_an_emptied_database_restores_every_record_exactly(archive, tmp_path):
    before = snapshot()
    path = back_up(tmp_path)
    delete_content()
    assert snapshot() != before

    restore(path)

    assert snapshot() == before


def test_round_trip_into_a_freshly_migrated_database_needs_no_replace(archive, tmp_path):
    before = snapshot()
    path = back_up(tmp_path)
    delete_content(keep=SEEDED)

    restore(path)

    assert snapshot() == before


def test_restored_values_are_exact(archive, tmp_path):
    path = back_up(tmp_path)
    delete_content()
    restore(path)

    issue = Issue.objects.get(number=349)
    assert issue.published_at == datetime.datetime(2019, 10, 4, 8, 30, 15, 123456, tzinfo=UTC)
    assert issue.created_at == archive.created_at
    assert issue.updated_at == archive.updated_at
    assert Triad.objects.get(number=1).candidate_dates == ["2019-11-01", "2019-11-11"]
    meeting = Meeting.objects.get(date=datetime.date(2019, 11, 5))
    assert meeting.end_time == datetime.time(12, 30, 15)
    item = issue.placements.get().item
    assert sorted(c.name for c in item.contacts.all()) == ["Isabelle Gregory", "Zoë Ångström"]
    assert item.update_text == "<p>New <strong>framework</strong> &amp; guidance.</p>"
    assert [m.authority.name for m in Triad.objects.get(number=2).memberships.all()] == [
        "Hampshire",
        "Isle of Wight",
        "Portsmouth",
        "Southampton",
    ]


def test_restored_accounts_keep_their_passwords_groups_and_permissions(
    archive, tmp_path, django_user_model
):
    path = back_up(tmp_path)
    delete_content()
    restore(path)

    connor = django_user_model.objects.get(username="connor")
    assert connor.check_password("correct horse battery")
    assert [g.name for g in connor.groups.all()] == ["Network conveners"]
    assert [n.name for n in connor.convened_networks.all()] == ["AD Safeguarding"]
    assert connor.has_perm("networks.change_meeting")
    assert django_user_model.objects.get(username="diana").has_perm("newsletters.view_issue")


def test_new_records_after_a_restore_get_fresh_ids(archive, tmp_path):
    path = back_up(tmp_path)
    delete_content()
    restore(path)

    assert make_issue(999).pk > archive.pk
    assert make_contact("Someone New").pk


def test_the_manifest_lists_every_content_model_with_counts_and_checksums(archive, tmp_path):
    with gzip.open(back_up(tmp_path), "rt") as file:
        backup = json.load(file)

    listed = {entry["model"]: entry for entry in backup["manifest"]}
    assert set(listed) == {m._meta.label_lower for m in content_models()}
    assert listed["newsletters.issue"]["count"] == 3
    assert listed["networks.triadmember"]["count"] == 7
    assert all(len(entry["sha256"]) == 64 for entry in listed.values())


def test_the_backup_file_is_readable_by_its_owner_only(archive, tmp_path):
    assert back_up(tmp_path).stat().st_mode & 0o777 == 0o600


def test_restore_refuses_a_database_that_has_content(archive, tmp_path):
    path = back_up(tmp_path)
    before = snapshot()

    with pytest.raises(CommandError, match="already holds content.*--replace"):
        restore(path)

    assert snapshot() == before


def test_replace_swaps_everything_for_the_backup(archive, tmp_path):
    before = snapshot()
    path = back_up(tmp_path)
    make_issue(400)
    Issue.objects.filter(number=350).delete()
    authority("Kent").news_items.clear()

    restore(path, "--replace")

    assert snapshot() == before


def test_dry_run_checks_everything_and_changes_nothing(archive, tmp_path):
    path = back_up(tmp_path)
    delete_content()
    emptied = snapshot()

    restore(path, "--dry-run")

    assert snapshot() == emptied


def damage(path, how):
    raw = path.read_bytes()
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "flipped bytes":
        middle = len(raw) // 2
        path.write_bytes(
            raw[:middle] + bytes(b ^ 0xFF for b in raw[middle : middle + 8]) + raw[middle + 8 :]
        )
    elif how == "not gzip":
        path.write_text("UPDATE NO 349\n")


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("truncated", "incomplete: it ends early"),
        ("flipped bytes", "damaged"),
        ("not gzip", "damaged or is not a backup file"),
    ],
)
def test_a_damaged_file_is_refused_and_the_database_is_unchanged(archive, tmp_path, how, message):
    path = back_up(tmp_path)
    damage(path, how)
    before = snapshot()

    with pytest.raises(CommandError, match=f"Nothing was restored. .*{message}"):
        restore(path, "--replace")

    assert snapshot() == before


def rewrite(path, change):
    with gzip.open(path, "rt") as file:
        backup = json.load(file)
    change(backup)
    with gzip.open(path, "wt") as file:
        json.dump(backup, file)


def test_an_edited_row_that_no_longer_matches_the_manifest_is_refused(archive, tmp_path):
    path = back_up(tmp_path)

    def edit_intro(backup):
        backup["data"]["newsletters.issue"][0]["fields"]["intro"] = "Tampered"

    rewrite(path, edit_intro)
    before = snapshot()

    with pytest.raises(CommandError, match="newsletters.issue has 3 rows that do not match"):
        restore(path, "--replace")

    assert snapshot() == before


def test_a_row_that_will_not_load_rolls_back_the_whole_restore(archive, tmp_path):
    """Consistent with its manifest, but two updates share a number: nothing may be left half-done."""
    path = back_up(tmp_path)

    def duplicate_number(backup):
        from seslip.backup import checksum

        rows = backup["data"]["newsletters.issue"]
        rows[1]["fields"]["number"] = rows[0]["fields"]["number"]
        entry = next(e for e in backup["manifest"] if e["model"] == "newsletters.issue")
        entry["sha256"] = checksum(rows)

    rewrite(path, duplicate_number)
    before = snapshot()

    with pytest.raises(CommandError, match="Could not restore newsletters.issue"):
        restore(path, "--replace")

    assert snapshot() == before


def test_a_missing_file_gets_a_clear_message(db, tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        restore(tmp_path / "nowhere.json.gz")


def test_a_backup_into_a_missing_folder_gets_a_clear_message_and_writes_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "missing" / "b.json.gz"), verbosity=0)
    assert not (tmp_path / "missing").exists()


def test_a_failed_backup_leaves_no_file_behind(archive, tmp_path, monkeypatch):
    real_open = gzip.open

    class FullDisk:
        def __init__(self, *args, **kwargs):
            self.file = real_open(*args, **kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, text):
            self.file.write(text[: len(text) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("seslip.backup.gzip.open", FullDisk)
    with pytest.raises(CommandError, match="No space left on device"):
        call_command("backup", str(tmp_path / "b.json.gz"), verbosity=0)
    assert list(tmp_path.iterdir()) == []


def test_a_backup_of_a_newer_schema_is_refused(archive, tmp_path):
    path = back_up(tmp_path)
    rewrite(path, lambda backup: backup["migrations"].append("newsletters.9999_future"))

    with pytest.raises(CommandError, match="newer version of seslip.*newsletters.9999_future"):
        restore(path, "--replace")


def test_the_commands_report_what_they_did(archive, tmp_path):
    from io import StringIO

    out = StringIO()
    path = tmp_path / "b.json.gz"
    call_command("backup", str(path), stdout=out)
    assert "newsletters.issue: 3" in out.getvalue()
    assert f"Saved to {path}" in out.getvalue()

    out = StringIO()
    call_command("restore", str(path), "--replace", stdout=out)
    assert "counts and checksums match" in out.getvalue()


def test_round_trip_of_a_generated_archive_restores_every_record_exactly(db, tmp_path):
    call_command("generate_archive", updates=12, seed=7, verbosity=0)
    before = snapshot()
    assert before["newsletters.placement"][0] > 50
    path = back_up(tmp_path)
    delete_content()

    restore(path)

    assert snapshot() == before
