"""Argument map: a layered drawing of which argument supports or opposes which, laid out at build time.

The layout is a small Sugiyama-style pass, deterministic for the same arguments:

- each argument stands in a column by how far it is from a conclusion (an argument that
  supports or opposes nothing): conclusions on the right, the arguments behind them to their
  left, so every arrow points right, towards the claim it bears on;
- an arrow that skips a column passes through a waypoint there, laid out like a small box,
  so that it runs between the boxes of that column instead of under them;
- each weakly connected group of arguments gets its own band of rows, biggest group first;
- within a column, a few barycentre sweeps put related arguments next to each other;
- the arrows meeting one side of a box are spread along it, so arrowheads stay apart.

More than PART_SIZE arguments are drawn as several maps (`layout_parts`), each of whole groups
or of a connected piece of a bigger group, so that no page of the map grows with the site.

`render_svg` turns the layout into inline SVG whose nodes link to the arguments' pages. Each
box shows its number (the arguments' reading order), a letter per source that makes or raises
the claim, in that source's colour, and the whole claim, wrapped; supports and opposes differ
in line style, arrowhead and a +/− sign, not only in colour.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from markupsafe import escape

from .model import Argument

NODE_WIDTH = 300
"""Width of an argument's box, in SVG user units (CSS pixels at natural size)."""
COLUMN_GAP = 96
"""Horizontal room between columns, where the arrows run."""
ROW_GAP = 20
"""Vertical room between boxes in one column."""
GROUP_GAP = 40
"""Vertical room between unconnected groups of arguments."""
MARGIN = 10
"""Empty border around the drawing, so strokes and focus rings are not clipped."""
FONT_SIZE = 13
LINE_HEIGHT = 17
PADDING = 10
"""Inner padding of a box around its text."""
CHARS_PER_LINE = 38
"""Characters that fit in one line of a box at FONT_SIZE (a generous average glyph width)."""
HEADER = 24
"""The row above the claim holding the argument's number and its sources' letters."""
BADGE = 18
"""Side of a source's letter mark."""
STRIPE = 5
"""Width of the coloured band down a box's left side, one segment per source making the claim."""

PART_SIZE = 40
"""Most arguments one map shows. A site with more has its map in parts, each of related
arguments, so that no page grows with the number of arguments; a part is one page."""

PORT_GAP = 18
"""Least vertical room between two arrows meeting one side of a box."""
WAYPOINT_HEIGHT = 6
"""Room an arrow takes where it crosses a column."""
LABEL_OFFSET = 18
"""Distance of an arrow's +/− sign from the box it leaves."""


@dataclass(frozen=True, slots=True)
class MapNode:
    """One argument's box."""

    id: str
    """The argument's id (its anchor on the arguments page)."""
    column: int
    """0 is the leftmost column; conclusions stand in the rightmost one."""
    x: int
    y: int
    """Top-left corner, in SVG user units."""
    width: int
    height: int
    lines: tuple[str, ...]
    """The whole claim, wrapped to fit the box."""


@dataclass(frozen=True, slots=True)
class MapEdge:
    """One relation, drawn from the argument that makes it to the argument it bears on."""

    source: str
    """The argument that supports or opposes."""
    target: str
    """The argument supported or opposed."""
    relation: str
    """`supports` or `opposes`."""
    path: str
    """SVG path data of the curve."""
    label_x: int
    label_y: int
    """Where the +/− sign sits: just after the arrow leaves its box."""


@dataclass(frozen=True, slots=True)
class ArgumentMap:
    """The whole drawing: boxes, arrows and the size of the canvas."""

    nodes: tuple[MapNode, ...]
    """In reading order: group by group, conclusions first, then top to bottom."""
    edges: tuple[MapEdge, ...]
    """Sorted by (source, relation, target)."""
    width: int
    height: int


def wrap(text: str, width: int = CHARS_PER_LINE) -> tuple[str, ...]:
    """Greedy word wrap; a word longer than a line has a line of its own."""
    return tuple(textwrap.wrap(" ".join(text.split()), width, break_long_words=False, break_on_hyphens=False)) or ("",)


def _relations(arguments: Mapping[str, Argument]) -> list[tuple[str, str, str]]:
    """Every relation between the given arguments (one to an argument not given is left out)."""
    return sorted({(arg_id, relation, target) for arg_id, argument in arguments.items()
                   for relation in ("supports", "opposes") for target in getattr(argument, relation) if target in arguments})


def _successors(relations: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    """The arguments each argument bears on, once each, in relation order."""
    successors: dict[str, list[str]] = defaultdict(list)
    for source, _, target in relations:
        if target not in successors[source]:
            successors[source].append(target)
    return successors


def _groups(ids: Sequence[str], edges: list[tuple[str, str, str]]) -> list[list[str]]:
    """Weakly connected groups, biggest first, then by their first id."""
    parent = {i: i for i in ids}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for source, _, target in edges:
        a, b = find(source), find(target)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        members[find(i)].append(i)
    return sorted(members.values(), key=lambda g: (-len(g), g[0]))


def _depths(ids: Sequence[str], successors: Mapping[str, list[str]]) -> dict[str, int]:
    """Longest path to a conclusion. A cycle is cut where a depth-first walk, in id order, meets it."""
    depth: dict[str, int] = {}
    on_path: set[str] = set()

    def visit(node: str) -> int:
        if node in depth:
            return depth[node]
        on_path.add(node)
        best = 0
        for nxt in successors.get(node, ()):
            if nxt in on_path:
                continue  # a back edge: drawing it does not need it to point right
            best = max(best, visit(nxt) + 1)
        on_path.discard(node)
        depth[node] = best
        return best

    for node in ids:
        visit(node)
    return depth


def _order_columns(columns: dict[int, list[str]], successors, predecessors) -> dict[int, list[str]]:
    """Barycentre sweeps: place each argument near the arguments it is related to."""
    if not columns:
        return columns
    last = max(columns)
    column_of = {n: c for c, ns in columns.items() for n in ns}
    for _ in range(4):
        for forward in (False, True):
            span = range(1, last + 1) if forward else range(last - 1, -1, -1)
            for col in span:
                if col not in columns:
                    continue
                position = {n: i for c in columns.values() for i, n in enumerate(c)}
                neighbours = predecessors if forward else successors

                def key(node: str, index: int) -> tuple[float, int, str]:
                    near = [position[m] for m in neighbours.get(node, ())
                            if (column_of[m] < col if forward else column_of[m] > col)]
                    centre = sum(near) / len(near) if near else float(index)
                    return (centre, index, node)

                columns[col] = [n for _, _, n in sorted(key(n, i) for i, n in enumerate(columns[col]))]
    return columns


def layout_map(arguments: Mapping[str, Argument]) -> ArgumentMap:
    ids = sorted(arguments)
    relations = _relations(arguments)
    successors = _successors(relations)
    predecessors: dict[str, list[str]] = defaultdict(list)
    for source, targets in successors.items():
        for target in targets:
            predecessors[target].append(source)
    depth = _depths(ids, successors)
    deepest = max(depth.values(), default=0)
    column = {i: deepest - depth[i] for i in ids}
    lines = {i: wrap(arguments[i].claim) for i in ids}
    degree = defaultdict(int)
    for source, _, target in relations:
        degree[(source, "out")] += 1
        degree[(target, "in")] += 1
    # A box is tall enough for its text and for the arrows that meet it to stay apart.
    heights: dict[str, int] = {
        i: max(2 * PADDING + HEADER + LINE_HEIGHT * len(lines[i]),
               PORT_GAP * (max(degree[(i, "in")], degree[(i, "out")]) + 1))
        for i in ids
    }

    # An arrow that skips columns passes through a waypoint in each column it crosses; the
    # waypoints are laid out like small boxes, so the arrow runs between boxes, not under them.
    waypoints: dict[tuple[str, str, str], list[str]] = {}
    order_next: dict[str, list[str]] = defaultdict(list)
    order_prev: dict[str, list[str]] = defaultdict(list)
    for source, relation, target in relations:
        crossed = range(column[source] + 1, column[target])
        stops = waypoints[(source, relation, target)] = [f"{source}>{relation}>{target}@{c}" for c in crossed]
        for stop, col in zip(stops, crossed):
            column[stop], heights[stop] = col, WAYPOINT_HEIGHT
        chain = [source, *stops, target]
        for a, b in zip(chain, chain[1:]):
            if b not in order_next[a]:
                order_next[a].append(b)
                order_prev[b].append(a)

    boxes: dict[str, MapNode] = {}
    stops_at: dict[str, tuple[int, int]] = {}
    reading: list[str] = []
    top = MARGIN
    for group in _groups(ids, relations):
        members = set(group)
        columns: dict[int, list[str]] = defaultdict(list)
        for node in group:
            columns[column[node]].append(node)
        for (source, _, _), stops in sorted(waypoints.items()):
            if source in members:
                for stop in stops:
                    columns[column[stop]].append(stop)
        columns = _order_columns(dict(sorted(columns.items())), order_next, order_prev)
        column_height = {c: sum(heights[n] for n in ns) + ROW_GAP * (len(ns) - 1) for c, ns in columns.items()}
        band = max(column_height.values())
        for col, stack in columns.items():
            x = MARGIN + col * (NODE_WIDTH + COLUMN_GAP)
            y = top + (band - column_height[col]) // 2  # centre short columns in the band
            for node in stack:
                if node in members:
                    boxes[node] = MapNode(node, col, x, y, NODE_WIDTH, heights[node], lines[node])
                else:
                    stops_at[node] = (x, y + heights[node] // 2)
                y += heights[node] + ROW_GAP
        for col in sorted(columns, reverse=True):
            reading.extend(n for n in columns[col] if n in members)
        top += band + GROUP_GAP

    def hop(s: str, relation: str, t: str, end: int) -> int:
        """The height of the first (`end` 0) or last (-1) place the arrow goes to after its box or before it."""
        stops = waypoints.get((s, relation, t))
        box = boxes[t if end == 0 else s]
        return stops_at[stops[end]][1] if stops else box.y + box.height // 2

    # Spread the arrows that leave or enter one box along its side, in the order of where they
    # come from or go to, so that they do not cross at the box and arrowheads do not overlap.
    leaving: dict[str, list] = defaultdict(list)
    arriving: dict[str, list] = defaultdict(list)
    for s, relation, t in relations:
        leaving[s].append((hop(s, relation, t, 0), t, relation))
        arriving[t].append((hop(s, relation, t, -1), s, relation))

    def port(box: MapNode, ends: list, other: str, relation: str) -> int:
        ordered = sorted(ends)
        slot = next(i for i, (_, o, r) in enumerate(ordered) if o == other and r == relation)
        return box.y + box.height * (slot + 1) // (len(ordered) + 1)

    edges = tuple(
        _edge(boxes[s], boxes[t], relation,
              port(boxes[s], leaving[s], t, relation), port(boxes[t], arriving[t], s, relation),
              [stops_at[w] for w in waypoints.get((s, relation, t), ())])
        for s, relation, t in relations
    )
    width = MARGIN * 2 + (deepest + 1) * NODE_WIDTH + deepest * COLUMN_GAP if ids else 0
    height = top - GROUP_GAP + MARGIN if ids else 0
    return ArgumentMap(tuple(boxes[i] for i in reading), edges, width, height)


def _pieces(group: list[str], edges: list[tuple[str, str, str]], size: int) -> list[list[str]]:
    """A connected group cut into connected pieces of at most `size` arguments: a spanning tree
    from the group's first argument, cut bottom-up wherever a subtree would overfill its parent's
    piece. Pieces come in the order their top arguments are reached."""
    members = set(group)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for source, _, target in edges:
        if source in members and target in members:
            neighbours[source].add(target)
            neighbours[target].add(source)
    root = group[0]
    parent, order, queue = {root: ""}, [], deque([root])
    while queue:
        node = queue.popleft()
        order.append(node)
        for other in sorted(neighbours[node]):
            if other not in parent:
                parent[other] = node
                queue.append(other)
    held: dict[str, list[str]] = {n: [n] for n in order}
    cut: dict[str, list[str]] = {}
    for node in reversed(order):
        if node == root:
            break
        up = parent[node]
        if len(held[up]) + len(held[node]) > size:
            cut[node] = held[node]
        else:
            held[up].extend(held[node])
    cut[root] = held[root]
    rank = {n: i for i, n in enumerate(order)}
    return [sorted(cut[top], key=rank.__getitem__) for top in sorted(cut, key=rank.__getitem__)]


def partition(arguments: Mapping[str, Argument], size: int | None = None) -> list[list[str]]:
    """The arguments in parts of at most `size` (PART_SIZE), made of whole groups of related
    arguments or, for a group bigger than a part, of connected pieces of it; biggest group first."""
    size = size or PART_SIZE
    ids = sorted(arguments)
    relations = _relations(arguments)
    depth = _depths(ids, _successors(relations))
    parts: list[list[str]] = []
    for group in _groups(ids, relations):
        # Start from a conclusion, so the first piece holds the group's conclusions.
        group = sorted(group, key=lambda n: (depth[n], n))
        for piece in _pieces(group, relations, size) if len(group) > size else [group]:
            if parts and len(parts[-1]) + len(piece) <= size:
                parts[-1].extend(piece)
            else:
                parts.append(list(piece))
    return parts


def layout_parts(arguments: Mapping[str, Argument], size: int | None = None) -> tuple[ArgumentMap, ...]:
    """One map per part (see `partition`); an arrow to an argument in another part is left out
    of the drawing (the argument's page and the list name it)."""
    return tuple(layout_map({i: arguments[i] for i in part}) for part in partition(arguments, size))


@dataclass(frozen=True, slots=True)
class Place:
    """An argument among the others: where the map numbers and draws it, and what bears on it."""

    number: int
    """Its box's number, in the map's reading order, from 1."""
    part: int
    """The part of the map its box is in, from 0."""
    supported_by: tuple[str, ...]
    opposed_by: tuple[str, ...]


def places(arguments: Mapping[str, Argument], maps: Sequence[ArgumentMap]) -> dict[str, Place]:
    """Each argument's `Place`, in the map's reading order, part by part."""
    bearing: dict[tuple[str, str], list[str]] = defaultdict(list)
    for arg_id, argument in arguments.items():
        for relation in ("supports", "opposes"):
            for target in getattr(argument, relation):
                bearing[(relation, target)].append(arg_id)
    ordered = [(node.id, part) for part, layout in enumerate(maps) for node in layout.nodes]
    return {arg_id: Place(number, part, tuple(bearing[("supports", arg_id)]), tuple(bearing[("opposes", arg_id)]))
            for number, (arg_id, part) in enumerate(ordered, 1)}


def _curve(x1: int, y1: int, x2: int, y2: int) -> str:
    """A cubic segment leaving and arriving horizontally."""
    bend = (x2 - x1) // 2
    return f" C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"


def _edge(source: MapNode, target: MapNode, relation: str, sy: int, ty: int,
          stops: list[tuple[int, int]]) -> MapEdge:
    """The path from `source` (leaving at height `sy`) through `stops` to `target` (at `ty`).

    Each stop is the left end of a waypoint; the path crosses that column straight across.
    The +/− sign sits just after the arrow leaves its box, where arrows are still apart.
    """
    if target.column > source.column:
        x, y = source.x + source.width, sy
        path = f"M{x},{y}"
        for stop_x, stop_y in stops:
            path += _curve(x, y, stop_x, stop_y) + f" H{stop_x + NODE_WIDTH}"
            x, y = stop_x + NODE_WIDTH, stop_y
        path += _curve(x, y, target.x, ty)
        label_x = source.x + source.width + LABEL_OFFSET
    else:
        # Same column or backwards (only in a cycle): loop out to the left and come back in.
        x1, x2 = source.x, target.x
        loop = COLUMN_GAP // 2 + 20
        path = f"M{x1},{sy} C{x1 - loop},{sy} {x2 - loop},{ty} {x2},{ty}"
        label_x = source.x - LABEL_OFFSET
    return MapEdge(source.id, target.id, relation, path, label_x, sy)


@dataclass(frozen=True, slots=True)
class SourceBadge:
    """A source's mark on a box: its letter, its colour slot, and whether it makes the claim
    (a filled mark) or only raises it, hedged (an outlined one)."""

    letter: str
    colour: int
    made: bool


def _badges(node: MapNode, number: int, badges: Sequence[SourceBadge]) -> list[str]:
    """The box's header row (number, then a letter per source) and its band of source colours."""
    top = node.y + PADDING
    out = [f'<text class="num" x="{node.x + PADDING + STRIPE}" y="{top + BADGE - 4}">{number}</text>']
    x = node.x + PADDING + STRIPE + 8 + 9 * len(str(number))
    for badge in badges:
        kind = "made" if badge.made else "hedged"
        width = BADGE + 9 * (len(badge.letter) - 1)
        out.append(f'<rect class="badge {kind} src-{badge.colour}" x="{x}" y="{top}" width="{width}" '
                   f'height="{BADGE}" rx="3"/>'
                   f'<text class="badge-letter {kind} src-{badge.colour}" x="{x + width // 2}" y="{top + BADGE - 5}" '
                   f'text-anchor="middle">{badge.letter}</text>')
        x += width + 4
    made = [b for b in badges if b.made]
    inner = node.height - 2 * 3
    for i, badge in enumerate(made):
        y0, y1 = node.y + 3 + inner * i // len(made), node.y + 3 + inner * (i + 1) // len(made)
        out.append(f'<rect class="stripe src-{badge.colour}" x="{node.x + 3}" y="{y0}" width="{STRIPE}" height="{y1 - y0}"/>')
    return out


def render_svg(layout: ArgumentMap, href: Callable[[str], str],
               badges: Mapping[str, Sequence[SourceBadge]] | None = None, first: int = 1) -> str:
    """Inline SVG for the layout. `href(id)` gives each node's link; `badges` the marks of the
    sources that make or raise each claim; `first` the number of the first box (a part of a
    map goes on numbering where the part before it stopped). A box's link is named by its
    text (number, source letters, claim): the claim is whole, so a tooltip would only repeat it."""
    if not layout.nodes:
        return ""
    count = len(layout.nodes)
    supports = sum(1 for e in layout.edges if e.relation == "supports")
    opposes = len(layout.edges) - supports
    out = [
        f'<svg class="argmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} {layout.height}" '
        f'width="{layout.width}" height="{layout.height}" aria-labelledby="argmap_title argmap_desc">',
        '<title id="argmap_title">Argument map</title>',
        f'<desc id="argmap_desc">{count} argument{"s" if count != 1 else ""}, {supports} support '
        f'relation{"s" if supports != 1 else ""} and {opposes} opposition{"s" if opposes != 1 else ""}. '
        "Arrows run from an argument to the one it bears on: a solid line with a filled arrowhead and a plus sign "
        "where it supports it, a dashed line with a bar and a minus sign where it opposes it. "
        "Each box is numbered; the list after the map gives the same arguments in the same order.</desc>",
        "<defs>",
        '<marker id="argmap_head_supports" class="head-supports" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker>',
        '<marker id="argmap_head_opposes" class="head-opposes" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto"><path d="M8,0 L8,10 M10,0 L10,10"/></marker>',
        "</defs>",
        '<g class="edges" aria-hidden="true">',
    ]
    for edge in layout.edges:
        sign = "+" if edge.relation == "supports" else "−"
        out.append(
            f'<g class="edge edge-{edge.relation}" data-from="{edge.source}" data-to="{edge.target}">'
            f'<path d="{edge.path}" marker-end="url(#argmap_head_{edge.relation})"/>'
            f'<circle cx="{edge.label_x}" cy="{edge.label_y}" r="7"/>'
            f'<text x="{edge.label_x}" y="{edge.label_y}" dy="0.35em" text-anchor="middle">{sign}</text></g>'
        )
    out.append("</g>")
    out.append('<g class="nodes">')
    for number, node in enumerate(layout.nodes, first):
        text_top = node.y + PADDING + HEADER
        tspans = "".join(
            f'<tspan x="{node.x + PADDING + STRIPE}" y="{text_top + LINE_HEIGHT * (i + 1) - 4}">{escape(line)}</tspan>'
            for i, line in enumerate(node.lines)
        )
        out.append(
            f'<a class="node" id="{node.id}" href="{escape(href(node.id))}" data-arg="{node.id}">'
            f'<rect class="box" x="{node.x}" y="{node.y}" width="{node.width}" height="{node.height}" rx="6"/>'
            + "".join(_badges(node, number, (badges or {}).get(node.id, ())))
            + f'<text class="claim-text" font-size="{FONT_SIZE}">{tspans}</text></a>'
        )
    out.append("</g></svg>")
    return "\n".join(out)
