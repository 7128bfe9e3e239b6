"""The tagger: phrases and the topic model behind one interface, with evidence either way."""

from __future__ import annotations

import pytest

from netiquette.classifier import FORMAT, TopicModel
from netiquette.tagger import Tagger, default_tagger
from netiquette.taxonomy import Taxonomy, Topic, load_taxonomy


def tiny_model(**changes) -> TopicModel:
    """Two topics; "blast" speaks for spam, a spam phrase hit counts for a lot, and less when the
    segment has no word of the field."""
    data = {
        "format": FORMAT,
        "topics": ["spam", "trolling"],
        "keep": [0.5, 0.5],
        "add": [0.7, 0.9],
        "bias": [-3.0, -3.0],
        "vocabulary": ["blast", "e blast", "weekly"],
        "idf": [1.0, 1.0, 1.0],
        "bow": [5.0, 0.0, 0.0, 0.0, 1.0, 0.0],  # rows: tokens, columns: topics
        "phrase": [4.0, 0.0, 0.0, 4.0],
        "phrase_outside": [-3.0, 0.0, 0.0, -3.0],
    }
    data.update(changes)
    return TopicModel(data)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(), tiny_model())


def test_a_topic_the_model_adds_is_evidenced_by_its_best_sentence(tagger):
    text = "Nothing happened on Monday. Then came the blast, weekly. Nothing else."
    (mention,) = tagger.tag(text)
    assert (mention.topic, mention.source) == ("spam", "model")
    assert mention.phrase == mention.sentence == "Then came the blast, weekly."
    assert text[mention.start : mention.end] == mention.phrase
    assert mention.score is not None and mention.score >= 0.7


def test_phrase_evidence_keeps_its_exact_span_and_gets_the_model_score(tagger):
    text = "My inbox is full of spam from strangers."
    mentions = tagger.tag(text)
    assert [(m.topic, m.source, m.phrase) for m in mentions] == [("spam", "phrase", "spam")]
    assert mentions[0].score is not None


def test_a_phrase_hit_outside_the_field_needs_the_model_to_agree(tagger):
    assert tagger.tag("Slice the spam thinly and fry it with rice.") == []
    assert tagger.topics_of("Slice the spam thinly and fry it with rice.") == []
    # the same words in a thread about the field: the context vouches for the hit
    tagging = tagger.read("Slice the spam thinly.", context="Cold pitches in my inbox")
    assert [m.topic for m in tagging.mentions] == ["spam"]


def test_topics_the_model_does_not_know_are_decided_by_their_phrases():
    taxonomy = Taxonomy(
        [*load_taxonomy().topics, Topic("cold-calls", "Cold calls", phrases=("cold call",))]
    )
    tagger = Tagger(taxonomy, tiny_model())
    assert "cold-calls" in tagger.topics_of("Another cold call from a vendor today.")


def test_a_disabled_topic_loses_the_models_output_too(tmp_path):
    topics = tmp_path / "mine.toml"
    topics.write_text('[[topic]]\nslug = "spam"\nmode = "disable"\n', encoding="utf-8")
    tagger = Tagger(load_taxonomy([topics]), tiny_model())
    assert tagger.tag("Then came the blast, weekly.") == []
    assert "spam" not in tagger.model.add


def test_text_that_is_not_english_is_left_untagged_and_said_so(tagger):
    german = "Ich bekomme jeden Tag Spam auf LinkedIn, und die Leute schreiben mir ohne Grund."
    tagging = tagger.read(german)
    assert tagging.mentions == [] and tagging.english is False
    assert tagger.read("So much spam in my inbox again, from people I never met.").english


def test_without_a_model_the_phrases_decide():
    tagger = Tagger(load_taxonomy(), None)
    assert tagger.topics_of("Slice the spam thinly and fry it with rice.") == ["spam"]
    assert all(m.source == "phrase" and m.score is None for m in tagger.tag("So much spam."))


def test_the_fingerprint_changes_with_the_model():
    taxonomy = load_taxonomy()
    one = Tagger(taxonomy, tiny_model()).fingerprint
    other = Tagger(taxonomy, tiny_model(add=[0.8, 0.9])).fingerprint
    assert one != other != Tagger(taxonomy, None).fingerprint


# --- the shipped model on plain cases ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Trolling for chinook salmon in August means running your gear deep off the point.",
        "Norwegian folklore says trolls turn to stone when the sun comes up over the fjord.",
        pytest.param(
            "Cube the Spam, brown it in a pan, then press it onto the rice with a strip of nori.",
            marks=pytest.mark.xfail(strict=True, reason="the model still trusts a bare 'spam'"),
        ),
        "The os.unlink() method deletes a file path and raises an error if it is a directory.",
    ],
)
def test_the_shipped_model_keeps_homonyms_from_other_fields_untagged(text):
    assert default_tagger().tag(text) == []


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("A troll left three nasty comments on my blog overnight.", "trolling"),
        ("He sent me a sales pitch the minute I accepted his LinkedIn invitation.", "hard-selling"),
        ("I unfollowed her after the tenth automated DM.", "disconnecting"),
    ],
)
def test_the_shipped_model_keeps_clear_cases(text, topic):
    assert topic in default_tagger().topics_of(text)
