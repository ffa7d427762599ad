import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from bench.archive_generator import ArchiveError, generate_archive
from contacts.models import Organisation
from networks.models import Meeting, Network, PeerChallengeRound, Triad
from newsletters.html import clean_html
from newsletters.models import Action, Issue, IssueContact, IssueMeeting, NewsItem, Placement
from tests.factories import make_issue

pytestmark = pytest.mark.django_db

AUTUMN_2019 = datetime.date(2019, 11, 8)


def generate(*args):
    out = StringIO()
    call_command("generate_archive", *args, stdout=out)
    return out.getvalue()


def test_writes_the_updates_asked_for_all_published_and_numbered_from_the_start_number():
    output = generate("--updates", "5", "--start-number", "200")

    assert list(Issue.objects.published().order_by("number").values_list("number", flat=True)) == [
        200,
        201,
        202,
        203,
        204,
    ]
    assert "Wrote 5 updates (200–204)" in output


def test_updates_are_a_week_apart_and_the_latest_is_dated_last_friday():
    generate_archive(updates=3, today=datetime.date(2019, 11, 12))  # a Tuesday

    dates = list(Issue.objects.order_by("number").values_list("date", flat=True))
    assert dates == [datetime.date(2019, 10, 25), datetime.date(2019, 11, 1), AUTUMN_2019]


def test_every_update_has_exactly_the_items_asked_for():
    generate("--updates", "6", "--items-per-update", "5")

    for issue in Issue.objects.all():
        assert issue.placements.count() == 5
        assert issue.headlines().exists()


def test_one_item_per_update_means_one_headline_and_no_reminder():
    generate("--updates", "3", "--items-per-update", "1")

    assert Placement.objects.filter(section=Placement.Section.HEADLINE).count() == 3
    assert not Placement.objects.filter(section=Placement.Section.REMINDER).exists()


def test_reminders_are_items_that_ran_as_headlines_in_an_earlier_update():
    generate("--updates", "6", "--items-per-update", "8")

    reminders = Placement.objects.filter(section=Placement.Section.REMINDER)
    assert reminders.count() == 5 * 2  # the first update has nothing to carry
    for reminder in reminders.select_related("issue"):
        earlier = reminder.item.placements.get(section=Placement.Section.HEADLINE).issue
        assert earlier.number < reminder.issue.number


def test_big_update_in_the_middle_has_exactly_that_many_items():
    output = generate("--updates", "5", "--big-update", "30")

    assert Issue.objects.get(number=1002).placements.count() == 30
    assert Issue.objects.get(number=1003).placements.count() == 8
    assert "Update 1002 has 30 items" in output


def test_actions_fall_due_before_and_after_today_and_some_have_no_date():
    today = datetime.date(2019, 11, 12)
    generate_archive(updates=12, today=today)

    assert Action.objects.filter(due_date__lt=today).exists()
    assert Action.objects.filter(due_date__gte=today).exists()
    assert Action.objects.filter(due_date__isnull=True).exists()


def test_news_item_html_is_exactly_what_clean_html_keeps():
    generate("--updates", "4")

    for item in NewsItem.objects.all():
        assert clean_html(item.update_text) == item.update_text
        assert clean_html(item.action_text) == item.action_text


def test_meeting_listings_name_twelve_networks_meeting_after_the_update():
    generate("--updates", "8")

    assert Network.objects.count() == 12
    for listing in IssueMeeting.objects.select_related("issue", "meeting__network"):
        assert listing.meeting.date > listing.issue.date
        assert listing.text.startswith(listing.meeting.network.name)
    assert Meeting.objects.upcoming().exists()


def test_every_update_lists_contact_details_and_tools_and_templates():
    generate("--updates", "3")

    for issue in Issue.objects.all():
        assert issue.contact_listings.count() >= 8
        assert issue.resource_listings.exists()
    assert IssueContact.objects.filter(contact__name="Isabelle Gregory").exists()


def test_peer_challenge_round_puts_all_19_authorities_in_five_triads_and_a_quartet():
    generate_archive(updates=10, today=AUTUMN_2019)

    round_ = PeerChallengeRound.objects.get(name="2019-20 DCS Peer Challenge")
    sizes = sorted(len(triad.members.all()) for triad in round_.triads.all())
    members = {m.pk for triad in round_.triads.all() for m in triad.members.all()}
    assert sizes == [3, 3, 3, 3, 3, 4]
    assert members == set(Organisation.objects.local_authorities().values_list("pk", flat=True))


def test_autumn_updates_carry_a_peer_challenge_item_listing_the_triads():
    generate_archive(updates=10, today=AUTUMN_2019)

    item = NewsItem.objects.filter(title__startswith="Peer Challenge Triads").order_by("pk").first()
    assert item is not None
    assert "Quartet" in item.action_text
    issue = item.placements.order_by("issue__number").first().issue  # where it ran first
    assert (
        issue.triads.count()
        == Triad.objects.filter(round__name="2019-20 DCS Peer Challenge").count()
    )


def test_same_seed_gives_the_same_archive():
    def titles():
        with transaction.atomic():
            generate_archive(updates=4, seed=7, today=AUTUMN_2019)
            made = list(NewsItem.objects.order_by("pk").values_list("title", flat=True))
            transaction.set_rollback(True)
        return made

    assert titles() == titles()


def test_refuses_when_a_number_it_would_use_is_taken_and_writes_nothing():
    make_issue(1002)

    with pytest.raises(CommandError, match=r"updates 1000–1004 already exist \(1002\)"):
        generate("--updates", "5")
    assert Issue.objects.count() == 1
    assert not NewsItem.objects.exists()


def test_refusal_is_raised_by_the_service_too():
    make_issue(1000)

    with pytest.raises(ArchiveError):
        generate_archive(updates=1)


def test_dry_run_writes_nothing():
    output = generate("--updates", "3", "--dry-run")

    assert "nothing was written" in output
    assert "Would write 3 updates" in output
    assert not Issue.objects.exists()
    assert not Network.objects.exists()


def test_zero_updates_is_refused():
    with pytest.raises(CommandError, match="--updates"):
        generate("--updates", "0")
