"""Admin forms and autocomplete widgets that are cheap to draw in many inline rows.

Django's autocomplete widget looks up the label of its selected option with one query each time it
is drawn, so an inline of 30 rows makes 30 queries. Here the form hands the widget the related
object the inline's queryset already loaded (select_related), and the widget uses it when the
selected value is still that object. Shared by the networks and newsletters admins.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import (
    AdminDateWidget,
    AdminSplitDateTime,
    AdminTimeWidget,
    AutocompleteSelect,
    RelatedFieldWidgetWrapper,
)
from django.db import models
from django.http import HttpRequest

if TYPE_CHECKING:  # what the mixin below is mixed into
    _AdminBase = admin.options.BaseModelAdmin[Any]
else:
    _AdminBase = object


class SharedLinksWidgetWrapper(RelatedFieldWidgetWrapper):
    """The admin's related-widget wrapper, looking up its links' addresses once for all the rows
    of an inline rather than once a row."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.urls: dict[tuple[Any, ...], str] = {}  # shared by each row's copy of the widget

    def get_related_url(self, info: tuple[str, str], action: str, *args: Any) -> str:
        key = (info, action, args)
        if key not in self.urls:
            self.urls[key] = super().get_related_url(info, action, *args)
        return self.urls[key]


class PreloadedAutocompleteSelect(AutocompleteSelect):
    preloaded: dict[str, str] | None = None  # {str(pk): label}: the object the instance holds

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.urls: dict[str, str] = {}  # shared by the copy of the widget each row's form makes

    def get_url(self) -> str:
        if "autocomplete" not in self.urls:
            self.urls["autocomplete"] = super().get_url()
        return self.urls["autocomplete"]

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        preloaded = self.preloaded or {}
        if selected and not selected <= preloaded.keys():
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in selected:
            options.append(self.create_option(name, key, preloaded[key], True, len(options)))
        return [(None, options, 0)]


class PreloadedChoicesForm(forms.ModelForm):
    """Gives each preloaded autocomplete widget the label of the object already on the instance."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            if not self.instance._meta.get_field(name).is_cached(self.instance):
                continue
            related = getattr(self.instance, name)
            if related is not None:
                label = cast("forms.ModelChoiceField[Any]", field).label_from_instance(related)
                widget.preloaded = {str(related.pk): label}


class PreloadedAutocompleteMixin(_AdminBase):
    """For a ModelAdmin or inline: its autocomplete foreign keys use PreloadedAutocompleteSelect.

    The admin's get_queryset must select_related those foreign keys for the saving to happen.
    """

    form = PreloadedChoicesForm

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> "forms.ModelChoiceField[Any] | None":
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(
        self, db_field: "models.Field[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        wrapper = getattr(formfield, "widget", None)
        if formfield is not None and type(wrapper) is RelatedFieldWidgetWrapper:
            formfield.widget = SharedLinksWidgetWrapper(
                wrapper.widget,
                wrapper.rel,
                wrapper.admin_site,
                wrapper.can_add_related,
                wrapper.can_change_related,
                wrapper.can_delete_related,
                wrapper.can_view_related,
            )
        return formfield


class ShortSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, the time as editors write it: 10:00, not 10:00:00."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: list[forms.Widget | type[forms.Widget]]
        widgets = [AdminDateWidget, AdminTimeWidget(format=HOURS_AND_MINUTES)]
        forms.MultiWidget.__init__(self, widgets, attrs)


HOURS_AND_MINUTES = "%H:%M"
TIMES_IN_HOURS_AND_MINUTES = {
    models.TimeField: {"widget": AdminTimeWidget(format=HOURS_AND_MINUTES)},
    models.DateTimeField: {"widget": ShortSplitDateTime},
}


class JoinTableAdmin(admin.ModelAdmin):
    """Rows that join two records (an item placed in an update, an authority in a triad): edited
    within their update or triad, so left out of the admin index, though their pages still open
    for finding where something appeared."""

    def get_model_perms(self, request: HttpRequest) -> dict[str, bool]:
        return {}  # the admin index lists no model whose permissions are all empty
