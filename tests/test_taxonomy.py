"""The topic taxonomy: the shipped defaults, user files on top of them, and the phrase syntax."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netiquette.morphology import inflections, normalise
from netiquette.phrases import check_phrase, expand_phrase
from netiquette.taxonomy import TaxonomyError, load_taxonomy

DEFAULT_SLUGS = [
    "generic-invites",
    "personalized-outreach",
    "ignored-messages",
    "vanity-metrics",
    "trolling",
    "aggressive-networking",
    "unwanted-advances",
    "hard-selling",
    "spam",
    "job-begging",
    "referral-requests",
    "disconnecting",
]


def write(tmp_path: Path, text: str, name: str = "extra.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- defaults --------------------------------------------------------------------------------------


def test_default_taxonomy_has_the_twelve_topics_in_order():
    taxonomy = load_taxonomy()
    assert taxonomy.slugs == DEFAULT_SLUGS
    for topic in taxonomy.topics:
        assert topic.name and topic.description and topic.phrases


def test_get_finds_a_topic_by_slug_and_none_otherwise():
    taxonomy = load_taxonomy()
    assert taxonomy.get("spam").name == "Spam"
    assert taxonomy.get("no-such-topic") is None


def test_fingerprint_is_stable_and_follows_the_effective_taxonomy(tmp_path):
    assert load_taxonomy().fingerprint == load_taxonomy().fingerprint
    assert re.fullmatch(r"[0-9a-f]{64}", load_taxonomy().fingerprint)
    extra = write(tmp_path, '[[topic]]\nslug = "spam"\nmode = "extend"\nphrases = ["junk dm"]\n')
    assert load_taxonomy([extra]).fingerprint != load_taxonomy().fingerprint


def test_a_file_edited_between_loads_is_read_again(tmp_path):
    extra = write(tmp_path, '[[topic]]\nslug = "spam"\nmode = "extend"\nphrases = ["junk dm"]\n')
    before = load_taxonomy([extra])
    extra.write_text('[[topic]]\nslug = "spam"\nmode = "disable"\n', encoding="utf-8")
    after = load_taxonomy([extra])
    assert "junk dm" in before.get("spam").phrases
    assert after.get("spam") is None
    extra.write_text('[[topic]]\nslug = "spam"\nmode = "extend"\nphrases = ["junk dm"]\n', "utf-8")
    assert load_taxonomy([extra]) == before


# --- user files ------------------------------------------------------------------------------------


def test_user_file_adds_a_topic_at_the_end(tmp_path):
    extra = write(
        tmp_path,
        """
[[topic]]
slug = "cold-calling"
description = "Phone calls out of the blue."
phrases = ["cold call"]
patterns = ['\\bcalled me out of the blue\\b']
""",
    )
    taxonomy = load_taxonomy([extra])
    assert taxonomy.slugs == [*DEFAULT_SLUGS, "cold-calling"]
    topic = taxonomy.get("cold-calling")
    assert topic.name == "Cold calling"
    assert topic.patterns == (r"\bcalled me out of the blue\b",)


def test_extend_appends_phrases_and_exclusions_keeping_the_old_ones(tmp_path):
    extra = write(
        tmp_path,
        """
[[topic]]
slug = "spam"
mode = "extend"
phrases = ["newsletter I never asked for"]
exclusions = ["spam fritters"]
""",
    )
    spam = load_taxonomy([extra]).get("spam")
    default = load_taxonomy().get("spam")
    assert spam.phrases == (*default.phrases, "newsletter I never asked for")
    assert spam.exclusions[-1] == "spam fritters"
    assert spam.description == default.description


def test_replace_redefines_a_topic_in_place(tmp_path):
    extra = write(tmp_path, '[[topic]]\nslug = "trolling"\nmode = "replace"\nphrases = ["troll"]\n')
    taxonomy = load_taxonomy([extra])
    assert taxonomy.slugs == DEFAULT_SLUGS
    assert taxonomy.get("trolling").phrases == ("troll",)
    assert taxonomy.get("trolling").patterns == ()


def test_disabled_removes_a_topic(tmp_path):
    extra = write(tmp_path, '[[topic]]\nslug = "vanity-metrics"\ndisabled = true\n')
    assert "vanity-metrics" not in load_taxonomy([extra]).slugs


def test_files_apply_in_order(tmp_path):
    first = write(tmp_path, '[[topic]]\nslug = "x-topic"\nphrases = ["xyzzy"]\n', "a.toml")
    second = write(tmp_path, '[[topic]]\nslug = "x-topic"\ndisabled = true\n', "b.toml")
    assert "x-topic" in load_taxonomy([first]).slugs
    assert "x-topic" not in load_taxonomy([first, second]).slugs


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[[topic]]\nslug = "spam"\nmode = "extend"\nphrase = ["x"]\n', "'phrase'"),
        ('[[topic]]\nslug = "spam"\nphrases = ["x"]\n', "'slug'"),
        (
            '[[topic]]\nslug = "new-one"\nphrases = ["x"]\n'
            '[[topic]]\nslug = "new-one"\nmode = "extend"\nphrases = ["y"]\n',
            "'slug'",
        ),
        ("[[topic]]\nslug = \"new-one\"\npatterns = ['(unclosed']\n", "'patterns'"),
        (
            "[[topic]]\nslug = \"new-one\"\nexclusion_patterns = ['a[']\nphrases = ['x']\n",
            "'exclusion_patterns'",
        ),  # fmt: skip
        ('[[topic]]\nslug = "new-one"\nname = "Nothing to match"\n', "'phrases'"),
        ('[[topic]]\nslug = "new-one"\nphrases = ["(unbalanced"]\n', "'phrases'"),
        ('[[topic]]\nslug = "new-one"\nphrases = "not a list"\n', "'phrases'"),
        ('[[topic]]\nslug = "ghost-topic"\ndisabled = true\n', "'disabled'"),
        ('[[topic]]\nslug = "ghost-topic"\nmode = "extend"\nphrases = ["x"]\n', "'mode'"),
        ('[[topic]]\nslug = "spam"\nmode = "merge"\n', "'mode'"),
        ('[[topic]]\nslug = "Not A Slug"\nphrases = ["x"]\n', "'slug'"),
        ('[topics]\nslug = "x"\n', "'topics'"),
        ("[[topic]]\nslug = \"new-one\"\npatterns = ['x*']\n", "'patterns'"),
    ],
)
def test_broken_user_file_names_the_file_and_the_key(tmp_path, text, key):
    extra = write(tmp_path, text)
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy([extra])
    assert str(extra) in str(raised.value)
    assert key in str(raised.value)


def test_bad_toml_syntax_reports_the_line(tmp_path):
    extra = write(tmp_path, '[[topic]]\nslug = "x"\nphrases = ["unterminated\n')
    with pytest.raises(TaxonomyError, match=r"extra\.toml: invalid TOML: .*line 3"):
        load_taxonomy([extra])


def test_missing_user_file_is_a_taxonomy_error(tmp_path):
    with pytest.raises(TaxonomyError, match="missing.toml"):
        load_taxonomy([tmp_path / "missing.toml"])


# --- phrase syntax and morphology -------------------------------------------------------------------


def test_alternatives_and_optional_groups_expand():
    forms = set(expand_phrase("=(cold|warm) [=(linkedin)] =intro"))
    assert forms == {"cold intro", "warm intro", "cold linkedin intro", "warm linkedin intro"}


def test_words_inflect_unless_marked_exact():
    assert {"beg", "begs", "begging", "begged"} <= set(expand_phrase("beg"))
    assert set(expand_phrase("=ghosting")) == {"ghosting"}
    assert "begging for a job" in expand_phrase("beg for a =job")
    assert "beg for an job" not in expand_phrase("beg for a =job")


def test_hyphen_means_hyphen_space_or_nothing_and_camel_case_splits():
    assert {"e blast", "eblast", "e blasts"} <= set(expand_phrase("e-blast"))
    assert {"linkedin", "linked in"} <= set(expand_phrase("=LinkedIn"))


def test_apostrophes_are_optional_and_curly_quotes_are_straightened():
    assert {"don't reply", "dont reply"} <= set(expand_phrase("=don\u2019t reply"))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("spam", {"spams", "spamming", "spammed"}),
        ("beg", {"begs", "begging", "begged"}),
        ("reply", {"replies", "replying", "replied"}),
        ("like", {"likes", "liking", "liked"}),
        ("pitch", {"pitches", "pitching", "pitched"}),
        ("slide", {"slides", "sliding", "slid"}),
        ("leave", {"leaves", "leaving", "left"}),
    ],
)
def test_inflections_cover_regular_and_common_irregular_forms(word, expected):
    assert expected <= inflections(word)


def test_a_plural_word_also_matches_its_singular_unless_marked_exact():
    assert {"numbers game", "number game", "number games"} <= set(expand_phrase("numbers game"))
    assert {"reply", "box", "hater"} <= inflections("replies") | inflections("boxes") | inflections(
        "haters"
    )
    assert "number game" not in expand_phrase("=numbers game")
    for word in ("news", "business", "status", "analysis", "was"):
        assert word[:-1] not in inflections(word)


def test_function_words_do_not_inflect():
    assert inflections("the") == {"the"}
    assert inflections("my") == {"my"}


def test_normalise_keeps_length_and_maps_look_alikes():
    text = "Don\u2019t \u201cE\u2013blast\u201d\u00a0me \u2014 caf\u00e9 \u0130stanbul"
    norm = normalise(text)
    assert len(norm) == len(text)
    assert norm.startswith("don't  e;blast  me ; cafe i")


def test_phrase_that_expands_too_far_is_refused():
    huge = " ".join(f"({'|'.join(f'w{i}x{j}' for j in range(12))})" for i in range(5))
    with pytest.raises(ValueError, match="forms"):
        expand_phrase(huge)


_TEN = "(a|b|c|d|e|f|g|h|i|j)"


@pytest.mark.parametrize(
    "phrase",
    [
        "",
        "  ",
        "(a|b",
        "a)",
        "[a",
        "= a",
        "=",
        "-",
        "[-] (-|')",
        "' -",
        "(a|)",
        "(=x|y) [z] =(a b|c) d",
        "xxx ] y",
        " ".join([_TEN] * 5),
        " ".join([_TEN] * 5) + " (x",
        " ".join(["(a|a|a|a|a|a|a|a|a|a)"] * 4) + " (b|b|b)",
        "[beg|ask] (for|to) =job",
    ],
)
def test_checking_a_phrase_agrees_with_expanding_it(phrase):
    def verdict(function) -> str:
        try:
            function(phrase)
        except ValueError as error:
            return str(error)
        return "ok"

    assert verdict(check_phrase) == verdict(expand_phrase)


def test_loading_checks_phrases_without_expanding_them(monkeypatch):
    import netiquette.phrases as phrases

    def refuse(phrase):
        raise AssertionError(f"expanded {phrase!r}")

    phrases.forget_expansions()
    monkeypatch.setattr(phrases, "_expand", refuse)
    assert load_taxonomy().slugs == DEFAULT_SLUGS


def test_the_documented_example_file_loads(tmp_path):
    docs = Path(__file__).resolve().parents[1] / "README.md"
    example = re.search(r"```toml\n(.*?)```", docs.read_text(encoding="utf-8"), re.S)
    assert example is not None
    taxonomy = load_taxonomy([write(tmp_path, example.group(1))])
    assert "cold-calling" in taxonomy.slugs and "vanity-metrics" not in taxonomy.slugs
    assert taxonomy.get("trolling").name == "Hostility"


@pytest.mark.parametrize(
    "text",
    ["ΟΔΟΣ\u2019 ΟΔΟΣ\u2019S ΟΔΟΣ\u201c Σ\u2014A", "İ\u2019s “Q”\u00a0É—x", "DON\u2018T\u2014STOP"],
)
def test_normalise_equals_lowercasing_then_mapping_every_character(text):
    from netiquette.morphology import TRANSLATION

    assert normalise(text) == text.lower().translate(TRANSLATION) or len(text.lower()) != len(text)


def test_messages_point_at_the_table_and_suggest_the_fix(tmp_path):
    extra = write(
        tmp_path,
        '[[topic]]\nslug = "fine"\nphrases = ["a"]\n\n[[topic]]\nslug = "two"\nphrasez = ["b"]\n',
    )
    with pytest.raises(
        TaxonomyError,
        match=r"extra.toml:5: topic 'two': unknown key 'phrasez'; did you mean 'phrases'\?",
    ):
        load_taxonomy([extra])
    extra = write(tmp_path, '[[topic]]\nslug = "My Topic"\nphrases = ["a"]\n')
    with pytest.raises(TaxonomyError, match=r"is not valid: .* such as 'my-topic'"):
        load_taxonomy([extra])
