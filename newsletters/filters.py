"""The archive's and the dashboard's filters. Unknown values are reported by the form and ignored."""

import copy

import django_filters
from django import forms
from django.core.signals import setting_changed
from django.db.models import Exists, OuterRef
from django.dispatch import receiver

from contacts.models import Organisation
from networks.models import Network

from .models import Action, Issue, Placement


def networks(request=None):
    return Network.objects.order_by("name")


def authorities(request=None):
    return Organisation.objects.local_authorities().order_by("name")


class RememberedSelect(forms.Select):
    """Django's select, whose HTML is remembered per process for the same name, chosen value,
    attributes and choices (read once, as always: the same queries): the archive's and the
    dashboard's lists of networks and authorities were rendered option by option through the
    form templates on every render, a fifth of the archive's CPU."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = [(str(v), str(label)) for v, label in self.choices]
        key = (
            type(self),
            self.template_name,
            self.option_template_name,
            self.is_required,
            self.allow_multiple_selected,
            name,
            tuple(self.format_value(value)),
            tuple(sorted({**self.attrs, **(attrs or {})}.items(), key=repr)),
            tuple(choices),
            renderer,
        )
        try:
            return REMEMBERED_SELECTS[key]
        except KeyError:
            pass
        except TypeError:  # an attribute that cannot be a key
            return super().render(name, value, attrs, renderer)
        widget = copy.copy(self)
        widget.choices = choices
        html = forms.Select.render(widget, name, value, attrs, renderer)
        if len(REMEMBERED_SELECTS) >= 256:
            REMEMBERED_SELECTS.clear()
        REMEMBERED_SELECTS[key] = html
        return html


REMEMBERED_SELECTS: dict[tuple, str] = {}


@receiver(setting_changed)
def forget(**kwargs):
    """A setting changed (tests do): the form templates or their renderer may have."""
    REMEMBERED_SELECTS.clear()


def network_filter(**how: str) -> django_filters.ModelChoiceFilter:
    """A network, chosen by its slug in the address; `how` says what it filters (a field_name, or
    the filter set's method)."""
    return django_filters.ModelChoiceFilter(
        queryset=networks,
        to_field_name="slug",
        label="Network",
        empty_label="Any network",
        widget=RememberedSelect,
        **how,
    )


def authority_filter(label: str, **how: str) -> django_filters.ModelChoiceFilter:
    """One of the local authorities, chosen by its slug in the address."""
    return django_filters.ModelChoiceFilter(
        queryset=authorities,
        to_field_name="slug",
        label=label,
        empty_label="Any local authority",
        widget=RememberedSelect,
        **how,
    )


class DateInput(forms.DateInput):
    input_type = "date"


class ReadingFilterSet(django_filters.FilterSet):
    """Filters whose controls point to their error message, so screen readers announce it."""

    @property
    def qs(self):
        queryset = super().qs
        for name in self.form.errors:
            if name in self.form.fields:
                field = self.form[name]
                field.field.widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{field.auto_id}-error"}
                )
        return queryset


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class IssueFilter(ReadingFilterSet):
    year = YearFilter(
        field_name="date",
        lookup_expr="year",
        label="Year",
        widget=forms.HiddenInput,
        min_value=1990,
        max_value=2100,
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="From", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="To", widget=DateInput
    )
    network = network_filter(method="filter_network")
    authority = authority_filter("Local authority named", method="filter_authority")
    open_actions = django_filters.BooleanFilter(
        method="filter_open_actions",
        label="Has open actions (not yet past due)",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Issue
        fields = []

    def _with_placement(self, queryset, **lookups):
        placements = Placement.objects.filter(issue=OuterRef("pk"), item__dcs_only=False, **lookups)
        return queryset.filter(Exists(placements))

    def filter_network(self, queryset, name, value):
        return self._with_placement(queryset, item__networks=value) if value else queryset

    def filter_authority(self, queryset, name, value):
        return self._with_placement(queryset, item__authorities=value) if value else queryset

    def filter_open_actions(self, queryset, name, value):
        if not value:
            return queryset
        open_actions = Action.objects.upcoming().filter(item=OuterRef("item_id"))
        placements = Placement.objects.filter(
            Exists(open_actions), issue=OuterRef("pk"), item__dcs_only=False
        )
        return queryset.filter(Exists(placements))


class ActionFilter(ReadingFilterSet):
    """The dashboard's filters; kept in the URL so a filtered dashboard can be bookmarked."""

    network = network_filter(field_name="item__networks")
    authority = authority_filter("Local authority", field_name="item__authorities")
    audience = django_filters.ChoiceFilter(
        choices=Action.Audience.choices, label="Audience", empty_label="Anyone"
    )

    class Meta:
        model = Action
        fields = []
