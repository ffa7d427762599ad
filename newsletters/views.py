from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from networks.models import Triad
from seslip.lib.compiled import CompiledOnce, a_number, a_time
from seslip.lib.pagecache import public_page
from seslip.lib.paging import paginate
from seslip.lib.roles import audience_of, is_dcs

from . import printed
from .contact_links import link_contacts
from .export import update_as_text
from .filters import IssueFilter
from .models import (
    Action,
    Issue,
    IssueContact,
    IssueMeeting,
    IssueResource,
    NewsItem,
    Placement,
    is_published,
)

ISSUES_PER_PAGE = 20


@public_page
def issue_list(request):
    issues = Issue.objects.published().with_headlines(titles_only=True)
    filterset = IssueFilter(request.GET, queryset=issues)
    page, page_message = paginate(filterset.qs, request.GET.get("page"), ISSUES_PER_PAGE)
    years = Issue.objects.published().years()
    return render(
        request,
        "newsletters/issue_list.html",
        {
            "filter": filterset,
            "page": page,
            "notices": [page_message],
            "section": "updates",
            "years": years,
            "year": filterset.form.cleaned_data.get("year"),
            "query_without_page": query_without(request, "page"),
            "query_without_year": query_without(request, "page", "year"),
        },
    )


def query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def published_update(number, now):
    """The published update of this number, with its “DCSs only” counts and its neighbours."""
    published = Issue.objects.published(now)
    return published.with_dcs_only_counts().with_neighbours(published).filter(number=number)


# The update page's queries differ only in the update (and the time): each is built and compiled
# once per process (seslip/lib/compiled.py), which was most of an uncached render's CPU.
PUBLISHED_UPDATE = CompiledOnce(published_update, a_number, a_time)


@public_page
def issue_detail(request, number):
    dcs = is_dcs(request.user)
    found = list(PUBLISHED_UPDATE(number, timezone.now()))
    if not found:
        raise Http404("No Issue matches the given query.")
    issue = found[0]
    context = issue_context(issue, dcs=dcs)
    context["audience"] = audience_of(request.user)
    return render(request, "newsletters/issue_detail.html", context)


@public_page
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A news item as it is now: its title, text and actions, and the published updates that
    printed it, each linked. A “DCSs only” item is for the readers who see it on the update's
    page: anyone else is refused (not signed in: asked to sign in), never shown its text."""
    item = get_object_or_404(NewsItem.objects.readable(dcs=True), pk=pk)
    if item.dcs_only and not is_dcs(request.user):
        raise PermissionDenied(dcs_only_refusal(request.user))
    runs = item.placements.filter(is_published(via="issue__")).select_related("issue")
    runs = list(runs.order_by("-issue__number"))
    for placement in runs:
        placement.item = item  # what it printed is compared with the item as it is now
        placement.printed_differently = bool(
            getattr(printed.item_as_printed(placement), "since", "")
        )
    return render(
        request,
        "newsletters/item_detail.html",
        {
            "item": item,
            "actions": item.actions.all(),
            "runs": runs,
            "contacts": item.contacts.all(),
            "networks": item.networks.all(),
            "listed_contact_ids": frozenset(),  # no Contact Details here: names link the directory
            "section": "updates",
        },
    )


def dcs_only_refusal(user: Any) -> str:
    if user.is_authenticated:
        return (
            "This news item is for DCSs only: only Directors of Children’s Services and their "
            "PAs can read it, and your account is not one of theirs."
        )
    return "This news item is for DCSs only. If you are a DCS or a DCS PA, sign in to read it."


def issue_text(request, number):
    """The published update as plain text, to paste into an e-mail: DCS-only items for DCSs."""
    issue = get_object_or_404(Issue.objects.published(), number=number)
    text = update_as_text(issue, dcs=is_dcs(request.user))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="update-{number}.txt"'
    return response


def issue_context(issue, *, dcs):
    """What the update page shows; previews (newsletters/preview.py) show a draft the same way."""
    placements = list(PLACEMENTS[dcs](issue.pk))
    if hasattr(issue, "next_number"):  # found with the update (with_neighbours): no query
        previous_number, next_number = issue.previous_number, issue.next_number
    else:
        previous_number, next_number = Issue.objects.published().neighbours(issue.number)
    contact_listings = list(CONTACT_LISTINGS(issue.pk))
    resources = RESOURCE_LISTINGS[dcs](issue.pk)
    meeting_listings = MEETING_LISTINGS(issue.pk)
    triads = TRIADS(issue.pk)
    for listing in contact_listings:
        listing.shown = with_since(printed.contact_as_printed(listing))
    listed_contact_ids = {listing.contact_id for listing in contact_listings}
    for placement in placements:
        placement.item = ready_to_show(printed.item_as_printed(placement), listed_contact_ids)
    return {
        "issue": issue,
        "headlines": [p for p in placements if p.section == Placement.Section.HEADLINE],
        "reminders": [p for p in placements if p.section == Placement.Section.REMINDER],
        "meetings": [with_since(printed.meeting_as_printed(m)) for m in meeting_listings],
        "triads": [
            with_since(printed.triad_as_printed(triad, issue.printed_triads.get(str(triad.pk))))
            for triad in triads
        ],
        "resource_listings": resources,
        "contact_listings": contact_listings,
        "listed_contact_ids": listed_contact_ids,
        "withheld": 0 if dcs else withheld(issue),
        "previous_number": previous_number,
        "next_number": next_number,
        "section": "updates",
    }


def ready_to_show(item, listed_contact_ids):
    """The item with what its part of the page shows worked out once, in Python: its actions as a
    list, and its texts with the names of its contacts linked."""
    with_since(item)
    contacts = list(item.contacts.all())
    item.action_list = list(item.actions.all())
    item.update_html = link_contacts(item.update_text, contacts, listed_contact_ids)
    item.action_html = link_contacts(item.action_text, contacts, listed_contact_ids)
    return item


def with_since(record):
    """`record` (as printed: printed.py) with `since` set, "" when nothing has changed since: the
    page asks each meeting, triad, contact and item for it, and a template asking a model
    instance for an attribute it lacks costs Django a dir() of it (41 missed lookups were a
    tenth of the update page's render)."""
    if not hasattr(record, "since"):
        record.since = ""
    return record


def withheld(issue):
    """How many “DCSs only” items and Tools & Templates a reader who is not a DCS does not see."""
    return getattr(issue, "dcs_only_items", 0) + getattr(issue, "dcs_only_resources", 0)


def issue_placements(issue, *, dcs):
    # Not the search vectors: the page never shows them, and they are the biggest columns.
    actions = Action.objects.select_related("contact").defer("search_vector")
    placements = (
        Placement.objects.filter(issue=issue)
        .select_related("item")
        .defer("item__search_vector")
        .prefetch_related(Prefetch("item__actions", queryset=actions), "item__contacts")
    )
    return placements if dcs else placements.filter(item__dcs_only=False)


def resource_listings(issue, *, dcs):
    resources = (
        IssueResource.objects.filter(issue=issue)
        .select_related("resource")
        .defer("resource__search_vector")
    )
    return resources if dcs else resources.filter(resource__dcs_only=False)


# What an update lists, for a DCS (True) or anyone else: one query each, compiled once.
PLACEMENTS = {
    dcs: CompiledOnce(lambda issue, dcs=dcs: issue_placements(issue, dcs=dcs), a_number)
    for dcs in (True, False)
}
RESOURCE_LISTINGS = {
    dcs: CompiledOnce(lambda issue, dcs=dcs: resource_listings(issue, dcs=dcs), a_number)
    for dcs in (True, False)
}
CONTACT_LISTINGS = CompiledOnce(
    lambda issue: IssueContact.objects.filter(issue=issue).select_related("contact__organisation"),
    a_number,
)
MEETING_LISTINGS = CompiledOnce(
    lambda issue: IssueMeeting.objects.filter(issue=issue).select_related(
        "meeting__network", "meeting__contact"
    ),
    a_number,
)
TRIADS = CompiledOnce(lambda issue: Triad.objects.filter(issues=issue).for_listing(), a_number)
