"""Readers sign in, out and reset their password at /accounts/, in the site's own pages."""

import re

from django.conf import settings
from django.urls import reverse

RIGHT = "correct horse battery"


def sign_in(client, username, password=RIGHT, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_every_page_offers_sign_in_in_its_header(client, db):
    response = client.get(reverse("home"))
    assert '<a href="/accounts/login/?next=/">Sign in</a>' in response.text


def test_the_sign_in_page_is_the_sites_own(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "<h1>Sign in</h1>" in response.text
    assert 'class="site-header"' in response.text


def test_a_reader_signs_in_and_the_header_says_who(client, kent_dcs):
    response = sign_in(client, "kofi")
    assert response.status_code == 302
    page = client.get(reverse("home")).text
    assert "Signed in as <strong>kofi@example.org</strong>" in page
    assert "(Kent)" in page
    assert '<a href="/accounts/logout/">Sign out</a>' in page


def test_signing_in_returns_to_the_page_the_reader_came_from(client, kent_dcs):
    response = sign_in(client, "kofi", next_url="/dashboard/")
    assert response.url == "/dashboard/"


def test_a_wrong_password_is_told_and_nobody_is_signed_in(client, kent_dcs):
    response = sign_in(client, "kofi", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct" in response.text
    assert "Signed in as" not in client.get(reverse("home")).text


def test_signing_out_is_a_post_and_ends_the_session(client, kent_dcs):
    sign_in(client, "kofi")
    confirm = client.get(reverse("logout"))
    assert "<h1>Sign out</h1>" in confirm.text
    assert "Signed in as" in client.get(reverse("home")).text  # the GET changed nothing
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "Signed in as" not in client.get(reverse("home")).text


def test_the_sign_in_form_locks_out_after_too_many_wrong_passwords(client, kent_dcs):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "kofi", "wrong")
    response = sign_in(client, "kofi")
    assert response.status_code == 429
    assert "Signing in is paused" in response.text


def test_a_forgotten_password_is_reset_from_an_emailed_link(client, kent_dcs, mailbox):
    response = client.post(reverse("password_reset"), {"email": "kofi@example.org"})
    assert response.status_code == 302
    (message,) = mailbox.to("kofi@example.org")
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mailbox.body(message))[1]
    form = client.get(link, follow=True)
    assert "Choose your password" in form.text
    data = {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"}
    client.post(form.redirect_chain[-1][0], data)
    assert sign_in(client, "kofi", "a new long passphrase").status_code == 302


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db, mailbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "If that address has an account here" in response.text
    assert mailbox.messages == []
