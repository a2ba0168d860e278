"""Front matter's YAML, read safely: no tags, anchors, aliases or lone surrogates, and the same
message and line whichever YAML loader is installed."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .diagnostics import shown

_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


class Refused(Exception):
    """YAML that front matter does not take: tags, anchors, aliases, lone surrogates."""

    def __init__(self, line: int, message: str, hint: str):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


_MAYBE_REFUSED = re.compile(r"[!&*\\]")
"""What a tag (`!`), an anchor (`&`), an alias (`*`) or an escape (`\\ud800`) starts with."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse(text: str) -> None:
    """Raise `Refused` at the first tag, anchor, alias or lone surrogate of the YAML text.

    Tags would make objects of any kind (`!!set`, `!!binary`), and aliases let a few hundred
    bytes stand for gigabytes; front matter needs neither. The events are read in order, so
    no alias is ever expanded. On a syntax error it stops: composing reports it.
    """
    for loader in (_FAST_LOADER, yaml.SafeLoader):
        if loader is None:
            continue
        try:
            for event in yaml.parse(text, Loader=loader):
                line = event.start_mark.line if event.start_mark else 0
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                    sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                    raise Refused(line, f"YAML anchors and aliases ('{sign}{shown(event.anchor)}') are not allowed in front matter",
                                   f"write the value out in full; quote a value that starts with '{sign}'")
                tag = getattr(event, "tag", None)
                if tag is not None:
                    written = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
                    raise Refused(line, f"YAML tags ('{shown(written)}') are not allowed in front matter",
                                   "remove the tag; quote a value that starts with '!'")
                if isinstance(event, yaml.ScalarEvent) and _SURROGATE.search(event.value):
                    raise Refused(line, "an escape in this value stands for half of a character (a lone surrogate, "
                                   "like '\\ud800'), which cannot be published",
                                   "write the character itself, or escape the whole code point, like '\\U0001F600'")
            return
        except yaml.YAMLError:
            continue


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree, composed by libyaml when available.

    On any error the pure-Python loader composes it again, so the message and line are the
    same whichever loader is installed. Raises `Refused` for what front matter does not take.
    """
    if _MAYBE_REFUSED.search(text):
        _refuse(text)
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


class _Constructor(yaml.constructor.SafeConstructor):
    """The safe loader's constructor, reading a plain `=` as text (YAML's 'value' tag, which it
    cannot construct)."""


_Constructor.add_constructor("tag:yaml.org,2002:value", yaml.constructor.SafeConstructor.construct_yaml_str)


def construct(node: yaml.Node) -> Any:
    return _Constructor().construct_document(node)
