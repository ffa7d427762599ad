import pytest
from django.urls import reverse

from newsletters.models import Action
from tests.factories import (
    authority,
    days,
    make_action,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_triad,
)

pytestmark = pytest.mark.django_db


def dashboard(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response.content.decode()


def section(page, heading):
    """The part of the page from `heading` to the next h3 or h2."""
    start = page.index(heading)
    ends = [i for i in (page.find("<h3", start), page.find("<h2", start)) if i != -1]
    return page[start : min(ends) if ends else None]


def test_dashboard_groups_actions_by_when_they_are_due(client):
    item = make_item(make_issue(349), "Consultation")
    make_action(item, "Was due last week", due_date=days(-7))
    make_action(item, "Due today", due_date=days(0))
    make_action(item, "Due in three weeks", due_date=days(21))
    make_action(item, "Due in two months", due_date=days(60))
    make_action(item, "Long overdue", due_date=days(-90))
    page = dashboard(client)
    assert "Was due last week" in section(page, "Overdue")
    assert "Due today" in section(page, "Due this week")
    assert "Due in three weeks" in section(page, "Due in the next 30 days")
    assert "Due in two months" in section(page, "Due later")
    assert "Long overdue" not in page


def test_dashboard_lists_actions_soonest_first(client):
    item = make_item(make_issue(349), "Consultation")
    make_action(item, "Second", due_date=days(45))
    make_action(item, "First", due_date=days(40))
    page = dashboard(client)
    assert page.index("First") < page.index("Second")


def test_dashboard_entries_link_back_to_their_item(client):
    issue = make_issue(349)
    item = make_item(issue, "Consultation")
    make_action(item, "Reply", due_date=days(3))
    page = dashboard(client)
    assert f'href="/updates/349/#item-{item.pk}"' in page


def test_dashboard_leaves_out_closed_and_unpublished_actions(client):
    make_action(make_item(make_issue(349), "Done"), "Closed one", due_date=days(3), closed=True)
    draft_item = make_item(make_issue(350, published=False), "Draft")
    make_action(draft_item, "From a draft", due_date=days(3))
    page = dashboard(client)
    assert "Closed one" not in page and "From a draft" not in page


def test_dashboard_hides_dcs_only_actions_from_the_public(client, dcs):
    item = make_item(make_issue(349), "Self-assessment", dcs_only=True)
    make_action(item, "Upload your self-assessment", due_date=days(3))
    assert "Upload your self-assessment" not in dashboard(client)
    client.force_login(dcs)
    assert "Upload your self-assessment" in dashboard(client)


def test_dashboard_shows_undated_actions_from_the_latest_updates(client):
    make_action(make_item(make_issue(300), "Old"), "Old undated")
    for number in (301, 302):
        make_issue(number)
    make_action(make_item(make_issue(303), "New"), "New undated")
    page = section(dashboard(client), "Actions without a date")
    assert "New undated" in page and "Old undated" not in page


def test_dashboard_shows_upcoming_meetings_and_triads(client):
    make_meeting(make_network("Data Benchmarking"), days(5), topic="Quarterly figures")
    make_meeting(make_network("Data Benchmarking"), days(-5), topic="Last time")
    make_triad(number=2, date=days(20))
    page = dashboard(client)
    assert "Quarterly figures" in page and "Last time" not in page
    assert "Triad 2" in page and "Kent, Medway, Surrey" in page


def test_dashboard_filters_by_network_authority_and_audience(client):
    network = make_network("Data Benchmarking")
    issue = make_issue(349)
    make_action(make_item(issue, "A", networks=[network]), "Network action", due_date=days(2))
    kent_item = make_item(issue, "B", authorities=[authority("Kent")])
    make_action(kent_item, "Kent action", due_date=days(2), audience=Action.Audience.DCS)
    make_action(make_item(issue, "C"), "Other action", due_date=days(2))
    by_network = dashboard(client, network=network.slug)
    by_kent = dashboard(client, authority="kent")
    by_audience = dashboard(client, audience="dcs")
    assert "Network action" in by_network and "Other action" not in by_network
    assert "Kent action" in by_kent and "Network action" not in by_kent
    assert "Kent action" in by_audience and "Other action" not in by_audience


def test_dashboard_keeps_its_filters_in_the_form(client):
    network = make_network("Data Benchmarking")
    page = dashboard(client, network=network.slug)
    assert f'<option value="{network.slug}" selected>' in page


@pytest.mark.parametrize(
    "params",
    [
        {"network": "nowhere"},
        {"authority": "atlantis"},
        {"audience": "martians"},
        {"network": "a\x00b"},
        {"audience": "x" * 10_000},
    ],
)
def test_dashboard_with_an_unknown_filter_value_says_so(client, params):
    make_action(make_item(make_issue(349), "A"), "Still shown", due_date=days(2))
    page = dashboard(client, **params)
    assert "This filter was left out." in page and "Still shown" in page


def make_dashboard_data(count):
    network = make_network("Data Benchmarking")
    kent = authority("Kent")
    for n in range(count):
        item = make_item(make_issue(100 + n), f"Item {n}", networks=[network], authorities=[kent])
        make_action(item, f"Dated {n}", due_date=days(n - 3))
        make_action(item, f"Undated {n}")
        make_meeting(network, days(n + 1))
        make_triad(number=n + 1, date=days(n + 1))
    return network


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    make_dashboard_data(count)
    with django_assert_num_queries(9):  # one counts the DCS-only actions left out
        dashboard(client)


@pytest.mark.parametrize("count", [1, 20])
def test_filtered_dashboard_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    network = make_dashboard_data(count)
    with django_assert_num_queries(12):  # one lists what the authority still owes
        dashboard(client, network=network.slug, authority="kent", audience="everyone")


# The home page


def test_home_shows_the_latest_update_and_whats_coming_up(client):
    make_item(make_issue(312), "Old news")
    issue = make_issue(349)
    make_item(issue, "Children not in school")
    make_action(make_item(issue, "Survey"), "Reply to the survey", due_date=days(4))
    make_meeting(make_network("Data Benchmarking"), days(6), topic="Quarterly figures")
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Update 349" in page and "Children not in school" in page and "Old news" not in page
    assert "Reply to the survey" in page and "Quarterly figures" in page


def test_home_without_any_update_says_so(client):
    assert "No update has been published yet." in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    make_dashboard_data(count)
    with django_assert_num_queries(4):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_for_a_dcs_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, dcs, count
):
    make_dashboard_data(count)
    client.force_login(dcs)
    with django_assert_num_queries(11):  # her account, groups, membership; session cached
        dashboard(client)


def test_a_filter_with_a_bad_value_points_to_its_error_message(client):
    page = dashboard(client, network="nowhere")
    assert 'aria-invalid="true" aria-describedby="id_network-error"' in page
    assert '<p class="field-error" id="id_network-error">' in page
