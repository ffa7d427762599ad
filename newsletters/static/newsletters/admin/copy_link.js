// "Copy preview link" on the update's change page: copies the signed link and says so.
"use strict";
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = "Copied.";
  } catch {
    if (status) status.textContent = "Select the link and copy it (Ctrl+C or ⌘C).";
  }
});
