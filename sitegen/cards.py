"""Preview cards: the 1200×630 PNG a shared link shows, with the page's title and the site's name.

Flat design in a four-colour palette (paper, ink, a shade between them for the edges of the
letters, and the accent), so that a card is a 2-bit PNG of about 5-12 KB,
drawn with Pillow's bundled font so that no system font is needed; the same title always gives
the same bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
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


@lru_cache(maxsize=1024)
def _glyph(size: int, character: str) -> tuple[float, int, int, Image.Image]:
    """How the font draws `character` at `size`: its advance, and its coverage (0-255) with
    where the coverage's top left lies from the pen. A card draws its text glyph by glyph
    from these, which gives the pixels Pillow draws for the whole line: the font has no
    kerning, and its hinted advances are whole pixels."""
    font = _font(size)
    left, top, right, bottom = font.getbbox(character)
    coverage = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(coverage).text((-left, -top), character, font=font, fill=255)
    return font.getlength(character), left, top, coverage


@lru_cache(maxsize=4096)
def _has_glyph(character: str) -> bool:
    drawn = _glyph(TITLE_SIZES[-1], character)[3].tobytes()
    return character.isspace() or drawn != _glyph(TITLE_SIZES[-1], "\U000F0000")[3].tobytes()  # a private-use one


_LATIN = re.compile(r"LATIN (CAPITAL|SMALL) (?:LETTER|LIGATURE) ([A-Z]{1,2}|SHARP S|THORN|ETH|ENG|DOTLESS I|SCHWA)( WITH .*)?")
_SPELLED = {"SHARP S": "SS", "THORN": "Th", "ETH": "D", "ENG": "Ng", "DOTLESS I": "I", "SCHWA": "A"}
"""How plain Latin letters spell the capitals whose names do not say (ẞ is written only in
capitals; Azerbaijani Ə is A, as in Aliyev)."""


@lru_cache(maxsize=4096)
def _stand_in(character: str) -> str:
    """What a card draws for `character`: itself, or when the font lacks it (it has only
    unaccented Latin letters and the hyphen), a dash as a hyphen, an accented letter without its
    accent, and another Latin letter as the plain letters of its name, a capital as it begins a
    word (Æ as Ae, ø as o, Ł as L, ß as ss, Þ as Th); else itself, drawn as a box."""
    if _has_glyph(character):
        return character
    if unicodedata.category(character) == "Pd":
        return "-"
    plain = "".join(c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c))
    if plain and all(map(_has_glyph, plain)):
        return plain
    latin = _LATIN.fullmatch(unicodedata.name(character, ""))
    if not latin:
        return character
    letters = _SPELLED.get(latin[2]) or latin[2].capitalize()
    return letters if latin[1] == "CAPITAL" else letters.lower()


def _drawn(text: str) -> str:
    return "".join(map(_stand_in, text))


def drawable(text: str) -> bool:
    """Whether a card draws `text` without boxes (it cannot draw Chinese, Arabic or Cyrillic)."""
    return all(map(_has_glyph, _drawn(text)))


def _length(text: str, size: int) -> float:
    """How wide `text` is drawn at `size`."""
    return sum(_glyph(size, character)[0] for character in text)


def _text(card: Image.Image, xy: tuple[int, int], text: str, size: int, entry: int) -> None:
    """Draw `text` with palette entry `entry` on `card`, its top left at `xy`."""
    pen = ImageDraw.Draw(card)
    x, y = xy
    for character in text:
        advance, left, top, coverage = _glyph(size, character)
        pen.bitmap((x + left, y + top), coverage, fill=entry)
        x += advance


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
        _text(frame, (MARGIN, 96), _one_line(_drawn(kicker).upper(), 30), 30, 1)
    if foot:
        _text(frame, (MARGIN, 550), _one_line(_drawn(foot), 30), 30, SHADES - 1)
    return frame


def draw(title: str, kicker: str, site_title: str) -> bytes:
    """The card: `kicker` (what kind of page, in capitals), `title` as large as fits, and the
    site's name at the foot (unless it is the title).

    The text is drawn straight in palette entries: drawn with the ink's entry (2) on the
    paper's (0), a letter's edge blends to the shade between them (1)."""
    card = _frame(kicker, site_title if site_title != title else "").copy()
    size, lines, step = _fit(_drawn(title), TITLE_BOTTOM - TITLE_TOP)
    for n, line in enumerate(lines):
        _text(card, (MARGIN, TITLE_TOP + n * step), line, size, SHADES - 1)
    card.putpalette(PALETTE)  # an "L" image given a palette is a "P" image
    out = io.BytesIO()
    # Run-length matching: a third of the time of the default strategy, on flat images as small.
    card.save(out, "PNG", compress_type=zlib.Z_RLE)
    return out.getvalue()
