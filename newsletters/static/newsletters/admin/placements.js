// The update's news items: drag a row (or use its Up/Down buttons) to reorder, and the position
// fields are renumbered in the order shown. The section select moves an item between headlines
// and reminders; positions keep the order within each section.
"use strict";
(() => {
  const rowsOf = (tbody) =>
    [...tbody.querySelectorAll("tr.form-row")].filter((row) => !row.classList.contains("empty-form"));

  // Only rows holding an item are numbered: an untouched empty row must stay unchanged, or the
  // form would ask for its item.
  const holdsItem = (row) => {
    const item = row.querySelector("select[name$='-item']");
    const title = row.querySelector("input[name$='-title']");
    return row.classList.contains("has_original") || (item && item.value) || (title && title.value);
  };

  function renumber(tbody) {
    rowsOf(tbody)
      .filter(holdsItem)
      .forEach((row, index) => {
        const position = row.querySelector("input[name$='-position']");
        if (position) position.value = index;
      });
  }

  function addButtons(row) {
    const cell = row.querySelector("td.field-position");
    if (!cell || cell.querySelector(".move-buttons")) return;
    row.draggable = true;
    const title = () => {
      const typed = row.querySelector("input[name$='-title']");
      if (typed && typed.value) return typed.value;
      const selected = row.querySelector("select[name$='-item'] option:checked");
      return selected && selected.value ? selected.textContent : "this item";
    };
    const buttons = document.createElement("span");
    buttons.className = "move-buttons";
    for (const [label, direction] of [["Up", -1], ["Down", 1]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button move-" + label.toLowerCase();
      button.textContent = label;
      button.addEventListener("focus", () => button.setAttribute("aria-label", `Move ${title()} ${label.toLowerCase()}`));
      button.addEventListener("click", () => move(row, direction));
      buttons.append(button);
    }
    cell.append(buttons);
  }

  function move(row, direction) {
    const tbody = row.parentElement;
    const rows = rowsOf(tbody);
    const target = rows[rows.indexOf(row) + direction];
    if (!target) return;
    if (direction < 0) target.before(row);
    else target.after(row);
    renumber(tbody);
    row.querySelector(direction < 0 ? ".move-up" : ".move-down").focus();
  }

  function setUp(group) {
    const tbody = group.querySelector("tbody");
    if (!tbody) return;
    rowsOf(tbody).forEach(addButtons);
    let dragged = null;
    tbody.addEventListener("dragstart", (event) => {
      dragged = event.target.closest("tr.form-row");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    tbody.addEventListener("dragover", (event) => {
      const over = event.target.closest("tr.form-row");
      if (!dragged || !over || over === dragged || over.classList.contains("empty-form")) return;
      event.preventDefault();
      const box = over.getBoundingClientRect();
      if (event.clientY > box.top + box.height / 2) over.after(dragged);
      else over.before(dragged);
    });
    tbody.addEventListener("drop", (event) => event.preventDefault());
    tbody.addEventListener("dragend", () => {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
      renumber(tbody);
    });
    // An item chosen after its row was added ("Add another", then "+" or a search) is numbered
    // where its row stands, at the latest as the form is sent.
    tbody.addEventListener("change", () => renumber(tbody));
    tbody.addEventListener("input", () => renumber(tbody));
    const form = tbody.closest("form");
    if (form) form.addEventListener("submit", () => renumber(tbody));
    document.addEventListener("formset:added", (event) => {
      if (event.detail && event.detail.formsetName === "placements") {
        addButtons(event.target);
        renumber(tbody);
      }
    });
  }

  // Select2 draws its own box in place of each search select: name it after the select, so that
  // screen readers (and axe-core) know what each row's box chooses.
  function nameSearchBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const label = select.labels && select.labels[0];
      const name = select.getAttribute("aria-label") || (label && label.textContent.trim());
      const container = select.nextElementSibling;
      if (!name || !container || !container.classList.contains("select2")) return;
      const box = container.querySelector(".select2-selection");
      const chosen = container.querySelector(".select2-selection__rendered");
      if (box) box.setAttribute("aria-label", name);
      if (box && chosen && !chosen.textContent.trim()) box.removeAttribute("aria-labelledby");
      if (chosen) chosen.setAttribute("aria-label", name);
      const search = container.querySelector(".select2-search__field");
      if (search) search.setAttribute("aria-label", name);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".sortable-placements").forEach(setUp);
  });
  // Select2 draws its boxes when it starts and when a row is added: name them once drawn.
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      nameSearchBoxes();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
