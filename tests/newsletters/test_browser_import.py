"""An editor imports an update in the admin, in a real Chromium: signs in, uploads the file,
fixes one item boundary, moves that item to the reminders, saves, and sees the update as readers
will."""

import pytest
from playwright.sync_api import expect

from .test_admin_import import MISSED_TITLE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_upload_fix_one_boundary_move_it_save_and_see_the_update(
    page, live_server, editor, tmp_path
):
    path = tmp_path / "update-900.txt"
    path.write_text(MISSED_TITLE, encoding="utf-8")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/newsletters/import/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Read the update").click()

    expect(page.get_by_text("could be a title or a sentence")).to_be_visible()
    page.locator(".import-paragraph", has_text="Ofsted is changing its framework").get_by_role(
        "button", name="This is a title"
    ).click()
    split = page.get_by_role("heading", name="Headline: Ofsted is changing its framework")
    expect(split).to_be_visible()
    page.locator(".import-item", has=split).get_by_role(
        "button", name="Move to the reminders"
    ).click()
    moved = page.get_by_role("heading", name="Reminder: Ofsted is changing its framework")
    expect(moved).to_be_visible()
    page.get_by_role("button", name="Save update 900").click()

    imported = "Update 900 (10 March 2023) was imported: 1 items, 1 reminders"
    expect(page.get_by_text(imported)).to_be_visible()
    page.goto(f"{live_server.url}/updates/900/")
    expect(page.get_by_role("heading", name="Regional café network launched")).to_be_visible()
    expect(page.get_by_role("heading", name="Ofsted is changing its framework")).to_be_visible()
    assert page.csp_errors == []
