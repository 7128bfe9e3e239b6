"""Normalisation and morphology: the text phrases are matched in, and the forms of a word.

`normalise` maps a text character for character (offsets never move) to lowercase ASCII-like text;
`word_forms` gives a phrase word's inflections and, for a plural, its singular.
"""

from __future__ import annotations

import re
from functools import lru_cache


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


@lru_cache(maxsize=16384)
def word_forms(word: str, inflect: bool) -> tuple[str, ...]:
    """The normalised surface forms of one phrase word (hyphen/CamelCase joins, inflections)."""
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
