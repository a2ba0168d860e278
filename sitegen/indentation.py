"""'- ' list items indented unlike the item above them: what YAML makes of them, and the fix.

Lines given are 0-based lines of the front matter's YAML text, which starts at the file's line
`first_line`; lines returned and named in messages are the file's.
"""

from __future__ import annotations

import yaml

from .diagnostics import shown


def merged_items(yaml_text: str, sequence: yaml.SequenceNode, first_line: int) -> list[tuple[int, str, str]]:
    """(line in the file, message, hint) for each '- ' line YAML read as more of the item above it, which
    happens when it is indented further than that item (the item's text runs on)."""
    found = []
    lines: list[str] = []
    for node in sequence.value:
        if not isinstance(node, yaml.ScalarNode) or node.style or node.end_mark.line == node.start_mark.line:
            continue  # only plain items (style None, or "" from libyaml) run on over lines
        lines = lines or yaml_text.split("\n")
        item = node.start_mark.line
        for at in range(item + 1, node.end_mark.line + 1):
            if _is_item(lines, at):
                found.append((first_line + at,
                              f"this list item is indented further than the item on line {first_line + item}, so YAML "
                              f"reads it as more of that item: '{shown(' '.join(node.value.split()))}'",
                              f"indent it as line {first_line + item}: {_indent(lines, item)} before the '-'"))
    return found


def misindented(yaml_text: str, index: int, first_line: int) -> tuple[str, str] | None:
    """(message, hint) when line `index`, where YAML found no place for what it read, is a '- '
    item indented unlike the nearest item above it (less, or further after a quoted item)."""
    lines = yaml_text.split("\n")
    if not _is_item(lines, index):
        return None
    above = next((at for at in range(index - 1, -1, -1) if _is_item(lines, at)), None)
    if above is None or _spaces(lines, above) == _spaces(lines, index):
        return None
    how = "less" if _spaces(lines, index) < _spaces(lines, above) else "further"
    return (f"malformed YAML: this list item is indented {how} than the item on line {first_line + above}",
            f"indent it as line {first_line + above}: {_indent(lines, above)} before the '-'")


def _is_item(lines: list[str], index: int) -> bool:
    text = lines[index].strip() if index < len(lines) else ""
    return text == "-" or text.startswith("- ")


def _spaces(lines: list[str], index: int) -> int:
    return len(lines[index]) - len(lines[index].lstrip(" "))


def _indent(lines: list[str], index: int) -> str:
    spaces = _spaces(lines, index)
    return "no space" if not spaces else f"{spaces} space{'s' if spaces != 1 else ''}"
