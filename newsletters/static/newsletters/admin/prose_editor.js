// Starts django-prose-editor's editor on the rich-text fields, as its "configurable" preset does,
// but without Tiptap's injected <style> element (the CSP forbids it): prose_editor.css has it;
// and with the browser's spellcheck on, which the package turns off by default.
import * as editor from "django-prose-editor/editor";

const ATTRIBUTE = "data-django-prose-editor-configurable";

function extensionsFrom(config) {
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    if (name === "NoSpellCheck") continue; // editors want the browser's spellcheck on
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
  // The editable area keeps the browser's spellcheck and is named by the box's label.
  const label = textarea.labels && textarea.labels[0] ? textarea.labels[0].textContent.replace(/:$/, "").trim() : "";
  const attributes = { spellcheck: textarea.getAttribute("spellcheck") || "true", role: "textbox", "aria-multiline": "true" };
  if (label) attributes["aria-label"] = label;
  return new editor.Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    editorProps: { attributes },
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
