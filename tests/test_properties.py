"""Round-trip properties of the pieces every page stands on (hypothesis)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from types import SimpleNamespace

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.anchoring import NormalisedText, anchor_quote, normalise
from sitegen.dates import PartialDate, parse_partial_date
from sitegen.derive import timeline_order
from sitegen.export import Stream, json_pieces
from sitegen.load import RawFile
from sitegen.markdown import Highlights, Span
from sitegen.model import Anchor
from sitegen.parse import parse_file

ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)


@st.composite
def partial_dates(draw):
    day = draw(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    return PartialDate(day.year, day.month if precision != "year" else 0, day.day if precision == "day" else 0)


@given(partial_dates())
def test_partial_dates_round_trip_through_their_iso_form(date):
    assert parse_partial_date(date.iso()) == date
    assert date.precision in ("year", "month", "day")
    assert str(date.year) in date.display()


@given(partial_dates())
def test_partial_dates_round_trip_through_unquoted_yaml(date):
    # An editor writes dates unquoted: YAML hands over an int, a str or a datetime.date.
    value = yaml.safe_load(f"date: {date.iso()}")["date"]
    assert parse_partial_date(value) == date


words = st.sampled_from(["Russia", "the", "Taliban’s", "“recognition”", "isn't", "US", "a", "move", "to", "forestall"])
spaces = st.sampled_from([" ", "  ", "\n", " \n  ", "\t"])


@st.composite
def texts_and_quotes(draw):
    tokens = draw(st.lists(words, min_size=3, max_size=40))
    gaps = [draw(spaces) for _ in tokens]
    text = "".join(t + g for t, g in zip(tokens, gaps)).strip()
    start = draw(st.integers(0, len(tokens) - 1))
    end = draw(st.integers(start + 1, len(tokens)))
    # The editor retypes the passage: single spaces, straight quotes.
    quote = " ".join(tokens[start:end]).replace("’", "'").replace("“", '"').replace("”", '"')
    return text, quote


@given(texts_and_quotes())
def test_an_anchor_always_points_at_text_equal_to_the_quote(case):
    text, quote = case
    result = anchor_quote(NormalisedText.of(text), text, quote)
    if isinstance(result, Anchor):
        assert result.exact == text[result.start:result.end]
        assert normalise(result.exact) == normalise(quote)
        assert text[:result.start].endswith(result.prefix) and text[result.end:].startswith(result.suffix)
    else:
        # Retyped passages always occur, so the only other outcome is ambiguity.
        assert type(result).__name__ == "Ambiguous"
        hay, needle = normalise(text), normalise(quote)
        overlapping = sum(1 for i in range(len(hay)) if hay.startswith(needle, i))
        assert overlapping >= 2


@given(st.text(alphabet="ab <&>\"'", min_size=1, max_size=60), st.data())
def test_highlighting_never_changes_the_text(text, data):
    spans = []
    for n in range(data.draw(st.integers(0, 4))):
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
        spans.append(Span(start, end, f"ann-{n}", "label"))
    rendered = Highlights(spans).render(text, 0)
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == text
    for span in spans:
        assert rendered.count(f'id="{span.anchor_id}"') == 1


@settings(max_examples=50)
@given(
    name=st.text(alphabet=st.characters(categories=["L", "N"], include_characters=" ’-"), min_size=1, max_size=30).filter(str.strip),
    primary=st.booleans(),
    evidence=st.lists(st.tuples(ids, ids).map("/".join), unique=True, max_size=4),
)
def test_actor_front_matter_round_trips(name, primary, evidence):
    front = yaml.safe_dump({"name": name, "primary": primary, "evidence": evidence}, allow_unicode=True, sort_keys=False)
    raw = RawFile("actors/x.md", "content/actors/x.md", "actors", "x", "", f"---\n{front}---\nProfile.\n".encode())
    actor, problems = parse_file(raw)
    assert problems == []
    assert (actor.name, actor.primary, actor.evidence) == (" ".join(name.split()), primary, tuple(evidence))


json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=12)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)


@st.composite
def streamed(draw, depth=0):
    """A JSON document where some lists are `Stream`s (made lazily), and the same document with lists."""
    if depth < 2 and draw(st.booleans()):
        keys = draw(st.lists(st.text(max_size=6), unique=True, max_size=4))
        pairs = [draw(streamed(depth + 1)) for _ in keys]
        return ({k: p[0] for k, p in zip(keys, pairs)}, {k: p[1] for k, p in zip(keys, pairs)})
    if draw(st.booleans()):
        items = draw(st.lists(json_values, max_size=5))
        return Stream(iter(items)), items
    value = draw(json_values)
    return value, value


@given(streamed())
def test_streamed_json_equals_json_dumps(case):
    lazy, plain = case
    text = "".join(json_pieces(lazy))
    assert text == json.dumps(plain, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert json.loads(text) == plain


@st.composite
def timelines(draw):
    """Events with dates and 'after' lists as resolve lets them through: each event follows only
    events listed before it here (so there is no loop) that start no later than it could."""
    dates = draw(st.lists(partial_dates(), min_size=1, max_size=12))
    events = {}
    for number, date in enumerate(dates):
        event_id = f"e{number:02d}"
        possible = [e for e, other in events.items() if other.date.earliest() <= date.latest()]
        after = tuple(draw(st.lists(st.sampled_from(possible), max_size=3))) if possible else ()
        events[event_id] = SimpleNamespace(date=date, end=None, after=after)
    keys = draw(st.permutations(sorted(events)))
    return {event_id: events[event_id] for event_id in keys}


@given(timelines())
def test_the_timeline_lists_every_event_once_after_those_it_follows(events):
    order = timeline_order(events)
    assert sorted(order) == sorted(events)
    place = {event_id: i for i, event_id in enumerate(order)}
    for event_id, event in events.items():
        assert all(place[earlier] < place[event_id] for earlier in event.after)
    # Grouped by year, the timeline's years still run in order.
    years = [events[event_id].date.year for event_id in order]
    assert years == sorted(years)


@given(timelines())
def test_without_after_the_timeline_is_in_date_order(events):
    plain = {event_id: SimpleNamespace(date=e.date, end=None, after=()) for event_id, e in events.items()}
    assert timeline_order(plain) == tuple(sorted(plain, key=lambda e: (plain[e].date, e)))
