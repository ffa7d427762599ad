"""What an editor changes about a reader (their role, their authority, their account being
active) and a reader's signing out reach every page the reader is next served, at once, in
every server process: not only in the one that made the change."""

import uuid
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contacts.models import Membership
from tests.conftest import make_user
from tests.factories import authority
from tests.public_site import DCS_ONLY_TITLE, small_site_with_a_dcs_only_item
from tests.seslip.test_audiences import signed_in

pytestmark = pytest.mark.django_db

SECRET = DCS_ONLY_TITLE


@pytest.fixture
def site(db):
    return small_site_with_a_dcs_only_item()


@pytest.fixture
def superuser(django_user_model):
    """Sam looks after the accounts."""
    user = make_user(django_user_model, "sam", staff=True)
    user.is_superuser = True
    user.save()
    return user


@contextmanager
def another_server_process(settings):
    """Requests served by another server process: it has its own memory (the page cache, when
    that is kept in each process's memory) and shares the rest (the files or Redis of the
    shared cache, the database)."""
    before = settings.CACHES
    default = before["default"]
    if default["BACKEND"].endswith("LocMemCache"):
        process = {**default, "LOCATION": f"process-{uuid.uuid4().hex}"}
        settings.CACHES = {**before, "default": process}
    try:
        yield
    finally:
        settings.CACHES = before


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text


def test_a_role_an_editor_changes_reaches_the_reader_s_pages_in_every_process(
    site, settings, editor, kent_lead
):
    url = site["issue"].get_absolute_url()
    lena = signed_in(Client, kent_lead)
    assert SECRET not in page(lena, url)  # who she is, kept by this process too
    membership = Membership.objects.get(user=kent_lead)
    with another_server_process(settings):
        edith = signed_in(Client, editor)
        response = edith.post(
            reverse("admin:contacts_membership_change", args=[membership.pk]),
            {"organisation": membership.organisation_id, "role": "dcs", "_save": "Save"},
        )
        assert response.status_code == 302, response.text[:2000]
    assert SECRET in page(lena, url)


def test_an_authority_an_editor_changes_reaches_my_authority_in_every_process(
    site, settings, editor, kent_lead
):
    lena = signed_in(Client, kent_lead)
    assert "Kent: what we owe" in page(lena, reverse("my_authority"))
    membership = Membership.objects.get(user=kent_lead)
    with another_server_process(settings):
        edith = signed_in(Client, editor)
        response = edith.post(
            reverse("admin:contacts_membership_change", args=[membership.pk]),
            {"organisation": authority("Medway").pk, "role": "lead", "_save": "Save"},
        )
        assert response.status_code == 302, response.text[:2000]
    text = page(lena, reverse("my_authority"))
    assert "Medway: what we owe" in text and "Kent" not in text


def account_form(user, **changes):
    """The admin's change form of `user` as it comes, with `changes` made."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "date_joined_0": joined.strftime("%d/%m/%Y"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "_save": "Save",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_reader_deactivated_in_the_admin_is_signed_out_in_every_process(
    site, settings, superuser, kent_dcs
):
    url = site["issue"].get_absolute_url()
    kofi = signed_in(Client, kent_dcs)
    assert SECRET in page(kofi, url)
    with another_server_process(settings):
        sam = signed_in(Client, superuser)
        response = sam.post(
            reverse("admin:auth_user_change", args=[kent_dcs.pk]),
            account_form(kent_dcs, is_active=None),
        )
        assert response.status_code == 302, response.text[:3000]
    assert not get_user_model().objects.get(pk=kent_dcs.pk).is_active
    text = page(kofi, url)
    assert SECRET not in text and "kofi@example.org" not in text and "Sign in</a>" in text


def test_a_reader_taken_out_of_the_dcss_group_in_the_admin_loses_dcs_pages_in_every_process(
    site, settings, superuser, dcs
):
    url = site["issue"].get_absolute_url()
    diana = signed_in(Client, dcs)
    assert SECRET in page(diana, url)
    with another_server_process(settings):
        sam = signed_in(Client, superuser)
        response = sam.post(
            reverse("admin:auth_user_change", args=[dcs.pk]), account_form(dcs, groups=[])
        )
        assert response.status_code == 302, response.text[:3000]
    text = page(diana, url)
    assert SECRET not in text and "diana@example.org" in text


def test_a_reader_s_account_deleted_in_the_admin_reads_the_public_pages_in_every_process(
    site, settings, superuser, kent_dcs
):
    url = site["issue"].get_absolute_url()
    kofi = signed_in(Client, kent_dcs)
    assert SECRET in page(kofi, url)
    with another_server_process(settings):
        sam = signed_in(Client, superuser)
        response = sam.post(reverse("admin:auth_user_delete", args=[kent_dcs.pk]), {"post": "yes"})
        assert response.status_code == 302
    text = page(kofi, url)
    assert SECRET not in text and "kofi@example.org" not in text


def test_a_session_signed_out_in_one_process_is_over_in_every_process(site, settings, kent_dcs):
    url = site["issue"].get_absolute_url()
    kofi = signed_in(Client, kent_dcs)
    assert SECRET in page(kofi, url)  # the session, and who he is, known to this process
    session = kofi.cookies["sessionid"].value
    with another_server_process(settings):
        kofi.post(reverse("logout"))
    kofi.cookies["sessionid"] = session  # a copy of the cookie, kept (or stolen)
    text = page(kofi, url)
    assert SECRET not in text and "kofi@example.org" not in text
