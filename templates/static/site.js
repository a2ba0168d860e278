// Small enhancements. Every page shows all its content without this script; it only adds a
// timeline filter, "copy" buttons for citations, the button that hides a source page's notes,
// zoom buttons for the argument map, a marker on the note or map box that belongs to the passage
// or argument in the address bar, and a preview of a passage beside each link to its page.
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

  // Source and passage pages: a button beside each citation that copies it.
  function setUpCopyButtons() {
    if (!navigator.clipboard) return;
    document.querySelectorAll(".cite-this").forEach(function (block) {
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

  // Source pages: a button that hides the notes, so that the article reads straight through.
  // The choice is kept (the page's head applies it before the page is drawn).
  var NOTES_KEY = "notes";

  function setNotesHidden(hidden) {
    document.documentElement.classList.toggle("notes-hidden", hidden);
    var button = document.querySelector(".notes-toggle");
    if (button) button.setAttribute("aria-pressed", hidden ? "true" : "false");
  }

  function setUpNotesToggle() {
    var control = document.querySelector(".notes-control");
    if (!control) return;
    control.querySelector(".notes-toggle").addEventListener("click", function () {
      var hidden = !document.documentElement.classList.contains("notes-hidden");
      setNotesHidden(hidden);
      try {
        if (hidden) window.localStorage.setItem(NOTES_KEY, "hidden");
        else window.localStorage.removeItem(NOTES_KEY);
      } catch (error) { /* storage refused: the choice lasts for this page only */ }
    });
    setNotesHidden(document.documentElement.classList.contains("notes-hidden"));
    control.hidden = false;
    // On paper a note cannot be opened: print them all open.
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll(".note > details").forEach(function (note) { note.open = true; });
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
    // A passage's id names it in the text; "note_" and its id name its note.
    var toNote = id.indexOf("note_") === 0 && document.getElementById(id);
    var note = toNote || document.getElementById("note_" + id);
    if (note && note.classList.contains("note")) {
      note.classList.add("is-current");
      var body = note.querySelector(":scope > details");
      if (body) body.open = true;
      // A link to a note shows the notes if the reader had hidden them.
      if (toNote && document.documentElement.classList.contains("notes-hidden")) {
        setNotesHidden(false);
        note.scrollIntoView();
      }
      // A passage split into several <mark>s (around another passage) is marked whole.
      var ann = note.id.slice("note_".length);
      document.querySelectorAll('mark.hl[data-ann="' + CSS.escape(ann) + '"]').forEach(function (mark) {
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

  // Links to a passage's own page (/sources/<source>/<passage>/) preview the passage: on hover,
  // on keyboard focus, and on a first tap (a second tap, or the link in the preview, opens the
  // page). The preview is the part of that page marked data-preview, fetched once a passage.
  // It is a tooltip the link names in aria-describedby while it shows; Escape closes it.
  function setUpPassagePreviews() {
    if (!window.fetch || !window.DOMParser) return;
    var PASSAGE_PAGE = /\/sources\/[^\/]+\/[^\/]+\/$/;
    var tip = document.createElement("div");
    tip.id = "passage_preview";
    tip.className = "passage-preview";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    // In <main>, so that what it shows is inside a landmark like the rest of the page's content.
    (document.querySelector("main") || document.body).appendChild(tip);
    var loaded = {};
    var current = null; // the link the preview belongs to
    var tapped = null; // the link a first tap previewed: a second tap on it follows it
    var pointerAt = 0; // when a touch or pen last went down: the focus that follows is the tap's
    var hideTimer = 0;

    function passageLink(target) {
      var link = target && target.closest ? target.closest("a[href]") : null;
      // A source page's note links to its passage's page: the passage is beside it already.
      if (!link || tip.contains(link) || link.closest(".note-actions")) return null;
      var url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || !PASSAGE_PAGE.test(url.pathname)) return null;
      return url.pathname === window.location.pathname ? null : link;
    }

    function load(href) {
      if (!loaded[href]) {
        loaded[href] = window.fetch(href).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        }).then(function (html) {
          var part = new DOMParser().parseFromString(html, "text/html").querySelector("[data-preview]");
          if (!part) throw new Error("no preview");
          return part;
        });
        loaded[href].catch(function () { delete loaded[href]; });
      }
      return loaded[href];
    }

    function place(link) {
      var box = link.getBoundingClientRect();
      var room = document.documentElement.clientWidth;
      var left = Math.max(8, Math.min(box.left, room - tip.offsetWidth - 8));
      var top = box.bottom + 6;
      if (top + tip.offsetHeight > window.innerHeight && box.top - tip.offsetHeight - 6 > 0) {
        top = box.top - tip.offsetHeight - 6;
      }
      // Absolute positions count from the positioned ancestor, if any, else from the document.
      var parent = tip.offsetParent;
      var origin = parent && parent !== document.body ? parent.getBoundingClientRect()
        : { left: -window.scrollX, top: -window.scrollY };
      tip.style.left = left - origin.left + "px";
      tip.style.top = top - origin.top + "px";
    }

    function show(link, byTap) {
      window.clearTimeout(hideTimer);
      if (current === link) return;
      hide();
      current = link;
      load(link.href).then(function (part) {
        if (current !== link) return;
        tip.replaceChildren(document.importNode(part, true));
        var open = document.createElement("a");
        open.href = link.href;
        open.className = "passage-preview-open";
        open.textContent = "Open the passage’s page";
        tip.appendChild(open);
        tip.hidden = false;
        link.setAttribute("aria-describedby", tip.id);
        place(link);
      }, function () {
        if (current === link) current = null;
        if (byTap) window.location.href = link.href; // no preview to show: the tap opens the page
      });
    }

    function hide() {
      window.clearTimeout(hideTimer);
      if (current) current.removeAttribute("aria-describedby");
      current = null;
      tapped = null;
      tip.hidden = true;
    }

    function hideSoon() {
      window.clearTimeout(hideTimer);
      hideTimer = window.setTimeout(hide, 300);
    }

    document.addEventListener("pointerover", function (event) {
      if (event.pointerType !== "mouse") return;
      var link = passageLink(event.target);
      if (link) show(link, false);
      else if (tip.contains(event.target)) window.clearTimeout(hideTimer);
    });
    document.addEventListener("pointerout", function (event) {
      if (event.pointerType !== "mouse" || !current) return;
      var to = event.relatedTarget;
      if (to && (tip.contains(to) || current.contains(to))) return;
      if (tip.contains(event.target) || current.contains(event.target)) hideSoon();
    });
    document.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "mouse") pointerAt = Date.now();
    });
    document.addEventListener("focusin", function (event) {
      if (tip.contains(event.target)) return window.clearTimeout(hideTimer);
      var link = passageLink(event.target);
      if (link && Date.now() - pointerAt > 1000) show(link, false);
      else if (!link && current) hide();
    });
    document.addEventListener("focusout", function (event) {
      if (current && event.target === current && !(event.relatedTarget && tip.contains(event.relatedTarget))) hideSoon();
    });
    document.addEventListener("click", function (event) {
      var link = passageLink(event.target);
      if (!link) {
        if (current && !tip.contains(event.target)) hide();
        return;
      }
      if (Date.now() - pointerAt > 1000 || tapped === link) return; // a mouse, a key, or a second tap
      event.preventDefault();
      show(link, true);
      tapped = link;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && current) hide();
    });
    window.addEventListener("resize", function () { if (current) hide(); });
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

  // The event (timeline) or the actor's motive (actor page) the address names opens its
  // folded description and passages.
  function openEventInAddress() {
    var id = fragmentId();
    var item = id && document.getElementById(id);
    var more = item && (item.classList.contains("event") ? item.querySelector("details.event-more")
                                                         : item.querySelector(":scope > details.more-passages"));
    if (more) more.open = true;
  }

  function start() {
    setUpTimelineFilter();
    openEventInAddress();
    window.addEventListener("hashchange", openEventInAddress);
    setUpPassagePreviews();
    setUpMapZoom();
    setUpCopyButtons();
    setUpNotesToggle();
    markCurrent();
    window.addEventListener("hashchange", markCurrent);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
