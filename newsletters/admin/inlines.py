"""The update's lists on its compose screen, as Django's inlines: its news items (cards edited in
place, newsletters/admin/compose.py), its Tools & Templates, Contact Details and meeting lines."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db import models
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.forms.utils import pretty_name
from django.utils.functional import cached_property
from django.utils.html import format_html

from ..models import Action, IssueContact, IssueMeeting, IssueResource, Placement
from .compose import EDITOR_FIELDS, ItemInPlaceForm
from .items import SHORT_TEXT


class FirstFormMedia(helpers.InlineAdminFormSet):
    """Django's inline formset for the page, its media read once: every row's form has the same
    widgets (Django asks each of them, a fifth of the page's time at thirty items)."""

    @property
    def media(self):
        return self.opts.media + self.formset.media


class ConstraintMessageFormSet(BaseInlineFormSet):
    """Duplicate rows are reported with the model's own constraint message."""

    # The fields a row shows without a <label> (named by aria-label), so without an id either:
    # a line of the update's lists has none (listing.html).
    unlabelled: tuple | None = None  # None: all of them

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():  # a row's fields have no <label>: name each
            widget = getattr(field.widget, "widget", field.widget)
            if widget.is_hidden or self.unlabelled is None or name in self.unlabelled:
                widget.attrs["id"] = False  # nothing points at it: a row's bytes saved
            if not widget.is_hidden:
                widget.attrs.setdefault("aria-label", str(field.label or pretty_name(name)))
            field.help_text = ""  # no row has room for it, nor an element to point at

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and set(constraint.fields) == set(
                unique_check
            ):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)

    @cached_property
    def empty_form(self):  # asked for several times as the page is drawn
        return super().empty_form


class ListedWidget(forms.HiddenInput):
    """What a line of the update lists, named: a line already in the update is kept or deleted,
    never pointed at something else, so it needs no search box (a new line has one)."""

    label = ""

    @property
    def is_hidden(self):
        return False  # a column of its own, as the search box of a new line

    def render(self, name, value, attrs=None, renderer=None):
        hidden = super().render(name, value, attrs, renderer)
        return format_html('{}<span class="listed">{}</span>', hidden, self.label)


class ListingForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = getattr(self._meta.model, "listed", "")
        if self.instance.pk and name in self.fields:
            widget = self.fields[name].widget = ListedWidget()
            widget.label = str(getattr(self.instance, name))  # loaded with the row (`related`)


class IssueInline(admin.TabularInline):
    form = ListingForm
    template = "admin/newsletters/issue/listing.html"
    formset = ConstraintMessageFormSet
    formfield_overrides = SHORT_TEXT
    extra = 0  # "Add another" adds a line
    related = ()  # foreign keys to load with each row, so a row costs no query

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issue", *self.related)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        wrapper = getattr(formfield, "widget", None)
        if isinstance(wrapper, RelatedFieldWidgetWrapper):
            formfield.widget = wrapper.widget  # a lighter row: meetings are kept on their own page
        return formfield


class ItemsFormSet(ConstraintMessageFormSet):
    unlabelled = ("title", "section")

    def get_form_kwargs(self, index):
        # The blank card "Add another" copies: its editor is fetched once it is added, as an
        # item's is when opened (placements.js), so the page does not carry one.
        kwargs = super().get_form_kwargs(index)
        return {**kwargs, "editing": False} if index is None else kwargs

    editor_media = None  # the same on every page: read once

    @property
    def media(self):  # an editor's: the editors opened later need it
        if ItemsFormSet.editor_media is None:
            ItemsFormSet.editor_media = self.form(editing=True).media
        return ItemsFormSet.editor_media


class PlacementInline(IssueInline):
    """The update's news items, each edited in place (newsletters/admin/compose.py)."""

    model = Placement
    form = ItemInPlaceForm
    formset = ItemsFormSet
    template = "admin/newsletters/issue/items.html"
    fields = ["section", "position", "item", "title", "progress", *EDITOR_FIELDS]
    autocomplete_fields = ["item"]
    related = ["item"]
    extra = 0  # "Add another news item" adds a card, its editor open
    verbose_name = "news item in this update"
    verbose_name_plural = "News items (headlines, then reminders from previous weeks)"
    classes = ["sortable-placements"]  # drag and drop: newsletters/admin/placements.js

    def get_queryset(self, request):
        actions = Action.objects.order_by("position", "id")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                "item__networks", "item__contacts", Prefetch("item__actions", actions)
            )
        )

    class Media:
        js = ["newsletters/admin/placements.js"]
        css = {"all": ["newsletters/admin/placements.css"]}


class IssueResourceInline(IssueInline):
    model = IssueResource
    fields = ["position", "resource"]
    autocomplete_fields = ["resource"]
    related = ["resource"]
    verbose_name_plural = "Tools & Templates"


class IssueContactInline(IssueInline):
    model = IssueContact
    fields = ["position", "contact", "role", "organisation_name"]
    autocomplete_fields = ["contact"]
    related = ["contact"]


class IssueMeetingInline(IssueInline):
    model = IssueMeeting
    fields = ["position", "meeting", "text"]
    autocomplete_fields = ["meeting"]
    related = ["meeting__network"]
    verbose_name_plural = "Future dates for network meetings"
