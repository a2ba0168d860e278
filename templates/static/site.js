// Small enhancements. Every page shows all its content without this script; it only adds a
// timeline filter, "copy" buttons for citations, the button that hides a source page's notes,
// and a marker on the note or map box that belongs to the passage or argument in the address bar.
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
      document.querySelectorAll("details.note-body").forEach(function (note) { note.open = true; });
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
      var body = note.querySelector("details.note-body");
      if (body) body.open = true;
      // A link to a note shows the notes if the reader had hidden them.
      if (toNote && document.documentElement.classList.contains("notes-hidden")) {
        setNotesHidden(false);
        note.scrollIntoView();
      }
      // A passage split into several <mark>s (around another passage) is marked whole.
      var ann = note.getAttribute("data-ann");
      document.querySelectorAll('mark.hl[data-ann="' + CSS.escape(ann) + '"]').forEach(function (mark) {
        mark.classList.add("is-current");
      });
    }
    document.querySelectorAll('.argmap .node[data-arg="' + CSS.escape(id) + '"]').forEach(function (node) {
      node.classList.add("is-current");
    });
  }

  function start() {
    setUpTimelineFilter();
    setUpCopyButtons();
    setUpNotesToggle();
    markCurrent();
    window.addEventListener("hashchange", markCurrent);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
