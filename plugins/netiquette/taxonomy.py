"""The etiquette-topic taxonomy: what each topic is and which words and patterns evidence it.

Topics are data. The default set ships as ``topics.toml`` next to this module; users add their own
TOML files, which are applied in order on top of it. Every file has the same shape: an array of
``[[topic]]`` tables.

Keys of a ``[[topic]]`` table
-----------------------------
``slug``
    Required. Lowercase letters, digits and hyphens; the topic's identity and URL part.
``name``, ``description``
    Display name (defaults to the slug in title case) and what the topic means.
``phrases``
    Phrases that evidence the topic (see *Phrase syntax*).
``patterns``
    Regular expressions (Python syntax) that evidence the topic. They run on the *normalised* text:
    lowercase, apostrophes straightened to ``'``, double quotes and hyphens turned into spaces,
    en and em dashes into ``;``, accents removed and every run of whitespace a single space.
    Write ``e mail``, not ``e-mail``.
``exclusions``, ``exclusion_patterns``
    Phrases and regular expressions that veto a match of *this* topic they overlap, for
    near-misses such as ``spam musubi`` for ``spam``.
``mode``
    ``"add"`` (default): a new topic; its slug must not exist yet. ``"extend"``: append the lists to
    an existing topic (and replace ``name``/``description`` if given). ``"replace"``: redefine an
    existing topic in place. ``"disable"``: remove an existing topic, phrases and model output
    alike; no other key but ``slug`` may accompany it.
``disabled``
    ``true`` is the same as ``mode = "disable"``.

A topic must end up with at least one phrase or pattern. Unknown keys, duplicate slugs, invalid
regular expressions and malformed phrases raise `TaxonomyError`, naming the file and the key.

Phrase syntax
-------------
Words separated by spaces; case, curly or straight quotes and runs of whitespace do not matter.

* ``(a|b c)`` - alternatives; ``[a|b]`` - optional alternatives. Groups nest.
* Each word also matches its inflections: ``beg`` matches begs, begging, begged; ``reply`` matches
  replies, replied; a few irregular verbs know their past forms (``slide`` - slid); a plural also
  matches its singular (``numbers game`` - number game). Function words
  (pronouns, articles, prepositions) are not inflected. Prefix a word with ``=`` to match it exactly
  (``=ghosting``), or a group (``=(flirty|creepy)``) to match all of its words exactly.
* A hyphen means hyphen, space or nothing: ``e-blast`` matches e-blast, e blast and eblast. A word
  with an inner capital is split the same way: ``LinkedIn`` also matches "Linked In". The other way
  round, a hyphen inside a word of the *text* may join it: ``unfollow`` and ``email blast`` match
  "un-follow" and "e-mail blast" (patterns see such a hyphen only as a space).
* A word with an apostrophe also matches without it: ``don't`` matches dont.

Matches are whole words: a phrase never matches inside a longer word.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from netiquette.phrases import check_phrase

DEFAULT_FILE = Path(__file__).with_name("topics.toml")

# Bump when the meaning of phrases or patterns changes, so cached analyses are recomputed.
MATCHING_VERSION = "2"


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Topic:
    """One etiquette topic and the evidence that identifies it."""

    slug: str
    name: str
    description: str = ""
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    exclusion_patterns: tuple[str, ...] = ()


@dataclass
class Taxonomy:
    """The effective, ordered set of topics after all files are applied."""

    topics: list[Topic] = field(default_factory=list)
    sources: tuple[str, ...] = ()

    def get(self, slug: str) -> Topic | None:
        for topic in self.topics:
            if topic.slug == slug:
                return topic
        return None

    @property
    def slugs(self) -> list[str]:
        return [topic.slug for topic in self.topics]

    @property
    def fingerprint(self) -> str:
        """A stable hash of the effective taxonomy, so caches of tagged text can be invalidated."""
        payload = {"version": MATCHING_VERSION, "topics": [asdict(t) for t in self.topics]}
        data = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(data).hexdigest()

    def __iter__(self) -> Iterator[Topic]:
        return iter(self.topics)

    def __len__(self) -> int:
        return len(self.topics)


def load_taxonomy(extra_files: Sequence[str | Path] = ()) -> Taxonomy:
    """The default taxonomy with each of ``extra_files`` applied in order.

    A build asks for it several times; files read the same as last time give the same taxonomy
    without checking every phrase again."""
    files = [DEFAULT_FILE, *(Path(f) for f in extra_files)]
    return _taxonomy_of(tuple((str(path), _read(path)) for path in files))


@functools.lru_cache(maxsize=4)
def _taxonomy_of(sources: tuple[tuple[str, bytes], ...]) -> Taxonomy:
    topics: dict[str, Topic] = {}
    origin: dict[str, str] = {}
    for name, raw in sources:
        _apply_file(Path(name), raw, topics, origin)
    return Taxonomy(list(topics.values()), tuple(name for name, _ in sources))


# --- reading files -------------------------------------------------------------------------------

_TOPIC_KEYS = {
    "slug",
    "name",
    "description",
    "phrases",
    "patterns",
    "exclusions",
    "exclusion_patterns",
    "mode",
    "disabled",
}
_LIST_KEYS = ("phrases", "patterns", "exclusions", "exclusion_patterns")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise TaxonomyError(
            f"{path}: cannot read taxonomy file: {error.strerror or error}"
        ) from None


def _apply_file(path: Path, raw: bytes, topics: dict[str, Topic], origin: dict[str, str]) -> None:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TaxonomyError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise TaxonomyError(f"{path}: invalid TOML: {error}") from None
    for key in data:
        if key != "topic":
            raise TaxonomyError(
                f"{path}: unknown top-level key {key!r} (expected [[topic]] tables)"
            )
    entries = data.get("topic", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise TaxonomyError(f"{path}: key 'topic' must be an array of tables ([[topic]])")
    seen_here: set[str] = set()
    starts = _table_lines(raw.decode("utf-8"))
    for number, entry in enumerate(entries, start=1):
        line = starts[number - 1] if number <= len(starts) else None
        where = f"{path}:{line}" if line else str(path)
        _apply_entry(where, number, entry, topics, origin, seen_here)


_TABLE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*topic[ \t]*\]\]", re.MULTILINE)


def _table_lines(text: str) -> list[int]:
    """The line of each ``[[topic]]`` header, so that messages point at the table."""
    return [text.count("\n", 0, match.start()) + 1 for match in _TABLE_HEADER.finditer(text)]


def _apply_entry(
    path: str,
    number: int,
    entry: dict,
    topics: dict[str, Topic],
    origin: dict[str, str],
    seen_here: set[str],
) -> None:
    slug = entry.get("slug")
    where = f"{path}: topic #{number}"
    if slug is None:
        raise TaxonomyError(f"{where}: key 'slug' is required (lowercase words joined by hyphens)")
    if not isinstance(slug, str) or not _SLUG.match(slug):
        hint = re.sub(r"[^a-z0-9]+", "-", str(slug).lower()).strip("-")
        raise TaxonomyError(
            f"{where}: key 'slug' = {slug!r} is not valid: use lowercase words joined by hyphens"
            + (f", such as {hint!r}" if hint else "")
        )
    where = f"{path}: topic {slug!r}"
    for key in entry:
        if key not in _TOPIC_KEYS:
            close = difflib.get_close_matches(key, sorted(_TOPIC_KEYS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise TaxonomyError(f"{where}: unknown key {key!r}{hint}")
    if slug in seen_here:
        raise TaxonomyError(f"{where}: key 'slug': duplicate slug in the same file")
    seen_here.add(slug)

    if entry.get("mode") == "disable" or entry.get("disabled", False) is not False:
        if entry.get("disabled", True) is not True:
            raise TaxonomyError(f"{where}: key 'disabled' must be true or false")
        extra = set(entry) - {"slug", "disabled", "mode"}
        if extra:
            raise TaxonomyError(f"{where}: key {sorted(extra)[0]!r} not allowed with disabled")
        if slug not in topics:
            raise TaxonomyError(f"{where}: key 'disabled': no such topic to disable")
        del topics[slug]
        return

    mode = entry.get("mode", "add")
    if mode not in ("add", "extend", "replace"):
        raise TaxonomyError(f"{where}: key 'mode' must be 'add', 'extend', 'replace' or 'disable'")
    if mode == "add" and slug in topics:
        raise TaxonomyError(
            f"{where}: key 'slug': duplicate slug (already defined in {origin[slug]}); "
            "use mode = 'extend' or 'replace'"
        )
    if mode != "add" and slug not in topics:
        raise TaxonomyError(f"{where}: key 'mode': no topic {slug!r} to {mode}")

    values: dict[str, object] = {}
    for key in ("name", "description"):
        if key in entry:
            if not isinstance(entry[key], str):
                raise TaxonomyError(f"{where}: key {key!r} must be a string")
            values[key] = entry[key].strip()
    for key in _LIST_KEYS:
        if key in entry:
            values[key] = _string_list(entry[key], where, key)

    if mode == "extend":
        old = topics[slug]
        for key in _LIST_KEYS:
            if key in values:
                values[key] = _unique((*getattr(old, key), *values[key]))
        topic = replace(old, **values)
    else:
        values.setdefault("name", slug.replace("-", " ").capitalize())
        topic = Topic(slug=slug, **values)  # type: ignore[arg-type]
    _validate(topic, where)
    topics[slug] = topic
    origin[slug] = str(path)


def _string_list(value: object, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaxonomyError(f"{where}: key {key!r} must be a list of strings")
    for item in value:
        if not item.strip():
            raise TaxonomyError(f"{where}: key {key!r}: empty string")
    return _unique(v.strip() for v in value)


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _validate(topic: Topic, where: str) -> None:
    if not topic.phrases and not topic.patterns:
        raise TaxonomyError(f"{where}: key 'phrases': topic has no phrases or patterns to match")
    for key in ("phrases", "exclusions"):
        for phrase in getattr(topic, key):
            try:
                check_phrase(phrase)
            except ValueError as error:
                raise TaxonomyError(f"{where}: key {key!r}: phrase {phrase!r}: {error}") from None
    for key in ("patterns", "exclusion_patterns"):
        for pattern in getattr(topic, key):
            try:
                compiled = compile_pattern(pattern)
            except re.error as error:
                raise TaxonomyError(
                    f"{where}: key {key!r}: invalid regular expression {pattern!r}: {error}"
                ) from None
            if compiled.search("") is not None:
                raise TaxonomyError(f"{where}: key {key!r}: {pattern!r} matches empty text")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A topic pattern as the tagger compiles it (case-insensitive)."""
    return re.compile(pattern, re.IGNORECASE)
