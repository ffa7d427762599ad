import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import Meeting
from newsletters.models import NewsItem
from tests.factories import (
    days,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_round,
    make_triad,
)

pytestmark = pytest.mark.django_db


def test_network_list_shows_each_network_with_its_convener(client):
    make_network("AD Safeguarding", convener=make_contact("Mark Evans"))
    make_network("Data Benchmarking")
    page = client.get(reverse("network_list")).content.decode()
    assert "AD Safeguarding" in page and "Data Benchmarking" in page
    assert '#contact-mark-evans">Mark Evans</a>' in page


def test_network_list_counts_upcoming_meetings(client):
    network = make_network("Data Benchmarking")
    make_meeting(network, days(3))
    make_meeting(network, days(10))
    make_meeting(network, days(-3))
    make_meeting(network, days(4), status=Meeting.Status.CANCELLED)
    assert "2 upcoming meetings" in client.get(reverse("network_list")).content.decode()


def test_network_page_shows_upcoming_and_past_meetings(client):
    network = make_network("Data Benchmarking", convener=make_contact("Luke Ede"))
    make_meeting(network, days(3), topic="Next quarter", start_time=datetime.time(10))
    make_meeting(network, days(-30), topic="Last quarter")
    make_meeting(network, None, topic="Autumn meeting")
    response = client.get(reverse("network_detail", args=[network.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Luke Ede" in page
    upcoming, past = page.split("Past meetings")
    assert "Next quarter" in upcoming and "10:00" in upcoming
    assert "Autumn meeting" in upcoming and "Dates still to be fixed" in upcoming
    assert "Last quarter" in past
    assert reverse("network_calendar", args=[network.slug]) in page


def news_section(client, network):
    page = client.get(reverse("network_detail", args=[network.slug])).content.decode()
    return page.split('id="news-heading"')[1].split("</section>")[0]


def test_network_page_lists_the_news_items_about_it_newest_first(client):
    network = make_network("Data Benchmarking")
    last_week = make_issue(348, published=timezone.now() - datetime.timedelta(days=7))
    this_week = make_issue(349)
    older = make_item(last_week, "Benchmarking return due", networks=[network])
    newer = make_item(this_week, "New LAIT published", networks=[network])
    make_item(this_week, "Other news", position=1)
    news = news_section(client, network)
    assert news.index("New LAIT published") < news.index("Benchmarking return due")
    assert f'href="/items/{newer.pk}/">New LAIT published</a>, Update 349' in news
    assert f'href="/items/{older.pk}/">Benchmarking return due</a>, Update 348' in news
    assert "Other news" not in news


def test_network_page_leaves_out_draft_and_dcs_only_news_for_readers(client):
    network = make_network("AD Safeguarding")
    make_item(make_issue(350, published=False), "Draft news", networks=[network])
    make_item(make_issue(349), "For directors", dcs_only=True, networks=[network])
    news = news_section(client, network)
    assert "Draft news" not in news and "For directors" not in news
    assert "No news items about this network yet." in news


def test_a_dcs_sees_dcs_only_news_on_the_network_page(client, dcs):
    network = make_network("AD Safeguarding")
    make_item(make_issue(349), "For directors", dcs_only=True, networks=[network])
    client.force_login(dcs)
    news = news_section(client, network)
    assert "For directors" in news and "DCSs only" in news


def test_a_news_item_with_a_stale_publication_time_is_left_out_not_an_error(client):
    network = make_network("AD Safeguarding")
    item = make_item(make_issue(350, published=False), "Not out yet", networks=[network])
    NewsItem.objects.filter(pk=item.pk).update(published_from=timezone.now())  # as a raw write
    assert "Not out yet" not in news_section(client, network)


def test_unknown_network_is_not_found(client):
    assert client.get(reverse("network_detail", args=["no-such-network"])).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_network_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for n in range(count):
        network = make_network(f"Network {n}", convener=make_contact(f"Convener {n}"))
        make_meeting(network, days(n + 1))
        make_meeting(network, days(-n - 1))
        make_meeting(network, None)
        make_item(make_issue(100 + n), f"News {n}", networks=[network])
    with django_assert_num_queries(1):
        client.get(reverse("network_list"))
    with django_assert_num_queries(5):
        client.get(reverse("network_detail", args=[network.slug]))


def test_peer_challenge_shows_each_rounds_triads_as_a_table(client):
    round_ = make_round("2019-20 DCS Peer Challenge")
    make_triad(round_, 1, ("East Sussex", "Surrey", "Wokingham"), date=datetime.date(2019, 11, 25))
    make_triad(
        round_,
        3,
        ("Hampshire", "Isle of Wight", "Milton Keynes", "Slough"),
        date=datetime.date(2019, 11, 11),
    )
    make_triad(
        round_,
        2,
        ("Kent", "West Sussex", "Portsmouth"),
        status="tbc",
        date=None,
        candidate_dates=["2019-11-01", "2019-11-11"],
    )
    page = client.get(reverse("peer_challenge")).content.decode()
    assert "<caption>2019-20 DCS Peer Challenge</caption>" in page
    assert "Triad 1" in page and "East Sussex, Surrey, Wokingham" in page
    assert "Monday 25 November 2019" in page
    assert "Quartet 3" in page
    assert "One of 1 November 2019 or 11 November 2019" in page and "To be confirmed" in page


def test_peer_challenge_shows_the_latest_three_rounds_and_pages_to_older_ones(client):
    for year in range(2018, 2023):
        make_triad(make_round(f"{year}-{year - 1999} DCS Peer Challenge"))
    first = client.get(reverse("peer_challenge")).content.decode()
    assert "2022-23" in first and "2020-21" in first and "2019-20" not in first
    assert 'href="?page=2">Older rounds</a>' in first
    older = client.get(reverse("peer_challenge"), {"page": 2}).content.decode()
    assert "2019-20" in older and "2018-19" in older and "2022-23" not in older
    assert 'href="?page=1">Newer rounds</a>' in older


def test_a_peer_challenge_page_past_the_end_shows_the_last_page_and_says_so(client):
    make_triad(make_round("2019-20 DCS Peer Challenge"))
    page = client.get(reverse("peer_challenge"), {"page": "7"}).content.decode()
    assert "That page is past the end, so here is the last page (page 1)." in page
    assert "2019-20 DCS Peer Challenge" in page


def test_network_list_counts_stay_right_with_many_past_meetings(client):
    network = make_network("Data Benchmarking")
    for n in range(1, 30):
        make_meeting(network, days(-n))
    make_meeting(network, days(1))
    make_network("Quiet network")
    page = client.get(reverse("network_list")).content.decode()
    assert "1 upcoming meeting<" in page and "0 upcoming meetings" in page


@pytest.mark.parametrize("count", [1, 10])
def test_peer_challenge_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for r in range(2):
        round_ = make_round(f"20{10 + r} Round")
        for n in range(count):
            make_triad(round_, n + 1)
    with django_assert_num_queries(5):
        assert client.get(reverse("peer_challenge")).status_code == 200
