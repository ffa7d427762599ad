"""What every page shares: security headers, no inline script or style, feeds, landmarks."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.public_site import html_pages, small_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return small_site()


def test_every_page_carries_a_strict_content_security_policy(client, site):
    for url in html_pages(site):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy


def test_no_page_has_inline_script_or_style(client, site):
    for url in html_pages(site) + ["/no-such-page/"]:
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "<style" not in page and " style=" not in page, url
        assert not re.search(r"<[^>]+\son[a-z]+=", page), url


def test_every_page_links_the_feeds_in_its_head_and_footer(client, site):
    for url in html_pages(site):
        page = client.get(url).content.decode()
        head, body = page.split("</head>")
        assert (
            f'rel="alternate" type="application/atom+xml" title="SESLIP updates (Atom)" href="{reverse("issue_feed")}"'
            in head
        )
        assert f'href="{reverse("calendar")}"' in head
        footer = body.split("<footer")[1]
        assert reverse("issue_feed") in footer and reverse("calendar") in footer


def test_every_page_has_landmarks_a_skip_link_and_one_main_heading(client, site):
    for url in html_pages(site):
        page = client.get(url).content.decode()
        assert '<a class="skip-link" href="#main">' in page, url
        assert '<main id="main"' in page and "<header" in page and "<footer" in page, url
        assert '<nav aria-label="Main">' in page, url
        assert page.count("<h1") == 1, url
        assert '<html lang="en-GB">' in page


def test_anonymous_pages_make_no_session_or_user_queries(client, site):
    for url in html_pages(site):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "django_session" not in sql and "auth_user" not in sql, url
    assert not client.cookies


def test_missing_page_is_a_friendly_404(client):
    response = client.get("/updates/99999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and reverse("issue_list") in page


def test_error_pages_render_without_a_request():
    for name, title in [("500.html", "Something went wrong"), ("400.html", "Bad request")]:
        assert title in render_to_string(name)
