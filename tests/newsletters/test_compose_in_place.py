"""On the update's page an editor edits each item in place: its title, and once its editor is
open its update text, Action Required, actions with due dates, contacts and networks; a new item
is written by typing its title in a new card. The same Save, Publish and Schedule buttons save it."""

import datetime

import pytest
from django.urls import reverse

from contacts.models import Organisation
from newsletters.models import Action, Issue, NewsItem
from tests.admin_pages import issue_form
from tests.factories import make_action, make_contact, make_issue, make_item, make_network, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def edith(client, editor):
    client.force_login(editor)
    return client


def post_rows(client, issue, rows, *, editing=True, actions=None, **extra):
    """`rows`: (placement id, item id, section, title, network ids) for each card; with `editing`
    each card's editor is open and sends its fields; `actions`: {card index: [action fields]}."""
    data = issue_form(
        issue.number,
        date=str(issue.date),
        placements=[row[:3] for row in rows],
        initial_placements=sum(1 for row in rows if row[0]),
    )
    for index, (pk, _item, _section, title, networks) in enumerate(rows):
        prefix = f"placements-{index}"
        data[f"{prefix}-title"] = title
        if not editing:
            continue
        item = NewsItem.objects.get(placements=pk) if pk else None
        data[f"{prefix}-editing"] = "1"
        data[f"{prefix}-update_text"] = item.update_text if item else ""
        data[f"{prefix}-action_text"] = item.action_text if item else ""
        data[f"{prefix}-networks"] = [str(n) for n in networks]
        data[f"{prefix}-contacts"] = [str(c.pk) for c in item.contacts.all()] if item else []
        rows_of_actions = (actions or {}).get(index, [])
        data[f"{prefix}-actions-TOTAL_FORMS"] = len(rows_of_actions)
        data[f"{prefix}-actions-INITIAL_FORMS"] = sum(1 for a in rows_of_actions if a.get("id"))
        for n, action in enumerate(rows_of_actions):
            for name, value in action.items():
                data[f"{prefix}-actions-{n}-{name}"] = value
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    return client.post(url, data | extra, follow=True)


def one_card(issue, title="Regional news", **fields):
    placement = place(issue, make_item(title=title, **fields))
    return placement, (placement.pk, placement.item_id, "headline", title, [])


def test_an_items_title_is_edited_in_place(edith):
    issue = make_issue(516, published=False)
    placement = place(issue, make_item(title="Regional nwes"))
    post_rows(edith, issue, [(placement.pk, placement.item_id, "headline", "Regional news", [])])
    assert NewsItem.objects.get().title == "Regional news"


def test_an_items_text_and_action_required_are_edited_in_place(edith):
    issue = make_issue(516, published=False)
    _, row = one_card(issue)
    text = {
        "placements-0-update_text": "<p>Twelve authorities have replied.</p>",
        "placements-0-action_text": "<p>Reply by <strong>Friday</strong>.</p>",
    }
    response = post_rows(edith, issue, [row], **text)
    assert "was changed successfully" in response.text
    item = NewsItem.objects.get()
    assert item.update_text == "<p>Twelve authorities have replied.</p>"
    assert item.action_text == "<p>Reply by <strong>Friday</strong>.</p>"


def test_an_action_with_its_due_date_is_added_in_place(edith):
    issue = make_issue(516, published=False)
    _, row = one_card(issue)
    action = {"description": "Send the return to Isabelle", "due_date": "04/12/2026"}
    post_rows(edith, issue, [row], actions={0: [action]})
    saved = Action.objects.get()
    assert (saved.description, saved.due_date) == (
        action["description"],
        datetime.date(2026, 12, 4),
    )


def test_an_action_addressed_in_place_to_all_authorities_asks_each_to_answer(edith):
    issue = make_issue(516, published=False)
    _, row = one_card(issue)
    action = {"description": "Send the return", "due_date": "", "addressed_to": "all"}
    post_rows(edith, issue, [row], actions={0: [action]})
    saved = Action.objects.get()
    assert saved.addressed_to == Action.Addressees.ALL
    assert saved.responses.count() == Organisation.objects.local_authorities().count() == 19


def test_an_action_is_changed_and_another_deleted_in_place(edith):
    issue = make_issue(516, published=False)
    placement, row = one_card(issue)
    kept = make_action(placement.item, "Reply to the survey")
    gone = make_action(placement.item, "Book a place", position=1)
    actions = [
        {"id": kept.pk, "description": "Reply to the survey by Friday", "due_date": ""},
        {"id": gone.pk, "description": gone.description, "due_date": "", "DELETE": "on"},
    ]
    post_rows(edith, issue, [row], actions={0: actions})
    assert list(Action.objects.values_list("description", flat=True)) == [
        "Reply to the survey by Friday"
    ]


def test_a_reminders_done_so_far_line_is_edited_on_its_card(edith):
    issue = make_issue(516, published=False)
    placement, row = one_card(issue)
    placement.progress = "Done so far: Kent (1 of 19)"
    placement.save()
    page = edith.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).text
    assert "Done so far: Kent (1 of 19)" in page
    line = {"placements-0-progress": "Done so far: Kent and Medway (2 of 19)"}
    post_rows(edith, issue, [row], editing=False, **line)
    placement.refresh_from_db()
    assert placement.progress == "Done so far: Kent and Medway (2 of 19)"


def test_contacts_set_in_place_are_the_items_contacts(edith):
    issue = make_issue(516, published=False)
    _, row = one_card(issue)
    isabelle = make_contact()
    post_rows(edith, issue, [row], **{"placements-0-contacts": [str(isabelle.pk)]})
    assert list(NewsItem.objects.get().contacts.all()) == [isabelle]


def test_an_item_whose_editor_was_not_opened_keeps_its_text_and_networks(edith):
    issue = make_issue(516, published=False)
    network = make_network()
    _, row = one_card(issue, update_text="<p>Kept.</p>", networks=[network])
    post_rows(edith, issue, [row], editing=False)
    item = NewsItem.objects.get()
    assert item.update_text == "<p>Kept.</p>"
    assert list(item.networks.all()) == [network]


def test_a_bad_due_date_is_refused_with_everything_typed_kept(edith):
    issue = make_issue(516, published=False)
    _, row = one_card(issue)
    typed = {"placements-0-update_text": "<p>Typed a moment ago.</p>", "intro": "Typed intro."}
    action = {"description": "Send the return", "due_date": "31/02/2026"}
    response = post_rows(edith, issue, [row], actions={0: [action]}, **typed)
    assert "Enter a valid date." in response.text
    assert "Typed a moment ago." in response.text
    assert "Send the return" in response.text
    assert "Typed intro." in response.text
    assert NewsItem.objects.get().update_text == "<p>What has happened.</p>"


def test_networks_set_in_place_list_the_item_on_the_network_page_and_in_the_archive(edith):
    network = make_network("Data Benchmarking")
    issue = make_issue(516)
    placement = place(issue, make_item(title="Benchmarking returns"))
    row = (placement.pk, placement.item_id, "headline", "Benchmarking returns", [network.pk])
    post_rows(edith, issue, [row], _publish="Publish now")
    network_page = edith.get(reverse("network_detail", args=[network.slug])).text
    archive = edith.get(reverse("issue_list"), {"network": network.slug}).text
    assert "Benchmarking returns" in network_page
    assert "Update 516" in archive


def test_a_title_typed_in_a_new_card_writes_a_new_item_where_it_was_put(edith):
    issue = make_issue(516, published=False)
    first = place(issue, make_item(title="Regional news"))
    rows = [
        (first.pk, first.item_id, "headline", "Regional news", []),
        (None, "", "headline", "Late news", []),
    ]
    response = post_rows(
        edith, issue, rows, **{"placements-1-update_text": "<p>Written in place.</p>"}
    )
    assert "was changed successfully" in response.text
    placed = Issue.objects.get().headlines().order_by("position")
    assert [(p.item.title, p.position) for p in placed] == [("Regional news", 0), ("Late news", 1)]
    assert placed[1].item.update_text == "<p>Written in place.</p>"


def test_a_new_card_with_neither_item_nor_title_is_refused_with_the_form_intact(edith):
    issue = make_issue(516, published=False)
    rows = [(None, "", "headline", "", [make_network().pk])]
    response = post_rows(edith, issue, rows, intro="Typed intro.")
    assert "Choose an item, or type the title of a new one." in response.text
    assert "Typed intro." in response.text


def test_an_item_deleted_from_the_update_is_taken_out_of_it_and_kept(edith):
    issue = make_issue(516, published=False)
    _, row = one_card(issue)
    page = edith.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).text
    assert 'name="placements-0-DELETE"' in page
    post_rows(edith, issue, [row], editing=False, **{"placements-0-DELETE": "on"})
    assert not Issue.objects.get().placements.exists()
    assert NewsItem.objects.get().title == "Regional news"


def test_an_items_editor_opens_in_its_card_with_its_text_and_actions(edith):
    issue = make_issue(516, published=False)
    placement, _ = one_card(issue, action_text="<p>Reply by Friday.</p>")
    make_action(placement.item, "Reply to the survey")
    url = reverse("admin:newsletters_issue_item_editor", args=[issue.pk])
    editor = edith.get(url, {"placement": placement.pk, "prefix": "placements-3"}).text
    assert 'name="placements-3-editing"' in editor
    assert "Reply by Friday." in editor
    assert "Reply to the survey" in editor
    assert 'spellcheck="true"' in editor.split('name="placements-3-update_text"')[1].split(">")[0]


def test_an_items_editor_of_another_update_is_not_found(edith):
    issue, other = make_issue(516, published=False), make_issue(517, published=False)
    placement, _ = one_card(other)
    url = reverse("admin:newsletters_issue_item_editor", args=[issue.pk])
    response = edith.get(url, {"placement": placement.pk, "prefix": "placements-0"})
    assert response.status_code == 404


def test_the_update_page_puts_the_items_first_and_the_record_last(edith):
    issue = make_issue(516, published=False)
    page = edith.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).text
    page = page[page.index('id="issue_form"') :]
    order = ["News items (headlines", "Opening text", "Future dates for network meetings"]
    order += ["Peer challenge", "Tools &amp; Templates", "Contact Details", ">Record<"]
    positions = [page.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_the_opening_text_is_spellchecked_and_titles_too(edith):
    issue = make_issue(516, published=False)
    place(issue, make_item(title="Regional news"))
    page = edith.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).text
    assert 'spellcheck="true"' in page.split('name="intro"')[1].split(">")[0]
    assert 'spellcheck="true"' in page.split('name="placements-0-title"')[1].split(">")[0]
