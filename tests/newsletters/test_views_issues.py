import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Placement
from tests.factories import (
    authority,
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

pytestmark = pytest.mark.django_db


def full_issue(number=349, items=1):
    issue = make_issue(number, date=datetime.date(2019, 4, 26), intro="A brief summary.")
    isabelle = make_contact("Isabelle Gregory", email="isabelle@example.org")
    list_contact(issue, isabelle)
    for n in range(items):
        item = make_item(
            issue,
            f"Peer Challenge Triads {n}",
            position=n,
            update_text="<p>Please contact Isabelle Gregory (details below).</p>",
            action_text="<p>Book your places.</p>",
            contacts=[isabelle],
        )
        make_action(item, "Book your places", due_date=days(10))
        make_resource(issue, f"KCSiE {n}", position=n)
        list_meeting(issue, make_meeting(make_network(f"Network {n}"), days(7 + n)), position=n)
    reminder = make_item(issue, "Children not in school", section=Placement.Section.REMINDER)
    make_action(reminder, "Reply to the consultation")
    issue.triads.add(make_triad(number=1))
    return issue


def test_update_page_reads_like_the_newsletter(client):
    issue = full_issue()
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Update 349" in page and "26 April 2019" in page
    assert "A brief summary." in page
    assert "Action Required" in page and "Book your places" in page
    assert "Reminders from previous weeks" in page and "Children not in school" in page
    assert "Future dates for network meetings" in page and "Network 0" in page
    assert "Triad 1" in page and "Kent, Medway, Surrey" in page
    assert "Tools &amp; Templates" in page and "KCSiE 0" in page
    assert "Contact Details" in page and 'id="contact-isabelle-gregory"' in page


def test_update_page_shows_due_dates_with_add_to_calendar(client):
    issue = full_issue()
    action = issue.placements.first().item.actions.get()
    page = client.get(issue.get_absolute_url()).content.decode()
    assert f'Due <time datetime="{action.due_date:%Y-%m-%d}">' in page
    assert reverse("action_ics", args=[action.pk]) in page


def test_names_in_items_link_to_their_contact_details(client):
    issue = full_issue()
    page = client.get(issue.get_absolute_url()).content.decode()
    assert '<a href="#contact-isabelle-gregory">Isabelle Gregory</a>' in page


def test_update_page_links_to_previous_and_next_updates(client):
    make_issue(312)
    middle = make_issue(349)
    make_issue(377)
    make_issue(400, published=False)
    page = client.get(middle.get_absolute_url()).content.decode()
    assert reverse("issue_detail", args=[312]) in page
    assert reverse("issue_detail", args=[377]) in page
    last = client.get(reverse("issue_detail", args=[377])).content.decode()
    assert reverse("issue_detail", args=[400]) not in last


def test_draft_update_is_not_found(client):
    issue = make_issue(500, published=False)
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_scheduled_update_is_not_found(client):
    issue = make_issue(501, published=timezone.now() + datetime.timedelta(days=2))
    response = client.get(issue.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_dcs_only_items_are_hidden_from_the_public(client, reader):
    issue = make_issue(349)
    make_item(issue, "Self-assessments for DCSs", dcs_only=True)
    make_item(issue, "Public news")
    make_resource(issue, "Restricted plan", dcs_only=True)
    for user in (None, reader):
        if user:
            client.force_login(user)
        page = client.get(issue.get_absolute_url()).content.decode()
        assert "Public news" in page
        assert "Self-assessments for DCSs" not in page and "Restricted plan" not in page


def test_dcs_sees_dcs_only_items(client, dcs):
    issue = make_issue(349)
    make_item(issue, "Self-assessments for DCSs", dcs_only=True)
    client.force_login(dcs)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Self-assessments for DCSs" in page and "DCSs only" in page


@pytest.mark.parametrize("items", [1, 20])
def test_update_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, items):
    issue = full_issue(items=items)
    with django_assert_num_queries(10):  # the previous and next updates found with the update
        assert client.get(issue.get_absolute_url()).status_code == 200


def test_update_page_links_the_published_updates_before_and_after_it(client):
    make_issue(347)
    make_issue(348, published=False)  # a draft between: skipped
    make_issue(349)
    make_issue(350, published=timezone.now() + datetime.timedelta(days=1))  # not yet due
    make_issue(351)
    page = client.get(reverse("issue_detail", args=[349])).content.decode()
    assert '<a rel="prev" href="/updates/347/">Previous: Update 347</a>' in page
    assert '<a rel="next" href="/updates/351/">Next: Update 351</a>' in page
    first, last = (client.get(reverse("issue_detail", args=[n])).text for n in (347, 351))
    assert 'rel="prev"' not in first and "Next: Update 349" in first
    assert 'rel="next"' not in last and "Previous: Update 349" in last


# The archive


def test_archive_lists_published_updates_newest_first(client):
    make_issue(312, date=datetime.date(2018, 7, 27))
    make_issue(349, date=datetime.date(2019, 4, 26))
    make_issue(400, published=False)
    page = client.get(reverse("issue_list")).content.decode()
    assert page.index("Update 349") < page.index("Update 312")
    assert "Update 400" not in page


def test_archive_pages_through_updates(client):
    for number in range(1, 46):
        make_issue(number)
    first = client.get(reverse("issue_list")).content.decode()
    third = client.get(reverse("issue_list"), {"page": 3}).content.decode()
    assert "Update 45" in first and "Update 26" in first and "Update 25" not in first
    assert "Update 5<" in third and "Page 3 of 3" in third


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("99", "past the end"),
        ("abc", "was not understood"),
        ("0", "past the end"),
        ("1.5", "was not understood"),
        ("9" * 10_000, "was not understood"),
    ],
)
def test_archive_with_a_bad_page_number_says_so(client, page, message):
    make_issue(349)
    response = client.get(reverse("issue_list"), {"page": page})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Update 349" in response.content.decode()


def test_archive_filters_by_year(client):
    make_issue(312, date=datetime.date(2018, 7, 27))
    make_issue(349, date=datetime.date(2019, 4, 26))
    page = client.get(reverse("issue_list"), {"year": 2018}).content.decode()
    assert "Update 312" in page and "Update 349" not in page
    assert "All updates from 2018" in page


def test_archive_offers_only_the_years_that_have_published_updates(client):
    make_issue(312, date=datetime.date(2018, 7, 27))
    make_issue(515, date=datetime.date(2022, 7, 22))
    make_issue(516, date=datetime.date(2030, 1, 4), published=False)  # a draft: not offered

    response = client.get(reverse("issue_list"))

    assert response.context["years"] == [2022, 2018]
    assert "year=2020" not in response.text


def test_archive_filters_by_date_range(client):
    make_issue(312, date=datetime.date(2018, 7, 27))
    make_issue(349, date=datetime.date(2019, 4, 26))
    page = client.get(
        reverse("issue_list"), {"date_from": "2019-01-01", "date_to": "2019-12-31"}
    ).content.decode()
    assert "Update 349" in page and "Update 312" not in page


def test_archive_filters_by_network_and_authority(client):
    network = make_network("Data Benchmarking")
    kent = authority("Kent")
    make_item(make_issue(312), "Benchmarking", networks=[network])
    make_item(make_issue(349), "Kent news", authorities=[kent])
    by_network = client.get(reverse("issue_list"), {"network": network.slug}).content.decode()
    by_kent = client.get(reverse("issue_list"), {"authority": "kent"}).content.decode()
    assert "Update 312" in by_network and "Update 349" not in by_network
    assert "Update 349" in by_kent and "Update 312" not in by_kent


def test_archive_filters_updates_with_open_actions(client):
    open_item = make_item(make_issue(312), "Reply")
    make_action(open_item, due_date=days(3))
    closed_item = make_item(make_issue(349), "Done")
    make_action(closed_item, closed=True)
    page = client.get(reverse("issue_list"), {"open_actions": "on"}).content.decode()
    assert "Update 312" in page and "Update 349" not in page


def test_actions_long_past_due_are_not_open(client):
    old = make_item(make_issue(312, date=datetime.date(2018, 7, 27)), "Reply by August 2018")
    make_action(old, due_date=datetime.date(2018, 8, 31))
    page = client.get(reverse("issue_list"), {"open_actions": "on"}).content.decode()
    assert "Update 312" not in page


def test_archive_headline_titles_link_to_their_item(client):
    item = make_item(make_issue(312), "Regional news")
    page = client.get(reverse("issue_list")).content.decode()
    url = reverse("issue_detail", args=[312])
    assert f'<a href="{url}#item-{item.pk}">Regional news</a>' in page


@pytest.mark.parametrize(
    "params",
    [
        {"network": "no-such-network"},
        {"authority": "atlantis"},
        {"date_from": "yesterday"},
        {"date_to": "2019-02-30"},
        {"network": "a\x00b"},
        {"authority": "x" * 10_000},
    ],
)
def test_archive_with_an_unknown_filter_value_says_so(client, params):
    make_issue(349)
    response = client.get(reverse("issue_list"), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This filter was left out." in page and "Update 349" in page


@pytest.mark.parametrize("year", ["99999", "2019.5", "last year", "-1"])
def test_archive_with_a_bad_year_says_so(client, year):
    make_issue(349)
    response = client.get(reverse("issue_list"), {"year": year})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The year in the address was not understood" in page and "Update 349" in page


@pytest.mark.parametrize("count", [1, 20])
def test_archive_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for number in range(count):
        issue = make_issue(100 + number)
        make_item(issue, f"News {number}")
    with django_assert_num_queries(6):
        assert client.get(reverse("issue_list")).status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_filtered_archive_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    network = make_network("Data Benchmarking")
    kent = authority("Kent")
    for number in range(count):
        item = make_item(make_issue(100 + number), f"News {number}", networks=[network])
        item.authorities.add(kent)
        make_action(item, due_date=days(number))
    params = {"network": network.slug, "authority": "kent", "open_actions": "on"}
    with django_assert_num_queries(8):
        assert client.get(reverse("issue_list"), params).status_code == 200


@pytest.mark.parametrize("items", [1, 20])
def test_update_page_for_a_dcs_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, dcs, items
):
    issue = full_issue(items=items)
    make_item(issue, "Restricted", dcs_only=True, position=99)
    client.force_login(dcs)
    with django_assert_num_queries(13):  # her account, groups, membership; session cached
        assert client.get(issue.get_absolute_url()).status_code == 200


def test_names_already_in_a_link_are_left_alone(client):
    issue = make_issue(349)
    isabelle = make_contact("Isabelle Gregory")
    list_contact(issue, isabelle)
    text = '<p>Email <a href="mailto:ig@example.org">Isabelle Gregory</a> today.</p>'
    make_item(issue, "Booking", update_text=text, contacts=[isabelle])
    page = client.get(issue.get_absolute_url()).content.decode()
    assert '<a href="mailto:ig@example.org" rel="noopener noreferrer">Isabelle Gregory</a>' in page
    assert '<a href="#contact-isabelle-gregory">' not in page


def test_names_of_people_not_listed_that_week_link_to_the_directory(client):
    issue = make_issue(349)
    mark = make_contact("Mark Evans")
    make_item(issue, "Complex LAC", update_text="<p>Ask Mark Evans.</p>", contacts=[mark])
    page = client.get(issue.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("contact_list")}#contact-mark-evans">Mark Evans</a>' in page
