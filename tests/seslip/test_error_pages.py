"""Refusals and errors are the site's own pages: they say what happened and offer a way back."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import days, make_meeting


def test_a_convener_opening_another_networks_meeting_gets_the_styled_403(
    client, convener, data_network
):
    meeting = make_meeting(data_network, days(5))
    client.force_login(convener)
    response = client.get(reverse("admin:networks_meeting_change", args=[meeting.pk]))
    assert response.status_code == 403
    assert "<h1>You cannot open this page</h1>" in response.text
    assert 'href="/admin/">Go back to the editor’s home page' in response.text
    assert "403 Forbidden" not in response.text


def test_a_missing_page_says_so_and_offers_the_home_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert '<a href="/">Go to the home page</a>' in response.text
    assert "Sign in" in response.text


def test_a_form_sent_without_its_token_gets_the_styled_csrf_page(db, kent_dcs):
    client = Client(enforce_csrf_checks=True)
    client.force_login(kent_dcs)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "<h1>Please try that again</h1>" in response.text
    assert "nothing was saved" in response.text


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "500.html", "503.html"])
def test_every_error_page_renders_without_a_request(template, db):
    from django.template.loader import render_to_string

    page = render_to_string(template)
    assert "<h1>" in page and 'class="site-header"' in page
