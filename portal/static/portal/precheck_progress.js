// The request page's automatic checks: ask for their progress every few seconds (no reload), and stop when
// they have finished. Without JavaScript the page still shows the progress at the time it was loaded.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const text = box.querySelector("[data-progress-text]");
  const bar = box.querySelector("progress");
  const hint = box.querySelector("[data-progress-hint]");
  const every = 3000;
  const poll = async () => {
    let progress;
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;  // gone or refused: leave the page as it is
      progress = await response.json();
    } catch (error) {
      window.setTimeout(poll, every * 2);  // the network blinked: try again, more slowly
      return;
    }
    text.textContent = progress.text;
    bar.max = Math.max(progress.pages_total, 1);
    bar.value = progress.done ? bar.max : progress.pages_done;
    if (progress.done) {
      if (hint) hint.hidden = true;
      return;
    }
    window.setTimeout(poll, every);
  };
  window.setTimeout(poll, every);
});
