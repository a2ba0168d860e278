"""Content diagnostics: every mistake an editor can make, reported as `path:line: message`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem in the content, pinned to a file and a line."""

    path: str
    """The file, as the editor would type it (the content folder joined with the relative path)."""
    line: int
    """1-based line in that file; 1 when the problem is the file as a whole."""
    message: str
    """What is wrong, in one sentence."""
    hint: str = ""
    """How to fix it ("did you mean ...?"), or empty when there is nothing useful to add; a hint
    of several lines is printed as several `hint:` lines."""
    severity: str = "error"
    """"error" fails the build; "warning" fails it only under --strict."""

    def format(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        text = f"{self.path}:{self.line}: {label}{self.message}"
        for line in self.hint.split("\n") if self.hint else ():
            text += f"\n    hint: {line}"
        return text


class ContentError(Exception):
    """Raised when the content has errors; carries every diagnostic, sorted."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__(f"{len(self.diagnostics)} content error(s)")


SHOWN_CHARS = 60
"""The most of a value that a message quotes: a value can be as long as its file."""


def shown(value: object) -> str:
    """`value` as a message quotes it: at most SHOWN_CHARS characters, then '…'."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def did_you_mean(word: str, candidates: Iterable[str], fallback: str = "") -> str:
    """A hint naming the closest candidate, or `fallback` when nothing is close."""
    pool = sorted(set(candidates))
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return fallback


def format_report(diagnostics: Iterable[Diagnostic]) -> str:
    ordered = sorted(diagnostics)
    lines = [d.format() for d in ordered]
    errors = sum(1 for d in ordered if d.severity == "error")
    warnings = len(ordered) - errors
    summary = []
    if errors:
        summary.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        summary.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if summary:
        lines.append(", ".join(summary))
    return "\n".join(lines)
