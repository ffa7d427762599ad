"""seslip/lib/middleware.py: Django's CSP and messages middleware, doing only what each request
needs (every page served from the cache goes through them), with Django's results."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils.csp import CSP, build_policy
from django.utils.functional import empty

from seslip.lib.middleware import (
    ContentSecurityPolicyMiddleware,
    MessageMiddleware,
    written_policies,
)
from tests.public_site import small_site

ENFORCE = str(CSP.HEADER_ENFORCE)
REPORT_ONLY = str(CSP.HEADER_REPORT_ONLY)


def csp_response(request, **attributes):
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    response = HttpResponse()
    for name, value in attributes.items():
        setattr(response, name, value)
    return middleware.process_response(request, response)


def test_the_policy_is_django_s_without_a_nonce_when_none_is_used(rf):
    response = csp_response(rf.get("/"))
    assert response[ENFORCE] == build_policy(settings.SECURE_CSP)
    assert "nonce" not in response[ENFORCE]
    assert REPORT_ONLY not in response


def test_a_response_that_used_its_nonce_gets_it_in_its_policy(rf):
    request = rf.get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    nonce = str(request._csp_nonce)  # a template asked for it
    response = middleware.process_response(request, HttpResponse())
    assert f"'nonce-{nonce}'" in response[ENFORCE]
    assert response[ENFORCE] == build_policy(settings.SECURE_CSP, nonce)
    assert "nonce" not in csp_response(rf.get("/"))[ENFORCE]  # the next request's


def test_a_changed_setting_changes_the_policy_at_once(rf):
    before = csp_response(rf.get("/"))[ENFORCE]
    changed = {**settings.SECURE_CSP, "img-src": [CSP.SELF]}
    with override_settings(SECURE_CSP=changed, SECURE_CSP_REPORT_ONLY={"default-src": ["'none'"]}):
        response = csp_response(rf.get("/"))
        assert response[ENFORCE] == build_policy(changed) != before
        assert response[REPORT_ONLY] == "default-src 'none'"
    settings.SECURE_CSP["img-src"].append("https://example.org")  # even changed in place
    try:
        assert "https://example.org" in csp_response(rf.get("/"))[ENFORCE]
    finally:
        settings.SECURE_CSP["img-src"].pop()
    assert csp_response(rf.get("/"))[ENFORCE] == before
    assert set(written_policies) <= {ENFORCE, REPORT_ONLY}


def test_a_view_s_own_policy_or_header_is_kept(rf):
    assert ENFORCE not in csp_response(rf.get("/"), _csp_config={})  # a view that turned it off
    own = {"default-src": [CSP.NONE]}
    assert csp_response(rf.get("/"), _csp_config=own)[ENFORCE] == "default-src 'none'"
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    request = rf.get("/")
    middleware.process_request(request)
    response = HttpResponse(headers={ENFORCE: "default-src 'self'"})
    assert middleware.process_response(request, response)[ENFORCE] == "default-src 'self'"


@pytest.mark.django_db
def test_a_page_served_from_the_cache_makes_no_message_storage(client):
    small_site()
    client.get(reverse("home"))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.wsgi_request._messages._wrapped is empty  # made on first use only
    assert "messages" not in response.cookies


@pytest.mark.django_db
def test_a_message_added_is_stored_and_shown_once_on_a_cached_page(client):
    small_site()
    client.get(reverse("home"))  # cached
    middleware = MessageMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    request.session = client.session
    middleware.process_request(request)
    messages.success(request, "Saved.")  # as a view adds it
    response = middleware.process_response(request, HttpResponse())
    client.cookies["messages"] = response.cookies["messages"].value
    assert "Saved." in client.get(reverse("home")).text
    assert "Saved." not in client.get(reverse("home")).text
