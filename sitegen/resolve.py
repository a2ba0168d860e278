"""Resolve: check every cross-reference, anchor every quote, and freeze the model.

A file that failed to parse is in `Parsed.broken`; references to it are not reported again,
so one mistake gives one error.
"""

from __future__ import annotations

import dataclasses
import functools
import graphlib
import hashlib
import re
from operator import attrgetter
from itertools import chain
from typing import Any, Callable

from .anchoring import Ambiguous, ContextMismatch, NormalisedText, NotFound, anchor_quote, differences, normalise
from .diagnostics import Diagnostic, did_you_mean, shown
from .model import Annotation, Argument, Model, Origin, Translation
from .parse import Parsed

WIKILINK_KINDS = ("actors", "motives", "sources", "events", "arguments")

_NUMBERS = {"both": 2, "either": 2, "neither": 2, "other": 2, "two": 2, "three": 3, "four": 4, "five": 5,
            "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_COUNTED = re.compile(
    r"\b(?:(?P<word>both|either|neither|two|three|four|five|six|seven|eight|nine|ten|\d+)"
    r"\s+(?:source\s+)?(?:sources?|articles?|analys[ie]s)"
    r"|the\s+(?P<other>other)\s+(?:source\s+)?(?:source|article|analysis))\b", re.IGNORECASE)
"""Prose that counts the site's sources: "both sources", "two source articles", "neither
article", "the other source" (there being two), "three analyses"."""


def stated_counts(text: str) -> list[tuple[int, str, int]]:
    """(offset, phrase, the number of sources it implies) for each place `text` counts sources."""
    found = []
    for match in _COUNTED.finditer(text):
        word = (match.group("word") or match.group("other")).lower()
        number = int(word) if word.isdigit() else _NUMBERS[word]
        found.append((match.start(), " ".join(match.group(0).split()), number))
    return found


def each(name: str, inputs: dict[str, tuple], compute: Callable[..., Any]) -> dict[str, Any]:
    """`compute(*args)` for each key's `args`."""
    return {key: compute(*args) for key, args in inputs.items()}


class _Resolver:
    """One resolve. Each item's findings are worked out by `each` from the item and the site's
    ids alone (see `resolve`); what concerns the whole site (the site's own links, the warnings)
    goes into `problems`."""

    def __init__(self, parsed: Parsed, each: Callable, pending_links: bool = False):
        self.parsed = parsed
        self.pending = "warning" if pending_links else "error"
        """The severity of a wikilink to an item that does not exist (yet): see `resolve`."""
        self.items = parsed.items
        self.each = each
        self.problems: list[Diagnostic] = []
        self.found: list[list[Diagnostic]] = []
        self.anchored: dict[str, Annotation] = {}
        ids = "\0".join(chain.from_iterable((kind, *records, "") for kind, records in parsed.items.items()))
        self.ids = hashlib.blake2b("\0".join((ids, *sorted(parsed.broken))).encode(), digest_size=16).digest()
        """A digest of every kind's ids in order and of the broken files: what an item's checks
        read besides the item."""
        self._text: tuple[bytes, str, NormalisedText | None] = (b"", "", None)
        """The last source text searched, decoded and normalised (annotations come source by source)."""

    def report(self, origin: Origin, line: int, message: str, hint: str = "", severity: str = "error"):
        self.problems.append(Diagnostic(origin.path, line, message, hint, severity))

    def known(self, kind: str, key: str) -> bool:
        return key in self.items[kind] or f"{kind}:{key}" in self.parsed.broken

    def reported(self, check: Callable[[Any], None], item: Any, ids: bytes) -> list[Diagnostic]:
        """What `check` reports on `item` (a function of the item and the `ids`)."""
        outer, self.problems = self.problems, []
        try:
            check(item)
            return self.problems
        finally:
            self.problems = outer

    # -- references --------------------------------------------------------------------

    def check_ids(self, origin: Origin, field: str, kind: str, ids: tuple[str, ...] | str):
        values = (ids,) if isinstance(ids, str) else ids
        noun = kind[:-1]
        for index, value in enumerate(values):
            if self.known(kind, value):
                continue
            line = origin.line(field, None if isinstance(ids, str) else index)
            hint = did_you_mean(value, self.items[kind], f"create content/{kind}/{shown(value)}.md, or use an existing {noun}")
            self.report(origin, line, f"unknown {noun} '{shown(value)}' in '{field}'", hint)

    def ref_problem(self, ref: str) -> tuple[str, str] | None:
        """(message, hint) when an annotation ref names nothing; None when it resolves."""
        source, _, ann = ref.partition("/")
        if not self.known("sources", source):
            return (f"unknown source '{shown(source)}' in annotation ref '{shown(ref)}'",
                    did_you_mean(source, self.items["sources"], "the part before '/' is a file name in content/sources/"))
        if self.known("annotations", ref):
            return None
        siblings = [k.partition("/")[2] for k in self.items["annotations"] if k.startswith(source + "/")]
        hint = did_you_mean(ann, siblings, f"no file content/annotations/{shown(source)}/{shown(ann)}.md")
        return f"unknown annotation '{shown(ref)}'", hint

    def check_refs(self, origin: Origin, field: str, refs: tuple[str, ...]):
        for index, ref in enumerate(refs):
            problem = self.ref_problem(ref)
            if problem:
                self.report(origin, origin.line(field, index), f"{problem[0]} in '{field}'", problem[1])

    def check_wikilinks(self, origin: Origin, body) -> None:
        for link in body.wikilinks:
            kind, slash, rest = link.target.partition("/")
            target = shown(link.target)
            forms = ("write [[actors/<id>]], [[motives/<id>]], [[sources/<id>]], [[events/<id>]], "
                     "[[arguments/<id>]] or [[<source-id>/<annotation-id>]]")
            if not slash or not rest:
                self.report(origin, link.line, f"wikilink [[{target}]] names no item", forms)
            elif kind not in WIKILINK_KINDS and not self.known("sources", kind):
                guess = did_you_mean(kind, WIKILINK_KINDS + tuple(self.items["sources"]), forms)
                self.report(origin, link.line, f"wikilink [[{target}]]: '{shown(kind)}' is neither a kind of item nor a source", guess)
            elif kind in WIKILINK_KINDS:
                if not self.known(kind, rest):
                    hint = did_you_mean(rest, self.items[kind], f"no file content/{kind}/{shown(rest)}.md")
                    self.report(origin, link.line, f"wikilink [[{target}]]: unknown {kind[:-1]} '{shown(rest)}'",
                                self.pending_hint(hint), self.pending)
            else:
                problem = self.ref_problem(link.target)
                if problem:
                    severity = self.pending if self.known("sources", kind) else "error"
                    self.report(origin, link.line, f"wikilink [[{target}]]: {problem[0]}",
                                self.pending_hint(problem[1]) if severity == "warning" else problem[1], severity)

    def pending_hint(self, hint: str) -> str:
        if self.pending == "error":
            return hint
        return hint + "\nserve shows the link marked until the item is written; build and check refuse it"

    # -- checks by kind ----------------------------------------------------------------

    def check_all(self) -> None:
        """Check the references of every item."""
        site = self.parsed.site
        if site is not None:
            self.check_counts(site.origin, None, description=site.description)
            for body in (site.summary, site.about):
                self.check_wikilinks(site.origin, body)
                self.check_counts(site.origin, body)
        folders = self.check_folders()
        checks = (("actors", self.check_actor), ("motives", self.check_motive), ("sources", self.check_body),
                  ("annotations", self.check_annotation), ("events", self.check_event),
                  ("arguments", self.check_argument))
        ids = self.ids
        for kind, check in checks:
            inputs = {key: (record, ids) for key, record in self.items[kind].items()
                      if kind != "annotations" or record.source_id not in folders}  # else its folder is reported
            self.found.extend(filter(None, self.each(kind, inputs, functools.partial(self.reported, check)).values()))

    def check_folders(self) -> set[str]:
        """Report each annotation folder that names no source; returns their names."""
        annotations, sources = self.items["annotations"].values(), self.items["sources"]
        folders = {folder for folder in set(map(attrgetter("source_id"), annotations)) if not self.known("sources", folder)}
        for folder in sorted(folders):
            first = next(ann for ann in annotations if ann.source_id == folder)
            hint = did_you_mean(folder, sources, f"create content/sources/{folder}.md or move the folder")
            self.problems.append(Diagnostic(first.origin.path, 1, f"folder annotations/{folder}/ names no source", hint))
        return folders

    def check_body(self, item) -> None:
        self.check_wikilinks(item.origin, item.body)

    def check_motive(self, motive) -> None:
        self.check_wikilinks(motive.origin, motive.body)
        self.check_counts(motive.origin, motive.body)

    def check_actor(self, actor) -> None:
        self.check_refs(actor.origin, "evidence", actor.evidence)
        self.check_wikilinks(actor.origin, actor.body)
        self.check_counts(actor.origin, actor.body, position=actor.position)

    def check_annotation(self, ann: Annotation) -> None:
        self.check_ids(ann.origin, "actor", "actors", ann.actor)
        self.check_ids(ann.origin, "motives", "motives", ann.motives)
        self.check_ids(ann.origin, "involves", "actors", ann.involves)
        if ann.speaker:
            self.check_ids(ann.origin, "speaker", "actors", ann.speaker)
        if ann.actor in ann.involves:
            self.report(ann.origin, ann.origin.line("involves", ann.involves.index(ann.actor)),
                        f"'{ann.actor}' is both the actor and in 'involves'", "remove it from 'involves'")
        self.check_wikilinks(ann.origin, ann.commentary)
        self.check_counts(ann.origin, ann.commentary, correction=ann.correction)

    def source_count(self) -> int:
        """How many sources the site has (those that failed to parse too)."""
        return len(self.items["sources"]) + sum(1 for key in self.parsed.broken if key.startswith("sources:"))

    def check_counts(self, origin: Origin, body, **fields: str) -> None:
        """Warn where prose counts the sources ("both sources") and the count is not the site's.

        Reads the item and the number of sources only, which changes only with the ids."""
        sources = self.source_count()
        places = [(origin.line(name), text) for name, text in fields.items() if text]
        if body is not None and not body.empty:
            places.append((body.line, body.markdown.decode()))
        for line, text in places:
            for at, phrase, number in stated_counts(text):
                if number != sources:
                    self.report(origin, line + text.count("\n", 0, at),
                                f"the text says '{phrase}', but the site has {sources} source{'s' if sources != 1 else ''}",
                                "reword it so that it does not count the sources, or give the right number; "
                                "pages render the count from the content", "warning")

    def check_event(self, event) -> None:
        self.check_ids(event.origin, "actors", "actors", event.actors)
        self.check_refs(event.origin, "evidence", event.evidence)
        if event.end is not None and event.end <= event.date:
            self.report(event.origin, event.origin.line("end"),
                        f"the event ends ({event.end.iso()}) before or when it starts ({event.date.iso()})",
                        "'end' is for a span: give a later date, or remove it")
        self.check_wikilinks(event.origin, event.body)
        self.check_counts(event.origin, event.body, title=event.title)

    def check_argument(self, argument: Argument) -> None:
        origin = argument.origin
        self.check_ids(origin, "actors", "actors", argument.actors)
        self.check_ids(origin, "motives", "motives", argument.motives)
        self.check_refs(origin, "evidence", argument.evidence)
        self.check_refs(origin, "disputed_by", argument.disputed_by)
        for index, ref in enumerate(argument.disputed_by):
            if ref in argument.evidence:
                self.report(origin, origin.line("disputed_by", index), f"'{ref}' is both in 'evidence' and in 'disputed_by'",
                            "a passage either makes or backs the claim ('evidence') or rejects it ('disputed_by'): keep it in one")
        self.check_counts(origin, argument.body, claim=argument.claim)
        for field in ("supports", "opposes"):
            for index, target in enumerate(getattr(argument, field)):
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

    def check_argument_stances(self) -> None:
        """Each argument's evidence by the stance of its passages: a passage that disputes the
        claim belongs in 'disputed_by', and some source must make or raise the claim itself.

        Run over every argument on each resolve, not per edited argument: it reads the
        annotations' stances, and either file may be the one edited.
        """
        annotations = self.items["annotations"]
        for argument in self.items["arguments"].values():
            origin = argument.origin
            held = set()
            for index, ref in enumerate(argument.evidence):
                stance = annotations[ref].stance if ref in annotations else None  # unknown or broken: reported elsewhere
                held.add(stance)
                if stance == "disputes":
                    self.report(origin, origin.line("evidence", index),
                                f"'{ref}' disputes the claim (its stance is 'disputes'), but is listed in 'evidence'",
                                "move it to 'disputed_by': 'evidence' lists the passages that make or back the claim")
            if held and None not in held and not held & {"asserts", "considers"} and held != {"disputes"}:
                self.report(origin, origin.line("evidence"),
                            f"no passage in the evidence of argument '{argument.id}' makes the claim itself: "
                            "each one reports someone else's words or disputes it",
                            "add a passage where a source argues or raises the claim (stance 'asserts' or 'considers'); "
                            "reported words back a claim, but do not make it the source's")

    def check_event_order(self) -> None:
        """Each event's 'after': known events, not itself, not dated wholly before them, no loop.

        Run over every event on each resolve, not per edited event: whether one event can follow
        another depends on both dates, and either file may be the one edited.
        """
        events = self.items["events"]
        follows: dict[str, list[str]] = {}
        for event in events.values():
            origin = event.origin
            for index, earlier_id in enumerate(event.after):
                line = origin.line("after", index)
                if earlier_id == event.id:
                    self.report(origin, line, f"event '{event.id}' comes after itself",
                                f"'after' names the events this one followed: remove '{earlier_id}'")
                elif earlier_id not in events:
                    if not self.known("events", earlier_id):
                        hint = did_you_mean(earlier_id, events, f"no file content/events/{earlier_id}.md")
                        self.report(origin, line, f"unknown event '{earlier_id}' in 'after'", hint)
                else:
                    earlier = events[earlier_id]
                    if event.date.latest() < earlier.date.earliest():
                        self.report(origin, line, f"the event ({event.date.iso()}) cannot come after "
                                    f"'{earlier_id}' ({earlier.date.iso()}): its date is earlier",
                                    f"correct one of the two dates, or remove '{earlier_id}' from 'after'")
                    else:
                        follows.setdefault(event.id, []).append(earlier_id)
        for loop in _loops(follows):
            first = events[loop[0]]
            chain_text = " after ".join(f"'{e}'" for e in loop + [loop[0]])
            self.report(first.origin, first.origin.line("after", first.after.index(loop[1])),
                        f"'after' goes round in a loop: {chain_text}",
                        "an event cannot follow itself, even through others: remove one of these from 'after'")

    # -- quotes ------------------------------------------------------------------------

    def anchor_all(self) -> None:
        """Anchor every annotation's quote in its source (a function of the two)."""
        sources = self.items["sources"]
        inputs = {ref: (ann, sources[ann.source_id]) for ref, ann in self.items["annotations"].items()
                  if ann.source_id in sources}
        for ref, (anchored, problems) in self.each("quotes", inputs, self.anchor).items():
            if anchored is not None:
                self.anchored[ref] = anchored
            else:
                self.found.append(problems)
        translations = self.items["translations"]
        inputs = {ref: (ann, translations.get(ann.source_id), self.known("translations", ann.source_id))
                  for ref, ann in self.items["annotations"].items() if ann.translation and ann.source_id in sources}
        self.found.extend(filter(None, self.each("translated quotes", inputs, translated_quote_problems).values()))
        inputs = {key: (translation, sources.get(key), self.known("sources", key), tuple(sources))
                  for key, translation in translations.items()}
        self.found.extend(filter(None, self.each("translations", inputs, translation_problems).values()))

    def anchor(self, ann: Annotation, source) -> tuple[Annotation | None, list[Diagnostic]]:
        """The annotation with its anchor, or None and why the quote does not anchor."""
        plain = source.body.plain
        if self._text[0] != plain:
            original = plain.decode()
            self._text = (plain, original, NormalisedText.of(original))
        _, original, text = self._text
        result = anchor_quote(text, original, ann.quote, ann.prefix, ann.suffix)
        if isinstance(result, NotFound):
            hint = _closest_hint(normalise(ann.quote), result)
            return None, [Diagnostic(ann.origin.path, ann.quote_line, f"quote not found in source '{source.id}'", hint)]
        if isinstance(result, Ambiguous):
            where = "; ".join(f'"{c}"' for c in result.contexts[:3])
            return None, [Diagnostic(ann.origin.path, ann.quote_line,
                                     f"quote occurs {result.count} times in source '{source.id}'",
                                     f"add 'prefix:' (the words just before the passage) or 'suffix:' to choose one; they follow {where}")]
        if isinstance(result, ContextMismatch):
            return None, [Diagnostic(ann.origin.path, ann.origin.line(result.field),
                                     f"the quote is never {'preceded' if result.field == 'prefix' else 'followed'} by this {result.field}",
                                     f"the source has \"{result.actual}\" there; copy the {result.field} from the source")]
        return dataclasses.replace(ann, anchor=result), []

    # -- warnings ----------------------------------------------------------------------

    def warn(self) -> None:
        items, anchored = self.items, self.anchored.values()
        mentions = set(chain.from_iterable((ann.actor, *ann.involves) for ann in anchored))
        tagged = set(chain.from_iterable(ann.motives for ann in anchored))
        annotated = {ann.source_id for ann in anchored}
        for actor in items["actors"].values():
            if actor.id not in mentions:
                self.report(actor.origin, 1, f"actor '{actor.id}' has no passage",
                            "annotate a passage with 'actor:' or 'involves:' naming it, or remove the actor", "warning")
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
        for source in items["sources"].values():
            if source.id not in annotated:
                self.report(source.origin, 1, f"source '{source.id}' has no annotations",
                            f"annotate its passages: select them on its page under python build.py serve, or write "
                            f"them in content/annotations/{source.id}/", "warning")
        for source in items["sources"].values():
            if not source.excerpts and not source.rights:
                self.report(source.origin, source.origin.line("reproduce"),
                            f"source '{source.id}' is reproduced in full but does not say why that is allowed",
                            "add 'rights: \"...\"' (an official statement, a licence, the publisher's permission), "
                            "or 'reproduce: excerpts' to show only its annotated passages", "warning")
        for ann in anchored:
            if not ann.commentary.markdown:
                self.report(ann.origin, ann.quote_line, f"annotation '{ann.ref}' has no commentary",
                            "say what the passage claims after the blockquote", "warning")

    # -- the model ---------------------------------------------------------------------

    def model(self) -> Model:
        fields = {kind: dict(sorted((self.anchored if kind == "annotations" else records).items()))
                  for kind, records in self.items.items()}  # the model has a mapping per kind parsed
        return Model(site=self.parsed.site, **fields)


def translated_quote_problems(ann: Annotation, translation: Translation | None, known: bool) -> list[Diagnostic]:
    """Why an annotation's `translation` is not found in its source's translation, if it is not."""
    line = ann.origin.line("translation")
    if translation is None:
        if known:  # the translation file is broken: reported there
            return []
        return [Diagnostic(ann.origin.path, line, f"'translation' given, but source '{ann.source_id}' has no translation",
                           f"add content/translations/{ann.source_id}.md with the source's text translated, "
                           "or remove 'translation'")]
    text = translation.body.text
    result = anchor_quote(NormalisedText.of(text), text, ann.translation)
    if isinstance(result, NotFound):
        return [Diagnostic(ann.origin.path, line, f"translation not found in {translation.origin.path}",
                           _closest_hint(normalise(ann.translation), result, "the translation"))]
    return []


def translation_problems(translation: Translation, source, known: bool, source_ids: tuple[str, ...]) -> list[Diagnostic]:
    """Whether a translation names a source, and has as many paragraphs as the source."""
    path = translation.origin.path
    if source is None:
        if known:  # the source file is broken: reported there
            return []
        hint = did_you_mean(translation.id, source_ids,
                            "name the file after the source it translates: content/translations/<source-id>.md")
        return [Diagnostic(path, 1, f"translation of unknown source '{translation.id}'", hint)]
    have, want = len(translation.blocks), len(source.blocks)
    if have == want:
        return []
    line = translation.blocks[want].line if have > want else translation.blocks[-1].line
    return [Diagnostic(path, line, f"the translation has {have} paragraphs, but source '{source.id}' has {want}",
                       "translate paragraph by paragraph: one paragraph (or heading) per paragraph of the source, "
                       "in the same order, separated by blank lines")]


def _loops(follows: dict[str, list[str]]) -> list[list[str]]:
    """The loops in a 'comes after' graph, each once: its ids in order (each after the next),
    from the smallest. Each loop found is broken at its first step before looking again."""
    graph = {event_id: set(earlier) for event_id, earlier in follows.items()}
    loops = []
    while True:
        try:
            graphlib.TopologicalSorter(graph).prepare()
            return sorted(loops)
        except graphlib.CycleError as error:
            loop = error.args[1][:0:-1]  # the sorter lists each before the one after it
        at = loop.index(min(loop))
        loop = loop[at:] + loop[:at]
        graph[loop[0]].discard(loop[1])
        loops.append(loop)


def resolve(parsed: Parsed, each: Callable[[str, dict[str, tuple], Callable[..., Any]], dict[str, Any]] = each,
            pending_links: bool = False) -> tuple[Model | None, list[Diagnostic]]:
    """The validated model, or None when there are errors; and every diagnostic (warnings too).

    What is worked out item by item (an item's reference checks, an annotation's anchor) goes
    through `each(name, inputs, compute)`, which returns `compute(*args)` for each key's `args`
    in `inputs`; a caller may answer it with earlier results for equal args.

    With `pending_links` (serve), a wikilink to an item that does not exist yet is a warning, so
    that an editor can write in any order; pages show it as a marked link without a target.
    """
    resolver = _Resolver(parsed, each, pending_links)
    resolver.check_all()
    resolver.check_event_order()
    resolver.check_argument_stances()
    resolver.anchor_all()
    resolver.warn()
    problems = list(chain(parsed.diagnostics, resolver.problems, *resolver.found))
    model = None
    if not any(p.severity == "error" for p in problems) and parsed.site is not None:
        model = resolver.model()
    return model, sorted(problems)


ALIKE = 0.6
"""A closest passage at least this similar to a quote not found is shown word by word against it."""


def _closest_hint(quote: str, result: NotFound, where: str = "the source") -> str:
    """How the quote differs from the closest passage, as hint lines: where it differs, typed vs
    `where` (the source, or its translation)."""
    if not result.closest:
        return f"copy the passage from {where} exactly"
    percent = min(99, int(result.similarity * 100))  # never "100%": a dropped comma is a difference
    if result.similarity < ALIKE:
        return f"the closest passage ({percent}% similar) is: \"{result.closest}\""
    typed, source = differences(quote, result.closest)
    width = max(len("you typed:"), len(where) + 1) + 1
    return (f"the closest passage is {percent}% similar; where they differ, in [brackets]:\n"
            f"  {'you typed:'.ljust(width)}{typed}\n  {(where + ':').ljust(width)}{source}")
