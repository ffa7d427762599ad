from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.utils import timezone

from .models import Meeting, Network, PeerChallengeRound, Triad, TriadMember


def network_list(request):
    today = timezone.localdate()
    upcoming = Q(meetings__date__gte=today) & ~Q(meetings__status=Meeting.Status.CANCELLED)
    networks = Network.objects.select_related("convener").annotate(
        upcoming_count=Count("meetings", filter=upcoming)
    )
    return render(
        request, "networks/network_list.html", {"networks": networks, "section": "networks"}
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
