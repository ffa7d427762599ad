from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import Meeting, Network, PeerChallengeRound, Triad, TriadMember

PAST_MEETINGS = 20


def network_list(request):
    today = timezone.localdate()
    upcoming = Q(meetings__date__gte=today) & ~Q(meetings__status=Meeting.Status.CANCELLED)
    networks = Network.objects.select_related("convener").annotate(
        upcoming_count=Count("meetings", filter=upcoming)
    )
    return render(
        request, "networks/network_list.html", {"networks": networks, "section": "networks"}
    )


def network_detail(request, slug):
    today = timezone.localdate()
    network = get_object_or_404(Network.objects.select_related("convener"), slug=slug)
    meetings = network.meetings.select_related("network", "contact")
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "upcoming": meetings.upcoming(today),
            "undated": meetings.filter(date__isnull=True).exclude(status=Meeting.Status.CANCELLED),
            "past": meetings.past(today).order_by("-date")[:PAST_MEETINGS],
            "section": "networks",
        },
    )


def peer_challenge(request):
    triads = Triad.objects.prefetch_related(
        "members",
        Prefetch("memberships", queryset=TriadMember.objects.select_related("authority")),
    )
    rounds = PeerChallengeRound.objects.prefetch_related(Prefetch("triads", queryset=triads))
    return render(
        request,
        "networks/peer_challenge.html",
        {"rounds": rounds, "section": "peer_challenge"},
    )
