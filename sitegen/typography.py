"""Quoting a passage inline: the words in typographic quotes, shortened when a label must be short.

A passage that itself quotes someone ("Mao Ning said, “Beijing supports …”") would read
“… said, “Beijing supports …”” once wrapped in quotes of its own. Inside an inline quotation
the quotation marks it contains become single ones, as English style has it: the words stay
the source's, only the level of quoting changes. Block quotations (`<blockquote>`) have no
marks of their own and show the passage exactly as the source prints it.
"""

from __future__ import annotations

import re

_OPENS_AFTER = " \t\n([{‘—–-/"
"""A straight quote after one of these (or at the start) opens a quotation; elsewhere it closes."""
_CUT_TRAILING = ",;:–—-"


def shorten(text: str, limit: int) -> str:
    """The text on one line, cut at a word boundary to at most `limit` characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(_CUT_TRAILING) + "…"


def nest(text: str) -> str:
    """The text with its double quotation marks, curly or straight, made single."""
    text = text.replace("“", "‘").replace("”", "’")
    if '"' not in text:
        return text
    return re.sub('"', lambda m: "‘" if m.start() == 0 or text[m.start() - 1] in _OPENS_AFTER else "’", text)


def quoted(text: str, limit: int | None = None) -> str:
    """The passage as an inline quotation: “…”, nested marks made single, shortened to `limit`."""
    words = shorten(text, limit) if limit is not None else " ".join(text.split())
    return f"“{nest(words)}”"
