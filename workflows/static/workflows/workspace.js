/* The staff verification workspace: page-through, zoom, rotate, evidence boxes, the decision form's optional fields.
 *
 * Plain script, no dependencies. Works with Viewflow's Turbo navigation (initialises on turbo:load as well as on
 * first load, once per page body). Without JavaScript every page is shown one below the other and every form
 * field is visible; the server validates either way.
 *
 * Evidence boxes: data-place="left,top,width,height,angle" is where the box lies on the page as uploaded and shown
 * here, worked out on the server (ocr.geometry.place, from the pre-check's own record of how it turned, cropped
 * and straightened the page): left/top/width/height are shares (0..1) of the page, angle is in degrees (clockwise,
 * about the box's centre). A box is a child of the page sheet, so it zooms and rotates with the page. A box
 * without a place (not known) stays hidden.
 *
 * Zoom past 100%: the page's image becomes the one rendered at 200 or 300 dpi (the same URL with ?dpi=), never
 * going back to a blurrier one once loaded; if it cannot be had, the preview stays.
 */
(function () {
  "use strict";

  var ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.25, 1.5, 2, 2.5, 3, 4];
  // The page previews' resolution and the sharper ones the page URL renders on demand (?dpi=): documents/previews.py
  // (PDF_PREVIEW_DPI, ZOOM_DPIS). Past 100% the viewer swaps the preview for the one that is sharp at that zoom.
  var PREVIEW_DPI = 110;
  var SHARP_DPIS = [200, 300];

  function $(root, selector) { return root.querySelector(selector); }
  function $$(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function num(value, fallback) { var n = parseFloat(value); return isFinite(n) ? n : fallback; }

  // -- evidence boxes ------------------------------------------------------------------------

  /** A box's place from its data-place attribute: {left, top, width, height, angle}, or null. */
  function placeOf(box) {
    var values = (box.dataset.place || "").split(",").map(function (v) { return num(v, NaN); });
    if (values.length !== 5 || values.some(isNaN) || values[2] <= 0 || values[3] <= 0) return null;
    return { left: values[0], top: values[1], width: values[2], height: values[3], angle: values[4] };
  }

  function placeBoxes(figure) {
    $$(figure, ".vw-box").forEach(function (box) {
      var place = placeOf(box);
      if (!place) { box.hidden = true; return; }
      box.style.left = (place.left * 100) + "%";
      box.style.top = (place.top * 100) + "%";
      box.style.width = (place.width * 100) + "%";
      box.style.height = (place.height * 100) + "%";
      box.style.transform = place.angle ? "rotate(" + place.angle + "deg)" : "";
    });
  }

  // -- the viewer ----------------------------------------------------------------------------

  function Viewer(root) {
    this.root = root;
    this.toolbar = $(root, "[data-vw-toolbar]");
    this.status = $(root, "[data-vw-status]");
    this.zoomLabel = $(root, "[data-vw-zoom]");
    this.documents = $$(root, "[data-vw-document]");
    this.tabs = $$(root, "[data-vw-tab]");
    this.zoom = "fit";
    this.showBoxes = true;
    this.state = {};  // per document: {page: index}
    this.rotation = {};  // per "document/page": degrees
    var self = this;
    this.documents.forEach(function (doc) {
      var pages = self.pages(doc);
      self.state[doc.dataset.vwDocument] = { page: pages.length ? pages[0].dataset.vwPage : null };
      pages.forEach(function (figure) {
        // start upright: the pre-check found how far the page was turned
        self.rotation[doc.dataset.vwDocument + "/" + figure.dataset.vwPage] = ((num(figure.dataset.ocrRotation, 0) % 360) + 360) % 360;
        placeBoxes(figure);
      });
    });
    this.current = this.documents.length ? this.documents[0].dataset.vwDocument : null;
    if (this.toolbar) this.toolbar.hidden = !this.current;
    root.classList.add("vw-viewer--ready");
    this.bind();
    this.render();
  }

  Viewer.prototype.pages = function (doc) { return $$(doc, "[data-vw-page]"); };
  Viewer.prototype.doc = function () {
    var id = this.current;
    return this.documents.filter(function (d) { return d.dataset.vwDocument === id; })[0];
  };
  Viewer.prototype.figure = function () {
    var doc = this.doc(), page = this.state[this.current] && this.state[this.current].page;
    return doc ? this.pages(doc).filter(function (f) { return f.dataset.vwPage === String(page); })[0] : null;
  };
  Viewer.prototype.rotationKey = function () {
    return this.current + "/" + (this.state[this.current] || {}).page;
  };

  Viewer.prototype.bind = function () {
    var self = this;
    if (this.toolbar) {
      this.toolbar.addEventListener("click", function (event) {
        var button = event.target.closest("[data-vw-action]");
        if (button) self.act(button.dataset.vwAction);
      });
    }
    this.tabs.forEach(function (tab) {
      tab.addEventListener("click", function () { self.showDocument(tab.dataset.vwTab); });
      tab.addEventListener("keydown", function (event) {
        var i = self.tabs.indexOf(tab), next = null;
        if (event.key === "ArrowRight") next = self.tabs[(i + 1) % self.tabs.length];
        if (event.key === "ArrowLeft") next = self.tabs[(i - 1 + self.tabs.length) % self.tabs.length];
        if (next) { event.preventDefault(); next.focus(); self.showDocument(next.dataset.vwTab); }
      });
    });
    $$(this.root, "[data-vw-scroller]").forEach(function (scroller) {
      scroller.addEventListener("keydown", function (event) {
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        var action = { ArrowLeft: "prev", PageUp: "prev", ArrowRight: "next", PageDown: "next", "+": "zoom-in", "=": "zoom-in",
                       "-": "zoom-out", "0": "fit", r: "rotate", R: "rotate", b: "boxes", B: "boxes" }[event.key];
        if (action) { event.preventDefault(); self.act(action); }
      });
    });
    // Fit follows the column's width (window resized, Viewflow's menu opened or closed).
    var width = 0;
    this.onResize = function () {
      var now = self.root.clientWidth;
      if (now !== width) { width = now; if (self.zoom === "fit") self.render(); }
    };
    if (window.ResizeObserver) {
      this.observer = new ResizeObserver(this.onResize);
      this.observer.observe(this.root);
    }
    window.addEventListener("resize", this.onResize);
  };

  Viewer.prototype.act = function (action) {
    var state = this.state[this.current];
    if (!state) return;
    var pages = this.pages(this.doc()), i = pages.indexOf(this.figure());
    if (action === "prev" && i > 0) state.page = pages[i - 1].dataset.vwPage;
    else if (action === "next" && i < pages.length - 1) state.page = pages[i + 1].dataset.vwPage;
    else if (action === "zoom-in" || action === "zoom-out") {
      var now = this.scale(), steps = action === "zoom-in" ? ZOOM_STEPS : ZOOM_STEPS.slice().reverse();
      var next = steps.filter(function (s) { return action === "zoom-in" ? s > now + 0.001 : s < now - 0.001; })[0];
      if (next) this.zoom = next;
    } else if (action === "fit") this.zoom = "fit";
    else if (action === "rotate") { var key = this.rotationKey(); this.rotation[key] = ((this.rotation[key] || 0) + 90) % 360; }
    else if (action === "boxes") { this.showBoxes = !this.showBoxes; }
    this.render();
  };

  Viewer.prototype.showDocument = function (id) {
    if (!this.state[id]) return;
    this.current = String(id);
    this.render();
  };

  /** Show a check's evidence: its document, its page, the box highlighted and scrolled into view. */
  Viewer.prototype.reveal = function (boxId, documentId, page) {
    var box = document.getElementById(boxId);
    if (documentId && this.state[documentId]) {
      this.current = String(documentId);
      if (page !== undefined && page !== null && page !== "") this.state[this.current].page = String(page);
    }
    this.showBoxes = true;
    this.render();
    $$(this.root, ".vw-box--active").forEach(function (b) { b.classList.remove("vw-box--active"); });
    if (!box) return;
    void box.offsetWidth;  // restart the pulse when the same box is shown twice
    box.classList.add("vw-box--active");
    var scroller = box.closest("[data-vw-scroller]");
    if (scroller) {
      var sRect = scroller.getBoundingClientRect(), bRect = box.getBoundingClientRect();
      scroller.scrollTop += (bRect.top + bRect.height / 2) - (sRect.top + sRect.height / 2);
      scroller.scrollLeft += (bRect.left + bRect.width / 2) - (sRect.left + sRect.width / 2);
    }
    var viewer = this.root.getBoundingClientRect();
    if (viewer.top < 0 || viewer.top > window.innerHeight * 0.5) this.root.scrollIntoView({ block: "start", behavior: "smooth" });
    this.announce(box.getAttribute("title") || "");
  };

  Viewer.prototype.announce = function (text) {
    var region = $(this.root, "[data-vw-announce]");
    if (region) region.textContent = text || "";
  };

  Viewer.prototype.scale = function () {
    var figure = this.figure();
    if (!figure) return 1;
    if (this.zoom !== "fit") return this.zoom;
    var scroller = figure.closest("[data-vw-scroller]");
    var available = Math.max(120, (scroller ? scroller.clientWidth : 600) - 24);
    var w = num(figure.dataset.width, 1), h = num(figure.dataset.height, 1);
    var turned = (this.rotation[this.rotationKey()] || 0) % 180 !== 0;
    return available / (turned ? h : w);
  };

  Viewer.prototype.render = function () {
    var self = this;
    this.documents.forEach(function (doc) { doc.hidden = doc.dataset.vwDocument !== self.current; });
    this.tabs.forEach(function (tab) {
      var on = tab.dataset.vwTab === self.current;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
    });
    var doc = this.doc(), figure = this.figure();
    if (!doc) return;
    var pages = this.pages(doc);
    pages.forEach(function (f) { f.hidden = f !== figure; });
    this.root.classList.toggle("vw-viewer--no-boxes", !this.showBoxes);
    var boxesButton = this.toolbar && $(this.toolbar, "[data-vw-action=boxes]");
    if (boxesButton) boxesButton.setAttribute("aria-pressed", this.showBoxes ? "true" : "false");
    var disabled = !figure;
    $$(this.toolbar || this.root, "[data-vw-action]").forEach(function (b) { b.disabled = disabled; });
    if (!figure) { if (this.status) this.status.textContent = ""; if (this.zoomLabel) this.zoomLabel.textContent = ""; return; }
    var i = pages.indexOf(figure);
    $(this.toolbar, "[data-vw-action=prev]").disabled = i <= 0;
    $(this.toolbar, "[data-vw-action=next]").disabled = i >= pages.length - 1;

    var scale = this.scale(), rotation = this.rotation[this.rotationKey()] || 0;
    var w = num(figure.dataset.width, 1) * scale, h = num(figure.dataset.height, 1) * scale;
    var turned = rotation % 180 !== 0;
    var stage = $(figure, ".vw-stage"), sheet = $(figure, ".vw-sheet");
    stage.style.width = (turned ? h : w) + "px";
    stage.style.height = (turned ? w : h) + "px";
    sheet.style.width = w + "px";
    sheet.style.height = h + "px";
    sheet.style.transform = "translate(-50%, -50%) rotate(" + rotation + "deg)";
    sheet.dataset.rotation = String(rotation);

    if (this.status) {
      var template = this.root.dataset.pageOf || "{n} / {total}";
      this.status.textContent = template.replace("{n}", String(i + 1)).replace("{total}", String(pages.length));
    }
    if (this.zoomLabel) this.zoomLabel.textContent = Math.round(scale * 100) + "%";
    sharpen(figure, scale);
  };

  // -- the sharp page image past 100% ----------------------------------------------------------

  /** The resolution a page needs at ``scale`` (1 = the preview's own pixels): null for the preview itself. */
  function dpiFor(scale) {
    if (scale <= 1.001) return null;
    var wanted = PREVIEW_DPI * scale;
    return SHARP_DPIS.filter(function (dpi) { return dpi >= wanted; })[0] || SHARP_DPIS[SHARP_DPIS.length - 1];
  }

  function sharpen(figure, scale) {
    var img = $(figure, ".vw-sheet img"), dpi = dpiFor(scale);
    if (!img || !dpi || num(img.dataset.vwDpi, 0) >= dpi) return;
    if (!img.dataset.vwPreview) {
      img.dataset.vwPreview = img.getAttribute("src");
      img.addEventListener("error", function () {  // no sharper image to be had: keep the preview
        if (img.getAttribute("src") === img.dataset.vwPreview) return;
        img.dataset.vwDpi = "9999";
        img.src = img.dataset.vwPreview;
      });
    }
    var preview = img.dataset.vwPreview;
    img.dataset.vwDpi = String(dpi);
    img.loading = "eager";
    img.src = preview + (preview.indexOf("?") === -1 ? "?" : "&") + "dpi=" + dpi;
  }

  // -- the decision form: show the fields that go with the chosen decision ------------------------

  function bindDecisionForm(form) {
    var conditional = $$(form, "[data-vw-when]");
    function update() {
      conditional.forEach(function (element) {
        var rule = element.dataset.vwWhen.split("="), name = rule[0], values = (rule[1] || "").split(",");
        var checked = form.querySelector("input[name='" + name + "']:checked");
        element.hidden = !(checked && values.indexOf(checked.value) !== -1);
      });
    }
    form.addEventListener("change", update);
    update();
  }

  // -- a running pre-check: reload until it is done, unless the user is typing ---------------------

  function watchPrecheck(workspace) {
    if (!$(workspace, "[data-vw-running]")) return;
    var touched = false;
    workspace.addEventListener("input", function () { touched = true; });
    var timer = window.setTimeout(function () {
      if (touched || !document.body.contains(workspace)) return;
      if (window.Turbo && window.Turbo.visit) window.Turbo.visit(window.location.href, { action: "replace" });
      else window.location.reload();
    }, 10000);
    document.addEventListener("turbo:before-render", function () { window.clearTimeout(timer); }, { once: true });
  }

  // -- start -----------------------------------------------------------------------------------

  function init() {
    $$(document, "[data-vw-workspace]").forEach(function (workspace) {
      if (workspace.dataset.vwReady) return;
      workspace.dataset.vwReady = "1";
      var viewerRoot = $(workspace, "[data-vw-viewer]");
      var viewer = viewerRoot && $(viewerRoot, "[data-vw-document]") ? new Viewer(viewerRoot) : null;
      workspace.addEventListener("click", function (event) {
        var button = event.target.closest("[data-vw-show]");
        if (button && viewer) {
          event.preventDefault();
          viewer.reveal(button.dataset.vwShow, button.dataset.document, button.dataset.page);
        }
      });
      $$(workspace, "[data-vw-decision-form]").forEach(bindDecisionForm);
      watchPrecheck(workspace);
      document.addEventListener("turbo:before-render", function () {
        if (!viewer) return;
        window.removeEventListener("resize", viewer.onResize);
        if (viewer.observer) viewer.observer.disconnect();
      }, { once: true });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("turbo:load", init);
  document.addEventListener("turbo:render", init);

  window.verificationWorkspace = { placeOf: placeOf };  // for tests and the console
})();
