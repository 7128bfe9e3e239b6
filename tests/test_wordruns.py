"""Words read by cutting text into runs are exactly the words the expression finds."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netiquette.wordruns import AsciiWords

READERS = [
    AsciiWords(r"[a-z]+(?:'[a-z]+)?", string.ascii_lowercase + "'"),
    AsciiWords(r"[a-z0-9]+(?:'[a-z]+)?", string.ascii_lowercase + string.digits + "'"),
]
TEXT = st.text(alphabet=st.sampled_from("ab z09'’ -?\u00e9\u4e2d.\n")) | st.text()


@pytest.mark.parametrize("read", READERS)
@given(text=TEXT)
def test_the_same_words_as_findall(read, text):
    text = text.lower()
    assert read(text) == read.pattern.findall(text)


def test_examples():
    read = READERS[1]
    assert read("don't 'quote' rock'n'roll 500+ e\u00e9f x''y") == [
        "don't", "quote", "rock'n", "roll", "500", "e", "f", "x", "y"
    ]  # fmt: skip


def test_a_question_mark_cannot_be_a_letter():
    with pytest.raises(ValueError):
        AsciiWords(r"[a-z?]+", string.ascii_lowercase + "?")
