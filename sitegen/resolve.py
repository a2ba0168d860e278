"""Resolve: check every cross-reference, anchor every quote, and freeze the model.

A file that failed to parse is in `Parsed.broken`; references to it are not reported again,
so one mistake gives one error.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from .anchoring import Ambiguous, Anchors, ContextMismatch, NotFound
from .diagnostics import Diagnostic, did_you_mean
from .model import Annotation, Argument, Model, Origin
from .parse import Parsed

WIKILINK_KINDS = ("actors", "motives", "sources", "events", "arguments")


class CheckMemo:
    """What each item's reference checks reported, kept by `serve` across rebuilds.

    An item's checks read only the item and which ids exist (and which files are broken), so
    while the ids stay the same, an unchanged item (the same parsed object) reports the same
    problems and is not checked again.
    """

    def __init__(self) -> None:
        self._ids: tuple | None = None
        self._kept: dict[int, tuple[Any, list[Diagnostic]]] = {}
        """id(item) -> (item, what its checks reported), from the last build."""
        self._next: dict[int, tuple[Any, list[Diagnostic]]] = {}
        """The same for this build's items, which `end` keeps (so vanished items are let go)."""

    def begin(self, parsed: Parsed) -> None:
        ids = tuple((kind, tuple(items)) for kind, items in parsed.items.items()) + (tuple(sorted(parsed.broken)),)
        if ids != self._ids:
            self._ids, self._kept = ids, {}
        self._next = {}

    def reuse(self, items: Iterable[Any], problems: list[Diagnostic]) -> list[Any]:
        """Add to `problems` what each item kept reported; return the items to check afresh."""
        kept_items, next_items, fresh = self._kept, self._next, []
        for item in items:
            key = id(item)
            kept = kept_items.get(key)
            if kept is None or kept[0] is not item:
                fresh.append(item)
            else:
                next_items[key] = kept
                if kept[1]:
                    problems.extend(kept[1])
        return fresh

    def put(self, item: Any, problems: list[Diagnostic]) -> None:
        self._next[id(item)] = (item, problems)

    def end(self) -> None:
        self._kept, self._next = self._next, {}


class _Resolver:
    def __init__(self, parsed: Parsed, anchors: Anchors | None = None, memo: CheckMemo | None = None):
        self.anchors = anchors if anchors is not None else Anchors()
        self.memo = memo
        self.parsed = parsed
        self.items = parsed.items
        self.problems: list[Diagnostic] = []

    def report(self, origin: Origin | str, line: int, message: str, hint: str = "", severity: str = "error"):
        path = origin if isinstance(origin, str) else origin.path
        self.problems.append(Diagnostic(path, line, message, hint, severity))

    def known(self, kind: str, key: str) -> bool:
        return key in self.items[kind] or f"{kind}:{key}" in self.parsed.broken

    # -- references --------------------------------------------------------------------

    def check_ids(self, origin: Origin, field: str, kind: str, ids: tuple[str, ...] | str):
        values = (ids,) if isinstance(ids, str) else ids
        noun = kind[:-1]
        for index, value in enumerate(values):
            if self.known(kind, value):
                continue
            line = origin.line(field, None if isinstance(ids, str) else index)
            hint = did_you_mean(value, self.items[kind], f"create content/{kind}/{value}.md, or use an existing {noun}")
            self.report(origin, line, f"unknown {noun} '{value}' in '{field}'", hint)

    def ref_problem(self, ref: str) -> tuple[str, str] | None:
        """(message, hint) when an annotation ref names nothing; None when it resolves."""
        source, _, ann = ref.partition("/")
        if not self.known("sources", source):
            return (f"unknown source '{source}' in annotation ref '{ref}'",
                    did_you_mean(source, self.items["sources"], "the part before '/' is a file name in content/sources/"))
        if self.known("annotations", ref):
            return None
        siblings = [k.partition("/")[2] for k in self.items["annotations"] if k.startswith(source + "/")]
        hint = did_you_mean(ann, siblings, f"no file content/annotations/{source}/{ann}.md")
        return f"unknown annotation '{ref}'", hint

    def check_refs(self, origin: Origin, field: str, refs: tuple[str, ...]):
        for index, ref in enumerate(refs):
            problem = self.ref_problem(ref)
            if problem:
                self.report(origin, origin.line(field, index), f"{problem[0]} in '{field}'", problem[1])

    def check_wikilinks(self, origin: Origin, body) -> None:
        for link in body.wikilinks:
            kind, slash, rest = link.target.partition("/")
            forms = ("write [[actors/<id>]], [[motives/<id>]], [[sources/<id>]], [[events/<id>]], "
                     "[[arguments/<id>]] or [[<source-id>/<annotation-id>]]")
            if not slash or not rest:
                self.report(origin, link.line, f"wikilink [[{link.target}]] names no item", forms)
            elif kind not in WIKILINK_KINDS and not self.known("sources", kind):
                guess = did_you_mean(kind, WIKILINK_KINDS + tuple(self.items["sources"]), forms)
                self.report(origin, link.line, f"wikilink [[{link.target}]]: '{kind}' is neither a kind of item nor a source", guess)
            elif kind in WIKILINK_KINDS:
                if not self.known(kind, rest):
                    hint = did_you_mean(rest, self.items[kind], f"no file content/{kind}/{rest}.md")
                    self.report(origin, link.line, f"wikilink [[{link.target}]]: unknown {kind[:-1]} '{rest}'", hint)
            else:
                problem = self.ref_problem(link.target)
                if problem:
                    self.report(origin, link.line, f"wikilink [[{link.target}]]: {problem[0]}", problem[1])

    # -- checks by kind ----------------------------------------------------------------

    def check_all(self) -> None:
        items = self.items
        site = self.parsed.site
        if site is not None:
            self.check_wikilinks(site.origin, site.summary)
        if self.memo is not None:
            self.memo.begin(self.parsed)
        self.check_each(items["actors"].values(), self.check_actor)
        self.check_each(items["motives"].values(), self.check_body)
        self.check_each(items["sources"].values(), self.check_body)
        sources, placed, reported_folders = items["sources"], [], set()
        for ann in items["annotations"].values():
            if self.known("sources", ann.source_id):
                placed.append(ann)
            elif ann.source_id not in reported_folders:
                reported_folders.add(ann.source_id)
                hint = did_you_mean(ann.source_id, sources, f"create content/sources/{ann.source_id}.md or move the folder")
                self.report(ann.origin, 1, f"folder annotations/{ann.source_id}/ names no source", hint)
        self.check_each(placed, self.check_annotation)
        self.check_each(items["events"].values(), self.check_event)
        self.check_each(items["arguments"].values(), self.check_argument)
        if self.memo is not None:
            self.memo.end()

    def check_each(self, items: Iterable[Any], check: Callable[[Any], None]) -> None:
        """Run `check` on each item, or reuse what it reported last time (see `CheckMemo`)."""
        if self.memo is None:
            for item in items:
                check(item)
            return
        for item in self.memo.reuse(items, self.problems):
            start = len(self.problems)
            check(item)
            self.memo.put(item, self.problems[start:])

    def check_body(self, item) -> None:
        self.check_wikilinks(item.origin, item.body)

    def check_actor(self, actor) -> None:
        self.check_refs(actor.origin, "evidence", actor.evidence)
        self.check_wikilinks(actor.origin, actor.body)

    def check_annotation(self, ann: Annotation) -> None:
        self.check_ids(ann.origin, "actor", "actors", ann.actor)
        self.check_ids(ann.origin, "motives", "motives", ann.motives)
        self.check_ids(ann.origin, "involves", "actors", ann.involves)
        if ann.actor in ann.involves:
            self.report(ann.origin, ann.origin.line("involves", ann.involves.index(ann.actor)),
                        f"'{ann.actor}' is both the actor and in 'involves'", "remove it from 'involves'")
        self.check_wikilinks(ann.origin, ann.commentary)

    def check_event(self, event) -> None:
        self.check_ids(event.origin, "actors", "actors", event.actors)
        self.check_refs(event.origin, "evidence", event.evidence)
        if event.end is not None and event.end <= event.date:
            self.report(event.origin, event.origin.line("end"),
                        f"the event ends ({event.end.iso()}) before or when it starts ({event.date.iso()})",
                        "'end' is for a span: give a later date, or remove it")
        self.check_wikilinks(event.origin, event.body)

    def check_argument(self, argument: Argument) -> None:
        origin = argument.origin
        self.check_ids(origin, "actors", "actors", argument.actors)
        self.check_ids(origin, "motives", "motives", argument.motives)
        self.check_refs(origin, "evidence", argument.evidence)
        for field in ("supports", "opposes"):
            targets = getattr(argument, field)
            for index, target in enumerate(targets):
                if target == argument.id:
                    self.report(origin, origin.line(field, index), f"argument '{argument.id}' {field} itself",
                                f"an argument relates to other arguments: remove '{target}' from '{field}'")
                elif not self.known("arguments", target):
                    hint = did_you_mean(target, self.items["arguments"], f"no file content/arguments/{target}.md")
                    self.report(origin, origin.line(field, index), f"unknown argument '{target}' in '{field}'", hint)
        for index, target in enumerate(argument.opposes):
            if target in argument.supports:
                self.report(origin, origin.line("opposes", index), f"argument '{target}' is both supported and opposed",
                            "keep it in one of 'supports' and 'opposes'")

    # -- quotes ------------------------------------------------------------------------

    def anchor_all(self) -> dict[str, Annotation]:
        anchored = {}
        anchors, sources = self.anchors, self.items["sources"]
        for ref, ann in self.items["annotations"].items():
            source = sources.get(ann.source_id)
            if source is None:
                continue
            kept = anchors.reuse(ref, ann, source.plain_text)
            if kept is not None:
                anchored[ref] = kept
                continue
            result = anchors.anchor(source.plain_text, ann.quote, ann.prefix, ann.suffix)
            if isinstance(result, NotFound):
                closest = " ".join(result.closest.split())
                hint = (f"the closest passage ({result.similarity:.0%} similar) is: \"{closest}\""
                        if closest else "copy the passage from the source exactly")
                self.report(ann.origin, ann.quote_line, f"quote not found in source '{source.id}'", hint)
            elif isinstance(result, Ambiguous):
                where = "; ".join(f'"{c}"' for c in result.contexts[:3])
                self.report(ann.origin, ann.quote_line,
                            f"quote occurs {result.count} times in source '{source.id}'",
                            f"add 'prefix:' (the words just before the passage) or 'suffix:' to choose one; they follow {where}")
            elif isinstance(result, ContextMismatch):
                self.report(ann.origin, ann.origin.line(result.field),
                            f"the quote is never {'preceded' if result.field == 'prefix' else 'followed'} by this {result.field}",
                            f"the source has \"{result.actual}\" there; copy the {result.field} from the source")
            else:
                anchored[ref] = anchors.annotated(ref, ann, result, source.plain_text)
        return anchored

    # -- warnings ----------------------------------------------------------------------

    def warn(self, anchored: dict[str, Annotation]) -> None:
        items = self.items
        mentioned = {a.actor for a in anchored.values()} | {x for a in anchored.values() for x in a.involves}
        for actor in items["actors"].values():
            if actor.id not in mentioned:
                self.report(actor.origin, 1, f"actor '{actor.id}' has no passage",
                            "annotate a passage with 'actor:' or 'involves:' naming it, or remove the actor", "warning")
        tagged = {m for a in anchored.values() for m in a.motives}
        for motive in items["motives"].values():
            if motive.id not in tagged:
                self.report(motive.origin, 1, f"motive '{motive.id}' tags no passage",
                            "tag a passage with it, or remove the motive", "warning")
        related = set()
        for argument in items["arguments"].values():
            if argument.supports or argument.opposes:
                related.add(argument.id)
                related.update(argument.supports)
                related.update(argument.opposes)
        if len(items["arguments"]) > 1:
            for argument in items["arguments"].values():
                if argument.id not in related:
                    self.report(argument.origin, 1, f"argument '{argument.id}' relates to no other argument",
                                "add 'supports:' or 'opposes:' here or in a related argument", "warning")
        annotated_sources = {a.source_id for a in anchored.values()}
        for source in items["sources"].values():
            if source.id not in annotated_sources:
                self.report(source.origin, 1, f"source '{source.id}' has no annotations",
                            f"annotate its passages in content/annotations/{source.id}/", "warning")
        for ann in anchored.values():
            if ann.commentary.empty:
                self.report(ann.origin, ann.quote_line, f"annotation '{ann.ref}' has no commentary",
                            "say what the passage claims after the blockquote", "warning")


def resolve(parsed: Parsed, anchors: Anchors | None = None,
            memo: CheckMemo | None = None) -> tuple[Model | None, list[Diagnostic]]:
    """The validated model, or None when there are errors; and every diagnostic (warnings too).

    `anchors` and `memo` (serve passes ones it keeps) remember anchored quotes and each item's
    check results across rebuilds.
    """
    resolver = _Resolver(parsed, anchors, memo)
    resolver.check_all()
    anchored = resolver.anchor_all()
    resolver.warn(anchored)
    problems = list(parsed.diagnostics) + resolver.problems
    if any(p.severity == "error" for p in problems) or parsed.site is None:
        return None, sorted(problems)
    items: dict[str, Any] = parsed.items
    model = Model(
        site=parsed.site,
        actors=dict(sorted(items["actors"].items())),
        motives=dict(sorted(items["motives"].items())),
        sources=dict(sorted(items["sources"].items())),
        annotations=dict(sorted(anchored.items())),
        events=dict(sorted(items["events"].items())),
        arguments=dict(sorted(items["arguments"].items())),
    )
    return model, sorted(problems)
