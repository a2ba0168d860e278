"""Mangled content files: every kind of fixture file, its bytes flipped, cut, repeated, and
sprinkled with what YAML and markdown treat specially, is either valid or reported as content
errors that print as UTF-8. Never another exception. Derandomized: CI sees the same examples."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.diagnostics import ContentError, format_report
from sitegen.pipeline import validate

from .conftest import FIXTURE_CONTENT

FILES = (
    "site.yaml", "actors/northland.md", "motives/trade.md", "sources/harbour-report.md",
    "annotations/harbour-report/lighthouse.md", "events/talks.md", "arguments/border-fear.md",
)
"""One file of each kind."""

SPECIALS = [
    b"!", b"&", b"*", b"[", b"]", b"{", b"}", b">", b"|", b"-", b"- ", b": ", b"#", b"?", b"%", b"@", b"`",
    b"'", b'"', b"\\", b"\t", b"\n", b"\r", b"\r\n", b"\x00", b"\x7f", b"\xef\xbb\xbf", b"\xff", b"\xed\xa0\x80",
    b'"\\ud800"', b"\\ud800", b"\\U0001F600", b"\\x00", b"!custom ", b"!!set ", b"!!binary ", b"!!python/object:os.system ",
    b"&a ", b"*a", b"<<: ", b"= ", b"~", b"null", b"true", b".inf", b"-.nan", b"0x1F", b"0o17", b"1_000",
    b"9" * 5000, b"2025-02-30", b"2025-13", b"2025-07-03T10:00:00", b"---\n", b"...\n", b"%YAML 1.1\n---\n",
    b"[" * 200, b"[[" * 100, b"{" * 200, b"> " * 30, b"\n" + b"".join(b"  " * i + b"- x\n" for i in range(12)),
    b"[[actors/", b"]]", b"[[x|", b"[a](javascript:alert(1))", b"<https://example.org>", b"```\n", b"    ",
    "\u2028".encode(), "\u00a0".encode(), "\u202e".encode(),
]

# (operation, where as a fraction of the length, what): positions stay meaningful whatever the
# earlier operations did to the length.
operations = st.one_of(
    st.tuples(st.sampled_from(["insert", "value", "line"]), st.floats(0, 1), st.sampled_from(SPECIALS)),
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 7)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 40)),
    st.tuples(st.just("repeat"), st.floats(0, 1), st.integers(1, 60)),
    st.tuples(st.just("cut"), st.floats(0, 1), st.just(0)),
)


def mutate(data: bytes, steps: list[tuple[str, float, object]]) -> bytes:
    for op, where, what in steps:
        at = int(where * len(data))
        if op in ("value", "line"):  # after a ': ', '- ' or '[', or at the start of a line
            marks = [0] + [i + 1 for i, byte in enumerate(data) if byte == 10] if op == "line" else [
                i + len(m) for m in (b": ", b"- ", b"[") for i in range(len(data)) if data.startswith(m, i)]
            at = sorted(marks)[min(int(where * len(marks)), len(marks) - 1)] if marks else at
        if op in ("insert", "value", "line"):
            data = data[:at] + what + data[at:]
        elif op == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ (1 << what)]) + data[at + 1:]
        elif op == "delete":
            data = data[:at] + data[at + what:]
        elif op == "repeat":
            data = data[:at + what] + data[at:]
        elif op == "cut":
            data = data[:at]
    return data


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(FIXTURE_CONTENT, content)
        yield content


@pytest.mark.parametrize("rel", FILES)
@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(operations, min_size=1, max_size=6))
def test_mangled_content_is_valid_or_reported(workdir, rel, steps):
    original = (FIXTURE_CONTENT / rel).read_bytes()
    path = workdir / rel
    path.write_bytes(mutate(original, steps))
    try:
        validate(workdir)
    except ContentError as error:
        assert error.diagnostics
        report = format_report(error.diagnostics)
        report.encode("utf-8")  # what `build.py check` prints
        assert all(d.line >= 1 for d in error.diagnostics)
    finally:
        path.write_bytes(original)
