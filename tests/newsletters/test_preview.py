"""Editors preview a draft as it will be published; a signed link lets someone without an account
check it, for 7 days."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from newsletters import preview
from tests.factories import make_action, make_issue, make_item


@pytest.fixture
def draft(db):
    issue = make_issue(350, published=False, intro="Welcome to this week's update.")
    item = make_item(issue, "New regional survey", update_text="<p>The survey is open.</p>")
    make_action(item, "Fill in the survey")
    make_item(issue, "For directors", dcs_only=True, position=1)
    return issue


def made_days_ago(monkeypatch, issue, days):
    """A preview link as it was made `days` days ago."""
    then = signing.b62_encode(int(time.time()) - days * 24 * 60 * 60)
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: then)
        return preview.signed_preview_url(issue)


def test_an_editor_previews_a_draft_with_a_draft_banner(client, editor, draft):
    client.force_login(editor)
    response = client.get(reverse("issue_preview", args=[350]))
    assert response.status_code == 200
    assert "Draft: readers cannot see this update yet" in response.text
    assert "New regional survey" in response.text
    assert "Fill in the survey" in response.text
    assert "Welcome to this week" in response.text


def test_the_draft_itself_is_still_not_public(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("user", [None, "reader", "dcs", "convener"])
def test_only_editors_open_the_preview_page(client, request, draft, user):
    if user:
        client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("issue_preview", args=[350]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_signed_link_opens_for_someone_without_an_account(client, draft):
    response = client.get(preview.signed_preview_url(draft))
    assert response.status_code == 200
    assert "Draft: readers cannot see this update yet" in response.text
    assert "New regional survey" in response.text
    assert "For directors" not in response.text  # as the public will see it
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]


def test_a_dcs_opening_the_link_sees_the_dcs_only_items_too(client, dcs, draft):
    client.force_login(dcs)
    response = client.get(preview.signed_preview_url(draft))
    assert "For directors" in response.text


def test_the_link_works_for_seven_days(client, draft, monkeypatch):
    response = client.get(made_days_ago(monkeypatch, draft, 6))
    assert response.status_code == 200


def test_an_expired_link_is_refused_with_a_clear_page(client, draft, monkeypatch):
    response = client.get(made_days_ago(monkeypatch, draft, 8))
    assert response.status_code == 403
    assert "This preview link has expired" in response.text
    assert "New regional survey" not in response.text


@pytest.mark.parametrize("change", ["signature", "update", "truncated"])
def test_a_changed_link_is_refused_with_a_clear_page(client, draft, change):
    token = preview.signed_preview_url(draft).split("/")[2]
    pk, stamp, signature = token.split(":")
    tampered = {
        "signature": f"{pk}:{stamp}:{signature[:-2]}xx",
        "update": f"{int(pk) + 1}:{stamp}:{signature}",
        "truncated": f"{pk}:{stamp}",
    }[change]
    response = client.get(reverse("issue_preview_link", args=[tampered]))
    assert response.status_code == 404
    assert "This preview link is not valid" in response.text


def test_a_link_to_a_deleted_update_says_so(client, draft):
    url = preview.signed_preview_url(draft)
    draft.delete()
    response = client.get(url)
    assert response.status_code == 404
    assert "This update no longer exists" in response.text


def test_the_update_change_page_offers_preview_and_the_link_to_copy(client, editor, draft):
    client.force_login(editor)
    response = client.get(reverse("admin:newsletters_issue_change", args=[draft.pk]))
    assert 'name="_preview" value="Save and preview"' in response.text
    assert "Copy preview link" in response.text
    assert "http://testserver/preview/" in response.text
