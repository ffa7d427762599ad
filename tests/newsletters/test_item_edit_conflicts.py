"""Two editors edit one news item at once, on the compose screen and elsewhere (its own page,
another update's compose screen): the later save is refused, never silently written over the
earlier one. The card keeps what was typed and shows what the other editor saved beside it;
saving again then keeps what the form holds."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from newsletters.models import NewsItem, Placement
from seslip.lib import roles
from tests.conftest import make_user
from tests.factories import make_issue, make_item, make_network, place

from .test_compose_in_place import post_rows
from .test_conflicting_edits import item_form, seen_stamp

pytestmark = pytest.mark.django_db

EDITHS = "<p>Twelve authorities have replied; Kent will host the day.</p>"
OLIVES = "<p>Fifteen authorities have replied.</p>"


@pytest.fixture
def other_editor(django_user_model):
    """Olive edits the updates too."""
    return make_user(django_user_model, "olive", group=roles.EDITORS, staff=True)


def signed_in(user):
    """A session of its own, signed in through the login page."""
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    return client


def compose_url(issue):
    return reverse("admin:newsletters_issue_change", args=[issue.pk])


def card_version(page, index=0):
    """The item's version the compose screen's card `index` was drawn from."""
    found = re.search(rf'name="placements-{index}-seen" value="(\d+)"', page)
    return found.group(1)


def save_card(client, issue, placement, version, *, title=None, section="headline", **text):
    """The compose screen saved with the card of `placement` open, as drawn at `version`."""
    title = title or placement.item.title
    fields = {"placements-0-seen": version}
    fields |= {f"placements-0-{name}": value for name, value in text.items()}
    row = (placement.pk, placement.item_id, section, title, [])
    return post_rows(client, issue, [row], **fields)


def saved(response):
    return bool(response.redirect_chain)


@pytest.fixture
def survey():
    issue = make_issue(516, published=False)
    item = make_item(issue, "Regional survey", update_text="<p>Ten authorities have replied.</p>")
    return issue, Placement.objects.get(item=item)


def test_an_item_saved_on_its_own_page_is_not_overwritten_by_the_compose_screen(
    editor, other_editor, survey
):
    issue, placement = survey
    edith, olive = signed_in(editor), signed_in(other_editor)
    version = card_version(edith.get(compose_url(issue)).text)
    item_page = reverse("admin:newsletters_newsitem_change", args=[placement.item_id])
    olive_form = item_form(placement.item, seen_stamp(olive.get(item_page)), update_text=OLIVES)
    assert olive.post(item_page, olive_form).status_code == 302

    response = save_card(edith, issue, placement, version, update_text=EDITHS)

    assert not saved(response)
    assert "olive saved this item at" in response.text
    assert "while you were editing it: nothing was saved" in response.text
    assert "Kent will host the day." in response.text  # what Edith typed, still in the form
    theirs = response.text.split("What they saved (now the item’s text)")[1]
    assert "Fifteen authorities have replied." in theirs
    assert NewsItem.objects.get().update_text == OLIVES


def test_saving_again_after_the_refusal_keeps_what_the_form_holds(editor, other_editor, survey):
    issue, placement = survey
    edith = signed_in(editor)
    version = card_version(edith.get(compose_url(issue)).text)
    NewsItem.objects.get().save()  # saved elsewhere in the meantime
    refused = save_card(edith, issue, placement, version, update_text=EDITHS)
    assert not saved(refused)

    again = save_card(edith, issue, placement, card_version(refused.text), update_text=EDITHS)

    assert saved(again)
    assert NewsItem.objects.get().update_text == EDITHS


def test_an_item_saved_on_another_updates_compose_screen_is_not_overwritten(
    editor, other_editor, survey
):
    issue, placement = survey
    next_week = make_issue(517, published=False)
    reminder = place(next_week, placement.item, section=Placement.Section.REMINDER)
    edith, olive = signed_in(editor), signed_in(other_editor)
    edith_version = card_version(edith.get(compose_url(issue)).text)
    olive_version = card_version(olive.get(compose_url(next_week)).text)
    olive_saved = save_card(
        olive, next_week, reminder, olive_version, section="reminder", update_text=OLIVES
    )
    assert saved(olive_saved)

    response = save_card(edith, issue, placement, edith_version, update_text=EDITHS)

    assert not saved(response)
    assert "olive saved this item at" in response.text
    assert NewsItem.objects.get().update_text == OLIVES


def test_a_title_typed_on_a_closed_card_does_not_overwrite_a_title_saved_since(
    editor, other_editor, survey
):
    issue, placement = survey
    edith = signed_in(editor)
    version = card_version(edith.get(compose_url(issue)).text)
    NewsItem.objects.filter(pk=placement.item_id).update(title="Regional survey: results")
    NewsItem.objects.get().save()
    row = (placement.pk, placement.item_id, "headline", "Regional survey 2022", [])

    response = post_rows(edith, issue, [row], editing=False, **{"placements-0-seen": version})

    assert not saved(response)
    assert "<dd>Regional survey: results</dd>" in response.text
    assert NewsItem.objects.get().title == "Regional survey: results"


def test_moving_a_card_is_not_refused_for_an_edit_of_its_item_elsewhere(editor, survey):
    issue, placement = survey
    edith = signed_in(editor)
    version = card_version(edith.get(compose_url(issue)).text)
    item = NewsItem.objects.get()
    item.update_text = OLIVES
    item.save()
    row = (placement.pk, placement.item_id, "reminder", item.title, [])

    response = post_rows(edith, issue, [row], editing=False, **{"placements-0-seen": version})

    assert saved(response)
    assert Placement.objects.get().section == "reminder"
    assert NewsItem.objects.get().update_text == OLIVES


def test_a_network_set_on_the_compose_screen_is_a_new_version_for_the_items_own_page(
    editor, other_editor, survey
):
    issue, placement = survey
    network = make_network("AD Safeguarding")
    edith, olive = signed_in(editor), signed_in(other_editor)
    item_page = reverse("admin:newsletters_newsitem_change", args=[placement.item_id])
    olive_seen = seen_stamp(olive.get(item_page))
    version = card_version(edith.get(compose_url(issue)).text)
    row = (placement.pk, placement.item_id, "headline", "Regional survey", [network.pk])
    assert saved(post_rows(edith, issue, [row], **{"placements-0-seen": version}))

    response = olive.post(item_page, item_form(placement.item, olive_seen, update_text=OLIVES))

    assert response.status_code == 200
    assert "edith saved this news item at" in response.text
    assert list(NewsItem.objects.get().networks.all()) == [network]


def test_both_editors_on_one_compose_screen_the_second_is_refused(editor, other_editor, survey):
    issue, placement = survey
    edith, olive = signed_in(editor), signed_in(other_editor)
    edith_version = card_version(edith.get(compose_url(issue)).text)
    olive_version = card_version(olive.get(compose_url(issue)).text)
    assert saved(save_card(olive, issue, placement, olive_version, update_text=OLIVES))

    response = save_card(edith, issue, placement, edith_version, update_text=EDITHS)

    assert not saved(response)
    assert "olive saved this item at" in response.text
    assert NewsItem.objects.get().update_text == OLIVES
