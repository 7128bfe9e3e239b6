"""The tagger: phrases and the topic model behind one interface, with evidence either way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
        "Cube the Spam, brown it in a pan, then press it onto the rice with a strip of nori.",
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


# --- what a site shows of the model's findings -------------------------------------------------------


def test_a_site_built_with_a_model_of_ones_own_shows_what_the_model_found(tmp_path):
    import json

    from netiquette.classifier import save_model
    from tests.conftest import build_site

    data = {
        "format": FORMAT, "topics": ["spam"], "keep": [0.5], "add": [0.7], "bias": [-3.0],
        "vocabulary": ["blast", "weekly"], "idf": [1.0, 1.0], "bow": [5.0, 1.0],
        "phrase": [4.0], "phrase_outside": [-3.0],
    }  # fmt: skip
    save_model(data, tmp_path / "mine.json.gz")
    content = tmp_path / "content"
    content.mkdir()
    (content / "a-post.md").write_text(
        "Title: A post\nDate: 2024-01-02\n\nNothing happened on Monday. Then came the blast, "
        "weekly.\n",
        encoding="utf-8",
    )
    output = build_site(content, tmp_path / "out", NETIQUETTE_MODEL=str(tmp_path / "mine.json.gz"))
    page = (output / "topics/spam.html").read_text("utf-8")
    assert "<mark>Then came the blast, weekly.</mark>" in page
    assert "Found by the topic model (score 0.78), not by a phrase." in page
    (post,) = json.loads((output / "analysis.json").read_text("utf-8"))["posts"]
    (mention,) = post["paragraphs"][0]["mentions"]
    assert (mention["source"], mention["score"], mention["topic"]) == ("model", 0.776, "spam")


def test_a_changed_model_file_changes_the_cache_salt(tmp_path):
    from netiquette.classifier import save_model
    from netiquette.site.cache import cache_salt

    taxonomy = load_taxonomy()
    path = tmp_path / "mine.json.gz"
    data = {
        "format": FORMAT, "topics": ["spam"], "keep": [0.5], "add": [0.7], "bias": [-3.0],
        "vocabulary": ["blast"], "idf": [1.0], "bow": [5.0], "phrase": [4.0], "phrase_outside": [0.0],
    }  # fmt: skip
    save_model(data, path)
    before = cache_salt(taxonomy, str(path))
    save_model({**data, "add": [0.8]}, path)
    assert cache_salt(taxonomy, str(path)) != before
    assert cache_salt(taxonomy, "default") != cache_salt(taxonomy, None) != before


LABELLED = Path(__file__).resolve().parents[2] / "shared/labelled"


@pytest.mark.skipif(not LABELLED.is_dir(), reason="needs ../shared/labelled/")
def test_the_shipped_tagger_holds_its_figures_on_held_out_labelled_pages():
    """Regression bounds at the figures measured when the model was last trained (README)."""
    from netiquette.training import evaluate, read_labelled

    tagger = default_tagger()
    slugs = tagger.taxonomy.slugs
    precision, recall, _ = evaluate(tagger, read_labelled([LABELLED / "dev.yaml"], slugs)).micro()
    assert precision >= 0.89 and recall >= 0.53
    off = evaluate(tagger, read_labelled([LABELLED / "offtopic-dev.yaml"], slugs))
    assert off.false_segments / off.segments <= 0.02


def test_a_build_with_a_missing_model_file_says_so_and_tags_by_phrases(tmp_path, caplog):
    from tests.conftest import ROOT, build_site

    output = build_site(
        ROOT / "content", tmp_path / "out", NETIQUETTE_MODEL=str(tmp_path / "none.gz")
    )
    assert f"{tmp_path / 'none.gz'}: cannot read the topic model" in caplog.text
    assert "tags by phrases alone" in caplog.text
    assert "<mark>" in (output / "topics/spam.html").read_text("utf-8")


def test_a_word_pair_counts_even_when_its_words_are_no_tokens_alone():
    model = tiny_model(
        vocabulary=["blast", "e blast", "weekly", "a b c"],
        idf=[1.0, 1.0, 1.0, 1.0],
        bow=[5.0, 0.0, 3.0, 0.0, 1.0, 0.0, 9.0, 9.0],
    )
    pair, alone, reversed_ = (
        model.scores(text, set())["spam"] for text in ("an e blast", "a blast", "blast e")
    )
    assert pair > alone > 0
    assert reversed_ < pair
    assert model.scores("a b c", set()) == model.scores("x y z", set())  # longer tokens: none


def test_model_scores_do_not_depend_on_the_hash_seed():
    """A segment's phrase topics are a set; added in set order, float sums would round apart."""
    script = (
        "from netiquette.tagger import default_tagger\n"
        "t = default_tagger()\n"
        "for text in ['Never accept an invitation without a personal note; unfollow spammers "
        "and block trolls.', 'He hit on me, sent spam, asked for a job, and when I ignored him "
        "he left a rude rant.']:\n"
        "    found = {m.topic for m in t.matcher.tag(text)}\n"
        "    assert len(found) >= 4, found\n"
        "    print(sorted((k, v.hex()) for k, v in t.model.scores(text, found).items()))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4", "5")
    }
    assert len(runs) == 1
