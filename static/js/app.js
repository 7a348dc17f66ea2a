// Small progressive enhancements; every page works without them.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// Quick comment phrases: one tap appends the phrase to the comment box.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-phrase]");
  if (!button) return;
  const box = document.getElementById(button.dataset.target);
  if (!box) return;
  box.value = box.value ? `${box.value.trimEnd()} ${button.dataset.phrase}` : button.dataset.phrase;
  box.focus();
});

// "Add a section" on the memo form: clone the last empty section row with new indexes.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-section]");
  if (!button) return;
  const rows = document.querySelectorAll(".section-row");
  const last = rows[rows.length - 1];
  const index = rows.length;
  const clone = last.cloneNode(true);
  clone.querySelectorAll("input, textarea, label").forEach((el) => {
    for (const attr of ["name", "id", "for"]) {
      const value = el.getAttribute(attr);
      if (value) el.setAttribute(attr, value.replace(/sections-\d+-/, `sections-${index}-`));
    }
    if (el.value !== undefined && el.tagName !== "LABEL") el.value = "";
  });
  clone.querySelectorAll(".error").forEach((el) => el.remove());
  last.after(clone);
});

// A file over the attachment limit is refused before it is sent (the server refuses it too):
// the message goes beside the field and the form is not submitted.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
  const tooBig = [...input.files].some((file) => file.size > Number(input.dataset.maxBytes));
  input.setCustomValidity(tooBig ? input.dataset.tooLarge : "");
  let note = input.parentElement.querySelector(".error.client");
  if (tooBig && !note) {
    note = document.createElement("p");
    note.className = "error client";
    input.after(note);
  }
  if (note) note.textContent = tooBig ? input.dataset.tooLarge : "";
  if (tooBig) input.reportValidity();
});
document.addEventListener("submit", (event) => {
  const refused = event.target.querySelector("input[type=file][data-max-bytes]:invalid");
  if (refused) event.preventDefault();
});

// Filters fold away on phones so the results come first; wider screens show them open.
if (window.matchMedia("(min-width: 601px)").matches) {
  document.querySelectorAll("details[data-open-wide]").forEach((details) => {
    details.open = true;
  });
}
