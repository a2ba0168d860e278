"""The argument map's layout: deterministic, arrows pointing right, long arrows kept out of boxes."""

from __future__ import annotations

import re

from sitegen.argmap import NODE_WIDTH, layout_map, render_svg, wrap
from sitegen.model import Argument, Body, Origin


def argument(ident: str, supports=(), opposes=(), claim: str | None = None) -> Argument:
    return Argument(
        id=ident, claim=claim or f"Claim {ident}", actors=(), motives=(), evidence=("s/a",), disputed_by=(),
        supports=tuple(supports), opposes=tuple(opposes), body=Body(b"", ()), origin=Origin(f"{ident}.md"),
    )


def chain_with_a_shortcut() -> dict[str, Argument]:
    # a -> b -> c, and a long arrow d -> c that skips b's column; e stands alone.
    return {
        "a": argument("a", supports=["b"]),
        "b": argument("b", supports=["c"]),
        "c": argument("c"),
        "d": argument("d", opposes=["c"], supports=["x"]),
        "x": argument("x", supports=["b"]),
        "e": argument("e"),
    }


def test_conclusions_stand_right_of_the_arguments_that_bear_on_them():
    layout = layout_map(chain_with_a_shortcut())
    column = {n.id: n.column for n in layout.nodes}
    assert column["a"] < column["b"] < column["c"]
    assert column["x"] < column["b"]
    assert column["e"] == max(column.values()), "an argument related to nothing counts as a conclusion"
    for edge in layout.edges:
        assert column[edge.source] < column[edge.target]


def test_the_same_arguments_give_the_same_drawing():
    first = render_svg(layout_map(chain_with_a_shortcut()), {k: k for k in "abcdxe"}, lambda i: f"#{i}")
    shuffled = dict(reversed(list(chain_with_a_shortcut().items())))
    second = render_svg(layout_map(shuffled), {k: k for k in "abcdxe"}, lambda i: f"#{i}")
    assert first == second


def test_an_arrow_that_skips_a_column_runs_between_that_columns_boxes():
    # a stands two columns left of c (it also supports m2), so a -> c crosses the middle column.
    args = {
        "a": argument("a", supports=["c", "m2"]),
        "b": argument("b", supports=["m1"]),
        "m1": argument("m1", supports=["c"]),
        "m2": argument("m2", supports=["c"]),
        "z": argument("z", supports=["m2"]),
        "c": argument("c"),
    }
    layout = layout_map(args)
    nodes = {n.id: n for n in layout.nodes}
    assert nodes["a"].column == 0 and nodes["m1"].column == 1 and nodes["c"].column == 2
    edge = next(e for e in layout.edges if e.source == "a" and e.target == "c")
    # The straight run across the middle column is at a height no box of that column covers.
    crossing = re.search(r" H(\d+)", edge.path)
    assert crossing and int(crossing.group(1)) == nodes["m1"].x + NODE_WIDTH
    ys = [int(y) for y in re.findall(r",(\d+) H", edge.path)]
    for node in (nodes["m1"], nodes["m2"]):
        assert all(not node.y <= y <= node.y + node.height for y in ys)


def test_arrows_meeting_one_box_arrive_at_different_heights():
    args = {f"s{i}": argument(f"s{i}", supports=["goal"]) for i in range(5)}
    args["goal"] = argument("goal")
    layout = layout_map(args)
    ends = [int(e.path.rsplit(",", 1)[1]) for e in layout.edges]
    assert len(set(ends)) == 5
    goal = next(n for n in layout.nodes if n.id == "goal")
    assert all(goal.y < y < goal.y + goal.height for y in ends)


def test_a_cycle_is_drawn_without_failing():
    args = {"p": argument("p", supports=["q"]), "q": argument("q", opposes=["p"])}
    layout = layout_map(args)
    assert {n.id for n in layout.nodes} == {"p", "q"}
    assert len(layout.edges) == 2


def test_long_claims_wrap_and_are_cut_with_an_ellipsis():
    lines = wrap("word " * 60, width=20, max_lines=3)
    assert len(lines) == 3 and all(len(line) <= 20 for line in lines)
    assert lines[-1].endswith("…")
    assert wrap("short claim") == ("short claim",)


def test_the_svg_names_itself_and_escapes_claims():
    args = {"a": argument("a", supports=["b"], claim="A <b>bold</b> & risky claim"), "b": argument("b")}
    svg = render_svg(layout_map(args), {i: a.claim for i, a in args.items()}, lambda i: f"/arguments/#{i}")
    assert '<title id="argmap_title">Argument map</title>' in svg
    assert "A &lt;b&gt;bold&lt;/b&gt; &amp; risky claim" in svg
    assert "<b>" not in svg
    assert 'href="/arguments/#a"' in svg
    assert 'marker-end="url(#argmap_head_supports)"' in svg


def test_no_arguments_no_map():
    layout = layout_map({})
    assert layout.nodes == () and layout.width == 0
    assert render_svg(layout, {}, lambda i: i) == ""
