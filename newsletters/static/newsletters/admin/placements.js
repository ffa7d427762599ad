// The update's news items, as cards (templates/admin/newsletters/issue/items.html): drag a card
// (or use its Up/Down buttons) to reorder, and the position fields are renumbered in the order
// shown; the section select moves an item between headlines and reminders. "Open" brings the
// item's editor (text, Action Required, actions, contacts, networks) into its card, where what
// is typed is saved with the update; "Add an action" adds an action to an open item.
"use strict";
(() => {
  const cardsOf = (group) =>
    [...group.querySelectorAll(".item-card")].filter((card) => !card.classList.contains("empty-form"));

  // Only cards holding an item are numbered: an untouched new card must stay unchanged, or the
  // form would ask for its item.
  const holdsItem = (card) => {
    const item = card.querySelector("select[name$='-item']");
    const title = card.querySelector("input[name$='-title']");
    return card.classList.contains("has_original") || (item && item.value) || (title && title.value);
  };

  function renumber(group) {
    cardsOf(group)
      .filter(holdsItem)
      .forEach((card, index) => {
        const position = card.querySelector("input[name$='-position']");
        if (position) position.value = index;
      });
  }

  const titleOf = (card) => {
    const typed = card.querySelector("input[name$='-title']");
    if (typed && typed.value) return typed.value;
    const selected = card.querySelector("select[name$='-item'] option:checked");
    return selected && selected.value ? selected.textContent : "this item";
  };

  function addButtons(card) {
    const head = card.querySelector(".item-head");
    if (!head || head.querySelector(".move-buttons")) return;
    card.draggable = true;
    const buttons = document.createElement("span");
    buttons.className = "move-buttons";
    for (const [label, direction] of [["Up", -1], ["Down", 1]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button move-" + label.toLowerCase();
      button.textContent = label;
      button.addEventListener("focus", () =>
        button.setAttribute("aria-label", `Move ${titleOf(card)} ${label.toLowerCase()}`),
      );
      button.addEventListener("click", () => move(card, direction));
      buttons.append(button);
    }
    head.append(buttons);
    const open = head.querySelector(".item-open");
    if (open) open.addEventListener("focus", () => open.setAttribute("aria-label", `Open ${titleOf(card)}`));
  }

  function move(card, direction) {
    const group = card.closest(".inline-group");
    const cards = cardsOf(group);
    const target = cards[cards.indexOf(card) + direction];
    if (!target) return;
    if (direction < 0) target.before(card);
    else target.after(card);
    renumber(group);
    card.querySelector(direction < 0 ? ".move-up" : ".move-down").focus();
  }

  // The editor's widgets start as those of a card added with "Add another" do.
  function started(element) {
    element.dispatchEvent(new CustomEvent("formset:added", { bubbles: true, detail: { formsetName: "item-editor" } }));
    addDateTimeShortcuts(element);
  }

  // The calendar and clock shortcuts of the new part's date and time boxes, as the admin's
  // DateTimeShortcuts.init gives every box on the page when it loads (init again would give the
  // boxes that have them a second calendar each).
  function addDateTimeShortcuts(element) {
    const shortcuts = window.DateTimeShortcuts;
    if (typeof shortcuts === "undefined") return;
    for (const input of element.querySelectorAll("input[type=text]")) {
      if (input.classList.contains("vTimeField")) shortcuts.addClock(input);
      else if (input.classList.contains("vDateField")) shortcuts.addCalendar(input);
      else continue;
      shortcuts.addTimezoneWarning(input);
    }
  }

  async function openEditor(group, card, button) {
    const id = card.querySelector("input[name$='-id']");
    const prefix = card.id;
    const query = new URLSearchParams({ placement: id ? id.value : "", prefix });
    button.disabled = true;
    button.textContent = "Opening…";
    try {
      const response = await fetch(`${group.dataset.editorUrl}?${query}`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(response.statusText);
      const html = document.createElement("template");
      html.innerHTML = await response.text();
      const editor = html.content.firstElementChild;
      card.append(editor);
      button.remove();
      started(editor);
      if (card.classList.contains("has_original")) {
        const first = editor.querySelector("textarea, input:not([type=hidden])");
        if (first) first.focus();
      }
    } catch {
      button.disabled = false;
      button.textContent = "Open (failed: try again)";
    }
  }

  function addAction(button) {
    const fieldset = button.closest(".item-actions");
    const total = fieldset.querySelector("input[name$='-actions-TOTAL_FORMS']");
    const prefix = total.name.replace(/-TOTAL_FORMS$/, "");
    const template = fieldset.querySelector("template.action-template");
    const html = template.innerHTML.replace(/placements-(\d+|__prefix__)-actions-__prefix__/g, `${prefix}-${total.value}`);
    const holder = document.createElement("template");
    holder.innerHTML = html;
    const row = holder.content.firstElementChild;
    fieldset.querySelector(".action-rows").append(row);
    total.value = Number(total.value) + 1;
    started(row);
    const description = row.querySelector("textarea");
    if (description) description.focus();
  }

  function setUp(group) {
    cardsOf(group).forEach(addButtons);
    group.addEventListener("click", (event) => {
      const open = event.target.closest(".item-open");
      if (open) openEditor(group, open.closest(".item-card"), open);
      const add = event.target.closest(".add-action");
      if (add) addAction(add);
    });
    let dragged = null;
    group.addEventListener("dragstart", (event) => {
      dragged = event.target.closest && event.target.closest(".item-card");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    group.addEventListener("dragover", (event) => {
      const over = event.target.closest && event.target.closest(".item-card");
      if (!dragged || !over || over === dragged || over.classList.contains("empty-form")) return;
      event.preventDefault();
      const box = over.getBoundingClientRect();
      if (event.clientY > box.top + box.height / 2) over.after(dragged);
      else over.before(dragged);
    });
    group.addEventListener("drop", (event) => event.preventDefault());
    group.addEventListener("dragend", () => {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
      renumber(group);
    });
    // An item chosen after its card was added ("Add another", then a search) is numbered where
    // its card stands, at the latest as the form is sent.
    group.addEventListener("change", () => renumber(group));
    group.addEventListener("input", () => renumber(group));
    const form = group.closest("form");
    if (form) form.addEventListener("submit", () => renumber(group));
    document.addEventListener("formset:added", (event) => {
      if (event.detail && event.detail.formsetName === "placements") {
        addButtons(event.target);
        renumber(group);
        const open = event.target.querySelector(".item-open");
        if (open) openEditor(group, event.target, open); // a new item's editor, open at once
      }
    });
  }

  // Select2 draws its own box in place of each search select: name it after the select, so that
  // screen readers (and axe-core) know what each box chooses.
  function nameSearchBox(container) {
    const select = container.previousElementSibling;
    if (!select || !select.matches("select.admin-autocomplete")) return;
    const label = select.labels && select.labels[0];
    const name = select.getAttribute("aria-label") || (label && label.textContent.trim());
    if (!name) return;
    const box = container.querySelector(".select2-selection");
    const chosen = container.querySelector(".select2-selection__rendered");
    if (box) box.setAttribute("aria-label", name);
    if (box && chosen && !chosen.textContent.trim()) box.removeAttribute("aria-labelledby");
    if (chosen) chosen.setAttribute("aria-label", name);
    const search = container.querySelector(".select2-search__field");
    if (search) search.setAttribute("aria-label", name);
  }

  // The Select2 boxes a change drew or redrew (a box added, a choice made): only those are named
  // again, not every box on the page at every keystroke.
  function searchBoxesChanged(records) {
    const containers = new Set();
    for (const record of records) {
      const target = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
      const around = target && target.closest(".select2");
      if (around) containers.add(around);
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        if (node.classList.contains("select2")) containers.add(node);
        node.querySelectorAll(".select2").forEach((container) => containers.add(container));
      }
    }
    return containers;
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".sortable-placements").forEach((fieldset) => setUp(fieldset.closest(".inline-group")));
  });
  // Select2 draws its boxes when it starts and when a card is added: name them once drawn.
  let changed = new Set();
  new MutationObserver((records) => {
    const containers = searchBoxesChanged(records);
    if (!containers.size) return;
    const first = !changed.size;
    containers.forEach((container) => changed.add(container));
    if (!first) return;
    requestAnimationFrame(() => {
      const drawn = changed;
      changed = new Set();
      drawn.forEach(nameSearchBox);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
