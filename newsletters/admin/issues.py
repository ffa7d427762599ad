"""The update's admin: the compose screen (IssueAdmin) and its inlines."""

import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from networks.models import Triad
from seslip.lib.admin import TIMES_IN_HOURS_AND_MINUTES

from .. import preview, services
from ..admin_forms import IssueForm
from ..mailing.admin import send_test_of, send_test_to_myself
from ..mailing.services import queue_edition
from ..models import (
    Issue,
    NewsItem,
    Placement,
)
from .compose import ChosenAutocompleteSelectMultiple, ItemInPlaceForm
from .inlines import (
    FirstFormMedia,
    IssueContactInline,
    IssueMeetingInline,
    IssueResourceInline,
    PlacementInline,
)
from .items import report_contacts_listed, report_suggested_due_dates
from .responses import apply_formset_addressees

# The buttons where the editor ends: each saves what was typed first, then acts (response_change).
PUBLISH, SCHEDULE, UNPUBLISH, PREVIEW, START_NEXT = (
    "_publish",
    "_schedule",
    "_unpublish",
    "_preview",
    "_start_next",
)
SEND_TEST = "_send_test"


class IssueStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.drafts()
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
        return queryset


def issue_status(issue):
    if issue.published_at is None:
        return "Draft"
    return "Published" if issue.is_published else "Scheduled"


def restored_items_message(counts):
    changes = ", ".join(f"{n} {change}" for change, n in counts.items() if n and change != "gone")
    message = f"Its news items are as they were in that version ({changes or 'no change'})."
    if counts["gone"]:
        message += f" {counts['gone']} item{pluralize(counts['gone'])} deleted since could not be put back."
    return message


@admin.register(Issue)
class IssueAdmin(SimpleHistoryAdmin):
    form = IssueForm
    formfield_overrides = TIMES_IN_HOURS_AND_MINUTES
    list_display = ["__str__", "date", "status", "headline_count", "reminder_count", "published_at"]
    list_filter = [IssueStatusFilter]
    date_hierarchy = "date"
    search_fields = ["=number", "intro", "placements__item__title"]
    autocomplete_fields = ["triads"]
    readonly_fields = ["source_name", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["number", "date", "published_at", "seen_updated_at"]}),
        ("Opening text", {"fields": ["intro", "improvement_plan"]}),
        ("Peer challenge", {"fields": ["triads"]}),
        (
            "Record",
            {"fields": ["source_name", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        js = ["newsletters/admin/copy_link.js"]

    # In the order of the printed update; the change form puts the items first
    # (templates/admin/newsletters/issue/change_form.html).
    inlines = [PlacementInline, IssueMeetingInline, IssueResourceInline, IssueContactInline]
    actions = ["publish_now", "unpublish", "start_next_update", send_test_to_myself]

    def get_queryset(self, request):
        section = Placement.Section
        return (
            super()
            .get_queryset(request)
            .annotate(
                headline_count=Count("placements", filter=Q(placements__section=section.HEADLINE)),
                reminder_count=Count("placements", filter=Q(placements__section=section.REMINDER)),
            )
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("intro", "improvement_plan"):
            formfield.widget.attrs.update({"spellcheck": "true", "rows": 6})
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "triads":
            # A triad's label counts its members ("Triad 2" or "Quartet 2").
            kwargs["queryset"] = Triad.objects.select_related("round").prefetch_related("members")
            kwargs["widget"] = ChosenAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Status")
    def status(self, issue):
        return issue_status(issue)

    object_history_form_template = "admin/newsletters/issue/object_history_form.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An earlier version, with the news items it had: reverting puts them back too."""
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404("No such version of this update.")
        version = get_object_or_404(Issue.history, id=object_id, history_id=version_id)
        then = services.placements_of_version(version)
        titles = NewsItem.objects.in_bulk(then)
        sections = dict(Placement.Section.choices)
        items_then = [
            (titles[item_id].title if item_id in titles else "(deleted since)", sections[section])
            for item_id, (section, position) in sorted(then.items(), key=lambda row: row[1])
        ]
        context = {**(extra_context or {}), "items_then": items_then}
        request.reverting_to = version  # for save_model, should the editor press Revert
        with transaction.atomic():  # the update's fields and its items, or neither
            return super().history_form_view(request, object_id, version_id, context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        version = getattr(request, "reverting_to", None)
        if version is not None:
            counts = services.restore_placements(issue=obj, version=version, by=request.user)
            self.message_user(request, restored_items_message(counts))

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_formset in inline_formsets:
            inline_formset.__class__ = FirstFormMedia
        return inline_formsets

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["is_latest"] = not Issue.objects.filter(number__gt=obj.number).exists()
            context["preview_url"] = reverse("issue_preview", args=[obj.number])
            context["signed_preview_url"] = request.build_absolute_uri(
                preview.signed_preview_url(obj)
            )
            context["preview_link_expires"] = timezone.localdate() + preview.LINK_LIFETIME
        context["is_nav_sidebar_enabled"] = False  # the compose screen has the width it needs
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        """A publication time typed in the form holds only if the update can be published."""
        super().save_related(request, form, formsets, change)
        issue = form.instance
        report_contacts_listed(self, request, services.list_named_contacts(issue=issue))
        if issue.published_at is None:
            return
        try:
            issue.check_publishable()
        except ValidationError as refusal:
            issue.unpublish()
            self.message_user(
                request, f"{' '.join(refusal.messages)} It was saved as a draft.", messages.ERROR
            )
        else:
            services.freeze_printed_record(issue=issue)
            was = form.initial.get("published_at")
            if "published_at" in form.changed_data and (was is None or was > timezone.now()):
                queue_edition(issue=issue)  # published or scheduled by typing its time

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Placement:  # the actions of the items edited in place
            for card in formset.forms:
                if getattr(card, "editing", False) and card not in formset.deleted_forms:
                    apply_formset_addressees(request, card.actions)
                    report_suggested_due_dates(self, request, card.actions.forms)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.scheduling = SCHEDULE in request.POST  # the class is made for this request alone
        return form

    def response_change(self, request, obj):
        """The buttons at the foot of the form act once what was typed is saved."""
        for button, act in self.end_buttons.items():
            if button in request.POST:
                return getattr(self, act)(request, obj) or redirect(request.path)
        return super().response_change(request, obj)

    end_buttons = {
        PUBLISH: "publish_saved",
        SCHEDULE: "report_scheduled",
        UNPUBLISH: "unpublish_saved",
        PREVIEW: "preview_saved",
        START_NEXT: "start_after",
        SEND_TEST: "send_test_saved",
    }

    def send_test_saved(self, request, issue):
        send_test_of(self, request, issue)
        return None

    def publish_saved(self, request, issue):
        if issue.is_published:
            self.message_user(request, f"{issue} is saved; it was already published.")
            return None
        try:
            services.publish_update(issue=issue)
        except ValidationError as refusal:
            self.message_user(
                request,
                f"Your changes are saved, but {' '.join(refusal.messages)}",
                messages.ERROR,
            )
        else:
            self.message_user(request, f"{issue} is saved and published: readers can see it now.")
        return None

    def report_scheduled(self, request, issue):
        issue.refresh_from_db(fields=["published_at"])  # save_related may have refused it
        if issue.published_at is not None and not issue.is_published:
            when = timezone.localtime(issue.published_at)
            self.message_user(
                request,
                f"{issue} is saved and scheduled: readers will see it from "
                f"{when:%H:%M} on {when:%A %-d %B %Y}.",
            )
        return None

    def unpublish_saved(self, request, issue):
        issue.unpublish()
        self.message_user(request, f"{issue} is saved and a draft again: readers no longer see it.")
        return None

    def preview_saved(self, request, issue):
        self.message_user(request, f"{issue} is saved. This is how readers will see it.")
        return redirect("issue_preview", issue.number)

    def start_after(self, request, issue):
        try:
            draft = services.start_next_update(after=issue, by=request.user)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return None
        reminders = draft.reminders().count()
        self.message_user(
            request,
            f"{draft} is started as a draft dated {draft.date:%-d %B %Y}, with {reminders} "
            f"reminder{pluralize(reminders)}, the Tools & Templates, the Contact Details and the "
            "coming meetings carried over. Add this week's headline items.",
            messages.SUCCESS,
        )
        return redirect("admin:newsletters_issue_change", draft.pk)

    def get_urls(self):
        start = path(
            "start-next/",
            self.admin_site.admin_view(self.start_next_week),
            name="newsletters_issue_start_next",
        )
        editor = path(
            "<path:object_id>/item-editor/",
            self.admin_site.admin_view(self.item_editor_view),
            name="newsletters_issue_item_editor",
        )
        return [start, editor, *super().get_urls()]

    def item_editor_view(self, request, object_id):
        """One item's editor, opened in its card on the update's page (placements.js): of an
        item in the update, or (without `placement`) of a new card's new item."""
        issue = self.get_object(request, object_id)
        if issue is None:
            raise Http404("No such update.")
        if not self.has_change_permission(request, issue):
            raise PermissionDenied
        prefix = request.GET.get("prefix", "")
        placement_id = request.GET.get("placement", "")
        if not (re.fullmatch(r"placements-\d+", prefix) and re.fullmatch(r"\d*", placement_id)):
            raise Http404("No such item in this update.")
        placement = Placement(issue=issue)
        if placement_id:
            inline = PlacementInline(self.model, self.admin_site)
            placements = inline.get_queryset(request).filter(issue=issue, pk=placement_id)
            placement = get_object_or_404(placements)
        form = ItemInPlaceForm(instance=placement, prefix=prefix, editing=True)
        return TemplateResponse(request, "admin/newsletters/issue/item_editor.html", {"form": form})

    def start_next_week(self, request):
        """The admin index's button: next week's update, after the latest one."""
        if request.method != "POST":
            return redirect("admin:index")
        if not self.has_add_permission(request):
            raise PermissionDenied
        latest = Issue.objects.order_by("-number").first()
        if latest is None:
            self.message_user(request, "There is no update yet to follow.", messages.ERROR)
            return redirect("admin:newsletters_issue_add")
        return self.start_after(request, latest) or redirect("admin:index")

    @admin.action(description="Publish now", permissions=["change"])
    def publish_now(self, request, queryset):
        for issue in queryset.order_by("number"):
            if issue.is_published:
                self.message_user(request, f"{issue} was already published.", messages.INFO)
                continue
            try:
                services.publish_update(issue=issue)
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            else:
                self.message_user(request, f"{issue} is published: readers can see it now.")

    @admin.action(description="Unpublish", permissions=["change"])
    def unpublish(self, request, queryset):
        for issue in queryset.exclude(published_at=None).order_by("number"):
            issue.unpublish()
            self.message_user(request, f"{issue} is a draft again: readers no longer see it.")

    @admin.action(description="Start next week's update", permissions=["add"])
    def start_next_update(self, request, queryset):
        if len(queryset) != 1:
            self.message_user(
                request,
                "Select one update, the one the next update follows. Nothing was started.",
                messages.ERROR,
            )
            return None
        return self.start_after(request, queryset[0])

    @admin.display(description="Headlines", ordering="headline_count")
    def headline_count(self, issue):
        return issue.headline_count

    @admin.display(description="Reminders", ordering="reminder_count")
    def reminder_count(self, issue):
        return issue.reminder_count
