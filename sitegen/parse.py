"""Parse: front matter (with the line of every field) and markdown bodies, into model records.

Checks here are the ones a single file can answer: YAML syntax, required and unknown fields,
field types, dates, id syntax, the shape of an annotation. Cross-references are `resolve`'s.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import yaml

from . import front_yaml, indentation, load
from .dates import parse_partial_date
from .diagnostics import Diagnostic, did_you_mean, shown
from .markdown import body_from_tokens, body_html, parse_body, parse_markdown, plain_text, TooDeep, wikilinks
from .model import REPRODUCE, Actor, Annotation, Argument, Body, Copy, Event, Motive, Origin, Site, Source, Translation
from .parallel import run_tasks
from .urls import web_address_problem

# Field types: how a YAML value becomes a model value.
STR, TEXT, BOOL, DATE, ID, IDS, REFS, STRS = "str", "text", "bool", "date", "id", "ids", "refs", "strs"
URL, LANGUAGE = "url", "language"
COPIES = "copies"
"""A list of web addresses, each a plain address or `{url: ..., label: ...}`."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One front-matter field of a content kind."""

    type: str
    """One of the field types above."""
    required: bool = False


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,7}")
"""The shape of a BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`): it names files of the
search index, so nothing else is let through."""


SCHEMAS: dict[str, dict[str, FieldSpec]] = {
    "site": {
        "title": FieldSpec(STR, True), "description": FieldSpec(STR), "site_url": FieldSpec(URL),
        "language": FieldSpec(LANGUAGE), "summary": FieldSpec(TEXT), "about": FieldSpec(TEXT),
        "repository": FieldSpec(URL), "question": FieldSpec(STR),
    },
    "actors": {
        "name": FieldSpec(STR, True), "kind": FieldSpec(STR), "primary": FieldSpec(BOOL),
        "position": FieldSpec(STR), "evidence": FieldSpec(REFS), "own_words_searched": FieldSpec(STR),
    },
    "motives": {"label": FieldSpec(STR, True), "group": FieldSpec(STR)},
    "sources": {
        "title": FieldSpec(STR, True), "subtitle": FieldSpec(STR), "authors": FieldSpec(STRS, True),
        "publication": FieldSpec(STR), "published": FieldSpec(DATE, True), "url": FieldSpec(URL),
        "normalised": FieldSpec(STRS), "language": FieldSpec(LANGUAGE),
        # Sources as they come, and the rights to publish them (see `_source_rights`).
        "partial": FieldSpec(BOOL), "missing": FieldSpec(STR), "copies": FieldSpec(COPIES),
        "reproduce": FieldSpec(STR), "rights": FieldSpec(STR),
    },
    "translations": {
        "language": FieldSpec(LANGUAGE, True), "by": FieldSpec(STR, True), "url": FieldSpec(URL),
        "title": FieldSpec(STR, True),
    },
    "annotations": {
        "actor": FieldSpec(ID, True), "motives": FieldSpec(IDS, True), "involves": FieldSpec(IDS),
        "stance": FieldSpec(STR), "speaker": FieldSpec(ID),
        "prefix": FieldSpec(STR), "suffix": FieldSpec(STR), "correction": FieldSpec(STR),
        "featured": FieldSpec(BOOL), "translation": FieldSpec(STR),
    },
    "events": {
        "date": FieldSpec(DATE, True), "title": FieldSpec(STR, True), "actors": FieldSpec(IDS, True),
        "evidence": FieldSpec(REFS), "end": FieldSpec(DATE), "after": FieldSpec(IDS),
    },
    "arguments": {
        "claim": FieldSpec(STR, True), "actors": FieldSpec(IDS), "motives": FieldSpec(IDS),
        "evidence": FieldSpec(REFS, True), "disputed_by": FieldSpec(REFS), "supports": FieldSpec(IDS),
        "opposes": FieldSpec(IDS),
    },
}

STANCES = ("asserts", "considers", "disputes", "reports")
"""How a source holds what an annotated passage attributes; the first is the default."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """Everything parsed, and what could not be."""

    items: dict[str, dict[str, Any]]
    """kind -> id (annotation ref for annotations) -> model record."""
    site: Site | None
    broken: frozenset[str]
    """`kind:id` of files that exist but failed to parse: references to them are not reported again."""
    diagnostics: tuple[Diagnostic, ...]


class _Problems(Exception):
    """Stops parsing one file; the diagnostics are already recorded."""


@dataclass
class _FileParser:
    raw: load.RawFile
    problems: list[Diagnostic] = field(default_factory=list)

    def report(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Diagnostic(self.raw.display, line, message, hint))

    # -- front matter ------------------------------------------------------------------

    def split(self) -> tuple[str, int, str, int]:
        """(front matter, its first line, body, its first line)."""
        text = self.raw.text
        if self.raw.kind == "site":
            return text, 1, "", 1
        lines = text.split("\n")
        if not lines or lines[0].rstrip() != "---":
            self.report(1, "the file has no front matter", "start the file with a line '---', the YAML fields, and another '---'")
            raise _Problems
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1:]), index + 2
        self.report(1, "the front matter is not closed", "add a line '---' after the last YAML field")
        raise _Problems

    def fields(self, yaml_text: str, first_line: int, body_line: int = 1) -> tuple[dict[str, Any], Origin]:
        try:
            root = front_yaml.compose(yaml_text)
        except front_yaml.Refused as refused:
            self.report(first_line + refused.line, refused.message, refused.hint)
            raise _Problems
        except yaml.reader.ReaderError as error:
            line = first_line + yaml_text.count("\n", 0, error.position)
            code = error.character if isinstance(error.character, int) else ord(error.character)
            self.report(line, f"malformed YAML: the character U+{code:04X} is not allowed here",
                        "remove it: front matter is plain text")
            raise _Problems
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = first_line + (mark.line if mark else 0)
            problem = (error.problem or "invalid YAML").strip().replace("'<stream end>'", "the end of the front matter")
            opened = error.context_mark
            context = error.context or ""
            brackets = "[]" if "flow sequence" in context else "{}" if "flow mapping" in context else ""
            if brackets and opened is not None and mark is not None and (
                    opened.line < mark.line or "end of the front matter" in problem):
                # The parser notices an unclosed bracket lines later; the mistake is where it opened.
                example = "`motives: [trade, security]`" if brackets == "[]" else "`{name: value}`"
                self.report(first_line + opened.line,
                            f"malformed YAML: the '{brackets[0]}' opened on this line is not closed "
                            f"({'' if opened.line == mark.line else f'line {line}: '}{problem})",
                            f"close it with '{brackets[1]}' on the same line, as in {example}")
            elif mark is not None and "block" in problem and (fix := indentation.misindented(yaml_text, mark.line, first_line)):
                self.report(line, *fix)
            elif "'\\t'" in problem:
                self.report(line, f"malformed YAML: {problem}", "indent with spaces: YAML does not take tabs")
            else:
                self.report(line, f"malformed YAML: {problem}",
                            "check the indentation, and quote values that contain ': ' or start with a special character")
            raise _Problems
        except yaml.YAMLError as error:
            self.report(first_line, f"malformed YAML: {error}", "check the front matter's syntax")
            raise _Problems
        schema = SCHEMAS[self.raw.kind]
        values: dict[str, Any] = {}
        field_lines: dict[str, int] = {}
        item_lines: dict[str, tuple[int, ...]] = {}
        if root is None:
            root_pairs = []
        elif not isinstance(root, yaml.MappingNode):
            self.report(first_line + root.start_mark.line, "the front matter is not a set of 'field: value' lines",
                        "write one field per line, like 'title: ...'")
            raise _Problems
        else:
            root_pairs = root.value
        for key_node, value_node in root_pairs:
            line = first_line + key_node.start_mark.line
            if not isinstance(key_node, yaml.ScalarNode):
                self.report(line, "a field name must be a word, not a list or a mapping", "write one 'field: value' per line")
                continue
            key = sys.intern(key_node.value)
            if key in field_lines:
                self.report(line, f"duplicate field '{shown(key)}' (first given on line {field_lines[key]})",
                            "keep one of the two")
                continue
            field_lines[key] = line
            if key not in schema:
                known = ", ".join(schema)
                self.report(line, f"unknown field '{shown(key)}'", did_you_mean(key, schema, f"the fields of a {self._kind_name()} are: {known}"))
                continue
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[key] = tuple(first_line + n.start_mark.line for n in value_node.value)
                merged = indentation.merged_items(yaml_text, value_node, first_line)
                for at, message, hint in merged:
                    self.report(at, message, hint)
                if merged:
                    continue
            try:
                values[key] = front_yaml.construct(value_node)
            except ValueError as error:
                if "integer string conversion" in str(error):  # thousands of digits
                    self.report(line, f"'{key}' holds a number too long to read", "quote the value if it is text")
                else:  # e.g. 2025-02-30, which YAML reads as a date and rejects
                    what = f"'{value_node.value}'" if isinstance(value_node, yaml.ScalarNode) else "a date in it"
                    self.report(line, f"bad date in '{key}': {what} is not a day of the calendar",
                                "partial dates are YYYY, YYYY-MM or YYYY-MM-DD, unquoted")
            except yaml.MarkedYAMLError as error:  # e.g. '<<: 1', a merge of no mapping
                mark = error.problem_mark or error.context_mark
                self.report(first_line + mark.line if mark else line, f"malformed YAML: {error.problem or error.context}",
                            "write plain values: text, numbers, dates, lists")
        for name, spec in schema.items():
            if spec.required and name not in field_lines:
                self.report(1, f"missing required field '{name}'", f"add '{name}: ...' to the front matter")
        origin = Origin.of(self.raw.display, field_lines, item_lines, body_line)
        converted = {}
        for name, value in values.items():
            try:
                converted[name] = self.convert(name, schema[name], value, origin)
            except ValueError:
                pass  # reported
        # No raise on a mistake here: the body is checked too, and the caller stops on `problems`.
        return converted, origin

    def _kind_name(self) -> str:
        return {"site": "site", "annotations": "annotation"}.get(self.raw.kind, self.raw.kind[:-1])

    def convert(self, name: str, spec: FieldSpec, value: Any, origin: Origin) -> Any:
        line = origin.line(name)

        def fail(message: str, hint: str, at: int = line):
            self.report(at, message, hint)
            raise ValueError(message)

        if value is None and spec.required and spec.type in (STR, TEXT, URL, LANGUAGE, DATE, ID):
            fail(f"'{name}' is empty", "give the date: YYYY, YYYY-MM or YYYY-MM-DD" if spec.type == DATE else f"give the {name}")
        if spec.type in (STR, TEXT, URL, LANGUAGE):
            if value is None:
                return ""
            if isinstance(value, (list, dict)):
                fail(f"'{name}' must be a single value, not a {'list' if isinstance(value, list) else 'mapping'}",
                     f"write '{name}: some text'")
            if isinstance(value, bool):
                fail(f"'{name}' must be text, not {str(value).lower()}", "quote the value")
            text = value.isoformat() if isinstance(value, _dt.date) else str(value)
            if spec.type == STR:
                text = " ".join(text.split())
            elif spec.type == URL and text:
                problem = web_address_problem(text)
                if problem:
                    fail(f"'{name}' is not a web address the site can link to: {problem} ('{shown(text)}')",
                         "write the full address, starting with https://, like 'https://example.org/page'")
            elif spec.type == LANGUAGE and text and not LANGUAGE_TAG.fullmatch(text):
                fail(f"'{name}' must be a language tag like 'en' or 'pt-BR', not '{shown(text)}'",
                     "write the BCP 47 tag of the content's language, like 'en', 'ru' or 'en-GB'")
            if spec.required and not text.strip():
                fail(f"'{name}' is empty", f"give the {name}")
            # Short values (a publication, a motive's group) repeat from file to file.
            return sys.intern(text) if len(text) <= 64 else text
        if spec.type == BOOL:
            if not isinstance(value, bool):
                fail(f"'{name}' must be true or false, not '{shown(value)}'", f"write '{name}: true' or '{name}: false'")
            return value
        if spec.type == DATE:
            if value is None:  # an optional date left empty is not given
                return None
            try:
                return parse_partial_date(value)
            except ValueError as error:
                fail(f"bad date in '{name}': {error}", "partial dates are YYYY, YYYY-MM or YYYY-MM-DD, unquoted")
        if spec.type == ID:
            if isinstance(value, list):
                fail(f"'{name}' must be one id, not a list",
                     f"write '{name}: {value[0] if value else 'an-id'}'" + ("; other actors go in 'involves'" if name == "actor" else ""))
            if not isinstance(value, str) or not load.ID_PATTERN.match(value):
                fail(f"'{name}' must be one id, not '{shown(value)}'",
                     f"ids are lowercase a-z, 0-9 and hyphens, like '{shown(load.suggest_id(str(value)))}'")
            return sys.intern(value)
        if spec.type == COPIES:
            return self.copies(name, value, origin, fail)
        # list types: a single string is accepted as a one-item list
        if value is None:
            items: list[Any] = []
        elif isinstance(value, list):
            items = value
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            items = [value]
        else:
            fail(f"'{name}' must be a list", f"write '{name}: [a, b]' or one '- item' per line")
        if spec.required and not items:
            fail(f"'{name}' is empty", f"list at least one entry in '{name}'")
        seen: dict[str, int] = {}
        out = []
        for index, item in enumerate(items):
            at = origin.line(name, index)
            if isinstance(item, (list, dict)) or item is None or isinstance(item, bool):
                fail(f"entry {index + 1} of '{name}' is not a single value", "one value per '- ' line", at)
            text = str(item).strip()
            if spec.type == IDS and not load.ID_PATTERN.match(text):
                fail(f"'{shown(text)}' in '{name}' is not a valid id",
                     f"ids are lowercase a-z, 0-9 and hyphens, like '{shown(load.suggest_id(text))}'", at)
            if spec.type == REFS:
                source, slash, ann = text.partition("/")
                if not slash or not load.ID_PATTERN.match(source) or not load.ID_PATTERN.match(ann):
                    fail(f"'{shown(text)}' in '{name}' is not an annotation ref", "write <source-id>/<annotation-id>", at)
            if text in seen:
                fail(f"'{shown(text)}' is listed twice in '{name}'", f"remove the repeat (first on line {seen[text]})", at)
            seen[text] = at
            # Interned: otherwise every reference to an actor or motive is a string of its own.
            out.append(sys.intern(text))
        return tuple(out)

    def copies(self, name: str, value: Any, origin: Origin, fail: Callable) -> tuple[Copy, ...]:
        """Each entry a web address, or a mapping of `url` and an optional `label`."""
        items = [] if value is None else value if isinstance(value, list) else [value]
        out: list[Copy] = []
        hint = f"write one '- https://...' per line, or '- {{url: https://..., label: the author’s blog}}'"
        for index, item in enumerate(items):
            at = origin.line(name, index)
            label = ""
            if isinstance(item, dict):
                unknown = sorted(str(key) for key in item if key not in ("url", "label"))
                if unknown:
                    fail(f"entry {index + 1} of '{name}' has an unknown key '{shown(unknown[0])}'",
                         did_you_mean(unknown[0], ("url", "label"), "an entry has 'url' and, if you like, 'label'"), at)
                label = item.get("label")
                if label is not None and (not isinstance(label, str) or not label.strip()):
                    fail(f"the label of entry {index + 1} of '{name}' must be text", "write 'label: the author’s blog'", at)
                label = " ".join((label or "").split())
                item = item.get("url")
            if not isinstance(item, str) or not item.strip():
                fail(f"entry {index + 1} of '{name}' is not a web address", hint, at)
            url = item.strip()
            problem = web_address_problem(url)
            if problem:
                fail(f"entry {index + 1} of '{name}' is not a web address the site can link to: {problem} ('{shown(url)}')",
                     "write the full address, starting with https://, like 'https://example.org/page'", at)
            if any(c.url == url for c in out):
                fail(f"'{shown(url)}' is listed twice in '{name}'", "remove the repeat", at)
            out.append(Copy(url, label or _host(url)))
        return tuple(out)

    # -- bodies ------------------------------------------------------------------------

    def body(self, text: str, first_line: int) -> Body:
        return parse_body(text, first_line)


def _host(url: str) -> str:
    """The host of a web address, without `www.`: a copy's label when the editor gives none."""
    host = url.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return host.rsplit("@", 1)[-1].removeprefix("www.")


def _source_rights(p: _FileParser, values: dict, origin: Origin) -> dict[str, Any]:
    """`partial` with `missing`, `copies`, `reproduce` and `rights`, checked against each other."""
    partial, missing = values.get("partial", False), values.get("missing", "")
    if partial and not missing and ("missing" in values or not origin.gives("missing")):
        p.report(origin.line("missing") if "missing" in values else origin.line("partial"),
                 "'partial: true' without saying what is 'missing'",
                 "add 'missing: \"...\"': what the text lacks, as the page should say it (\"the last two paragraphs\")")
    elif missing and not partial and not origin.gives("partial"):
        p.report(origin.line("missing"), "'missing' given, but the source is not marked 'partial: true'",
                 "add 'partial: true' if the text is incomplete, or remove 'missing'")
    elif missing and "partial" in values and not partial:
        p.report(origin.line("missing"), "'missing' given, but the source says 'partial: false'",
                 "write 'partial: true' if the text is incomplete, or remove 'missing'")
    reproduce = values.get("reproduce") or REPRODUCE[0]
    if reproduce not in REPRODUCE:
        p.report(origin.line("reproduce"), f"'reproduce' must be full or excerpts, not '{shown(reproduce)}'",
                 did_you_mean(reproduce, REPRODUCE, "write 'reproduce: excerpts' to show only the annotated passages, "
                              "or leave it out to show the whole text"))
    elif (reproduce == "excerpts" and not values.get("url") and not origin.gives("url")
          and not values.get("copies") and not origin.gives("copies")):
        p.report(origin.line("reproduce"), "'reproduce: excerpts' without the original's 'url' or a copy in 'copies'",
                 "add 'url: https://...' (or, when only a copy is known, 'copies:'): the page links readers to the "
                 "whole text there")
    return {"partial": partial, "missing": missing, "copies": values.get("copies", ()), "reproduce": reproduce,
            "rights": values.get("rights", "")}


def _parse_site(p: _FileParser) -> Site:
    fm, fm_line, _, _ = p.split()
    values, origin = p.fields(fm, fm_line)
    if p.problems:
        raise _Problems
    summary_line = origin.line("summary") + 1
    return Site(
        title=values["title"],
        description=values.get("description", ""),
        language=values.get("language", "") or "en",
        site_url=values.get("site_url", ""),
        repository=values.get("repository", ""),
        question=values.get("question", ""),
        summary=parse_body(values.get("summary", ""), summary_line),
        about=parse_body(values.get("about", ""), origin.line("about") + 1),
        origin=origin,
    )


def _parse_item(p: _FileParser):
    fm, fm_line, body_text, body_line = p.split()
    values, origin = p.fields(fm, fm_line, body_line)
    raw = p.raw
    kind = raw.kind
    if p.problems and kind not in ("sources", "annotations", "translations"):  # these check their bodies first
        raise _Problems
    if kind == "actors":
        return Actor(raw.id, values["name"], values.get("kind", ""), values.get("primary", False),
                     values.get("position", ""), values.get("evidence", ()), parse_body(body_text, body_line), origin,
                     own_words_searched=values.get("own_words_searched", ""))
    if kind == "motives":
        return Motive(raw.id, values["label"], values.get("group", ""), parse_body(body_text, body_line), origin)
    if kind in ("sources", "translations"):
        tokens = parse_markdown(body_text, body_line)
        text, blocks = plain_text(tokens, body_line)
        body = Body(b"", wikilinks(tokens, body_line), text.encode(), html=body_html(tokens, heading_ids=True))
        if not text.strip():
            p.report(body_line, f"the {'source' if kind == 'sources' else 'translation'} has no text",
                     "paste the article's text below the front matter" if kind == "sources"
                     else "write the translation below the front matter, one paragraph per paragraph of the source")
        rights = _source_rights(p, values, origin) if kind == "sources" else {}
        if p.problems:
            raise _Problems
        if kind == "translations":
            return Translation(raw.id, values["language"], values["by"], values.get("url", ""), values["title"],
                               body, blocks, origin)
        return Source(raw.id, values["title"], values.get("subtitle", ""), values["authors"],
                      values.get("publication", ""), values["published"], values.get("url", ""),
                      values.get("normalised", ()), body, blocks, origin, values.get("language", ""), **rights)
    if kind == "events":
        return Event(raw.id, values["date"], values.get("end"), values.get("after", ()), values["title"],
                     values["actors"], values.get("evidence", ()), parse_body(body_text, body_line), origin)
    if kind == "arguments":
        return Argument(raw.id, values["claim"], values.get("actors", ()), values.get("motives", ()),
                        values["evidence"], values.get("disputed_by", ()), values.get("supports", ()),
                        values.get("opposes", ()), parse_body(body_text, body_line), origin)
    return _parse_annotation(p, values, origin, body_text, body_line)


def _parse_annotation(p: _FileParser, values: dict, origin: Origin, body_text: str, body_line: int) -> Annotation:
    env: dict[str, Any] = {}
    tokens = parse_markdown(body_text, body_line, env)
    hint = "start the body with '> ' followed by the exact passage from the source, then your commentary"
    if not tokens:
        p.report(body_line, "empty annotation: there is no quoted passage", hint)
        raise _Problems
    if tokens[0].type != "blockquote_open":
        first = body_line + (tokens[0].map[0] if tokens[0].map else 0)
        p.report(first, "the annotation must start with the quoted passage as a blockquote", hint)
        raise _Problems
    depth, end = 0, 0
    for index, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:
            end = index
            break
    quote_tokens = tokens[1:end]
    quote, _ = plain_text(quote_tokens)
    quote_line = body_line + (tokens[0].map[0] if tokens[0].map else 0)
    if not quote.strip():
        p.report(quote_line, "empty annotation: the blockquote holds no text", hint)
        raise _Problems
    stance, speaker = _stance(p, values, origin)
    if p.problems:
        raise _Problems
    raw = p.raw
    return Annotation(
        source_id=raw.source_id, id=raw.id, actor=values["actor"], motives=values["motives"],
        stance=stance, speaker=speaker,
        involves=values.get("involves", ()), prefix=values.get("prefix", ""), suffix=values.get("suffix", ""),
        correction=values.get("correction", ""), featured=values.get("featured", False), quote=quote, quote_line=quote_line,
        commentary=_commentary(body_text, body_line, tokens[end + 1:], bool(env.get("references"))),
        origin=origin, translation=values.get("translation", ""),
    )


def _stance(p: _FileParser, values: dict, origin: Origin) -> tuple[str, str]:
    """The annotation's stance (`asserts` when not given) and speaker, checked against each other."""
    if any(origin.gives(name) and name not in values for name in ("stance", "speaker")):
        return "", ""  # one of them is mistaken, and reported: the two are not checked against each other
    stance = values.get("stance") or STANCES[0]
    speaker = values.get("speaker", "")
    if stance not in STANCES:
        p.report(origin.line("stance"), f"unknown stance '{shown(stance)}'",
                 did_you_mean(stance, STANCES, "a stance is asserts (the default), considers, disputes or reports"))
    elif stance == "reports" and not speaker:
        p.report(origin.line("stance"), "'stance: reports' without a 'speaker'",
                 "add 'speaker: <actor id>': the actor whose words the source relays")
    elif speaker and stance != "reports":
        p.report(origin.line("speaker"), f"'speaker' given, but the stance is '{stance}', not 'reports'",
                 "a speaker goes with 'stance: reports' (the source relays its words): add that, or remove 'speaker'")
    return stance, speaker


def _commentary(body_text: str, body_line: int, tokens: list, has_definitions: bool) -> Body:
    """The commentary: the body's lines after the quoted passage, a markdown text of its own.

    The data export gives it as written, to be read back on its own, so when the body defines
    link references (which apply to the whole text parsed) it is parsed on its own here too, and
    reads the same everywhere.
    """
    if not tokens:
        return Body(b"", ())
    first = tokens[0].map[0] if tokens[0].map else 0
    markdown = "\n".join(body_text.split("\n")[first:])
    if has_definitions:
        return parse_body(markdown, body_line + first)
    return dataclasses.replace(body_from_tokens(markdown, tokens, body_line), line=body_line + first)


def parse_file(raw: load.RawFile) -> tuple[Any, list[Diagnostic]]:
    """The record for one file (None when it failed) and its diagnostics."""
    parser = _FileParser(raw)
    try:
        record = _parse_site(parser) if raw.kind == "site" else _parse_item(parser)
    except _Problems:
        record = None
    except TooDeep as error:
        parser.report(error.line, error.message, error.hint)
        record = None
    return record, parser.problems


PARALLEL_CHUNK = 256
"""Files per task when parsing on several cores: small enough to share out evenly."""


def parse_files(files: Sequence[load.RawFile], jobs: int = 1) -> list[tuple[Any, list[Diagnostic]]]:
    """`parse_file` of each file, in order. With `jobs` > 1 the files are parsed by forked workers,
    in chunks, and the records sent back (pickled: a fifth of the cost of parsing them); the
    parse's garbage stays in the workers, and the records arrive packed together in memory."""
    if jobs > 1 and len(files) >= 2 * PARALLEL_CHUNK:
        chunks = [files[i:i + PARALLEL_CHUNK] for i in range(0, len(files), PARALLEL_CHUNK)]
        tasks = [functools.partial(_parse_chunk, chunk) for chunk in chunks]
        return [result for chunk in run_tasks(tasks, jobs, min_tasks=0) for result in chunk]
    return [parse_file(raw) for raw in files]


def parse_all(loaded: load.Loaded, parse: Callable | None = None, jobs: int = 1) -> Parsed:
    """Parse every loaded file: with `parse_files`, or in turn with `parse` when given."""
    files = loaded.files
    results = parse_files(files, jobs) if parse is None else [parse(raw) for raw in files]
    items: dict[str, dict[str, Any]] = {kind: {} for kind in load.KINDS + (load.ANNOTATIONS,)}
    site = None
    broken = set(loaded.unreadable)
    problems: list[Diagnostic] = list(loaded.problems)
    for raw, (record, found) in zip(files, results):
        problems.extend(found)
        if record is None:
            broken.add(load.item_key(raw.kind, raw.id, raw.source_id))
        elif raw.kind == "site":
            site = record
        else:
            items[raw.kind][raw.key] = record
    return Parsed(items, site, frozenset(broken), tuple(problems))


def _parse_chunk(files: Sequence[load.RawFile]) -> list:
    return [parse_file(raw) for raw in files]
