"""Training the topic model: labelled YAML in, a reproducible model file out, honest figures."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from netiquette.classifier import DEFAULT_FILE, ModelError, load_model, save_model, words
from netiquette.cli import main
from netiquette.tagger import Tagger
from netiquette.taxonomy import load_taxonomy
from netiquette.training import TrainingError, read_labelled, train

SHARED = Path(__file__).resolve().parents[2] / "shared"
TRAIN = sorted((SHARED / "labelled/train").glob("*.yaml"))

SPAMMY = [
    "They added me to a mailing list I never joined and now the blasts come daily.",
    "Every morning another bulk email from a company I have never heard of.",
    "The auto DM arrived seconds after I followed him, with a link to his course.",
    "Unsubscribe does nothing; the newsletters keep coming from the same sender.",
    "Somebody scraped my address and the junk mail started the next day.",
    "A mass message to all his contacts, identical, with my name spelled wrong.",
]
PLAIN = [
    "We drove to the coast on Saturday and the weather held all day.",
    "The recipe needs two cups of flour and a pinch of salt.",
    "Our team shipped the new release after a long week of testing.",
    "The library opens at nine and the children's corner is upstairs.",
    "I repainted the fence and planted tomatoes along the back wall.",
    "The concert started late but the second half was worth the wait.",
]


def labelled_file(path: Path) -> Path:
    lines = []
    for number, text in enumerate(SPAMMY + PLAIN):
        must = "[spam]" if text in SPAMMY else "[]"
        lines += [f'- page: "p{number % 6}"', f'  text: "{text}"', f"  must: {must}", "  may: []"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_model_trained_on_a_small_file_loads_and_tags(tmp_path):
    taxonomy = load_taxonomy()
    data, figures = train(read_labelled([labelled_file(tmp_path / "mine.yaml")], taxonomy.slugs))
    assert data["topics"] == ["spam"]
    assert set(figures.counts) == {"spam"} and figures.segments == 12
    save_model(data, tmp_path / "model.json.gz")
    tagger = Tagger(taxonomy, load_model(tmp_path / "model.json.gz"))
    assert tagger.model.topics == ("spam",)
    assert tagger.topics_of("So much spam in my inbox again.") == ["spam"]


def test_training_twice_gives_the_same_bytes(tmp_path):
    source = labelled_file(tmp_path / "mine.yaml")
    for name in ("one.json.gz", "two.json.gz"):
        assert main(["train", str(source), "--no-negatives", "--output", str(tmp_path / name)]) == 0
    assert (tmp_path / "one.json.gz").read_bytes() == (tmp_path / "two.json.gz").read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '- page: "a"\n  text: "hi"\n  must: [no-such-topic]\n',
            "unknown topic(s) ['no-such-topic']",
        ),
        ('- page: "a"\n  must: []\n', "segment 1: needs a 'text' string"),
        ("key: value\n", "expected a YAML list"),
        ("- [unclosed\n", "cannot read labelled segments"),
    ],
)
def test_bad_labelled_input_names_the_file_and_the_segment(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingError) as caught:
        read_labelled([path], load_taxonomy().slugs)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_a_file_too_small_to_train_on_is_refused(tmp_path):
    path = tmp_path / "few.yaml"
    path.write_text('- page: "a"\n  text: "spam"\n  must: [spam]\n', encoding="utf-8")
    with pytest.raises(TrainingError, match="at least 5 pages"):
        train(read_labelled([path], load_taxonomy().slugs))
    entries = "".join(f'- page: "{n}"\n  text: "spam"\n  must: []\n' for n in range(6))
    path.write_text(entries, encoding="utf-8")
    with pytest.raises(TrainingError, match="enough labelled examples"):
        train(read_labelled([path], load_taxonomy().slugs))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a topic model"),
        (b'{"format": "other"}', "expected format"),
        (b"\x1f\x8bxx", "not a topic model"),
    ],
)
def test_a_broken_model_file_is_reported_with_its_name(tmp_path, content, message):
    path = tmp_path / "model.json.gz"
    path.write_bytes(content)
    with pytest.raises(ModelError) as caught:
        load_model(path)
    assert str(path) in str(caught.value) and message in str(caught.value)
    with pytest.raises(ModelError, match="cannot read"):
        load_model(tmp_path / "missing.json.gz")


def test_words_are_read_as_the_model_reads_them():
    assert words("E-mail blasts, un-follow; Anna's LinkedIn invite") == [
        "email", "blasts", "unfollow", "anna", "linkedin", "invite",
    ]  # fmt: skip
    assert words("E\u2010mail blasts \u2014 un\u2011follow; Anna\u2019s LinkedIn invite") == [
        "email", "blasts", "unfollow", "anna", "linkedin", "invite",
    ]  # fmt: skip
    assert words("Anna\u2019s \u201cinvite\u201d, don\u2019t") == ["anna", "invite", "don't"]


@pytest.mark.skipif(not TRAIN, reason="needs ../shared/labelled/train/")
def test_the_shipped_model_is_what_training_on_the_shared_set_gives(tmp_path):
    output = tmp_path / "model.json.gz"
    # In a fresh interpreter, as a user runs it: other tests' clusters and pools leave state behind.
    command = [
        sys.executable,
        "-m",
        "netiquette",
        "train",
        *map(str, TRAIN),
        "--output",
        str(output),
    ]
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    # Digests, not bytes: a byte diff of two compressed files is slow and says nothing.
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    assert digest == hashlib.sha256(DEFAULT_FILE.read_bytes()).hexdigest()
