// As an editor types an action, a date its words state ("reply by 12 November") fills the empty
// due date, with a note to check it. A date the editor typed is never replaced. The server
// reads the words the way the importer does (newsletters.deadlines.find_deadlines).
"use strict";
(() => {
  const timers = new WeakMap();

  function dueDateField(description) {
    const name = description.name.replace(/description$/, "due_date");
    return description.form.querySelector(`input[name="${name}"]`);
  }

  function note(field) {
    let element = field.parentElement.querySelector(".due-date-suggestion");
    if (!element) {
      element = document.createElement("div");
      element.className = "help due-date-suggestion";
      element.setAttribute("role", "status");
      field.parentElement.append(element);
    }
    return element;
  }

  async function suggest(description) {
    const field = dueDateField(description);
    if (!field) return;
    const ours = field.dataset.suggested !== undefined && field.value === field.dataset.suggested;
    if (field.value && !ours) return; // the editor's own date
    const query = new URLSearchParams({
      text: description.value,
      reference: description.dataset.reference || "",
    });
    const response = await fetch(`${description.dataset.suggestDueDate}?${query}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const found = await response.json();
    if (field.value && field.value !== field.dataset.suggested) return; // typed meanwhile
    if (found.due_date) {
      field.value = found.value;
      field.dataset.suggested = found.value;
      note(field).textContent = found.message;
    } else if (ours) {
      field.value = "";
      delete field.dataset.suggested;
      note(field).textContent = "";
    }
  }

  document.addEventListener("input", (event) => {
    const description = event.target;
    if (!description.matches || !description.matches("textarea[data-suggest-due-date]")) return;
    clearTimeout(timers.get(description));
    timers.set(description, setTimeout(() => suggest(description), 400));
  });
})();
