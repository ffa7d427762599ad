from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from contacts.admin_autocomplete import PreloadedAutocompleteMixin

from .models import Meeting, Network, PeerChallengeRound, Triad, TriadMember


class MeetingInline(PreloadedAutocompleteMixin, admin.TabularInline):
    model = Meeting
    fields = ["date", "start_time", "end_time", "topic", "status", "online", "place", "contact"]
    autocomplete_fields = ["contact"]
    ordering = ["-date", "-start_time"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("network", "contact")


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "convener", "upcoming_meetings"]
    list_select_related = ["convener"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["convener"]
    filter_horizontal = ["convener_accounts"]
    inlines = [MeetingInline]

    def get_queryset(self, request):
        upcoming = Q(meetings__date__gte=timezone.localdate()) & ~Q(
            meetings__status=Meeting.Status.CANCELLED
        )
        return super().get_queryset(request).annotate(upcoming=Count("meetings", filter=upcoming))

    @admin.display(description="Upcoming meetings", ordering="upcoming")
    def upcoming_meetings(self, network):
        return network.upcoming

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "convener_accounts":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(PreloadedAutocompleteMixin, admin.ModelAdmin):
    list_display = ["date", "start_time", "end_time", "network", "topic", "status", "venue"]
    list_filter = ["status", "network", "online"]
    list_select_related = ["network"]
    date_hierarchy = "date"
    search_fields = ["topic", "network__name", "place", "notes"]
    autocomplete_fields = ["network", "contact"]
    fields = [
        "network",
        "date",
        ("start_time", "end_time"),
        "topic",
        "status",
        ("online", "place"),
        "contact",
        "notes",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("network", "contact")

    @admin.display(description="Where")
    def venue(self, meeting):
        return "Online" if meeting.online else meeting.place


@admin.register(PeerChallengeRound)
class PeerChallengeRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "triad_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(triad_count=Count("triads"))

    @admin.display(description="Triads and quartets", ordering="triad_count")
    def triad_count(self, peer_challenge_round):
        return peer_challenge_round.triad_count


class TriadMemberInline(PreloadedAutocompleteMixin, admin.TabularInline):
    model = TriadMember
    fields = ["authority", "position"]
    autocomplete_fields = ["authority"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("authority")


def with_members(triads):
    """Triads with their authorities loaded in two queries, for labels and member lists."""
    memberships = TriadMember.objects.select_related("authority")
    return triads.select_related("round").prefetch_related(
        "members", Prefetch("memberships", queryset=memberships)
    )


@admin.register(Triad)
class TriadAdmin(admin.ModelAdmin):
    list_display = ["label", "round", "member_names", "date", "status"]
    list_filter = ["round", "status"]
    date_hierarchy = "date"
    search_fields = ["=number", "round__name", "memberships__authority__name", "notes"]
    autocomplete_fields = ["round"]
    inlines = [TriadMemberInline]

    def get_queryset(self, request):
        return with_members(super().get_queryset(request))

    @admin.display(description="Authorities")
    def member_names(self, triad):
        return ", ".join(str(membership.authority) for membership in triad.memberships.all())


@admin.register(TriadMember)
class TriadMemberAdmin(admin.ModelAdmin):
    list_display = ["authority", "triad", "position"]
    list_filter = ["triad__round"]
    search_fields = ["authority__name", "triad__round__name"]
    autocomplete_fields = ["triad", "authority"]

    def get_queryset(self, request):
        triads = with_members(Triad.objects.all())
        return (
            super()
            .get_queryset(request)
            .select_related("authority")
            .prefetch_related(Prefetch("triad", queryset=triads))
        )
