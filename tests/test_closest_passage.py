"""A quote not found in a long source: the closest passage is found without comparing the quote
with every run of words in it."""

from __future__ import annotations

import difflib
import random
import shutil

import pytest

from sitegen import anchoring
from sitegen.diagnostics import ContentError
from sitegen.pipeline import validate

from .conftest import FIXTURE_CONTENT, run_build

WORDS = 260_000


def long_source() -> tuple[str, list[str]]:
    """About 1.7 MB of made-up prose, paragraphs of 80 words, and its words."""
    rng = random.Random(19)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(3000)]
    words = [rng.choice(vocabulary) for _ in range(WORDS)]
    text = "\n\n".join(" ".join(words[i:i + 80]) + "." for i in range(0, WORDS, 80))
    return text, words


def counting(monkeypatch) -> list[str]:
    """The texts the quote is compared with, each time anchoring compares it with one."""
    compared: list[str] = []

    class Counting(difflib.SequenceMatcher):
        def __init__(self, isjunk=None, a="", b="", autojunk=True):
            compared.append(b)
            super().__init__(isjunk, a, b, autojunk)

    monkeypatch.setattr(anchoring.difflib, "SequenceMatcher", Counting)
    return compared


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long") / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    text, words = long_source()
    assert 1_500_000 < len(text.encode()) < 2_000_000
    (folder / "sources" / "long.md").write_text(f"---\ntitle: Long\nauthors: [Ann Author]\npublished: 2024\n---\n{text}\n")
    passage = words[150_010:150_040]
    mistyped = passage[:12] + ["mistaek"] + passage[13:]
    (folder / "annotations" / "long").mkdir()
    (folder / "annotations" / "long" / "typo.md").write_text(
        f"---\nactor: northland\nmotives: [trade]\n---\n> {' '.join(mistyped)}\n")
    return folder, " ".join(passage), " ".join(mistyped)


def test_the_closest_passage_compares_a_bounded_number_of_runs(content, monkeypatch):
    folder, passage, quote = content
    similarity = difflib.SequenceMatcher(None, quote, passage).ratio()
    compared = counting(monkeypatch)
    with pytest.raises(ContentError) as raised:
        validate(folder)
    [error] = raised.value.diagnostics
    assert error.message == "quote not found in source 'long'"
    words = passage.split()
    assert error.hint == (f"the closest passage is {int(similarity * 100)}% similar; where they differ, in [brackets]:\n"
                          f"  you typed:  … {' '.join(words[8:12])} [mistaek] {' '.join(words[13:17])} …\n"
                          f"  the source: … {' '.join(words[8:12])} [{words[12]}] {' '.join(words[13:17])} …")
    # Every run of 30 words would be some 260,000 comparisons.
    # (and two more to show where the quote differs from the closest run)
    assert 0 < len(compared) <= anchoring.CANDIDATES + 25 + 2


def test_check_reports_it_as_for_any_source(content):
    folder, passage, _ = content
    result = run_build("check", "--content", str(folder))
    assert result.returncode == 1
    assert "long/typo.md:5: quote not found in source 'long'\n" in result.stderr
    words = passage.split()
    assert f"    hint:   the source: … {' '.join(words[8:12])} [{words[12]}] {' '.join(words[13:17])} …\n" in result.stderr


def test_a_short_source_compares_the_quote_with_every_run_of_words(monkeypatch):
    compared = counting(monkeypatch)
    hay = " ".join(f"w{i:03d}" for i in range(100))
    assert anchoring._closest(hay, "w005 x006") == anchoring.NotFound("w005 w006", 16 / 18)
    # The quick measure for each of the 99 runs of two words, the exact one for the best 25.
    assert compared[:99] == [f"w{i:03d} w{i + 1:03d}" for i in range(99)] and len(compared) == 99 + 25
