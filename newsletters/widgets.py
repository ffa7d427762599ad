"""The admin's rich-text editor (django-prose-editor), set up to hold under the site's CSP."""

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
