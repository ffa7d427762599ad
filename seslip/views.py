"""Pages that draw on every app: the home page, the dashboard of what's coming up, search, and
a network's page (its meetings and the news items about it)."""

import re

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from networks.models import Meeting, Network, Triad
from newsletters.filters import ActionFilter
from newsletters.models import Action, Issue, NewsItem, Placement
from newsletters.responses import owed_by
from newsletters.search import MAX_QUERY_LENGTH, search_everything
from seslip.lib.compiled import CompiledOnce, a_day, a_time
from seslip.lib.pagecache import public_page
from seslip.lib.roles import audience_of, is_dcs

DASHBOARD_GROUPS = [
    ("overdue", "Overdue (due in the last 30 days)"),
    ("this_week", "Due this week"),
    ("next_30_days", "Due in the next 30 days"),
    ("later", "Due later"),
]
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
HOME_ENTRIES = 5
# What an action's entry (seslip/includes/action_entry.html) shows of it and its item.
ACTION_ENTRY = ("due_date", "description", "audience", "item__title", "item__dcs_only")
DASHBOARD_MEETINGS = 30
NETWORK_PAST_MEETINGS = 20
NETWORK_NEWS = 10


def latest_update(now, *, dcs):
    """The latest published update, with what its card shows (not the intro or the printed
    records): its headlines' titles and its count of “DCSs only” headlines."""
    return (
        Issue.objects.published(now)
        .only("number", "date")
        .with_headlines(dcs=dcs, titles_only=True)
        .with_dcs_only_counts(section=Placement.Section.HEADLINE, resources=False)
        .order_by("-number")[:1]
    )


def home_actions(today, now, *, dcs):
    actions = dashboard_actions(dcs, now).select_related(None).select_related("item")
    return actions.only(*ACTION_ENTRY).upcoming(today)[:HOME_ENTRIES]


# The home page's queries differ only in the time and the day: built and compiled once per
# process, for DCSs (True) and everyone else (seslip/lib/compiled.py).
LATEST_UPDATE = {
    dcs: CompiledOnce(lambda now, dcs=dcs: latest_update(now, dcs=dcs), a_time)
    for dcs in (True, False)
}
HOME_ACTIONS = {
    dcs: CompiledOnce(lambda today, now, dcs=dcs: home_actions(today, now, dcs=dcs), a_day, a_time)
    for dcs in (True, False)
}
HOME_MEETINGS = CompiledOnce(
    lambda today: Meeting.objects.upcoming(today).select_related("network")[:HOME_ENTRIES], a_day
)


@public_page
def home(request):
    dcs = is_dcs(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    latest = next(iter(LATEST_UPDATE[dcs](now)), None)
    return render(
        request,
        "seslip/home.html",
        {
            "latest": latest,
            "withheld": latest.dcs_only_items if latest and not dcs else 0,
            "audience": audience_of(request.user),
            "actions": HOME_ACTIONS[dcs](today, now),
            "meetings": HOME_MEETINGS(today),
        },
    )


def dashboard_actions(dcs, now=None):
    return (
        Action.objects.readable(dcs=dcs, now=now)
        .with_issue_number(now)
        .select_related("item", "contact")
        .order_by("due_date", "position", "id")
    )


@public_page
def dashboard(request):
    dcs = is_dcs(request.user)
    today = timezone.localdate()
    filterset = ActionFilter(request.GET, queryset=dashboard_actions(dcs).for_dashboard(today))
    groups = {key: [] for key, _ in DASHBOARD_GROUPS}
    for action in filterset.qs:
        groups[action.when(today)].append(action)
    chosen = filterset.form.cleaned_data  # the valid filters only; bad values are reported
    meetings = Meeting.objects.upcoming(today).select_related("network", "contact")
    triads = Triad.objects.upcoming(today).for_listing()
    if chosen.get("network"):
        meetings = meetings.filter(network=chosen["network"])
    owed = None
    if chosen.get("authority"):
        triads = triads.filter(members=chosen["authority"])
        owed = owed_by(chosen["authority"], dcs=dcs)
    undated = filterset.filter_queryset(dashboard_actions(dcs).undated_from_latest())
    dcs_only = Action.objects.readable(dcs=True).filter(item__dcs_only=True).for_dashboard(today)
    withheld = 0 if dcs else filterset.filter_queryset(dcs_only).count()
    return render(
        request,
        "seslip/dashboard.html",
        {
            "filter": filterset,
            "groups": [(key, label, groups[key]) for key, label in DASHBOARD_GROUPS],
            "undated": undated,
            "owed": owed,
            "authority": chosen.get("authority"),
            "withheld": withheld,
            "audience": audience_of(request.user),
            "meetings": meetings[:DASHBOARD_MEETINGS],
            "triads": triads.order_by("date", "number"),
            "section": "dashboard",
        },
    )


@public_page
def search(request):
    query = CONTROL_CHARACTERS.sub(" ", request.GET.get("q", "")).strip()
    notices = []
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        notices.append(
            f"Searches can be up to {MAX_QUERY_LENGTH} characters long, so only the first "
            f"{MAX_QUERY_LENGTH} were used."
        )
    results = search_everything(query, dcs=is_dcs(request.user)) if query else None
    return render(
        request,
        "seslip/search.html",
        {
            "search_query": query,
            "results": results,
            "notices": notices,
            "withheld": results["withheld"] if results else 0,
            "audience": audience_of(request.user),
        },
    )


@public_page
def network_detail(request, slug):
    today = timezone.localdate()
    dcs = is_dcs(request.user)
    networks = Network.objects.select_related("convener").annotate(
        dcs_only_news=Coalesce(
            Subquery(
                NewsItem.objects.readable(dcs=True)
                .filter(dcs_only=True, networks=OuterRef("pk"))
                .order_by()
                .values("dcs_only")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            0,
        )
    )
    network = get_object_or_404(networks, slug=slug)
    meetings = network.meetings.select_related("network", "contact")
    news = (
        NewsItem.objects.readable(dcs=dcs)
        .filter(networks=network)
        .with_issue_number()
        .only("id", "title", "dcs_only")  # the list shows titles: not the items' text
        .order_by("-published_from", "-pk")
    )
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "upcoming": meetings.upcoming(today),
            "undated": meetings.filter(date__isnull=True).exclude(status=Meeting.Status.CANCELLED),
            "past": meetings.past(today).order_by("-date")[:NETWORK_PAST_MEETINGS],
            "news": news[:NETWORK_NEWS],
            "withheld": 0 if dcs else network.dcs_only_news,
            "audience": audience_of(request.user),
            "section": "networks",
        },
    )
