"""Editors add readers in bulk from a spreadsheet: `manage.py import_subscribers FILE.csv`."""

import pytest
from django.core.management import CommandError, call_command

from newsletters.models import Subscriber

pytestmark = pytest.mark.django_db

GOOD = (
    "email,name,authority,role\n"
    "dcs@kent.example,Dana Director,Kent,DCS\n"
    "pa@kent.example,Pat Assistant,Kent,DCS PA\n"
    "lead@surrey.example,Lee Lead,Surrey,lead\n"
    "plain@example.org,Plain Reader,,\n"
)


def run(tmp_path, text, *args):
    path = tmp_path / "readers.csv"
    path.write_text(text, encoding="utf-8")
    return call_command("import_subscribers", str(path), *args)


def test_an_import_subscribes_each_line_with_its_authority_and_role(tmp_path):
    run(tmp_path, GOOD)
    dana = Subscriber.objects.get(email="dcs@kent.example")
    assert (dana.name, dana.authority.name, dana.role, dana.status) == (
        "Dana Director",
        "Kent",
        "dcs",
        Subscriber.Status.SUBSCRIBED,
    )
    assert Subscriber.objects.get(email="pa@kent.example").gets_dcs_items
    assert not Subscriber.objects.get(email="lead@surrey.example").gets_dcs_items


def test_a_bad_line_is_reported_by_number_and_the_rest_import(tmp_path, capsys):
    text = GOOD + "not-an-address,Nobody,,\nx@example.org,X,Atlantis,\ny@example.org,Y,,Mayor\n"
    with pytest.raises(CommandError, match="3 lines could not be imported"):
        run(tmp_path, text)
    err = capsys.readouterr().err
    assert "line 6: “not-an-address” is not an e-mail address" in err
    assert "line 7: no authority is called “Atlantis”" in err
    assert (
        "line 8: the role “Mayor” is not one of DCS, DCS PA, Lead (an AD or network member), Programme staff"
        in err
    )
    assert Subscriber.objects.count() == 4


def test_importing_again_changes_nothing(tmp_path, capsys):
    run(tmp_path, GOOD)
    before = list(Subscriber.objects.values_list("email", "name", "role", "status", "updated_at"))
    run(tmp_path, GOOD)
    assert "0 added, 0 changed, 4 unchanged" in capsys.readouterr().out
    assert (
        list(Subscriber.objects.values_list("email", "name", "role", "status", "updated_at"))
        == before
    )


def test_an_unsubscribed_address_is_never_subscribed_again_by_an_import(tmp_path, capsys):
    Subscriber.objects.create(email="plain@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    run(tmp_path, GOOD)
    assert (
        Subscriber.objects.get(email="plain@example.org").status == Subscriber.Status.UNSUBSCRIBED
    )
    assert "1 left unsubscribed" in capsys.readouterr().out


def test_a_file_without_the_columns_is_refused_whole(tmp_path):
    with pytest.raises(CommandError, match="Line 1 must name the columns"):
        run(tmp_path, "address,who\nann@example.org,Ann\n")
    assert not Subscriber.objects.exists()


def test_a_dry_run_saves_nothing(tmp_path, capsys):
    run(tmp_path, GOOD, "--dry-run")
    assert "Would import: 4 added" in capsys.readouterr().out
    assert not Subscriber.objects.exists()
