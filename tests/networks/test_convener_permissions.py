"""Conveners keep the meetings of the networks they convene, and nothing else, in the admin.

Network A is AD Safeguarding, which Connor (the `convener` fixture) convenes; B is Data
Benchmarking, which he does not.
"""

import pytest
from django.urls import reverse

from networks.models import Meeting
from tests.factories import days, make_meeting

ROLES = ["anonymous", "dcs", "convener", "editor", "admin_user"]
PAGES = [
    "changelist A",
    "changelist B",
    "add",
    "change A",
    "change B",
    "history A",
    "history B",
    "delete A",
    "delete B",
]
LOGIN = 302
EXPECTED = {
    "anonymous": dict.fromkeys(PAGES, LOGIN),
    "dcs": dict.fromkeys(PAGES, LOGIN),
    "convener": {
        "changelist A": 200,
        "changelist B": 200,  # the list opens, but shows none of B's meetings (tested below)
        "add": 200,
        "change A": 200,
        "change B": 403,
        "history A": 200,
        "history B": 403,
        "delete A": 403,  # conveners cancel, never delete
        "delete B": 403,
    },
    "editor": dict.fromkeys(PAGES, 200),
    "admin_user": dict.fromkeys(PAGES, 200),
}


@pytest.fixture
def meeting_a(safeguarding_network):
    return make_meeting(safeguarding_network, days(10), topic="Safeguarding partnerships")


@pytest.fixture
def meeting_b(data_network):
    return make_meeting(data_network, days(12), topic="Benchmarking returns")


def page_url(page, meeting_a, meeting_b):
    if page == "add":
        return reverse("admin:networks_meeting_add")
    view, network = page.split()
    meeting = meeting_a if network == "A" else meeting_b
    if view == "changelist":
        return (
            reverse("admin:networks_meeting_changelist")
            + f"?network__id__exact={meeting.network_id}"
        )
    return reverse(f"admin:networks_meeting_{view}", args=[meeting.pk])


def log_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, request, convener, meeting_a, meeting_b, role, page):
    log_in(client, request, role)
    response = client.get(page_url(page, meeting_a, meeting_b))
    assert response.status_code == EXPECTED[role][page]


def meeting_form(network, **changes):
    data = {
        "network": network.pk,
        "date": days(20).isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "topic": "Exploitation",
        "status": Meeting.Status.CONFIRMED,
        "place": "",
        "contact": "",
        "notes": "",
    }
    return data | changes


@pytest.fixture
def connor(client, convener):
    client.force_login(convener)
    return client


def test_convener_sees_only_the_meetings_of_their_network(connor, meeting_a, meeting_b):
    response = connor.get(reverse("admin:networks_meeting_changelist"))
    assert "Safeguarding partnerships" in response.text
    assert "Benchmarking returns" not in response.text


def test_convener_sees_no_meeting_of_another_network_by_filtering_for_it(connor, meeting_b):
    url = (
        reverse("admin:networks_meeting_changelist") + f"?network__id__exact={meeting_b.network_id}"
    )
    assert "Benchmarking returns" not in connor.get(url).text


def test_convener_may_choose_only_their_networks_in_the_form(connor, data_network):
    response = connor.get(reverse("admin:networks_meeting_add"))
    choices = [
        label
        for value, label in response.context["adminform"].form.fields["network"].choices
        if value
    ]
    assert choices == ["AD Safeguarding"]


def test_convener_adds_a_meeting_to_their_network(connor, safeguarding_network):
    response = connor.post(
        reverse("admin:networks_meeting_add"), meeting_form(safeguarding_network)
    )
    assert response.status_code == 302
    assert safeguarding_network.meetings.get().topic == "Exploitation"


def test_convener_cannot_add_a_meeting_to_another_network(connor, data_network):
    response = connor.post(reverse("admin:networks_meeting_add"), meeting_form(data_network))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Meeting.objects.exists()


def test_convener_changes_a_meeting_of_their_network(connor, meeting_a):
    url = reverse("admin:networks_meeting_change", args=[meeting_a.pk])
    response = connor.post(url, meeting_form(meeting_a.network, topic="Moved"))
    assert response.status_code == 302
    meeting_a.refresh_from_db()
    assert meeting_a.topic == "Moved"


def test_convener_cannot_move_their_meeting_to_another_network(connor, meeting_a, data_network):
    url = reverse("admin:networks_meeting_change", args=[meeting_a.pk])
    response = connor.post(url, meeting_form(data_network))
    assert "Select a valid choice" in response.text
    meeting_a.refresh_from_db()
    assert meeting_a.network.name == "AD Safeguarding"


def test_convener_cannot_change_another_networks_meeting_by_posting_its_form(connor, meeting_b):
    url = reverse("admin:networks_meeting_change", args=[meeting_b.pk])
    response = connor.post(url, meeting_form(meeting_b.network, topic="Hijacked"))
    assert response.status_code == 403
    meeting_b.refresh_from_db()
    assert meeting_b.topic == "Benchmarking returns"


def test_convener_cannot_delete_any_meeting_even_by_posting(connor, meeting_a, meeting_b):
    for meeting in (meeting_a, meeting_b):
        url = reverse("admin:networks_meeting_delete", args=[meeting.pk])
        assert connor.post(url, {"post": "yes"}).status_code == 403
    assert Meeting.objects.count() == 2


def test_convener_is_not_offered_delete_but_cancel(connor, meeting_a):
    response = connor.get(reverse("admin:networks_meeting_changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "cancel_meetings" in actions
    assert "delete_selected" not in actions


def cancel(client, *meetings):
    return client.post(
        reverse("admin:networks_meeting_changelist"),
        {"action": "cancel_meetings", "_selected_action": [m.pk for m in meetings], "index": 0},
        follow=True,
    )


def test_convener_cancels_a_meeting_of_their_network(connor, meeting_a):
    response = cancel(connor, meeting_a)
    meeting_a.refresh_from_db()
    assert meeting_a.status == Meeting.Status.CANCELLED
    assert "Cancelled 1 meeting" in response.text


def test_convener_cannot_cancel_another_networks_meeting(connor, meeting_a, meeting_b):
    cancel(connor, meeting_a, meeting_b)
    meeting_b.refresh_from_db()
    assert meeting_b.status == Meeting.Status.CONFIRMED


def test_convener_cancels_from_the_meeting_page(connor, meeting_a):
    url = reverse("admin:networks_meeting_change", args=[meeting_a.pk])
    connor.post(url, {"CHANGE_FORM-action": "cancel_meetings", "_selected_action": meeting_a.pk})
    meeting_a.refresh_from_db()
    assert meeting_a.status == Meeting.Status.CANCELLED


def test_convener_cannot_cancel_from_another_networks_meeting_page(connor, meeting_b):
    url = reverse("admin:networks_meeting_change", args=[meeting_b.pk])
    data = {"CHANGE_FORM-action": "cancel_meetings", "_selected_action": meeting_b.pk}
    assert connor.post(url, data).status_code == 403
    meeting_b.refresh_from_db()
    assert meeting_b.status == Meeting.Status.CONFIRMED


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:networks_network_changelist",
        "admin:networks_triad_changelist",
        "admin:newsletters_issue_changelist",
        "admin:newsletters_newsitem_changelist",
        "admin:contacts_contact_changelist",
    ],
)
def test_convener_sees_nothing_but_meetings(connor, url_name):
    assert connor.get(reverse(url_name)).status_code == 403


def test_convener_admin_home_lists_only_meetings(connor):
    response = connor.get(reverse("admin:index"))
    models = [m["object_name"] for app in response.context["app_list"] for m in app["models"]]
    assert models == ["Meeting"]


def test_convener_of_no_network_cannot_add_meetings(client, convener, safeguarding_network):
    safeguarding_network.convener_accounts.remove(convener)
    client.force_login(convener)
    assert client.get(reverse("admin:networks_meeting_add")).status_code == 403


def test_editor_cancels_and_deletes_any_networks_meetings(client, editor, meeting_a, meeting_b):
    client.force_login(editor)
    cancel(client, meeting_a, meeting_b)
    assert set(Meeting.objects.values_list("status", flat=True)) == {Meeting.Status.CANCELLED}
    url = reverse("admin:networks_meeting_delete", args=[meeting_b.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert list(Meeting.objects.all()) == [meeting_a]
