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
import hashlib
import itertools
import json
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).with_name("topics.toml")

# Bump when the meaning of phrases or patterns changes, so cached analyses are recomputed.
MATCHING_VERSION = "2"

MAX_VARIANTS = 20_000
"""Most surface forms one phrase may expand to; more is almost certainly a mistake."""


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
    """The default taxonomy with each of ``extra_files`` applied in order."""
    topics: dict[str, Topic] = {}
    origin: dict[str, str] = {}
    files = [DEFAULT_FILE, *(Path(f) for f in extra_files)]
    for path in files:
        _apply_file(path, topics, origin)
    return Taxonomy(list(topics.values()), tuple(str(p) for p in files))


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


def _apply_file(path: Path, topics: dict[str, Topic], origin: dict[str, str]) -> None:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TaxonomyError(
            f"{path}: cannot read taxonomy file: {error.strerror or error}"
        ) from None
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


# --- phrase syntax -------------------------------------------------------------------------------

_TOKEN = re.compile(r"=\(|[()\[\]|]|[^\s()\[\]|]+")

Word = tuple[str, bool]  # (word, inflect)


def expand_phrase(phrase: str) -> list[str]:
    """Every surface form ``phrase`` stands for, normalised for matching.

    Raises ValueError for unbalanced groups, an empty phrase or too many forms.
    """
    return list(_expand(phrase))


def check_phrase(phrase: str) -> None:
    """Raise the ValueError `expand_phrase` would raise for ``phrase``, if any.

    Forms are counted as sums and products over the groups, which bounds their number from above
    without building them; only a phrase near the limit or malformed is expanded for the verdict.
    Loading a taxonomy validates every phrase, so this keeps loading fast.
    """
    tokens = _TOKEN.findall(phrase)
    if tokens:
        parser = _GroupParser(tokens)
        try:
            bound = parser.form_bound(exact=False)
        except ValueError:
            bound = MAX_VARIANTS + 1
        if parser.pos == len(tokens) and bound <= MAX_VARIANTS and parser.worded:
            return
    _expand(phrase)


def forget_expansions() -> None:
    """Drop the memoised phrase forms; a compiled tagger has its own copy in its automaton."""
    _expand.cache_clear()
    _word_forms.cache_clear()


@lru_cache(maxsize=4096)
def _expand(phrase: str) -> tuple[str, ...]:
    tokens = _TOKEN.findall(phrase)
    if not tokens:
        raise ValueError("empty phrase")
    parser = _GroupParser(tokens)
    sequences = parser.alternatives(exact=False)
    if parser.pos != len(tokens):
        raise ValueError(f"unexpected {tokens[parser.pos]!r}")
    forms: dict[str, None] = {}
    for words in sequences:
        if not words:
            continue
        options = [_word_forms(word, inflect) for word, inflect in words]
        count = 1
        for option in options:
            count *= len(option)
        if count + len(forms) > MAX_VARIANTS:
            raise ValueError(f"expands to more than {MAX_VARIANTS} forms; split it or mark words =")
        for combination in itertools.product(*options):
            forms[" ".join(part for part in combination if part)] = None
    forms.pop("", None)
    if not forms:
        raise ValueError("phrase has no words")
    return tuple(forms)


def phrase_slots(phrase: str) -> list[tuple[frozenset[str], ...]]:
    """``phrase`` as alternative sequences of slots, without multiplying the slots out.

    A slot is the set of strings one word or group of the phrase can be ("" when it may be left
    out). The forms of `expand_phrase` are exactly the non-empty products of a sequence's slots,
    joined by single spaces with empty parts dropped: a matcher can look for one slot and check
    its neighbours in the text instead of holding every form.
    """
    tokens = _TOKEN.findall(phrase)
    if not tokens:
        raise ValueError("empty phrase")
    parser = _GroupParser(tokens)
    sequences = parser.slotted()
    if parser.pos != len(tokens):
        raise ValueError(f"unexpected {tokens[parser.pos]!r}")
    result = [tuple(slots) for slots in sequences if any(slot - {""} for slot in slots)]
    if not result:
        raise ValueError("phrase has no words")
    return result


def _joined_forms(words: list[Word]) -> frozenset[str]:
    """Every surface form of one word sequence ("" for none or only empty words)."""
    options = [_word_forms(word, inflect) for word, inflect in words]
    return frozenset(" ".join(p for p in parts if p) for parts in itertools.product(*options))


class _GroupParser:
    """Recursive descent over ``(a|b)``, ``[a|b]`` and ``=( )`` groups, yielding word sequences."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.worded = False

    def alternatives(self, exact: bool) -> list[list[Word]]:
        result = self.sequence(exact)
        while self._peek() == "|":
            self.pos += 1
            result += self.sequence(exact)
        return result

    def sequence(self, exact: bool) -> list[list[Word]]:
        result: list[list[Word]] = [[]]
        while (token := self._peek()) is not None and token not in ("|", ")", "]"):
            inner = self.item(exact)
            if len(result) * len(inner) > MAX_VARIANTS:
                raise ValueError(f"expands to more than {MAX_VARIANTS} forms")
            result = [head + tail for head in result for tail in inner]
        return result

    def form_bound(self, exact: bool) -> int:
        """At least as many as the forms `alternatives` stands for, parsed the same way.

        Sets ``worded`` when a word with a non-empty form is seen.
        """
        total = self._sequence_bound(exact)
        while self._peek() == "|":
            self.pos += 1
            total += self._sequence_bound(exact)
        return total

    def _sequence_bound(self, exact: bool) -> int:
        product = 1
        while (token := self._peek()) is not None and token not in ("|", ")", "]"):
            self.pos += 1
            if token in ("(", "=(", "["):
                inner = self.form_bound(exact or token == "=(")
                closing = "]" if token == "[" else ")"
                if self._peek() != closing:
                    raise ValueError(f"missing {closing!r}")
                self.pos += 1
                product *= inner + 1 if token == "[" else inner
                continue
            word = token.lstrip("=")
            if not word:
                raise ValueError("'=' without a word")
            forms = _word_forms(word, not (exact or token.startswith("=")))
            self.worded = self.worded or forms != ("",)
            product *= len(forms)
        return product

    def slotted(self) -> list[list[frozenset[str]]]:
        """Top-level alternatives as sequences of slots (see `phrase_slots`)."""
        result = [self.slot_sequence()]
        while self._peek() == "|":
            self.pos += 1
            result.append(self.slot_sequence())
        return result

    def slot_sequence(self) -> list[frozenset[str]]:
        slots = []
        while (token := self._peek()) is not None and token not in ("|", ")", "]"):
            slots.append(frozenset().union(*map(_joined_forms, self.item(exact=False))))
        return slots

    def item(self, exact: bool) -> list[list[Word]]:
        """The word sequences of the word or group at the current token."""
        token = self.tokens[self.pos]
        self.pos += 1
        if token in ("(", "=(", "["):
            inner = self.alternatives(exact or token == "=(")
            closing = "]" if token == "[" else ")"
            if self._peek() != closing:
                raise ValueError(f"missing {closing!r}")
            self.pos += 1
            return [[], *inner] if token == "[" else inner
        word = token.lstrip("=")
        if not word:
            raise ValueError("'=' without a word")
        return [[(word, not (exact or token.startswith("=")))]]

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None


# --- normalisation and morphology -----------------------------------------------------------------


def _build_table() -> dict[int, str]:
    """A 1:1 character map applied after lowercasing, so offsets in the text never move."""
    import unicodedata

    table: dict[int, str] = {}
    for quote in "\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4":
        table[ord(quote)] = "'"
    for quote in '"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb':  # quotes never join words
        table[ord(quote)] = " "
    for hyphen in "-\u2010\u2011\u2012\u2212\u00ad":
        table[ord(hyphen)] = " "
    for dash in "\u2013\u2014\u2015":  # dashes separate clauses, like a semicolon
        table[ord(dash)] = ";"
    for space in "\t\n\r\f\v\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\ufeff":
        table[ord(space)] = " "
    for code in range(0x2000, 0x200B):
        table[code] = " "
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base.lower()
    return table


TRANSLATION = _build_table()
_ASCII_PAIRS = tuple((chr(k), v) for k, v in TRANSLATION.items() if k < 128)
_WIDE = {chr(k): v for k, v in TRANSLATION.items() if k >= 128}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_USUAL_WIDE = tuple((char, _WIDE[char]) for char in "\u2019\u201c\u201d\u2018\u2014\u2013\u00a0")


def normalise(text: str) -> str:
    """Lowercase ``text`` and map look-alike characters, keeping its length (1:1)."""
    # Replacing the few characters present is much faster than str.translate on most text. The
    # usual wide characters go first: they and their replacements are their own lowercase and
    # equally case-ignorable, and lowercasing text that has become ASCII is several times faster.
    if not text.isascii():
        for char, replacement in _USUAL_WIDE:
            if char in text:
                text = text.replace(char, replacement)
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    if not lowered.isascii():
        for char in set("".join(_NON_ASCII.findall(lowered))):
            if char in _WIDE:
                lowered = lowered.replace(char, _WIDE[char])
    for char, replacement in _ASCII_PAIRS:
        if char in lowered:
            lowered = lowered.replace(char, replacement)
    return lowered


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NO_INFLECTION = _word_set(
    """a an the and or but nor not no so as if than then that this these those there here
    i me my mine myself you your yours yourself he him his himself she her hers herself it its
    itself we us our ours ourselves they them their theirs themselves one someone somebody anyone
    anybody everyone everybody people who whom whose what which when where why how
    to of in on at by for from with without into onto out up down over under about off via per
    is are was were be been being am do does did done have has had can could would should will
    shall may might must just only even also very too all any some every each other another more
    most such own same s t d ll ve re"""
)

_IRREGULAR = {
    "be": ("is", "are", "was", "were", "been", "being", "am"),
    "bring": ("brought",),
    "buy": ("bought",),
    "come": ("came",),
    "cut": ("cut",),
    "do": ("did", "done", "does", "doing"),
    "find": ("found",),
    "get": ("got", "gotten"),
    "give": ("gave", "given"),
    "go": ("went", "gone", "goes"),
    "have": ("had", "has", "having"),
    "hear": ("heard",),
    "hit": ("hit",),
    "keep": ("kept",),
    "know": ("knew", "known"),
    "leave": ("left",),
    "lose": ("lost",),
    "make": ("made",),
    "meet": ("met",),
    "pay": ("paid",),
    "put": ("put",),
    "quit": ("quit",),
    "read": ("read",),
    "run": ("ran",),
    "say": ("said",),
    "see": ("saw", "seen"),
    "sell": ("sold",),
    "send": ("sent",),
    "shut": ("shut",),
    "slide": ("slid",),
    "speak": ("spoke", "spoken"),
    "spend": ("spent",),
    "take": ("took", "taken"),
    "teach": ("taught",),
    "tell": ("told",),
    "think": ("thought",),
    "throw": ("threw", "thrown"),
    "win": ("won",),
    "write": ("wrote", "written"),
}

_VOWELS = frozenset("aeiou")


def inflections(word: str) -> set[str]:
    """Regular inflections of an English word: -s/-es/-ies, -ing, -ed, doubled consonants.

    Over-generation (``generics``) is harmless: such forms never occur in text. Words already
    ending in -ing or -ed only take a plural.
    """
    forms = {word, *_IRREGULAR.get(word, ())}
    if len(word) < 3 or not word.isalpha() or word in _NO_INFLECTION:
        return forms
    forms.update(_singulars(word))
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    elif word[-1] == "y" and word[-2] not in _VOWELS:
        forms.add(word[:-1] + "ies")
    else:
        forms.add(word + "s")
    if word.endswith(("ing", "ed")) and len(word) > 4:
        return forms
    if word.endswith("ie"):
        stem = word[:-2] + "y"
        forms.update((stem + "ing", word + "d"))
        return forms
    if word[-1] == "e" and word[-2] not in "eoy":
        forms.update((word[:-1] + "ing", word + "d"))
        return forms
    if word[-1] == "y" and word[-2] not in _VOWELS:
        forms.update((word + "ing", word[:-1] + "ied"))
        return forms
    forms.update((word + "ing", word + "ed"))
    if word[-1] not in _VOWELS | set("wxy") and word[-2] in _VOWELS and word[-3] not in _VOWELS:
        forms.update((word + word[-1] + "ing", word + word[-1] + "ed"))
    return forms


_NOT_PLURAL = ("ss", "us", "is", "'s", "news", "series", "species")


def _singulars(word: str) -> tuple[str, ...]:
    """The singular a plural-looking word may have: numbers - number, replies - reply, boxes - box.

    Nouns are written in either number ("numbers game", "number game"); words in -ss, -us, -is
    and short words are left alone.
    """
    if len(word) < 4 or word[-1] != "s" or word.endswith(_NOT_PLURAL) or word in _NOT_PLURAL:
        return ()
    if word.endswith("ies"):
        return (word[:-3] + "y", word[:-1])
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return (word[:-2],)
    return (word[:-1],)


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def word_forms(word: str, inflect: bool = True) -> list[str]:
    """The normalised surface forms of one phrase word (hyphen/CamelCase joins, inflections)."""
    return list(_word_forms(word, inflect))


@lru_cache(maxsize=16384)
def _word_forms(word: str, inflect: bool) -> tuple[str, ...]:
    parts = [p for p in normalise(_CAMEL.sub(" ", word)).split(" ") if p]
    if not parts:
        return ("",)
    last = inflections(parts[-1]) if inflect else {parts[-1]}
    joiners = (" ", "") if len(parts) > 1 else ("",)
    forms: dict[str, None] = {}
    for ending in sorted(last):
        for joiner in joiners:
            form = joiner.join([*parts[:-1], ending])
            forms[form] = None
            if "'" in form:
                forms[form.replace("'", "")] = None
    return tuple(forms)
