"""Incremental rebuilds for `serve`: re-render only the pages an edit affects.

The engine keeps everything a build computed: a digest of each content file and its parsed record,
the anchored quotes (`anchoring.Anchors`), the last good model, index and page plan, the
compiled templates, and for every page the set of things its rendering *read*.

Reads are recorded, not declared: while a page renders, the model and the index it sees are
thin proxies that note every item looked up (`("annotations", "src/ann")`), every index entry
(`("index.by_actor", "russia")`), every collection iterated (`("actors", KEYS)`), and every
template loaded (`("template", "_macros.html")`). A page depends on exactly what it showed,
whatever the templates do; aggregate pages that list everything depend on the key sets and
the entries they count, not on every passage's text.

A rebuild after an edit:

1. re-reads the changed files only, and re-parses a file only when its text changed; when
   only existing files' texts changed, the last parse is patched with their new records
   instead of being gathered again (`_parse_edits`);
2. resolves what changed: while the ids stay the same, only the records that are not the
   same objects as last time are checked and anchored (`resolve.ResolveMemo`), and quotes
   that were anchored before come from the `Anchors` memo; derives the index again only when
   a field that `derive` read last time changed (`DeriveMemo`, which records those reads the
   same way); plans again only the pages of changed actors, motives and sources while the
   index is the same;
3. diffs the new model and index against the last good ones: changed items by identity,
   changed index entries by value, added and removed keys;
4. re-renders the pages whose recorded reads meet the changes, the new pages, and the pages
   whose template changed; removes the pages that are gone. The pages open in a browser and
   the page where the edited item lives go first, and are written (and announced) first;
5. writes only the files whose bytes changed (`write.update_files`).

An invalid edit changes nothing on disk: the last good build is kept and served, and the
next rebuild is still diffed against it. The data exports (`data/`) and the search index
depend on everything; the server refreshes them lazily (`refresh_data`), not on every save.
"""

from .engine import Engine, Outcome

__all__ = ["Engine", "Outcome"]
