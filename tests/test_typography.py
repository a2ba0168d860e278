"""Inline quotations: a passage that quotes someone keeps its words, with its marks made single."""

from __future__ import annotations

from hypothesis import given, strategies as st

from sitegen.typography import nest, quoted, shorten

QUOTE_MARKS = set("“”‘’\"")


def test_a_passage_quoting_someone_nests_its_quotation_marks():
    passage = "Mao Ning said, “Beijing supports engagement with the Afghan interim government.”"
    assert quoted(passage) == "“Mao Ning said, ‘Beijing supports engagement with the Afghan interim government.’”"


def test_straight_quotes_open_after_a_space_and_close_after_a_word():
    assert nest('the so-called "interim" government ("IEA")') == "the so-called ‘interim’ government (‘IEA’)"
    assert nest('"Never," he said.') == "‘Never,’ he said."


def test_apostrophes_and_single_quotes_are_left_alone():
    assert quoted("Russia’s ‘multipolar’ order") == "“Russia’s ‘multipolar’ order”"


def test_a_short_label_is_cut_at_a_word_and_not_after_a_comma():
    assert shorten("The Kremlin moved first, and Beijing followed", 26) == "The Kremlin moved first…"
    assert quoted("The Kremlin moved first, “and” Beijing followed", 40) == "“The Kremlin moved first, ‘and’ Beijing…”"
    assert quoted("  two\n  lines ") == "“two lines”"


@given(st.text(alphabet=st.sampled_from(list("ab .,\n“”‘’\"(")), max_size=40))
def test_only_the_quotation_marks_change(text):
    inner = quoted(text)[1:-1]
    assert not {"“", "”", '"'} & set(inner)
    strip = lambda s: [c for c in " ".join(s.split()) if c not in QUOTE_MARKS]  # noqa: E731
    assert strip(inner) == strip(text)
