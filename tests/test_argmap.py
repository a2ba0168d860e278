"""The argument map's layout: deterministic, arrows pointing right, long arrows kept out of boxes."""

from __future__ import annotations

import re

from sitegen.argmap import LINE_HEIGHT, NODE_WIDTH, SourceBadge, layout_map, layout_parts, partition, render_svg, wrap
from sitegen.model import Argument, Body, Origin
from sitegen.pipeline import validate

from .conftest import ROOT, require, run_build
from .htmltree import load_page


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
    first = render_svg(layout_map(chain_with_a_shortcut()), lambda i: f"#{i}")
    shuffled = dict(reversed(list(chain_with_a_shortcut().items())))
    second = render_svg(layout_map(shuffled), lambda i: f"#{i}")
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


def test_long_claims_wrap_whole_onto_lines():
    claim = "word " * 60
    lines = wrap(claim, width=20)
    assert all(len(line) <= 20 for line in lines) and " ".join(lines) == claim.strip()
    assert wrap("short claim") == ("short claim",)
    layout = layout_map({"a": argument("a", claim=claim)})
    assert layout.nodes[0].lines == wrap(claim) and layout.nodes[0].height > LINE_HEIGHT * len(wrap(claim))


def test_each_box_shows_its_number_and_a_mark_per_source():
    args = {"a": argument("a", supports=["b"]), "b": argument("b")}
    badges = {"a": (SourceBadge("A", 0, True), SourceBadge("B", 1, False)), "b": (SourceBadge("B", 1, True),)}
    svg = render_svg(layout_map(args), lambda i: f"/arguments/{i}/", badges)
    node_a = svg[svg.index('<a class="node" id="a"'):].split("</a>")[0]
    assert '<text class="num"' in node_a and ">2</text>" in node_a
    assert '<rect class="badge made src-0"' in node_a and '<rect class="badge hedged src-1"' in node_a
    assert node_a.count('class="stripe') == 1, "the band down the side shows only the sources making the claim"


def test_the_svg_names_itself_and_escapes_claims():
    args = {"a": argument("a", supports=["b"], claim="A <b>bold</b> & risky claim"), "b": argument("b")}
    svg = render_svg(layout_map(args), lambda i: f"/arguments/#{i}")
    assert '<title id="argmap_title">Argument map</title>' in svg
    assert "A &lt;b&gt;bold&lt;/b&gt; &amp; risky claim" in svg
    assert "<b>" not in svg
    assert 'href="/arguments/#a"' in svg and 'id="a"' in svg
    assert 'marker-end="url(#argmap_head_supports)"' in svg


def test_no_arguments_no_map():
    layout = layout_map({})
    assert layout.nodes == () and layout.width == 0
    assert render_svg(layout, lambda i: i) == ""


def test_the_real_maps_claims_are_whole_and_every_source_has_a_legend_entry(tmp_path):
    content = ROOT / "content"
    require((content / "site.yaml").is_file(), "content/ is not written yet")
    out = tmp_path / "site"
    result = run_build("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = load_page(out, "arguments/")
    svg = page.find("svg", cls="argmap")
    texts = [t.text() for t in svg.find_all("text", cls="claim-text")]
    assert texts and not any("…" in t for t in texts)
    validated = validate(content)
    claims = {" ".join(validated.model.arguments[a.attrs["id"]].claim.split()): a for a in svg.find_all("a", cls="node")}
    assert {" ".join(t.text() for t in a.find("text", cls="claim-text").find_all("tspan")) for a in claims.values()} == set(claims)
    legend = [li.find("cite").text() for li in page.find("ul", cls="argmap-legend").find_all("li") if li.find_all("cite")]
    sources = {s for b in validated.index.argument_basis.values() for s in b.made_in + b.considered_in + b.disputed_in}
    assert legend == [validated.model.sources[s].title for s in validated.index.source_order if s in sources]
    letters = {t.text() for t in svg.find_all("text", cls="badge-letter")}
    assert letters == {chr(ord("A") + i) for i in range(len(legend))}


def random_tree(n: int, seed: int = 7) -> dict[str, Argument]:
    """n arguments, each (but the first) supporting or opposing an earlier one, as the benchmark's are."""
    import random

    rng = random.Random(seed)
    args = {"a000": argument("a000")}
    for i in range(1, n):
        other = f"a{rng.randrange(i):03d}"
        args[f"a{i:03d}"] = argument(f"a{i:03d}", **{"supports" if rng.random() < 0.5 else "opposes": [other]})
    return args


def test_a_big_map_comes_in_parts_of_related_arguments():
    args = random_tree(120)
    args["lone"] = argument("lone")
    parts = partition(args, 25)
    assert sorted(i for part in parts for i in part) == sorted(args)
    assert all(len(part) <= 25 for part in parts) and len(parts) < 120 / 25 * 2
    # The first part starts from the conclusion; an argument related to nothing is not split off alone.
    assert parts[0][0] == "a000" and any("lone" in part and len(part) > 1 for part in parts)
    maps = layout_parts(args, 25)
    assert [{n.id for n in m.nodes} for m in maps] == [set(p) for p in parts]
    for part, layout in zip(parts, maps):
        assert {(e.source, e.target) for e in layout.edges} == {
            (i, t) for i in part for t in args[i].supports + args[i].opposes if t in part}
    assert partition(dict(reversed(list(args.items()))), 25) == parts


def test_a_map_that_fits_one_part_is_drawn_whole():
    args = chain_with_a_shortcut()
    assert len(partition(args, 60)) == 1
    assert layout_parts(args) == (layout_map(args),)
    assert layout_parts({}) == ()
