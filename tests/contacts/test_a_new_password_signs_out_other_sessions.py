"""A reader who sets a new password (a forgotten one reset from its e-mailed link, or an editor's
own in the admin) is signed out at once of every other session still signed in with the old one,
in every server process: the pages that session is next served are the public ones."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.contacts.test_accounts import RIGHT, sign_in
from tests.contacts.test_reader_changes_reach_every_process import (
    SECRET,
    another_server_process,
    page,
)
from tests.public_site import small_site_with_a_dcs_only_item

pytestmark = pytest.mark.django_db

NEW = "a new long passphrase"


@pytest.fixture
def site(db):
    return small_site_with_a_dcs_only_item()


def signed_in_through_the_login_page(username, password=RIGHT):
    client = Client()
    assert sign_in(client, username, password).status_code == 302
    return client


def reset_password(client, email, mailbox, password):
    """The forgotten-password pages, as the reader uses them: ask, follow the e-mailed link,
    choose a new password."""
    assert client.post(reverse("password_reset"), {"email": email}).status_code == 302
    (message,) = mailbox.to(email)
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mailbox.body(message))[1]
    form = client.get(link, follow=True)
    assert "Choose your password" in form.text
    data = {"new_password1": password, "new_password2": password}
    response = client.post(form.redirect_chain[-1][0], data)
    assert response.status_code == 302 and response.url == reverse("password_reset_complete")


def test_a_password_reset_signs_the_reader_out_of_their_other_sessions_at_once(
    site, settings, kent_dcs, mailbox
):
    url = site["issue"].get_absolute_url()
    phone = signed_in_through_the_login_page("kofi")
    laptop = signed_in_through_the_login_page("kofi")
    assert SECRET in page(phone, url)  # who he is, kept by this process
    with another_server_process(settings):
        reset_password(laptop, "kofi@example.org", mailbox, NEW)
    text = page(phone, url)
    assert SECRET not in text and "kofi@example.org" not in text and "Sign in</a>" in text
    assert sign_in(Client(), "kofi", RIGHT).status_code == 200  # the old password: refused
    assert SECRET in page(signed_in_through_the_login_page("kofi", NEW), url)


def test_an_editor_s_own_new_password_in_the_admin_signs_out_their_other_sessions_at_once(
    site, settings, editor
):
    url = reverse("home")
    desk = signed_in_through_the_login_page("edith")
    laptop = signed_in_through_the_login_page("edith")
    assert "edith@example.org" in page(desk, url)
    with another_server_process(settings):
        response = laptop.post(
            reverse("admin:password_change"),
            {"old_password": RIGHT, "new_password1": NEW, "new_password2": NEW},
        )
        assert response.status_code == 302, response.text[:2000]
        assert "edith@example.org" in page(laptop, url)  # the session that changed it stays
    assert "edith@example.org" not in page(desk, url)


def test_signing_out_of_the_admin_ends_the_session_in_every_process(site, settings, editor):
    url = reverse("home")
    edith = signed_in_through_the_login_page("edith")
    assert "edith@example.org" in page(edith, url)
    session = edith.cookies["sessionid"].value
    with another_server_process(settings):
        response = edith.post(reverse("admin:logout"))
        assert response.status_code == 302  # to the home page, signed out
    edith.cookies["sessionid"] = session  # a copy of the cookie, kept (or stolen)
    assert "edith@example.org" not in page(edith, url)
