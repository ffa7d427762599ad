"""A small public site and the address of every public page on it, for tests that visit them all."""

from django.urls import reverse

from tests.factories import (
    days,
    make_action,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_triad,
)


def small_site():
    """One published update with an item, an action, a meeting, a triad and a contact."""
    issue = make_issue(349, intro="A brief summary.")
    item = make_item(issue, "Fostering news", contacts=[make_contact("Isabelle Gregory")])
    action = make_action(item, "Reply to the survey", due_date=days(3))
    network = make_network("Data Benchmarking")
    meeting = make_meeting(network, days(5), topic="Benchmarking day")
    make_triad(date=days(9))
    return {"issue": issue, "item": item, "action": action, "network": network, "meeting": meeting}


DCS_ONLY_TITLE = "Directors budget settlement"


def small_site_with_a_dcs_only_item():
    """small_site() with a “DCSs only” item, DCS_ONLY_TITLE, heading its update."""
    site = small_site()
    make_item(site["issue"], DCS_ONLY_TITLE, dcs_only=True, position=1)
    return site


def html_pages(site):
    return [
        reverse("home"),
        reverse("issue_list"),
        reverse("issue_detail", args=[site["issue"].number]),
        reverse("item_detail", args=[site["item"].pk]),
        reverse("dashboard"),
        reverse("search") + "?q=fostering",
        reverse("network_list"),
        reverse("network_detail", args=[site["network"].slug]),
        reverse("peer_challenge"),
        reverse("contact_list"),
    ]


def public_pages(site):
    """Every public page, feeds and calendar files included."""
    return html_pages(site) + [
        reverse("issue_feed"),
        reverse("calendar"),
        reverse("network_calendar", args=[site["network"].slug]),
        reverse("meeting_ics", args=[site["meeting"].pk]),
        reverse("action_ics", args=[site["action"].pk]),
    ]
