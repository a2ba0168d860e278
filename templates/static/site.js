// Small enhancements. Every page shows all its content without this script; it only adds a
// timeline filter, "copy" buttons for citations, zoom buttons for the argument map, and a
// marker on the note or map box that belongs to the passage or argument in the address bar.
(function () {
  "use strict";

  // Timeline: show only the events that involve one actor. The choice is kept in ?actor=.
  function setUpTimelineFilter() {
    var form = document.getElementById("timeline_filter");
    if (!form) return;
    var select = document.getElementById("timeline_filter_actor");
    var status = document.getElementById("timeline_filter_status");
    // Events, and their lines in the overview, name their actors in data-actors.
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-actors]"));
    var events = document.querySelectorAll(".event[data-actors]");
    var years = Array.prototype.slice.call(document.querySelectorAll("section.year"));

    function apply(actor, updateAddress) {
      items.forEach(function (item) {
        item.hidden = Boolean(actor) && item.getAttribute("data-actors").split(" ").indexOf(actor) < 0;
      });
      var shown = document.querySelectorAll(".event[data-actors]:not([hidden])").length;
      years.forEach(function (year) {
        year.hidden = !year.querySelector(".event:not([hidden])");
      });
      status.textContent = actor
        ? "Showing " + shown + " of " + events.length + " events."
        : "Showing all " + events.length + " events.";
      if (updateAddress && window.history.replaceState) {
        var url = new URL(window.location.href);
        if (actor) url.searchParams.set("actor", actor); else url.searchParams.delete("actor");
        window.history.replaceState(null, "", url.toString());
      }
    }

    var wanted = new URL(window.location.href).searchParams.get("actor") || "";
    if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    select.addEventListener("change", function () { apply(select.value, true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply(select.value, false);
  }

  // Source pages: a button beside each citation that copies it.
  function setUpCopyButtons() {
    if (!navigator.clipboard) return;
    document.querySelectorAll("details.cite-this").forEach(function (block) {
      var text = block.querySelector(".citation");
      if (!text) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      var label = block.closest(".note");
      button.setAttribute("aria-label", "Copy the citation" + (label ? " of " + label.getAttribute("aria-label").toLowerCase() : ""));
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(text.textContent.trim()).then(function () {
          button.textContent = "Copied";
          window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
        }, function () {
          button.textContent = "Select the text to copy";
        });
      });
      block.appendChild(button);
    });
  }

  // The id the address's fragment names. A fragment that is not valid percent-encoding
  // (#%E0%A4%A) is taken as written, as the browser itself does when it looks for its target.
  function fragmentId() {
    var raw = window.location.hash.slice(1);
    try {
      return decodeURIComponent(raw);
    } catch (error) {
      return raw;
    }
  }

  // Mark what the fragment points at: a passage's note, or an argument's box on the map.
  function markCurrent() {
    document.querySelectorAll(".is-current").forEach(function (el) { el.classList.remove("is-current"); });
    var id = fragmentId();
    if (!id) return;
    var note = document.getElementById("note_" + id);
    if (note) {
      note.classList.add("is-current");
      // A passage split into several <mark>s (around another passage) is marked whole.
      document.querySelectorAll('mark.hl[data-ann="' + CSS.escape(id) + '"]').forEach(function (mark) {
        mark.classList.add("is-current");
      });
    }
    document.querySelectorAll('.argmap .node[data-arg="' + CSS.escape(id) + '"]').forEach(function (node) {
      node.classList.add("is-current");
      // The browser brings the box just into view, at an edge of the map's frame: centre it
      // (once the page has loaded, after the browser's own scroll to the fragment).
      var centre = function () { node.scrollIntoView({block: "center", inline: "center"}); };
      if (document.readyState === "complete") centre();
      else window.addEventListener("load", centre, {once: true});
    });
  }

  // Arguments: buttons that zoom the map inside its frame (the frame scrolls without them).
  function setUpMapZoom() {
    var frame = document.getElementById("argmap_frame");
    var svg = frame && frame.querySelector("svg.argmap");
    if (!svg) return;
    var width = Number(svg.getAttribute("width"));
    var height = Number(svg.getAttribute("height"));
    var scale = 1;
    function fit() {
      return Math.min(1, (frame.clientWidth - 8) / width, (frame.clientHeight - 8) / height);
    }
    function zoom(to) {
      scale = Math.max(fit(), Math.min(2, to));
      svg.setAttribute("width", Math.round(width * scale));
      svg.setAttribute("height", Math.round(height * scale));
    }
    var bar = document.createElement("div");
    bar.className = "argmap-zoom";
    [["\u2212", "Zoom out", function () { zoom(scale / 1.25); }], ["+", "Zoom in", function () { zoom(scale * 1.25); }],
     ["Whole map", "", function () { zoom(fit()); }], ["Actual size", "", function () { zoom(1); }]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = b[0];
      if (b[1]) {
        button.setAttribute("aria-label", b[1]);
        button.title = b[1];
      }
      button.setAttribute("aria-controls", "argmap_frame");
      button.addEventListener("click", b[2]);
      bar.appendChild(button);
    });
    frame.parentNode.insertBefore(bar, frame);
    // A map bigger than its frame opens on the first box (a conclusion, on the right) rather
    // than on an empty corner, unless the address names a box to show.
    var first = svg.querySelector(".node .box");
    if (first && !window.location.hash) {
      var y = Number(first.getAttribute("y"));
      frame.scrollLeft = Number(first.getAttribute("x")) + Number(first.getAttribute("width")) - frame.clientWidth + 12;
      if (y + Number(first.getAttribute("height")) > frame.clientHeight) frame.scrollTop = y - 8;
    }
  }

  function start() {
    setUpTimelineFilter();
    setUpMapZoom();
    setUpCopyButtons();
    markCurrent();
    window.addEventListener("hashchange", markCurrent);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
