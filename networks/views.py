from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone

from seslip.lib.pagecache import public_page
from seslip.lib.paging import paginate

from .models import Meeting, Network, PeerChallengeRound, Triad

ROUNDS_PER_PAGE = 3  # a round a year: the latest three on the first page


@public_page
def network_list(request):
    # Counted per network from the meetings to come: not by joining every meeting ever held.
    upcoming = (
        Meeting.objects.upcoming(timezone.localdate())
        .filter(network=OuterRef("pk"))
        .order_by()
        .values("network")
        .annotate(count=Count("pk"))
        .values("count")
    )
    networks = Network.objects.select_related("convener").annotate(
        upcoming_count=Coalesce(Subquery(upcoming), 0)
    )
    return render(
        request, "networks/network_list.html", {"networks": networks, "section": "networks"}
    )


@public_page
def peer_challenge(request):
    triads = Triad.objects.with_members()
    rounds = PeerChallengeRound.objects.prefetch_related(Prefetch("triads", queryset=triads))
    page, page_message = paginate(rounds, request.GET.get("page"), ROUNDS_PER_PAGE)
    return render(
        request,
        "networks/peer_challenge.html",
        {"page": page, "notices": [page_message], "section": "peer_challenge"},
    )
