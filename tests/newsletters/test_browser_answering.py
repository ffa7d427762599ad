"""Each role through the front door, in a real browser: an editor invites the reader
(invite_reader --print), who sets a password from the link, signs in from the header's link,
reads a DCS-only item (DCSs and their PAs) or is refused it (a lead), marks their authority's
response on “My authority”, and signs out. No step signs anyone in behind the browser's back."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from newsletters.models import Action, ActionResponse
from newsletters.responses import address_action
from tests.factories import authority, days, make_action, make_issue, make_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long passphrase for Kent"


@pytest.fixture
def update(editor):
    issue = make_issue(515, date=days(-7))
    mou = make_action(
        make_item(issue, "Memorandum of understanding"), "Return the signed MoU", due_date=days(-2)
    )
    address_action(action=mou, to=Action.Addressees.ALL, by=editor)
    secret_item = make_item(issue, "DCS succession planning", dcs_only=True, position=1)
    secret = make_action(secret_item, "Name your deputy", due_date=days(20))
    chosen = [authority("Kent"), authority("Medway")]
    address_action(action=secret, to=Action.Addressees.CHOSEN, authorities=chosen, by=editor)
    return {"mou": mou, "secret": secret}


def editor_invites(email, role):
    """The editor's step: `manage.py invite_reader … --print`; returns the link's path."""
    out = StringIO()
    call_command(
        "invite_reader", email, "--authority", "Kent", "--role", role, "--print", stdout=out
    )
    return re.search(r"https?://[^/]+(/accounts/invitation/\S+/)", out.getvalue())[1]


def sets_password(page, live_server, link):
    page.goto(live_server.url + link)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    page.wait_for_load_state()


def signs_in_from_the_header(page, live_server, email):
    page.goto(live_server.url + reverse("home"))
    page.locator(".account").get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address (or user name)").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + reverse("home"))
    assert f"Signed in as {email}" in page.locator(".account").inner_text()


def marks_done_on_my_authority(page, action_description, note):
    page.locator(".account").get_by_role("link", name="My authority").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kent: what we owe"
    entry = page.locator("li", has=page.get_by_role("link", name=action_description))
    entry.get_by_label("Note (optional)").fill(note)
    entry.get_by_role("button", name="Mark done").click()
    page.wait_for_load_state()
    assert "is now marked done" in page.locator("main").inner_text()
    expect(page.get_by_role("link", name=action_description)).to_have_count(0)


def signs_out(page, live_server):
    page.locator(".account").get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    expect(page.locator(".account").get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(live_server.url + reverse("my_authority"))
    expect(page).to_have_url(re.compile(re.escape("/accounts/login/")))


@pytest.mark.parametrize("role", ["dcs", "dcs_pa"])
def test_a_dcs_is_invited_reads_dcs_only_material_and_answers_for_kent(
    live_server, page, update, role
):
    email = f"{role}@kent.example"
    sets_password(page, live_server, editor_invites(email, role))
    signs_in_from_the_header(page, live_server, email)
    page.goto(live_server.url + reverse("issue_detail", args=[515]))
    expect(page.get_by_role("heading", name="DCS succession planning")).to_be_visible()
    marks_done_on_my_authority(page, "Name your deputy", "Deputy: A. Smith")
    signs_out(page, live_server)
    answer = ActionResponse.objects.get(action=update["secret"], authority__name="Kent")
    assert (answer.status, answer.note, answer.answered_by.email) == (
        "done",
        "Deputy: A. Smith",
        email,
    )
    assert not page.csp_errors, page.csp_errors


def test_a_lead_is_invited_is_refused_dcs_only_material_and_answers_for_kent(
    live_server, page, update
):
    email = "lead@kent.example"
    sets_password(page, live_server, editor_invites(email, "lead"))
    signs_in_from_the_header(page, live_server, email)
    page.goto(live_server.url + reverse("issue_detail", args=[515]))
    expect(page.get_by_role("heading", name="DCS succession planning")).to_have_count(0)
    refused = page.goto(live_server.url + reverse("action_detail", args=[update["secret"].pk]))
    assert refused.status == 404
    marks_done_on_my_authority(page, "Return the signed MoU", "Signed copy sent")
    signs_out(page, live_server)
    answer = ActionResponse.objects.get(action=update["mou"], authority__name="Kent")
    assert (answer.status, answer.note) == ("done", "Signed copy sent")
    assert ActionResponse.objects.get(action=update["secret"], authority__name="Kent").status == (
        "not_started"
    )
    assert not page.csp_errors, page.csp_errors


def test_the_answering_pages_are_accessible(live_server, page, update):
    from tests.seslip.test_browser import assert_accessible

    email = "dcs@kent.example"
    sets_password(page, live_server, editor_invites(email, "dcs"))
    signs_in_from_the_header(page, live_server, email)
    kent = ActionResponse.objects.get(action=update["mou"], authority__name="Kent")
    for url in [
        reverse("my_authority"),
        reverse("action_detail", args=[update["mou"].pk]),
        reverse("answer_response", args=[kent.pk]),
        reverse("dashboard") + "?authority=kent",
    ]:
        page.goto(live_server.url + url)
        assert_accessible(page)
