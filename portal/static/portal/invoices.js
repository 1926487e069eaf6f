// The invoice list's "select all on this page" box (the page works without it: each row has its own box).
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-page");
  if (!all) return;
  const boxes = Array.from(document.querySelectorAll("input[name=invoice]"));
  all.closest("[hidden]")?.removeAttribute("hidden");
  all.addEventListener("change", () => boxes.forEach((box) => { box.checked = all.checked; }));
  boxes.forEach((box) => box.addEventListener("change", () => {
    all.checked = boxes.every((b) => b.checked);
  }));
});
