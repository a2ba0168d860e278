"""A quote not found is shown against the closest passage of its source, word by word: what the
editor typed and what the source has, the differing words in [brackets]."""

from __future__ import annotations

import shutil

import pytest

from sitegen.anchoring import differences

from .conftest import FIXTURE_CONTENT, run_build


@pytest.mark.parametrize("typed, source, shown", [
    # one wrong letter
    ("a b c d e f g h i j k l", "a b c d e f g x i j k l",
     ("… d e f g [h] i j k l", "… d e f g [x] i j k l")),
    # a dropped comma, and a space before a comma
    ('more than anything. "Trade comes first" one said', 'more than anything. "Trade comes first," one said',
     ('… anything. "Trade comes first[]" one said', '… anything. "Trade comes first[,]" one said')),
    ("the harbour , matters", "the harbour, matters", ("the harbour [,] matters", "the harbour[,] matters")),
    # the source's words beyond the quote's last are not a difference
    ("one official said it", "one said it and", ("one [official] said it", "one [] said it")),
    # signs attached to a word of the context come with it
    ("x y, (a b c d) e f g (h i) j k", "x y, (a b c d) e f g (X i) j k",
     ("… d) e f g ([h] i) j k", "… d) e f g ([X] i) j k")),
    # at most three places, a few words around each
    ("a b c d e f g h i j k l m n o p q r s t u v", "X b c d E f g h i j K l Q n o p Q r s t U v",
     ("[a] b c d [e] f g h i j [k] l …", "[X] b c d [E] f g h i j [K] l …")),
])
def test_the_differing_words_are_bracketed_on_both_sides(typed, source, shown):
    assert differences(typed, source) == shown


def test_check_shows_a_one_letter_slip_and_a_dropped_comma(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    folder = content / "annotations" / "harbour-report"
    (folder / "slip.md").write_text("---\nactor: northland\nmotives: [trade]\n---\n"
                                    "> Officials said the harbour matters more than anythng.\n\nA note.\n")
    (folder / "comma.md").write_text("---\nactor: northland\nmotives: [trade]\n---\n"
                                     "> \"Trade comes first\" one said, and the ‘route’ must stay open.\n\nA note.\n")
    result = run_build("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "\n".join([
        "content/annotations/harbour-report/comma.md:5: quote not found in source 'harbour-report'",
        "    hint: the closest passage is 99% similar; where they differ, in [brackets]:",
        "    hint:   you typed:  \"Trade comes first[]\" one said, and the …",
        "    hint:   the source: \"Trade comes first[,]\" one said, and the …",
        "content/annotations/harbour-report/slip.md:5: quote not found in source 'harbour-report'",
        "    hint: the closest passage is 99% similar; where they differ, in [brackets]:",
        "    hint:   you typed:  … harbour matters more than [anythng].",
        "    hint:   the source: … harbour matters more than [anything].",
        "2 errors",
    ]) + "\n"
