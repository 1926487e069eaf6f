// After a submit with errors, the form's error summary (templates/portal/_form.html) takes the focus, so a
// screen reader reads it first and a keyboard user starts from it; each of its links moves the focus to its field
// (a plain fragment link would only scroll) and shows the field's label with it.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    (field.closest(".field") || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
});
