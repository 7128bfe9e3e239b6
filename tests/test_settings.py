"""Settings are checked once at start: a wrong value is one line naming it, a typo gets a hint."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pelican.plugins.netiquette.settings import SettingsError, check_settings

from tests.conftest import ROOT, build_site


def settings(**values):
    from pelican.plugins.netiquette.settings import apply_defaults
    from pelican.settings import DEFAULT_CONFIG

    result = dict(DEFAULT_CONFIG, PATH=str(ROOT / "content"), **values)
    apply_defaults(result)
    return result


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("NETIQUETTE_COMMENTER_MIN_COMMENTS", "two", "a whole number of at least 1"),
        ("NETIQUETTE_PROCESSES", -1, "a whole number of at least 0"),
        ("NETIQUETTE_SKIP_UNCHANGED_PAGES", "yes", "True or False"),
        ("NETIQUETTE_TOPICS", "mine.toml", "a list of topic files"),
        ("NETIQUETTE_DEFAULT_DATE", "someday", '"YYYY-MM-DD"'),
        ("NETIQUETTE_TOPIC_SAVE_AS", "../elsewhere/{slug}.html", "a path inside the output folder"),
        ("NETIQUETTE_MODEL", 3, '"default", the path of a model file, or None'),
    ],
)
def test_a_value_a_setting_cannot_take_is_one_line_naming_it(name, value, expected):
    with pytest.raises(SettingsError) as error:
        check_settings(settings(**{name: value}))
    message = str(error.value)
    assert message.startswith(f"setting {name} = {value!r}: expected ") and expected in message
    assert "\n" not in message


def test_a_misspelled_setting_is_reported_with_the_closest_name(caplog):
    check_settings(settings(NETIQUETTE_COMENTER_MIN_COMMENTS=3, NETIQUETTE_TOPIC_FEED_ATOM=None))
    assert (
        "setting NETIQUETTE_COMENTER_MIN_COMMENTS is not a Netiquette setting and is ignored; "
        "did you mean NETIQUETTE_COMMENTER_MIN_COMMENTS?"
    ) in caplog.text


def test_relative_topic_files_are_found_from_the_project_folder_not_the_working_one(
    tmp_path, monkeypatch
):
    project = tmp_path / "blog"
    (project / "content").mkdir(parents=True)
    (project / "content" / "fruit.md").write_text("Title: Fruit\nDate: 2024-01-01\n\nA kumquat.\n")
    (project / "mine.toml").write_text('[[topic]]\nslug = "kumquats"\nphrases = ["kumquat"]\n')
    monkeypatch.chdir(project / "content")
    output = build_site(project / "content", tmp_path / "out", NETIQUETTE_TOPICS=["mine.toml"])
    assert "posts/fruit.html#p-1" in (output / "topics/kumquats.html").read_text("utf-8")


def test_pelican_stops_with_one_line_and_no_traceback(tmp_path):
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        f"PATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
        "PLUGINS = ['pelican.plugins.netiquette']\n"
        "NETIQUETTE_COMMENTER_MIN_COMMENTS = 'two'\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "-s", str(conf), "-o", str(tmp_path / "out")],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode != 0
    assert "NETIQUETTE_COMMENTER_MIN_COMMENTS = 'two'" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout


def test_a_broken_topics_file_stops_the_build_with_its_message_alone(tmp_path):
    broken = tmp_path / "mine.toml"
    broken.write_text('[[topic]]\nslug = "x"\nphrasez = ["y"]\n', encoding="utf-8")
    with pytest.raises(
        SettingsError, match=r"NETIQUETTE_TOPICS: .*mine.toml:1: topic 'x': unknown key"
    ):
        build_site(ROOT / "content", tmp_path / "out", NETIQUETTE_TOPICS=[str(broken)])
