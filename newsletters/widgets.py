"""The admin's rich-text editor (django-prose-editor), set up to hold under the site's CSP, and
an update's inline rows drawn in Python."""

from functools import partial

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django_prose_editor.widgets import AdminProseEditorWidget, prose_editor_admin_media
from js_asset import Media, Script


class RichTextWidget(AdminProseEditorWidget):
    """django-prose-editor's editor, started by newsletters/admin/prose_editor.js.

    The package's own start-up lets Tiptap add its base CSS as a <style> element, which the
    Content Security Policy (style-src 'self') blocks; ours serves that CSS as a file instead.
    """

    @property
    def media(self):
        return prose_editor_admin_media + Media(
            css={"all": ["newsletters/admin/prose_editor.css"]},
            js=[Script("newsletters/admin/prose_editor.js", type="module")],
        )


def change_link(inline_admin_formset, inline_admin_form):
    model_admin = inline_admin_form.model_admin
    if not (model_admin.show_change_link and model_admin.has_registered_model):
        return ""
    url = reverse(
        admin_urlname(model_admin.opts, "change"),
        args=[quote(inline_admin_form.original.pk)],
        current_app=model_admin.admin_site.name,
    )
    if inline_admin_formset.has_change_permission:
        return format_html('<a href="{}" class="inlinechangelink">{}</a>', url, gettext("Change"))
    return format_html('<a href="{}" class="inlineviewlink">{}</a>', url, gettext("View"))


def draw_row(inline_admin_formset, inline_admin_form, index, is_empty_form):
    """One row of Django's admin/edit_inline/tabular.html, drawn in Python: through the template
    engine, the loops over an update's some seventy rows and their fields cost more than the
    widgets in them."""
    form, original = inline_admin_form.form, inline_admin_form.original
    html = []
    if errors := form.non_field_errors():
        colspan = cell_count(inline_admin_form)
        html.append(f'<tr class="row-form-errors"><td colspan="{colspan}">{errors}</td></tr>')
    classes = "has_original" if original or inline_admin_form.show_url else ""
    classes += " empty-form" if is_empty_form else ""
    row_id = f"{inline_admin_formset.formset.prefix}-{'empty' if is_empty_form else index}"
    html.append(f'<tr class="form-row {classes}" id="{conditional_escape(row_id)}">')
    html.append('<td class="original">')
    if original or inline_admin_form.show_url:
        html.append("<p>")
        if original:
            html.append(conditional_escape(original))
            html.append(change_link(inline_admin_formset, inline_admin_form))
        if inline_admin_form.show_url:
            url = inline_admin_form.absolute_url
            html.append(format_html('<a href="{}">{}</a>', url, gettext("View on site")))
        html.append("</p>")
    if inline_admin_form.needs_explicit_pk_field():
        html.append(str(inline_admin_form.pk_field().field))
    if fk_field := inline_admin_form.fk_field():
        html.append(str(fk_field.field))
    html.append("</td>")
    for fieldset in inline_admin_form:
        for line in fieldset:
            for field in line:
                if field.is_readonly:
                    name, hidden = field.field["name"], field.field["is_hidden"]
                    content = f"<p>{conditional_escape(field.contents())}</p>"
                else:
                    name, hidden = field.field.name, field.field.is_hidden
                    content = f"{field.field.errors.as_ul()}{field.field}"
                field_classes = f"field-{name}" if name else ""
                field_classes += " hidden" if hidden else ""
                html.append(f'<td class="{conditional_escape(field_classes)}">{content}</td>')
    deletable = inline_admin_formset.formset.can_delete
    deletable = deletable and inline_admin_formset.has_delete_permission and original
    delete = inline_admin_form.deletion_field().field if deletable else ""
    html.append(f'<td class="delete">{delete}</td></tr>')
    return mark_safe("\n".join(html))


class RowsDrawnFormSet(helpers.InlineAdminFormSet):
    """Gives each row draw_row, for templates/admin/newsletters/issue/tabular.html."""

    @property
    def media(self):  # every row's form has the same widgets, so the first form's media
        return self.opts.media + self.formset.media

    def __iter__(self):
        rows = list(super().__iter__())
        for index, inline_admin_form in enumerate(rows):
            # When rows may be added, the last is the blank one that new rows are copied from.
            is_empty_form = self.has_add_permission and index == len(rows) - 1
            inline_admin_form.row = partial(draw_row, self, inline_admin_form, index, is_empty_form)
            yield inline_admin_form
