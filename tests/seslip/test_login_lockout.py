"""Repeated failed logins to the admin lock that username out from that address for a while."""

import datetime

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory

LOGIN = "/admin/login/"
RIGHT = "correct horse battery"


def sign_in(client, password, username="edith"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def fail_until_locked(client, username="edith"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong password", username)
    return response


def is_signed_in(client):
    return client.get("/admin/").status_code == 200


def test_a_wrong_password_below_the_limit_still_lets_the_right_one_in(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong password").status_code == 200
    response = sign_in(client, RIGHT)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_after_the_failure_limit_the_right_password_is_refused_with_the_lockout_page(
    client, editor
):
    fail_until_locked(client)
    response = sign_in(client, RIGHT)
    assert response.status_code == 429
    page = response.content.decode()
    assert "too many failed sign-in attempts" in page
    assert "15 minutes" in page
    assert not is_signed_in(client)


def test_the_lockout_page_is_a_full_page_with_no_inline_script(client, editor):
    response = fail_until_locked(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert "<h1>Signing in is paused</h1>" in page
    assert "<script" not in page
    assert "Content-Security-Policy" in response.headers


def test_defaults_are_five_failures_and_a_fifteen_minute_cool_off():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_another_username_from_the_same_address_is_not_locked_out(client, editor, convener):
    fail_until_locked(client, "edith")
    assert sign_in(client, RIGHT, "connor").status_code == 302


def test_after_the_cool_off_the_right_password_works_again(client, editor):
    fail_until_locked(client)
    assert sign_in(client, RIGHT).status_code == 429

    past_cool_off = settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - past_cool_off)

    assert sign_in(client, RIGHT).status_code == 302
    assert is_signed_in(client)


def test_axes_reset_unlocks_at_once(client, editor):
    fail_until_locked(client)
    call_command("axes_reset", verbosity=0)
    assert sign_in(client, RIGHT).status_code == 302
    assert is_signed_in(client)


def test_force_login_is_unaffected_by_login_protection(client, editor):
    client.force_login(editor)
    assert is_signed_in(client)


def test_client_login_works_when_given_a_request(client, editor):
    assert client.login(request=RequestFactory().get("/"), username="edith", password=RIGHT)
    assert is_signed_in(client)


def test_client_login_without_a_request_is_refused_loudly(client, editor):
    """Tests sign in with force_login, or pass `request=` to client.login; axes needs a request."""
    with pytest.raises(AxesBackendRequestParameterRequired):
        client.login(username="edith", password=RIGHT)
