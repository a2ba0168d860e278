"""Preview cards: the 1200×630 PNG a shared link shows, with the page's title and the site's name.

Flat design in a four-colour palette (paper, ink, a shade between them for the edges of the
letters, and the accent), so that a card is a 2-bit PNG of about 5-12 KB,
drawn with Pillow's bundled font so that no system font is needed; the same title always gives
the same bytes.
"""

from __future__ import annotations

import io
import zlib
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
PAPER = (253, 252, 249)
INK = (28, 28, 28)
ACCENT = (10, 86, 163)
SHADES = 3
"""Palette entries 0..2 go from the paper to the ink; entry 3 is the accent."""
TITLE_SIZES = (72, 64, 56, 48)
TITLE_TOP, TITLE_BOTTOM = 170, 500
BAR = 16
"""Height of the accent bar along the top."""


@lru_cache(maxsize=None)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=None)
def _missing() -> bytes:
    """What the font draws for a character it has no glyph for (a private-use one)."""
    return bytes(_font(TITLE_SIZES[-1]).getmask("\U000F0000"))


@lru_cache(maxsize=4096)
def _has_glyph(character: str) -> bool:
    return character.isspace() or bytes(_font(TITLE_SIZES[-1]).getmask(character)) != _missing()


def drawable(text: str) -> bool:
    """Whether the bundled font has a glyph for every character of `text` (it has none for
    Chinese, Arabic or Cyrillic, which it would draw as boxes)."""
    return all(map(_has_glyph, text))


@lru_cache(maxsize=None)
def _advance(size: int, character: str) -> float:
    return _font(size).getlength(character)


def _length(text: str, size: int) -> float:
    """How wide `text` is drawn at `size`: the sum of its characters' advances, exactly, since
    the bundled font has no kerning and its hinted advances are whole pixels."""
    return sum(_advance(size, character) for character in text)


def _wrap(text: str, size: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if not line or _length(candidate, size) <= WIDTH - 2 * MARGIN:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _one_line(text: str, size: int) -> str:
    lines = _wrap(text, size)
    return lines[0] + (" …" if len(lines) > 1 else "") if lines else ""


def _fit(text: str, room: int) -> tuple[int, list[str], int]:
    """The largest title size whose lines fit `room` pixels high; at the smallest, the lines
    that fit, the last ending in an ellipsis."""
    for size in TITLE_SIZES:
        step = round(size * 1.2)
        lines = _wrap(text, size)
        if len(lines) * step <= room:
            return size, lines, step
    lines = lines[:room // step]
    last = lines[-1]
    while last and _length(last + " …", size) > WIDTH - 2 * MARGIN:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    lines[-1] = last + " …"
    return size, lines, step


def _palette() -> list[int]:
    colours = [tuple(round(p + (i - p) * level / (SHADES - 1)) for p, i in zip(PAPER, INK)) for level in range(SHADES)]
    colours.append(ACCENT)
    return [channel for colour in colours for channel in colour]


PALETTE = _palette()


@lru_cache(maxsize=64)
def _frame(kicker: str, foot: str) -> Image.Image:
    """What cards of one kind share: the accent bar, the kicker above the title and the foot."""
    frame = Image.new("L", (WIDTH, HEIGHT), 0)
    pen = ImageDraw.Draw(frame)
    pen.rectangle([0, 0, WIDTH - 1, BAR - 1], fill=SHADES)
    if kicker:
        pen.text((MARGIN, 96), _one_line(kicker.upper(), 30), font=_font(30), fill=1)
    if foot:
        pen.text((MARGIN, 550), _one_line(foot, 30), font=_font(30), fill=SHADES - 1)
    return frame


def draw(title: str, kicker: str, site_title: str) -> bytes:
    """The card: `kicker` (what kind of page, in capitals), `title` as large as fits, and the
    site's name at the foot (unless it is the title).

    The text is drawn straight in palette entries: drawn with the ink's entry (2) on the
    paper's (0), a letter's edge blends to the shade between them (1)."""
    card = _frame(kicker, site_title if site_title != title else "").copy()
    pen = ImageDraw.Draw(card)
    size, lines, step = _fit(title, TITLE_BOTTOM - TITLE_TOP)
    for n, line in enumerate(lines):
        pen.text((MARGIN, TITLE_TOP + n * step), line, font=_font(size), fill=SHADES - 1)
    card.putpalette(PALETTE)  # an "L" image given a palette is a "P" image
    out = io.BytesIO()
    # Run-length matching: a third of the time of the default strategy, on flat images as small.
    card.save(out, "PNG", compress_type=zlib.Z_RLE)
    return out.getvalue()
