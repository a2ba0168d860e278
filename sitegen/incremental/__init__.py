"""Incremental rebuilds for `serve`: re-render only the pages an edit affects.

The engine (`engine.py`) keeps what a build computed: a digest of each content file and the
record parsed from it, the last good model, index and pages, the compiled templates, a digest
of each output file (`outputs.py`), and for every page the set of things its rendering *read*.

Reads are recorded, not declared (`reads.py`): while a page renders, the model and the index it
sees are thin proxies that note every item looked up (`("annotations", "src/ann")`), every
index entry (`("index.by_actor", "russia")`), every collection iterated (`("actors", KEYS)`), and
every template loaded (`("template", "_macros.html")`). A page depends on exactly what it
showed, whatever the templates do.

A rebuild after an edit runs the same stages as a build, on the content as it is now:

1. re-reads the changed files only, and parses a file only when its digest has no record yet;
2. resolves and derives with two memos (`memo.py`): each item's reference checks and anchored
   quote are given back while the item (and the site's ids, or the quote's source) are equal
   to last time's; the index is given back while every field that `derive` read last time
   (recorded by the same proxies) is equal;
3. diffs the new model and index against the last good ones by value (`changes.py`);
4. re-renders the pages whose recorded reads meet the changes, the new pages, and the pages
   whose template changed; removes the pages that are gone. The pages open in a browser go
   first, and are written (and announced) first;
5. writes only the files whose bytes changed.

An invalid edit changes nothing on disk: the last good build is kept and served, and the
next rebuild is still diffed against it. The data exports (`data/`) and the search index
depend on everything; the server refreshes them lazily (`refresh_data`), not on every save.
"""

from .engine import Engine, Outcome

__all__ = ["Engine", "Outcome"]
