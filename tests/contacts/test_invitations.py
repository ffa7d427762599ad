"""Editors invite readers: one account per address, a one-time set-password link for 7 days."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from contacts.invitations import invitation_tokens
from contacts.models import Membership
from seslip.lib import roles

pytestmark = pytest.mark.django_db
PASSWORD = {"new_password1": "a long passphrase here", "new_password2": "a long passphrase here"}


def invite(*args):
    from io import StringIO

    out = StringIO()
    call_command("invite_reader", *args, stdout=out)
    return out.getvalue()


def printed_link(output):
    return re.search(r"http://[^/]+(/accounts/invitation/\S+/)", output)[1]


def set_password(client, link, data=PASSWORD):
    form = client.get(link, follow=True)
    return client.post(form.redirect_chain[-1][0] if form.redirect_chain else link, data)


def test_invite_reader_makes_an_account_of_the_authority_with_the_role_and_no_password():
    invite("Dee@Kent.example", "--authority", "Kent", "--role", "dcs", "--print")
    user = get_user_model().objects.get(email="dee@kent.example")
    assert not user.has_usable_password()
    assert user.membership.organisation.name == "Kent"
    assert user.membership.role == roles.ReaderRole.DCS
    assert set(user.groups.values_list("name", flat=True)) == {roles.DCSS}


def test_the_authority_may_be_given_by_a_short_form():
    invite("dee@kent.example", "--authority", "KCC", "--role", "lead", "--print")
    assert Membership.objects.get().organisation.name == "Kent"


def test_inviting_an_address_twice_makes_one_account_with_the_newer_role():
    invite("dee@kent.example", "--authority", "Kent", "--role", "dcs", "--print")
    output = invite("DEE@kent.example", "--authority", "Kent", "--role", "dcs_pa", "--print")
    assert "the same account" in output
    assert get_user_model().objects.filter(email__iexact="dee@kent.example").count() == 1
    user = Membership.objects.get().user
    assert set(user.groups.values_list("name", flat=True)) == {roles.DCS_PAS}


def test_an_unknown_authority_is_named_in_the_error_and_nothing_is_made():
    with pytest.raises(CommandError, match="There is no authority called “Narnia”"):
        invite("dee@kent.example", "--authority", "Narnia", "--role", "dcs")
    assert not get_user_model().objects.exists()


def test_an_invalid_address_is_refused_and_nothing_is_made():
    with pytest.raises(CommandError, match="valid email"):
        invite("not-an-address", "--authority", "Kent", "--role", "dcs")
    assert not get_user_model().objects.exists()


def test_the_invitation_is_emailed_through_the_smtp_server(mailbox):
    invite("dee@kent.example", "--authority", "Kent", "--role", "dcs")
    (message,) = mailbox.to("dee@kent.example")
    assert message["Subject"] == "Your SESLIP updates account: set your password"
    body = mailbox.body(message)
    assert "DCS for Kent" in body
    assert "/accounts/invitation/" in body


def test_the_link_sets_the_password_once(client):
    link = printed_link(
        invite("dee@kent.example", "--authority", "Kent", "--role", "dcs", "--print")
    )
    response = set_password(client, link)
    assert response.url == reverse("invitation_complete")
    assert get_user_model().objects.get().check_password(PASSWORD["new_password1"])

    again = client.get(link, follow=True)
    assert "This invitation has been used" in again.text
    assert "Choose your password" not in again.text


def test_a_link_older_than_seven_days_has_expired_and_changes_nothing(client, monkeypatch):
    link = printed_link(
        invite("dee@kent.example", "--authority", "Kent", "--role", "dcs", "--print")
    )
    later = datetime.datetime.now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    response = client.get(link, follow=True)
    assert "This invitation has expired" in response.text
    assert set_password(client, link).status_code == 200
    assert not get_user_model().objects.get().has_usable_password()


def test_a_link_six_days_old_still_works(client, monkeypatch):
    link = printed_link(
        invite("dee@kent.example", "--authority", "Kent", "--role", "dcs", "--print")
    )
    later = datetime.datetime.now() + datetime.timedelta(days=6)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    assert "Choose your password" in client.get(link, follow=True).text


def test_a_newer_invitation_replaces_the_older_link(client):
    first = printed_link(
        invite("dee@kent.example", "--authority", "Kent", "--role", "dcs", "--print")
    )
    invite("dee@kent.example", "--authority", "Kent", "--role", "dcs", "--print")
    assert "This invitation link does not work" in client.get(first, follow=True).text


def test_a_tampered_link_is_refused_clearly(client):
    link = printed_link(
        invite("dee@kent.example", "--authority", "Kent", "--role", "dcs", "--print")
    )
    response = client.get(link[:-3] + "xx/", follow=True)
    assert "does not work" in response.text
    assert not get_user_model().objects.get().has_usable_password()


def test_an_editor_invites_a_reader_from_the_admin(client, editor, mailbox):
    client.force_login(editor)
    kent = Membership._meta.get_field("organisation").related_model.objects.get(name="Kent")
    response = client.post(
        reverse("admin:contacts_membership_add"),
        {"email": "dee@kent.example", "organisation": kent.pk, "role": "dcs"},
        follow=True,
    )
    assert "An invitation was e-mailed to dee@kent.example" in response.text
    assert Membership.objects.get().user.email == "dee@kent.example"
    assert len(mailbox.to("dee@kent.example")) == 1


def test_the_admin_action_invites_again_without_a_second_account(client, editor, mailbox):
    invite("dee@kent.example", "--authority", "Kent", "--role", "dcs", "--print")
    client.force_login(editor)
    client.post(
        reverse("admin:contacts_membership_changelist"),
        {"action": "send_invitations", "_selected_action": [Membership.objects.get().pk]},
    )
    assert len(mailbox.to("dee@kent.example")) == 1
    assert get_user_model().objects.filter(email="dee@kent.example").count() == 1


def test_a_mail_server_that_is_down_is_reported_to_the_editor(client, editor, settings):
    from tests.mail_server import free_port, smtp_mailers

    settings.MAILERS = smtp_mailers(free_port())  # nothing listens there
    client.force_login(editor)
    kent = Membership._meta.get_field("organisation").related_model.objects.get(name="Kent")
    response = client.post(
        reverse("admin:contacts_membership_add"),
        {"email": "dee@kent.example", "organisation": kent.pk, "role": "dcs"},
        follow=True,
    )
    assert "could not be e-mailed" in response.text
    assert Membership.objects.get().user.email == "dee@kent.example"


def test_the_command_makes_nothing_when_the_mail_server_is_down(settings):
    from tests.mail_server import free_port, smtp_mailers

    settings.MAILERS = smtp_mailers(free_port())
    with pytest.raises(CommandError, match="could not be e-mailed .* nothing was changed"):
        invite("dee@kent.example", "--authority", "Kent", "--role", "dcs")
    assert not get_user_model().objects.exists()
