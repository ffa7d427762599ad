"""Every form that changes something refuses a post without its CSRF token.

The admin forms are read from the admin site's registry, so a model registered later is covered
without a change here. Each refusal must be Django's CSRF refusal, not some other 403, and the
same post with the token must get past the CSRF check: both halves are asserted.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from contacts.models import Organisation
from tests.factories import (
    days,
    list_contact,
    list_meeting,
    make_action,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_resource,
    make_triad,
)
from tests.shared_records import made_once_per_module

CSRF_REFUSAL = "CSRF verification failed"


def admin_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label_lower)


def label(model):
    return model._meta.label_lower


def one_of_each():
    """One of each kind of record, so change forms have something to change."""
    kent = Organisation.objects.get(name="Kent")
    contact = make_contact(organisation=kent, email="isabelle@example.org")
    network = make_network(convener=contact)
    meeting = make_meeting(network, days(7), contact=contact, topic="Data")
    issue = make_issue(349, date=days(-1))
    item = make_item(issue, "Regional news", contacts=[contact], authorities=[kent])
    make_action(item, due_date=days(5), contact=contact)
    make_resource(issue, publisher="DfE")
    list_contact(issue, contact)
    list_meeting(issue, meeting)
    issue.triads.add(make_triad())
    return issue


# Made once for the module's tests: each runs in a savepoint, and their POSTs are refused.
records, _made_once = made_once_per_module(one_of_each, name="records")


@pytest.fixture
def superuser_client(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    return client


def csrf_token(client, url=None):
    """The client's CSRF token, from a page that always carries one (the admin index by default)."""
    client.get(url or reverse("admin:index"))
    return client.cookies["csrftoken"].value


def assert_refused_without_token_and_accepted_with_it(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 403, url
    assert CSRF_REFUSAL in response.content.decode(), url

    token = csrf_token(client)
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert CSRF_REFUSAL not in response.content.decode(), url


def admin_form_url(model, page):
    """The admin URL of the form, or None if this admin has no such page."""
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    try:
        if page in ("change", "delete"):
            obj = model._default_manager.order_by("pk").first()
            return reverse(name, args=[obj.pk if obj else 999999])
        return reverse(name)
    except NoReverseMatch:
        return None


def test_the_admin_registry_is_not_empty():
    assert admin_models(), "no model is registered with the admin"


@pytest.mark.parametrize("model", admin_models(), ids=label)
@pytest.mark.parametrize("page", ["add", "change"])
def test_admin_add_and_change_forms_refuse_a_post_without_the_csrf_token(
    superuser_client, records, model, page
):
    url = admin_form_url(model, page)
    if url is None:
        pytest.skip(f"{label(model)} has no {page} page")
    assert_refused_without_token_and_accepted_with_it(superuser_client, url, {"_save": "Save"})


@pytest.mark.parametrize("model", admin_models(), ids=label)
def test_admin_delete_confirmations_refuse_a_post_without_the_csrf_token(
    superuser_client, records, model
):
    url = admin_form_url(model, "delete")
    if url is None:
        pytest.skip(f"{label(model)} has no delete page")
    assert_refused_without_token_and_accepted_with_it(superuser_client, url, {"post": "yes"})


@pytest.mark.parametrize("model", admin_models(), ids=label)
def test_admin_list_actions_refuse_a_post_without_the_csrf_token(superuser_client, records, model):
    url = admin_form_url(model, "changelist")
    obj = model._default_manager.order_by("pk").first()
    data = {"action": "delete_selected", "_selected_action": [obj.pk] if obj else [], "index": 0}
    assert_refused_without_token_and_accepted_with_it(superuser_client, url, data)


def test_admin_password_change_forms_refuse_a_post_without_the_csrf_token(superuser_client, editor):
    data = {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    for url in (
        reverse("admin:password_change"),
        reverse("admin:auth_user_password_change", args=[editor.pk]),
    ):
        assert_refused_without_token_and_accepted_with_it(superuser_client, url, data)


def test_admin_logout_refuses_a_post_without_the_csrf_token(superuser_client):
    assert_refused_without_token_and_accepted_with_it(superuser_client, reverse("admin:logout"), {})


def test_the_admin_login_form_refuses_a_post_without_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    url = reverse("admin:login")
    data = {"username": "edith", "password": "correct horse battery"}

    response = client.post(url, data)
    assert response.status_code == 403
    assert CSRF_REFUSAL in response.content.decode()

    response = client.post(url, {**data, "csrfmiddlewaretoken": csrf_token(client, url)})
    assert response.status_code == 302  # signed in


class PostForms(HTMLParser):
    """Collects the links of a page and the actions of its POST forms."""

    def __init__(self):
        super().__init__()
        self.links, self.post_actions = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.post_actions.append(attrs.get("action") or "")


def crawl_public_site(client, limit=80):
    """Pages of the public site reachable from the home page, and the POST forms on them."""
    seen, queue, forms = set(), ["/"], set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = PostForms()
        page.feed(response.content.decode())
        forms.update(urljoin(url, action) or url for action in page.post_actions)
        for href in page.links:
            parts = urlsplit(urljoin(url, href))
            path = parts.path
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue  # mailto:, tel:, other sites
            if path.startswith(("/admin/", "/static/")):
                continue
            if path.endswith((".ics", "/feed/")) or path in seen:
                continue
            queue.append(path)
    return seen, forms


@pytest.mark.parametrize("who", ["anonymous", "dcs", "convener"])
def test_every_public_post_form_refuses_a_post_without_the_csrf_token(records, who, request):
    client = Client(enforce_csrf_checks=True)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    pages, forms = crawl_public_site(client)
    assert len(pages) > 3, "the crawl found almost no public pages"
    for url in sorted(forms):
        response = client.post(url, {})
        assert response.status_code == 403, url
        assert CSRF_REFUSAL in response.content.decode(), url
