from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.template.defaultfilters import pluralize
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from seslip.lib.admin import (
    TIMES_IN_HOURS_AND_MINUTES,
    JoinTableAdmin,
    PreloadedAutocompleteMixin,
)

from .models import Meeting, Network, PeerChallengeRound, Triad, TriadMember


def handles_every_network(user):
    """Editors, who may change networks, handle every meeting; conveners only their networks'."""
    return user.has_perm("networks.change_network")


def convened_network_ids(user):
    """The networks the user convenes, asked once per request (cached on the user, like perms)."""
    if not hasattr(user, "_convened_network_ids"):
        user._convened_network_ids = set(user.convened_networks.values_list("pk", flat=True))
    return user._convened_network_ids


def may_handle(user, meeting):
    return handles_every_network(user) or meeting.network_id in convened_network_ids(user)


class MeetingInline(PreloadedAutocompleteMixin, admin.TabularInline):
    model = Meeting
    fields = ["date", "start_time", "end_time", "topic", "status", "online", "place", "contact"]
    autocomplete_fields = ["contact"]
    ordering = ["-date", "-start_time"]
    extra = 1
    formfield_overrides = TIMES_IN_HOURS_AND_MINUTES

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

    def has_view_permission(self, request, obj=None):
        # Conveners may pick their own networks in the meeting form, but see no network pages.
        return handles_every_network(request.user) and super().has_view_permission(request, obj)

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
class MeetingAdmin(PreloadedAutocompleteMixin, SimpleHistoryAdmin):
    """Editors keep every network's meetings; a convener only those of the networks they convene.

    A convener never deletes a meeting: they cancel it, so the listing shows it was cancelled.
    """

    list_display = ["date", "start_time", "end_time", "network", "topic", "status", "venue"]
    list_filter = ["status", ("network", admin.RelatedOnlyFieldListFilter), "online"]
    list_select_related = ["network"]
    date_hierarchy = "date"
    search_fields = ["topic", "network__name", "place", "notes"]
    autocomplete_fields = ["network", "contact"]
    formfield_overrides = TIMES_IN_HOURS_AND_MINUTES
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

    actions = ["cancel_meetings"]

    def get_queryset(self, request):
        meetings = super().get_queryset(request).select_related("network", "contact")
        if handles_every_network(request.user):
            return meetings
        return meetings.filter(network__in=convened_network_ids(request.user))

    def get_object(self, request, object_id, from_field=None):
        # Looked up among all meetings, so that another network's meeting is refused (403) by the
        # permissions below, rather than reported as deleted.
        field = Meeting._meta.get_field(from_field) if from_field else Meeting._meta.pk
        try:
            return Meeting.objects.select_related("network", "contact").get(
                **{field.name: field.to_python(object_id)}
            )
        except (Meeting.DoesNotExist, ValidationError, ValueError):
            return None

    def has_add_permission(self, request):
        allowed = super().has_add_permission(request)
        return allowed and (
            handles_every_network(request.user) or bool(convened_network_ids(request.user))
        )

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or may_handle(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_handle(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return handles_every_network(request.user) and super().has_delete_permission(request, obj)

    def get_autocomplete_fields(self, request):
        # Conveners cannot search networks or contacts, so they get plain choices instead.
        return self.autocomplete_fields if handles_every_network(request.user) else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network" and not handles_every_network(request.user):
            kwargs["queryset"] = Network.objects.filter(pk__in=convened_network_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(
        description="Cancel selected meetings",
        permissions=["change"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def cancel_meetings(self, request, queryset):
        meetings = [m for m in queryset if self.has_change_permission(request, m)]
        for meeting in meetings:
            meeting.cancel()
        self.message_user(
            request,
            f"Cancelled {len(meetings)} meeting{pluralize(len(meetings))}: "
            "the listings now show them as cancelled.",
            messages.SUCCESS,
        )

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


@admin.register(Triad)
class TriadAdmin(admin.ModelAdmin):
    list_display = ["label", "round", "member_names", "date", "status"]
    list_filter = ["round", "status"]
    date_hierarchy = "date"
    search_fields = ["=number", "round__name", "memberships__authority__name", "notes"]
    autocomplete_fields = ["round"]
    inlines = [TriadMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    @admin.display(description="Authorities")
    def member_names(self, triad):
        return ", ".join(str(membership.authority) for membership in triad.memberships.all())


@admin.register(TriadMember)
class TriadMemberAdmin(JoinTableAdmin):
    list_display = ["authority", "triad", "position"]
    list_filter = ["triad__round"]
    search_fields = ["authority__name", "triad__round__name"]
    autocomplete_fields = ["triad", "authority"]

    def get_queryset(self, request):
        triads = Triad.objects.for_listing()
        return (
            super()
            .get_queryset(request)
            .select_related("authority")
            .prefetch_related(Prefetch("triad", queryset=triads))
        )
