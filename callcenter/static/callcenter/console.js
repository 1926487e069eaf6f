/* The call-center console: move between search results from the keyboard.
 *
 * Plain script, no dependencies. Each result's "Take the call" button carries data-cc-result; the search box carries
 * data-cc-search. ↓ from the box goes to the first result, ↓/↑ move between results (↑ from the first goes back to
 * the box), Home/End jump to the first/last, Enter presses the focused button (the browser's own behaviour).
 * One listener on the document, so it keeps working across Viewflow's Turbo page changes.
 */
(function () {
  "use strict";

  if (window.callCenterConsole) return;  // Turbo may evaluate the script again: bind once

  function results() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-cc-result]"));
  }

  function focus(element) {
    if (!element) return;
    element.focus();
    var item = element.closest("li") || element;
    if (item.scrollIntoView) item.scrollIntoView({ block: "nearest" });
  }

  function onKeyDown(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    var box = document.querySelector("[data-cc-search]");
    var list = results();
    if (!list.length) return;
    var index = list.indexOf(target);
    var inBox = box && target === box;
    if (!inBox && index < 0) return;

    if (event.key === "ArrowDown") {
      event.preventDefault();
      focus(inBox ? list[0] : list[Math.min(index + 1, list.length - 1)]);
    } else if (event.key === "ArrowUp") {
      if (inBox) return;
      event.preventDefault();
      if (index === 0) { if (box) { box.focus(); box.select(); } } else focus(list[index - 1]);
    } else if ((event.key === "Home" || event.key === "End") && !inBox) {
      event.preventDefault();
      focus(event.key === "Home" ? list[0] : list[list.length - 1]);
    }
  }

  document.addEventListener("keydown", onKeyDown);
  window.callCenterConsole = { results: results };
})();
