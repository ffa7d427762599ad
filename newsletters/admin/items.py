"""The admin of what an update carries: news items, actions, Tools & Templates, and the listings."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Max, Q
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django_prose_editor.fields import ProseEditorField
from simple_history.admin import SimpleHistoryAdmin

from seslip.lib.admin import (
    JoinTableAdmin,
    PreloadedAutocompleteMixin,
)

from .. import services
from ..admin_forms import NewsItemForm, suggested_due_date
from ..models import (
    Action,
    Issue,
    IssueContact,
    IssueMeeting,
    IssueResource,
    NewsItem,
    Placement,
    Resource,
)
from ..widgets import RichTextWidget
from .responses import (
    ActionAddresseesForm,
    ActionResponseInline,
    AddressedActionForm,
    apply_addressees,
    apply_formset_addressees,
)

SHORT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}}


class ActionInline(PreloadedAutocompleteMixin, admin.TabularInline):
    model = Action
    form = AddressedActionForm
    fields = [
        "position",
        "description",
        "due_date",
        "audience",
        "contact",
        "addressed_to",
        "closed",
    ]
    show_change_link = True  # its own page: the chosen authorities, and their responses
    autocomplete_fields = ["contact"]
    formfield_overrides = SHORT_TEXT
    ordering = ["position", "id"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.reference = reference_date(obj)
        return formset


def reference_date(item):
    """The date a deadline without a year is read against: the update the item last ran in."""
    if item is None or item.pk is None:
        return None
    dates = item.placements.exclude(issue__date=None).order_by("-issue__number")
    return dates.values_list("issue__date", flat=True).first()


def report_suggested_due_dates(model_admin, request, forms):
    for form in forms:
        if getattr(form, "suggested", None):
            model_admin.message_user(
                request,
                f"Due date {form.suggested:%-d %B %Y} taken from the text of the action "
                f"“{form.instance}” — check it.",
                messages.WARNING,
            )


@admin.register(NewsItem)
class NewsItemAdmin(SimpleHistoryAdmin):
    form = NewsItemForm
    formfield_overrides = {ProseEditorField: {"widget": RichTextWidget}}
    list_display = ["title", "last_update", "open_actions", "dcs_only", "updated_at"]
    list_filter = ["dcs_only", "placements__section", "networks"]
    search_fields = ["title", "update_text", "action_text"]
    autocomplete_fields = ["contacts", "networks", "authorities"]
    readonly_fields = ["runs_in", "created_at", "updated_at"]
    fields = [
        "title",
        "update_text",
        "action_text",
        "dcs_only",
        "contacts",
        "networks",
        "authorities",
        "runs_in",
        "created_at",
        "updated_at",
        "seen_updated_at",
    ]
    inlines = [ActionInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Action:
            apply_formset_addressees(request, formset)
            report_suggested_due_dates(self, request, formset.forms)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_update=Max("placements__issue__number"),
                open_actions=Count("actions", filter=Q(actions__closed=False), distinct=True),
            )
        )

    @admin.display(description="Last in update", ordering="last_update")
    def last_update(self, item):
        return item.last_update

    @admin.display(description="Open actions", ordering="open_actions")
    def open_actions(self, item):
        return item.open_actions

    @admin.display(description="Runs in")
    def runs_in(self, item):
        placements = item.placements.select_related("issue").order_by("issue__number")
        return (
            format_html_join(
                ", ",
                '<a href="{}">{} ({})</a>',
                (
                    (
                        reverse("admin:newsletters_issue_change", args=[p.issue_id]),
                        p.issue,
                        p.get_section_display().lower(),
                    )
                    for p in placements
                ),
            )
            or "Not placed in any update yet."
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for issue in Issue.objects.drafts().filter(placements__item=form.instance):
            report_contacts_listed(self, request, services.list_named_contacts(issue=issue))


@admin.register(Placement)
class PlacementAdmin(PreloadedAutocompleteMixin, SimpleHistoryAdmin, JoinTableAdmin):
    list_display = ["item", "issue", "section", "position"]
    list_filter = ["section"]
    list_select_related = ["item", "issue"]
    search_fields = ["item__title", "=issue__number"]
    autocomplete_fields = ["issue", "item"]


@admin.register(Action)
class ActionAdmin(PreloadedAutocompleteMixin, SimpleHistoryAdmin):
    form = ActionAddresseesForm
    inlines = [ActionResponseInline]
    list_display = ["__str__", "item", "due_date", "audience", "contact", "addressed_to", "closed"]
    list_editable = ["closed"]
    list_filter = ["closed", "audience", "addressed_to", "due_date"]
    list_select_related = ["item", "contact"]
    date_hierarchy = "due_date"
    search_fields = ["description", "item__title"]
    autocomplete_fields = ["item", "contact"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.reference = reference_date(obj.item if obj else None)
        return form

    def get_urls(self):
        suggest = path(
            "suggest-due-date/",
            self.admin_site.admin_view(self.suggest_due_date),
            name="newsletters_action_suggest_due_date",
        )
        return [suggest, *super().get_urls()]

    def suggest_due_date(self, request):
        """The due date an action's words state, for due_dates.js to fill in as the editor types."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        try:
            reference = datetime.date.fromisoformat(request.GET.get("reference", ""))
        except ValueError:
            reference = timezone.localdate()
        date = suggested_due_date(request.GET.get("text", "")[:5000], reference)
        if date is None:
            return JsonResponse({"due_date": None})
        return JsonResponse(
            {
                "due_date": date.isoformat(),
                "value": formats.localize_input(date),
                "message": f"Due date {date:%-d %B %Y} taken from the text — check it.",
            }
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        report_suggested_due_dates(self, request, [form])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        apply_addressees(request, form)


def report_contacts_listed(model_admin, request, contacts):
    if contacts:
        names = ", ".join(contact.name for contact in contacts)
        model_admin.message_user(request, f"Added to the draft’s Contact Details: {names}.")


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "dcs_only"]
    list_filter = ["dcs_only", "publisher"]
    date_hierarchy = "published_on"
    search_fields = ["title", "publisher", "description", "url"]


class IssueListingAdmin(PreloadedAutocompleteMixin, JoinTableAdmin):
    """The lines of an update, listed on their own to find where something appeared."""

    list_filter = ["issue__date"]
    formfield_overrides = SHORT_TEXT


@admin.register(IssueResource)
class IssueResourceAdmin(IssueListingAdmin):
    list_display = ["resource", "issue", "position"]
    list_select_related = ["resource", "issue"]
    search_fields = ["resource__title", "=issue__number"]
    autocomplete_fields = ["issue", "resource"]


@admin.register(IssueContact)
class IssueContactAdmin(IssueListingAdmin):
    list_display = ["contact", "issue", "role", "organisation_name", "position"]
    list_select_related = ["contact", "issue"]
    search_fields = ["contact__name", "role", "organisation_name", "=issue__number"]
    autocomplete_fields = ["issue", "contact"]


@admin.register(IssueMeeting)
class IssueMeetingAdmin(IssueListingAdmin):
    list_display = ["meeting", "issue", "text", "position"]
    list_select_related = ["meeting__network", "issue"]
    search_fields = ["text", "meeting__network__name", "=issue__number"]
    autocomplete_fields = ["issue", "meeting"]
