/* The editor's workbench (serve only: serve links this into the pages it serves, `build` never
   does). On a source page: select a passage of the article, and a form beside it writes a new
   annotation; each note shows its ref, with buttons to copy it and to edit the note's tags and
   commentary. serve writes the file and rebuilds; the page then reloads by itself, at the passage. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="sitegen-token"]');
  var article = document.querySelector(".source-text");
  if (!meta || !article || !window.fetch) { return; }
  var token = meta.getAttribute("content");
  var API = "/_sitegen/";
  var SAVED = "sitegen_workbench_saved";
  var model = null;
  var source = null;
  var form = null;

  function call(method, path, body, etag) {
    var headers = {"X-Sitegen-Token": token};
    if (body) { headers["Content-Type"] = "application/json"; }
    if (etag) { headers["If-Match"] = etag; }
    return fetch(API + path, {method: method, headers: headers, body: body ? JSON.stringify(body) : undefined,
                              credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        return response.json().then(function (data) {
          return {status: response.status, data: data, etag: response.headers.get("ETag")};
        });
      });
  }

  function make(tag, attributes, text) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    if (text) { element.textContent = text; }
    return element;
  }

  // -- the text of a selection, as the source has it ----------------------------------

  function textOf(range) {
    var fragment = range.cloneContents();
    fragment.querySelectorAll(".hl-num, .visually-hidden, .block-notes, .wb-form").forEach(function (el) { el.remove(); });
    fragment.querySelectorAll("p, li, h2, h3, h4, h5, h6, blockquote, pre, tr").forEach(function (el) {
      el.appendChild(document.createTextNode("\n\n"));
    });
    return fragment.textContent;
  }

  function selected() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return null; }
    var range = selection.getRangeAt(0);
    var start = range.startContainer.parentElement || range.startContainer;
    var end = range.endContainer.parentElement || range.endContainer;
    var block = start.closest && start.closest(".block-text");
    if (!block || !article.contains(block) || !(end.closest && end.closest(".block-text"))) { return null; }
    var quote = textOf(range).trim();
    if (!quote) { return null; }
    var before = document.createRange();
    before.setStart(article, 0);
    before.setEnd(range.startContainer, range.startOffset);
    return {quote: quote, before: textOf(before).slice(-200), block: block.closest(".block") || block};
  }

  // -- the form ------------------------------------------------------------------------

  var counter = 0;

  function field(label, control, help) {
    var wrap = make("div", {"class": "wb-field"});
    var id = "wb_" + (++counter);
    control.id = id;
    wrap.appendChild(make("label", {"for": id}, label));
    if (help) {
      var note = make("span", {"class": "wb-help", id: id + "_help"}, help);
      control.setAttribute("aria-describedby", note.id);
      wrap.appendChild(note);
    }
    wrap.appendChild(control);
    return wrap;
  }

  function actorList() {
    var list = document.getElementById("wb_actors");
    if (!list) {
      list = make("datalist", {id: "wb_actors"});
      model.actors.forEach(function (actor) { list.appendChild(make("option", {value: actor.id}, actor.name)); });
      document.body.appendChild(list);
    }
    return list.id;
  }

  function picker(legend, items, chosen) {
    // A list of checkboxes, filtered by what is typed in the box above it.
    var set = make("fieldset", {"class": "wb-picker"});
    set.appendChild(make("legend", {}, legend));
    var filter = make("input", {type: "search", "class": "wb-filter", autocomplete: "off", "aria-label": "Filter the " + legend.toLowerCase()});
    filter.placeholder = "Type to filter";
    set.appendChild(filter);
    var list = make("ul", {"class": "wb-options"});
    items.forEach(function (item) {
      var row = make("li");
      var id = "wb_" + (++counter);
      var box = make("input", {type: "checkbox", id: id, value: item.id});
      box.checked = chosen.indexOf(item.id) >= 0;
      var label = make("label", {"for": id}, item.label + " ");
      label.appendChild(make("span", {"class": "wb-id"}, item.id + (item.group ? " · " + item.group : "")));
      row.appendChild(box);
      row.appendChild(label);
      list.appendChild(row);
    });
    var none = make("li", {"class": "wb-none", hidden: ""}, "None matches; clear the filter to see them all.");
    list.appendChild(none);
    filter.addEventListener("input", function () {
      // What is typed keeps the rows that have every word; rows ticked stay in sight.
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      list.querySelectorAll("li:not(.wb-none)").forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !row.querySelector("input").checked && !words.every(function (word) { return text.indexOf(word) >= 0; });
        shown += row.hidden ? 0 : 1;
      });
      none.hidden = shown > 0;
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // typing filters; Enter does not save
    });
    set.values = function () {
      return Array.prototype.filter.call(list.querySelectorAll("input"), function (box) { return box.checked; })
        .map(function (box) { return box.value; });
    };
    set.appendChild(list);
    return set;
  }

  var opener = null;

  function close() {
    if (form) { form.remove(); form = null; }
    if (opener && opener.isConnected) { opener.focus(); }
    opener = null;
  }

  function openForm(place, title, values, quote, save) {
    close();
    opener = document.activeElement;
    form = make("form", {"class": "wb-form", "aria-label": title});
    form.appendChild(make("h2", {"class": "wb-title"}, title));
    if (quote) { form.appendChild(make("blockquote", {"class": "wb-quote"}, quote)); }
    var actor = make("input", {type: "text", list: actorList(), autocomplete: "off", required: ""});
    actor.value = values.actor || "";
    form.appendChild(field("Actor", actor, "who holds the motive; type to choose from the list"));
    var motives = picker("Motives", model.motives.map(function (m) { return {id: m.id, label: m.label, group: m.group}; }), values.motives || []);
    form.appendChild(motives);
    var involves = picker("Involved actors", model.actors.map(function (a) { return {id: a.id, label: a.name}; }), values.involves || []);
    form.appendChild(involves);
    var stance = make("select");
    model.stances.forEach(function (s) {
      var option = make("option", {value: s.id}, s.id + " (" + s.label + ")");
      option.selected = (values.stance || "asserts") === s.id;
      stance.appendChild(option);
    });
    form.appendChild(field("Stance", stance, "how the source holds it"));
    var speaker = make("input", {type: "text", list: actorList(), autocomplete: "off"});
    speaker.value = values.speaker || "";
    form.appendChild(field("Speaker", speaker, "with 'reports': the actor whose words the source relays"));
    var commentary = make("textarea", {rows: "5"});
    commentary.value = values.commentary || "";
    form.appendChild(field("Commentary", commentary, "markdown; [[kind/id]] links to an item"));
    var errors = make("div", {"class": "wb-errors", role: "alert"});
    form.appendChild(errors);
    var status = make("p", {"class": "wb-status", role: "status"});
    var buttons = make("p", {"class": "wb-buttons"});
    var saveButton = make("button", {type: "submit"}, "Save");
    var cancel = make("button", {type: "button"}, "Cancel");
    buttons.appendChild(saveButton);
    buttons.appendChild(cancel);
    form.appendChild(buttons);
    form.appendChild(status);
    cancel.addEventListener("click", close);
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      errors.textContent = "";
      status.textContent = "Saving…";
      saveButton.disabled = true;
      save({actor: actor.value.trim(), motives: motives.values(), involves: involves.values(), stance: stance.value,
            speaker: speaker.value.trim(), commentary: commentary.value}).then(function (reply) {
        saveButton.disabled = false;
        if (reply.status === 200 || reply.status === 201) {
          status.textContent = "Saved to " + reply.data.path + "; the page reloads once the site is rebuilt.";
          try { sessionStorage.setItem(SAVED, reply.data.id); } catch (e) {}
          return;
        }
        status.textContent = "";
        var lines = reply.data.errors || [reply.data.error || "the server answered " + reply.status];
        errors.appendChild(make("p", {}, reply.status === 422 ? "Not saved: the content would have these errors." : "Not saved."));
        errors.appendChild(make("pre", {}, lines.join("\n")));
      }, function () {
        saveButton.disabled = false;
        status.textContent = "";
        errors.appendChild(make("p", {}, "Not saved: serve did not answer. Is it still running?"));
      });
    });
    place(form);
    actor.focus();
  }

  // -- new passages ---------------------------------------------------------------------

  var offer = make("button", {type: "button", "class": "wb-offer"}, "Annotate the selected passage");
  var chosen = null;

  function onSelection() {
    var found = selected();
    if (!found) {
      if (!(form && form.contains(document.activeElement)) && document.activeElement !== offer) { offer.remove(); }
      return;
    }
    if (!found.block.classList.contains("block")) {
      // A paragraph without notes stands alone: make it a row, as one with notes is, so the
      // button and the form go beside it (below it on a narrow screen), not into its text.
      var selection = window.getSelection();
      var ends = [selection.anchorNode, selection.anchorOffset, selection.focusNode, selection.focusOffset];
      var row = make("div", {"class": "block"});
      found.block.before(row);
      row.appendChild(found.block);
      selection.setBaseAndExtent.apply(selection, ends);  // moving the paragraph dropped the selection
      found.block = row;
    }
    chosen = found;
    var notes = found.block.querySelector(".block-notes");
    if (!notes) {
      notes = make("div", {"class": "block-notes"});
      found.block.appendChild(notes);
    }
    notes.insertBefore(offer, notes.firstChild);
  }

  offer.addEventListener("click", function () {
    var taken = chosen;
    if (!taken) { return; }
    offer.remove();
    openForm(function (element) {
      var notes = taken.block.querySelector(".block-notes");
      notes.insertBefore(element, notes.firstChild);
    }, "Annotate this passage", {}, taken.quote, function (values) {
      values.source = source;
      values.quote = taken.quote;
      values.before = taken.before;
      return call("POST", "annotations", values);
    });
  });

  // -- existing notes -------------------------------------------------------------------

  function copy(text, button) {
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy ref"; }, 1500);
    };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text).then(done, function () { button.textContent = "Select the ref to copy"; });
    }
  }

  function equipNote(note) {
    var id = note.id.slice("note_".length);
    var ref = source + "/" + id;
    var line = make("p", {"class": "wb-ref"});
    line.appendChild(make("code", {}, ref));
    var copyButton = make("button", {type: "button", "class": "copy-button", "aria-label": "Copy ref " + ref}, "Copy ref");
    copyButton.addEventListener("click", function () { copy(ref, copyButton); });
    var edit = make("button", {type: "button", "class": "copy-button", "aria-label": "Edit note " + ref}, "Edit");
    edit.addEventListener("click", function () {
      call("GET", "annotations/" + ref).then(function (reply) {
        if (reply.status !== 200) { return; }
        openForm(function (element) { note.appendChild(element); }, "Edit note " + ref, reply.data, null, function (values) {
          return call("PUT", "annotations/" + ref, values, reply.etag);
        });
      });
    });
    line.appendChild(copyButton);
    line.appendChild(edit);
    note.appendChild(line);
  }

  // -- start ----------------------------------------------------------------------------

  function showSaved() {
    // Kept until the page shows the passage: a reload for another rebuild may come first.
    var id = null;
    try { id = sessionStorage.getItem(SAVED); } catch (e) {}
    var mark = id && document.getElementById(id);
    if (mark) {
      sessionStorage.removeItem(SAVED);
      location.hash = id;  // the passage is highlighted as the target, and scrolled to
      var note = document.getElementById("note_" + id);
      if (note) { note.classList.add("wb-saved"); }
    }
  }

  call("GET", "model").then(function (reply) {
    if (reply.status !== 200) { return; }
    model = reply.data;
    Object.keys(model.sources).forEach(function (id) {
      if (model.sources[id] === location.pathname) { source = id; }
    });
    if (!source) { return; }
    document.documentElement.classList.add("wb-on");
    article.querySelectorAll("aside.note").forEach(equipNote);
    document.addEventListener("selectionchange", function () {
      clearTimeout(onSelection.timer);
      onSelection.timer = setTimeout(onSelection, 150);
    });
    showSaved();
  });
})();
