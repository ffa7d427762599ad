// Starts django-prose-editor's editor on the rich-text fields, as its "configurable" preset does,
// but without Tiptap's injected <style> element (the CSP forbids it): prose_editor.css has it.
import * as editor from "django-prose-editor/editor";

const ATTRIBUTE = "data-django-prose-editor-configurable";

function extensionsFrom(config) {
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = editor[name];
    if (extension) extensions.push(typeof options === "object" ? extension.configure(options) : extension);
  }
  return extensions;
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  return new editor.Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    extensions: extensionsFrom(config),
    content: textarea.value,
    onUpdate({ editor: current }) {
      const html = current.getHTML();
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
}

editor.initializeEditors(createEditor, `[${ATTRIBUTE}]`);
