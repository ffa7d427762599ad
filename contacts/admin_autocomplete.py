"""Autocomplete widgets that cost no query per inline row.

Django's autocomplete widget looks up the label of its selected option with one query each time it
is drawn, so an inline of 30 rows makes 30 queries. Here the form hands the widget the related
object the inline's queryset already loaded (select_related), and the widget uses it when the
selected value is still that object. Shared by the networks and newsletters admins.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect


class PreloadedAutocompleteSelect(AutocompleteSelect):
    preloaded = None  # {str(pk): label} for the object the form's instance already holds

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not self.preloaded or not selected <= self.preloaded.keys():
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in selected:
            options.append(self.create_option(name, key, self.preloaded[key], True, len(options)))
        return [(None, options, 0)]


class PreloadedChoicesForm(forms.ModelForm):
    """Gives each preloaded autocomplete widget the label of the object already on the instance."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            if not self.instance._meta.get_field(name).is_cached(self.instance):
                continue
            related = getattr(self.instance, name)
            if related is not None:
                widget.preloaded = {str(related.pk): field.label_from_instance(related)}


class PreloadedAutocompleteMixin:
    """For a ModelAdmin or inline: its autocomplete foreign keys use PreloadedAutocompleteSelect.

    The admin's get_queryset must select_related those foreign keys for the saving to happen.
    """

    form = PreloadedChoicesForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
