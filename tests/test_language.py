"""Which segments are English: the others are left untagged, never tagged by accident."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netiquette import language
from netiquette.formats import load_path
from netiquette.language import is_english

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.parametrize(
    "text",
    [
        "I got another connection request from a stranger with no note at all.",
        "Thanks, Anna!",
        "LinkedIn spam, ugh.",
        "Unsolicited e-blasts, auto-DMs, endorsements for skills I never listed: 500+ connections.",
        "",
    ],
)
def test_english_and_short_texts_are_tagged(text):
    assert is_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ich bekomme jeden Tag Nachrichten von Leuten, die ich nicht kenne, und das nervt mich sehr.",
        "Je reçois chaque jour des invitations de personnes que je ne connais pas du tout.",
        "Todos los días recibo solicitudes de gente que no conozco y me mandan publicidad.",
        "我每天都收到陌生人的领英邀请，他们从来不写一句话。",
        "Каждый день я получаю приглашения от незнакомых людей без единого слова.",
    ],
)
def test_other_languages_are_recognised(text):
    assert not is_english(text)


@pytest.mark.skipif(not (SHARED / "real/html").is_dir(), reason="needs ../shared/real/")
def test_a_real_german_blog_page_is_not_english():
    page = SHARED / "real/html/02_netzpolitik.org.abmahnungen.html"
    (thread,) = load_path(page)
    long = [p for p in thread.post.paragraphs if len(p.split()) >= 12]
    assert long and sum(not is_english(p) for p in long) >= 0.9 * len(long)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_is_read_into_the_same_words_as_any_other_text(text):
    lowered = text.lower()
    assert language._ASCII_WORDS(lowered) == language._WORD.findall(lowered)


@given(st.text(alphabet=st.characters(max_codepoint=0x2100)))
def test_curly_quotes_and_dashes_read_as_spaces(text):
    spaced = text
    for char in language._SEPARATORS:
        spaced = spaced.replace(char, " ")
    assert language._WORD.findall(spaced.lower()) == language._WORD.findall(text.lower())
    assert language._NOT_LATIN.findall(spaced) == language._NOT_LATIN.findall(text)
