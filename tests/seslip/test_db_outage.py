"""A database outage: every page answers the friendly 503 page at once, with Retry-After and no
traceback; an editor's save gets the same clear answer and nothing half-written is left.

The outage is a fault injected into the connection: opening it (or using it) raises the
OperationalError psycopg raises when PostgreSQL is down or restarting. bench/db_restart.sh shows
the same with a real restart of PostgreSQL under load.
"""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from newsletters.models import Issue
from tests.factories import make_issue, make_item, make_network

pytestmark = pytest.mark.django_db

REFUSED = (
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'
)


@pytest.fixture
def site():
    issue = make_issue(349, intro="A brief summary.")
    make_item(issue, "Fostering news")
    network = make_network("Data Benchmarking")
    return {"issue": issue, "network": network}


@pytest.fixture
def outage(monkeypatch):
    """PostgreSQL is gone: any query, and any new connection, fails."""

    def refuse(*args, **kwargs):
        raise OperationalError(REFUSED)

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    monkeypatch.setattr(connection, "_cursor", refuse)
    yield
    monkeypatch.undo()


def pages(site):
    return [
        reverse("home"),
        reverse("issue_list"),
        reverse("issue_detail", args=[site["issue"].number]),
        reverse("dashboard"),
        reverse("search") + "?q=fostering",
        reverse("network_list"),
        reverse("network_detail", args=[site["network"].slug]),
        reverse("peer_challenge"),
        reverse("contact_list"),
        reverse("issue_feed"),
        reverse("calendar"),
    ]


def assert_friendly_503(response, url):
    page = response.content.decode()
    assert response.status_code == 503, url
    assert response["Retry-After"] == "10", url
    assert "Back in a moment" in page and "cannot reach its database" in page, url
    assert "Traceback" not in page and "OperationalError" not in page and "5432" not in page, url
    # the security headers, whether the error came in the view or after it
    assert "script-src 'self'" in response["Content-Security-Policy"], url
    assert response["X-Frame-Options"] == "DENY", url


def test_every_page_answers_503_with_retry_after_when_the_database_is_down(site, outage):
    client = Client(raise_request_exception=False)
    for url in pages(site):
        assert_friendly_503(client.get(url), url)


def test_a_signed_in_editor_gets_the_503_page_too(site, editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            connection, "ensure_connection", _raise(InterfaceError("connection already closed"))
        )
        patch.setattr(connection, "_cursor", _raise(InterfaceError("connection already closed")))
        for url in [reverse("home"), reverse("admin:index"), reverse("admin:login")]:
            assert_friendly_503(client.get(url), url)


def test_psycopgs_own_error_is_a_503_too(site):
    """Closing a server-side cursor (a form's choices, iterated) raises psycopg's error unwrapped."""
    psycopg = pytest.importorskip("psycopg")
    client = Client(raise_request_exception=False)
    error = psycopg.OperationalError("consuming input failed: server closed the connection")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "ensure_connection", _raise(error))
        patch.setattr(connection, "_cursor", _raise(error))
        assert_friendly_503(client.get(reverse("dashboard")), "dashboard")


def test_an_editors_save_during_the_outage_is_refused_clearly_and_nothing_changes(site, editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    issue = site["issue"]
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "ensure_connection", _raise(OperationalError(REFUSED)))
        patch.setattr(connection, "_cursor", _raise(OperationalError(REFUSED)))
        response = client.post(url, {"number": 349, "intro": "Changed during the outage"})
    assert_friendly_503(response, url)
    assert "it was not saved" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).intro == "A brief summary."


def test_a_database_error_after_the_view_is_a_503_too(site, editor):
    """Outside the view (here: the session middleware saving the session once the sign-in view
    has answered) Django's 500 handler runs; it answers the 503 page for a database error."""
    from django.contrib.sessions.backends.db import SessionStore

    original = SessionStore.save

    def save(self, must_create=False):
        if not must_create:
            raise OperationalError(REFUSED)
        return original(self, must_create=must_create)

    client = Client(raise_request_exception=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SessionStore, "save", save)
        response = client.post(
            reverse("admin:login"), {"username": "edith", "password": "correct horse battery"}
        )
    assert_friendly_503(response, "admin:login")


def test_other_errors_are_still_the_500_page(site, monkeypatch):
    from seslip import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "render", broken)
    response = Client(raise_request_exception=False).get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Retry-After" not in response


def test_the_site_answers_again_as_soon_as_the_database_is_back(site):
    client = Client(raise_request_exception=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "ensure_connection", _raise(OperationalError(REFUSED)))
        patch.setattr(connection, "_cursor", _raise(OperationalError(REFUSED)))
        assert client.get(reverse("home")).status_code == 503
    response = client.get(reverse("home"))
    assert response.status_code == 200 and "Back in a moment" not in response.content.decode()


def _raise(error):
    def raiser(*args, **kwargs):
        raise error

    return raiser
