"""A reader's own calendar and feed addresses: a secret in the address (contacts.Membership's
feed token) stands for the reader, since calendar and feed programs cannot sign in. A DCS's own
feeds carry the “DCSs only” items and deadlines; the public feeds never do. Issuing a new
address kills the old one at once, so a reader who shared theirs by mistake can take it back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from contacts.models import Membership
from seslip.lib.pagecache import uncached_page
from seslip.lib.roles import is_dcs

from .feeds import IssueFeed, IssueRssFeed, whole_calendar


def reader_of(token):
    """The active account whose feed token this is, or 404: a revoked token finds no one."""
    membership = (
        Membership.objects.select_related("user").filter(feed_token=token).only("user").first()
    )
    if membership is None or not membership.user.is_active:
        raise Http404("No reader has this feed address; it may have been replaced by a new one.")
    return membership.user


def personal(response):
    """A feed for one reader: never kept by a shared cache, nor indexed."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def personal_calendar(request, token):
    dcs = is_dcs(reader_of(token))
    return personal(uncached_page(request, whole_calendar(request, dcs=dcs), private=True))


class PersonalFeed:
    """The update feed for the reader whose token the address holds."""

    def __call__(self, request, token):
        feed = self.feed_class()
        feed.dcs = is_dcs(reader_of(token))
        return personal(uncached_page(request, feed(request), private=True))


class PersonalIssueFeed(PersonalFeed):
    feed_class = IssueFeed


class PersonalIssueRssFeed(PersonalFeed):
    feed_class = IssueRssFeed


personal_issue_feed = PersonalIssueFeed()
personal_issue_feed_rss = PersonalIssueRssFeed()


@never_cache
@login_required
def reader_feeds(request):
    """The signed-in reader's own feed addresses, and a button to replace them."""
    membership = Membership.objects.filter(user=request.user).first()
    return render(
        request,
        "newsletters/reader_feeds.html",
        {"membership": membership, "dcs": is_dcs(request.user), "section": "feeds"},
    )


@require_POST
@login_required
def new_feed_address(request):
    membership = Membership.objects.filter(user=request.user).first()
    if membership is None:
        raise Http404("Only reader accounts have feed addresses of their own.")
    membership.new_feed_address()
    messages.success(
        request,
        "Your calendar and feed addresses have been replaced: the old ones no longer work. "
        "Subscribe again with the new ones below.",
    )
    return redirect("reader_feeds")
