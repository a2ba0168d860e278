// Site search: enhances the plain GET form on /search/ with Pagefind's JavaScript API.
//
// The build sets the bundle path (data-bundle) and the site's base URL (data-base) from
// url_for, so search works at the root and under a sub-path such as /repo/. Nothing is
// fetched from anywhere but the site itself. Results are built as DOM nodes; the only
// markup taken from the index is Pagefind's <mark> highlighting, rebuilt element by element.

const form = document.getElementById("search_form");
const input = document.getElementById("search_query");
const statusLine = document.getElementById("search_status");
const resultList = document.getElementById("search_results");
const filterBox = document.getElementById("search_filters");

const BUNDLE = form.dataset.bundle;
const BASE = form.dataset.base;
const FILTER_GROUPS = [["actor", "Actor"], ["motive", "Motive"], ["source", "Source"]];
const KINDS = {
  actors: "Actor", motives: "Motive", sources: "Source", timeline: "Timeline",
  arguments: "Arguments", about: "About",
};
const PAGE_SIZE = 10;
const SECTION_ELEMENTS = /^(h[1-6]|mark|article|li|section|aside)$/;
// Scripts written without spaces between words (Chinese, Japanese, Korean): the source pages
// give the index their text with each character spaced apart (sitegen/languages.py), so a
// query is spaced the same way, and an excerpt's characters are joined again.
const UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af";
const UNSPACED_CHARACTER = new RegExp(`([${UNSPACED}])`, "gu");
const JOINS_UNSPACED = new RegExp(`[${UNSPACED}\u3000-\u303f\uff00-\uffef“”‘’]`, "u");

function spacedOut(query) {
  return query.replace(UNSPACED_CHARACTER, " $1 ").split(/\s+/).filter(Boolean).join(" ");
}

// Pagefind finds the pages holding any of a query's characters; keep those holding each run of
// them as written, as a search for words finds the words.
async function holdingRuns(results, query) {
  const runs = query.match(new RegExp(`[${UNSPACED}]+`, "gu"));
  if (!runs) return results;
  const squeeze = new RegExp(`([${UNSPACED}])\\s+(?=[${UNSPACED}])`, "gu");
  const contents = await Promise.all(results.map(async (result) => (await result.data()).content.replace(squeeze, "$1")));
  return results.filter((_, i) => runs.every((run) => contents[i].includes(run)));
}

function joined(before, after) {
  return JOINS_UNSPACED.test(before.slice(-1)) && JOINS_UNSPACED.test(after.charAt(0));
}

let pagefind = null;
let allFilters = {};
let generation = 0;
let pending = [];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function shorten(text, limit = 80) {
  const words = text.split(/\s+/).filter(Boolean);
  let out = "";
  for (const word of words) {
    if ((out + " " + word).trim().length > limit) return (out || word.slice(0, limit)).replace(/[,;:–—-]+$/, "") + "…";
    out = (out + " " + word).trim();
  }
  return out;
}

// A passage in quotation marks: its own double quotes become single, as on the site's pages.
export function quoted(text, limit) {
  const nested = shorten(text, limit).replace(/“/g, "‘").replace(/”/g, "’")
    .replace(/(^|[\s([{‘—–/-])"/g, "$1‘").replace(/"/g, "’");
  return `“${nested}”`;
}

// Pagefind's excerpts carry <mark> around the matched words; keep those and text, nothing else.
function highlighted(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  const walk = (node, into) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) into.append(child.textContent);
      else if (child.nodeName === "MARK") { const m = el("mark"); walk(child, m); into.append(m); }
      else walk(child, into);
    }
  };
  walk(template.content, out);
  return out;
}

function kindOf(url) {
  const path = url.startsWith(BASE) ? url.slice(BASE.length) : url.replace(/^\//, "");
  const first = path.split(/[/#?]/)[0];
  return first === "" ? "Home" : KINDS[first] || "Page";
}

// The parts of a page that match: passages (their <mark id>, and the note after them),
// headings, arguments and events. Pagefind lists every element with an id and where it
// starts in the page's words; the words between one and the next belong to it.
function sections(data) {
  const words = data.content.split(/\s+/);
  const anchors = (data.anchors || [])
    .filter((a) => a.id && SECTION_ELEMENTS.test(a.element))
    .sort((a, b) => a.location - b.location);
  const passages = new Map(anchors.filter((a) => a.element === "mark").map((a) => [a.id, a]));
  const hits = [...new Set(data.locations)].sort((a, b) => a - b);
  const byTarget = new Map();
  anchors.forEach((anchor, i) => {
    const end = i + 1 < anchors.length ? anchors[i + 1].location : words.length;
    const inside = hits.filter((h) => h >= anchor.location && h < end);
    if (!inside.length) return;
    // A passage's note (aside id="note_<annotation>") counts for the passage itself.
    const target = anchor.id.startsWith("note_") && passages.has(anchor.id.slice(5)) ? anchor.id.slice(5) : anchor.id;
    const known = byTarget.get(target);
    if (known) { known.hits.push(...inside); return; }
    const passage = passages.get(target);
    let title;
    if (passage) title = `Passage: ${quoted(passage.text, 70)}`;
    else if (/^h[1-6]$/.test(anchor.element)) title = anchor.text;
    else title = shorten(anchor.text, 80);
    byTarget.set(target, { target, title, hits: inside, start: anchor.location, end, passage: Boolean(passage) });
  });
  const found = [...byTarget.values()];
  found.sort((a, b) => b.passage - a.passage || b.hits.length - a.hits.length || a.start - b.start);
  return found.slice(0, 3).map((s) => ({ ...s, excerpt: excerpt(words, s) }));
}

function excerpt(words, section) {
  const first = section.hits[0];
  const from = Math.max(section.start, first - 10);
  const to = Math.min(section.end, from + 28);
  const hits = new Set(section.hits);
  const out = document.createDocumentFragment();
  if (from > section.start) out.append("… ");
  for (let i = from; i < to; i++) {
    if (i > from && !joined(words[i - 1], words[i])) out.append(" ");
    if (!hits.has(i)) { out.append(words[i]); continue; }
    // Highlight the word, not the punctuation around it.
    const [, before, word, after] = words[i].match(/^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u);
    out.append(before, el("mark", {}, word || words[i]), after);
  }
  if (to < section.end) out.append(" …");
  return out;
}

function resultItem(data) {
  const url = data.url.split("#")[0];
  const title = (data.meta && data.meta.title) || url;
  const item = el("li", { class: "search-result" },
    el("p", { class: "search-result-kind" }, kindOf(url)),
    el("h2", { class: "search-result-title" }, el("a", { href: url }, title)));
  const parts = sections(data);
  if (!parts.length) {
    item.append(el("p", { class: "search-result-excerpt" }, highlighted(data.excerpt)));
    return item;
  }
  const subList = el("ul", { class: "search-subresults" });
  for (const part of parts) {
    subList.append(el("li", { class: part.passage ? "search-subresult is-passage" : "search-subresult" },
      el("a", { href: `${url}#${part.target}` }, part.title),
      el("p", { class: "search-result-excerpt" }, part.excerpt)));
  }
  item.append(subList);
  return item;
}

// A query that names an actor ("Russia", "ISKP"), a motive, or a source's author ("Khan") or
// outlet ("Firstpost") puts that page first. Pagefind ranks by how often a word occurs, and
// the names occur far more often on the pages that discuss them than on their own page.
function nameWords(text) {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
}

// The name itself, the name without its bracketed part, and (with `aliases`) each comma-separated
// part of the brackets ("ISKP", "NATO"); with `bySurname`, also the name's last words ("Khan").
export function namesMatch(name, query, { bySurname = false, aliases = false } = {}) {
  const asked = nameWords(query);
  if (!asked.length) return false;
  const same = (a, b) => a.length === b.length && a.every((word, i) => word === b[i]);
  const forms = [nameWords(name), nameWords(name.replace(/\([^)]*\)/g, " "))];
  if (aliases) {
    for (const inner of name.matchAll(/\(([^)]*)\)/g)) forms.push(...inner[1].split(",").map(nameWords));
  }
  return forms.some((form) => same(form, asked) || (bySurname && form.length > asked.length && same(form.slice(-asked.length), asked)));
}

const NAMED = [
  ["actor", { kind: { any: ["actor"] } }, { aliases: true }],
  ["motive", { kind: { any: ["motive"] } }, {}],
  ["author", {}, { bySurname: true }],
  ["outlet", {}, { aliases: true }],
];

async function pagesNamed(query, filters) {
  const ids = [];
  for (const [key, only, how] of NAMED) {
    const values = Object.keys(allFilters[key] || {}).filter((name) => namesMatch(name, query, how));
    if (!values.length) continue;
    const named = await pagefind.search(null, { filters: { ...filters, ...only, [key]: { any: values } } });
    for (const result of named ? named.results : []) if (!ids.includes(result.id)) ids.push(result.id);
  }
  return ids;
}

function selectedFilters() {
  const filters = {};
  for (const [key] of FILTER_GROUPS) {
    const values = [...form.querySelectorAll(`input[name="${key}"]:checked`)].map((box) => box.value);
    if (values.length) filters[key] = { any: values };
  }
  return filters;
}

function rememberInUrl(query, filters) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [key, value] of Object.entries(filters)) for (const v of value.any) params.append(key, v);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

function describe(count, query, filters) {
  const what = query ? `“${query}”` : "the chosen filters";
  const filtered = Object.keys(filters).length && query ? " with the chosen filters" : "";
  if (!count) return `No pages match ${what}${filtered}.`;
  return `${count} page${count === 1 ? "" : "s"} match${count === 1 ? "es" : ""} ${what}${filtered}.`;
}

function updateCounts(counts) {
  for (const box of filterBox.querySelectorAll("input[type=checkbox]")) {
    const count = counts && counts[box.name] ? counts[box.name][box.value] || 0 : null;
    const badge = box.parentElement.querySelector(".search-filter-count");
    if (badge && count !== null) badge.textContent = `(${count})`;
  }
}

async function showMore() {
  const mine = generation;
  const next = pending.splice(0, PAGE_SIZE);
  const datas = await Promise.all(next.map((r) => r.data()));
  if (mine !== generation) return;
  resultList.append(...datas.map(resultItem));
  const more = document.getElementById("search_more");
  if (more) more.remove();
  if (pending.length) {
    const button = el("button", { type: "button", id: "search_more", class: "search-more" }, `Show more results (${pending.length} left)`);
    button.addEventListener("click", showMore);
    resultList.after(button);
  }
}

async function run() {
  const mine = ++generation;
  const query = input.value.trim();
  const filters = selectedFilters();
  rememberInUrl(query, filters);
  showChosenCount();
  const more = document.getElementById("search_more");
  if (more) more.remove();
  if (!query && !Object.keys(filters).length) {
    resultList.replaceChildren();
    statusLine.textContent = "";
    updateCounts(null);
    return;
  }
  const search = await pagefind.search(query ? spacedOut(query) : null, { filters });
  const named = query ? await pagesNamed(query, filters) : [];
  if (mine !== generation || !search) return;
  const results = query ? await holdingRuns(search.results, query) : search.results;
  if (mine !== generation) return;
  updateCounts(search.filters);
  resultList.replaceChildren();
  const found = new Map(results.map((result) => [result.id, result]));
  const first = named.filter((id) => found.has(id));
  pending = [...first.map((id) => found.get(id)), ...results.filter((result) => !first.includes(result.id))];
  statusLine.textContent = describe(results.length, query, filters);
  await showMore();
}

function buildFilters(available, chosen) {
  const groups = [];
  for (const [key, label] of FILTER_GROUPS) {
    const values = Object.keys(available[key] || {}).sort((a, b) => a.localeCompare(b));
    if (!values.length) continue;
    const fieldset = el("fieldset", { class: "search-filter-group" }, el("legend", {}, label));
    values.forEach((value, i) => {
      const id = `search_filter_${key}_${i}`;
      const box = el("input", { type: "checkbox", name: key, value, id });
      box.checked = chosen.getAll(key).includes(value);
      box.addEventListener("change", run);
      fieldset.append(el("div", { class: "search-filter" }, box,
        el("label", { for: id }, value, " ", el("span", { class: "search-filter-count" }, `(${available[key][value]})`))));
    });
    groups.push(fieldset);
  }
  if (!groups.length) return;
  const summary = el("summary", {}, "Filter by actor, motive or source", " ", el("span", { id: "search_filter_count" }));
  const panel = el("details", { class: "search-filter-panel" }, summary, el("div", { class: "search-filter-groups" }, ...groups));
  panel.open = FILTER_GROUPS.some(([key]) => chosen.getAll(key).length);
  filterBox.replaceChildren(panel);
  filterBox.hidden = false;
  showChosenCount();
}

function showChosenCount() {
  const count = filterBox.querySelectorAll("input[type=checkbox]:checked").length;
  const badge = document.getElementById("search_filter_count");
  if (badge) badge.textContent = count ? `(${count} chosen)` : "";
}

async function main() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  try {
    pagefind = await import(`${BUNDLE}pagefind.js`);
    // pageLength 0.3 (Pagefind's default is 0.75): short pages that only mention a term, such
    // as a motive page listing an argument, should not outrank the argument or the passage.
    await pagefind.options({ basePath: BUNDLE, baseUrl: BASE, excerptLength: 24, ranking: { pageLength: 0.3 } });
    await pagefind.init();
    allFilters = await pagefind.filters();
    buildFilters(allFilters, params);
  } catch (error) {
    statusLine.textContent = "Search could not load its index. Browse the actors, motives, timeline and sources from the menu instead.";
    form.classList.add("search-unavailable");
    return;
  }
  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); run(); });
  form.dataset.ready = "true";
  if (input.value || Object.keys(selectedFilters()).length) await run();
}

main();
