"""Admin forms and autocomplete widgets that are cheap to draw in many inline rows.

Django's autocomplete widget looks up the label of its selected option with one query each time it
is drawn, so an inline of 30 rows makes 30 queries. Here the form hands the widget the related
object the inline's queryset already loaded (select_related), and the widget uses it when the
selected value is still that object. Shared by the networks and newsletters admins.

Drawing each widget through the template engine is most of the time of a page with many inline
rows (an update's admin page holds some 450 widgets), so these forms draw Django's common widget
templates in Python instead, to the same HTML (PlainRenderer).
"""

import functools
import html

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import (
    AdminDateWidget,
    AdminSplitDateTime,
    AdminTimeWidget,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    RelatedFieldWidgetWrapper,
)
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.templatetags.static import static
from django.utils.formats import localize
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, gettext


def _escape(value):  # django.utils.html.conditional_escape, without its costly lazy-text check
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _text(value):  # {{ value }}
    return _escape(localize(value))


def _formatted(value):  # {{ value|stringformat:'s' }}
    return str(value) if isinstance(value, SafeData) else html.escape(f"{value}")


@functools.lru_cache(maxsize=4096, typed=True)  # typed: True is not 1 here
def _plain_attr(name, value):  # most attributes are alike in every row
    return (
        f" {html.escape(name)}"
        if value is True
        else f' {html.escape(name)}="{html.escape(str(value))}"'
    )


def _attrs(attrs):  # django/forms/widgets/attrs.html
    html_attrs = []
    for name, value in attrs.items():
        if value is False:
            continue
        if type(name) is str and type(value) in (str, int, bool):
            html_attrs.append(_plain_attr(name, value))
        elif value is True:
            html_attrs.append(f" {_escape(name)}")
        else:
            html_attrs.append(f' {_escape(name)}="{_formatted(value)}"')
    return "".join(html_attrs)


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _option(option):
    return f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'


def _select(widget):
    if any(
        option["template_name"] != "django/forms/widgets/select_option.html"
        for _group, options, _index in widget["optgroups"]
        for option in options
    ):
        return None  # a subclass's own option template
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(f"\n  {_option(option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget):
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


ICONS = {"change": "changelink", "add": "addlink", "delete": "deletelink", "view": "viewlink"}
TITLES = {
    "change": "Change selected %(model)s",
    "add": "Add another %(model)s",
    "delete": "Delete selected %(model)s",
    "view": "View selected %(model)s",
}


@functools.lru_cache(maxsize=256)
def _related_link_around_name(action, href, model, language):
    """The HTML of a related-widget link before and after the field's name, alike in each row."""
    href_attr = "href" if action == "add" else "data-href-template"
    popup = "" if action == "view" else ' data-popup="yes"'
    title = gettext(TITLES[action]) % {"model": _escape(model)}
    icon = html.escape(static(f"admin/img/icon-{ICONS[action]}.svg"))
    return (
        f'<a class="related-widget-wrapper-link {action}-related" id="{action}_id_',
        f'" {href_attr}="{html.escape(href)}"{popup} title="{title}">'
        f'<img src="{icon}" alt="" width="24" height="24"></a>',
    )


def _related_link(context, action, href):
    before, after = _related_link_around_name(action, href, str(context["model"]), get_language())
    return f"{before}{_escape(context['name'])}{after}"


def _related_widget_wrapper(c):  # admin/widgets/related_widget_wrapper.html
    links = []
    if not c["is_hidden"]:
        params = c["url_params"]
        if c["can_change_related"]:
            links.append(_related_link(c, "change", f"{c['change_related_template_url']}?{params}"))
        if c["can_add_related"]:
            links.append(_related_link(c, "add", f"{c['add_related_url']}?{params}"))
        if c["can_delete_related"]:
            href = f"{c['delete_related_template_url']}?{params}"
            links.append(_related_link(c, "delete", href))
        if c["can_view_related"]:
            href = f"{c['change_related_template_url']}?{c['view_related_url_params']}"
            links.append(_related_link(c, "view", href))
    ref = "" if c["model_has_limit_choices_to"] else f' data-model-ref="{_text(c["model_name"])}"'
    return (
        f'<div class="related-widget-wrapper"{ref}>\n    {c["rendered_widget"]}\n    '
        f"{''.join(links)}\n</div>"
    )


def _hidden_form(context):  # django/forms/div.html, for a form of hidden fields only
    if context["fields"] or context["errors"]:
        return None
    return "".join(str(field) for field in context["hidden_fields"])


INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in ["input", "hidden", "text", "number", "checkbox", "email", "url", "date", "time"]
    + ["datetime", "password", "search", "tel", "color"]
}
DRAWN = {
    **dict.fromkeys(INPUTS, lambda context: _input(context["widget"])),
    "django/forms/widgets/select.html": lambda context: _select(context["widget"]),
    "django/forms/widgets/textarea.html": lambda context: _textarea(context["widget"]),
    RelatedFieldWidgetWrapper.template_name: _related_widget_wrapper,
    "django/forms/div.html": _hidden_form,  # a formset's management form
}
ERROR_LISTS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


class PlainRenderer(DjangoTemplates):
    """Draws Django's input, select, textarea and related-widget templates, forms of hidden fields
    and empty error lists in Python; any other template through the template engine."""

    def render(self, template_name, context, request=None):
        draw = DRAWN.get(template_name)
        drawn = draw and draw(context)
        if drawn is not None:
            return mark_safe(drawn)
        if template_name in ERROR_LISTS and not context["errors"]:
            return ""
        return super().render(template_name, context, request)


PLAIN_RENDERER = PlainRenderer()


class SharedLinksWidgetWrapper(RelatedFieldWidgetWrapper):
    """The admin's related-widget wrapper, looking up its links' addresses once for all the rows
    of an inline rather than once a row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls = {}  # shared by the copy of the widget each row's form makes

    def get_related_url(self, info, action, *args):
        key = (info, action, args)
        if key not in self.urls:
            self.urls[key] = super().get_related_url(info, action, *args)
        return self.urls[key]


class PlainAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        # The admin's related-widget wrapper draws this widget without passing its renderer on.
        return super().render(name, value, attrs, renderer or PLAIN_RENDERER)


class PreloadedAutocompleteSelect(AutocompleteSelect):
    preloaded = None  # {str(pk): label} for the object the form's instance already holds

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls = {}  # shared by the copy of the widget each row's form makes

    def get_url(self):
        if "autocomplete" not in self.urls:
            self.urls["autocomplete"] = super().get_url()
        return self.urls["autocomplete"]

    def render(self, name, value, attrs=None, renderer=None):
        # The admin's related-widget wrapper draws this widget without passing its renderer on.
        return super().render(name, value, attrs, renderer or PLAIN_RENDERER)

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if selected and not (self.preloaded and selected <= self.preloaded.keys()):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in selected:
            options.append(self.create_option(name, key, self.preloaded[key], True, len(options)))
        return [(None, options, 0)]


class PreloadedChoicesForm(forms.ModelForm):
    """Gives each preloaded autocomplete widget the label of the object already on the instance."""

    default_renderer = PLAIN_RENDERER

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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        wrapper = getattr(formfield, "widget", None)
        if type(wrapper) is RelatedFieldWidgetWrapper:
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

    def __init__(self, attrs=None):
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

    def get_model_perms(self, request):
        return {}  # the admin index lists no model whose permissions are all empty
