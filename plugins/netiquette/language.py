"""Is a segment English? The topics, phrases and model are English; other text is left untagged.

A text mostly in another script is not English. A text in Latin letters is judged by its function
words, the most frequent words of every language: English where English ones make up
`COMMON_SHARE` of it, not English where the function words of another language (German, French,
Spanish, Italian, Portuguese, Dutch, the Scandinavian languages, Polish, Czech, Romanian, Turkish,
Indonesian) outnumber them and make up `FOREIGN_SHARE`. Anything else (short texts, "Thanks,
Anna!", lists of names, code) counts as English: too little to tell, and leaving it untagged would
lose more than tagging it costs. A language-identification library would be more thorough; the
well-known one for short texts keeps some 70 MB of model in memory, more than a whole build of a
thousand posts needs besides, for what these few lists decide.
"""

from __future__ import annotations

import re
import string

from netiquette.wordruns import AsciiWords

SHORT_WORDS = 6
"""Texts with fewer words than this are taken to be English."""

COMMON_SHARE = 0.2
"""Share of English function words from which a text is English."""

FOREIGN_SHARE = 0.15
"""Share of another language's function words from which a text is in that language."""

READ_CHARS = 2000
"""Only the start of a long text is read to decide."""

_NOT_LATIN = re.compile(r"[^\W\d_A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ASCII_WORDS = AsciiWords(r"[a-z]+(?:'[a-z]+)?", string.ascii_lowercase + "'")
"""`_WORD` for lowercase ASCII text, read faster."""
_SEPARATORS = ("\u2019", "\u201c", "\u201d", "\u2018", "\u2014", "\u2013", "\u00a0", "\u2026")
"""Curly quotes, dashes and the like: neither letters nor other scripts, so they can become spaces
and let most real text be read as ASCII."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH = _words(
    """a about after all also am an and any are as at be because been but by can could did do does
    don't for from get got had has have he her him his how i i'm if in into is it it's its just like
    me more my no not of on one or other our out so some than that the their them then there they
    this to up was we were what when which who will with would you your"""
)

# Frequent words of each language that are not English words, so no English text is full of them.
OTHERS = {
    "de": _words(
        """der die das und ist nicht ein eine einen einem einer zu den von mit sich des auf für im dem
        auch es werden aus er hat dass daß sie nach wird bei um sind noch wie über zum zur haben nur
        oder aber vor bis durch sehr ich du wir ihr mir mich uns euch kann können muss wenn dann
        schon immer mehr jetzt hier diese dieser dieses kein keine man"""
    ),
    "fr": _words(
        """le la les et est un une des du de en que qui dans pour pas sur au aux ce cette ces il elle
        ils elles nous vous je tu ne se sont avec mais ou où leur leurs été être avoir fait comme
        plus très tout tous aussi sans"""
    ),
    "es": _words(
        """el la los las y es un una unos unas del de en que por para con se su sus al lo como más
        pero sí muy ya también está están son fue ser hay este esta estos estas yo tú él ella nosotros
        ellos usted donde cuando porque"""
    ),
    "it": _words(
        """il lo la gli le e è un una uno di del della dei delle che per con non sono si da al alla
        nel nella come più ma anche questo questa io tu lui lei noi voi loro ci molto essere stato"""
    ),
    "pt": _words(
        """o os a as e é um uma de do da dos das em no na nos nas que para com não se por mais mas
        como foi ser está são ao aos também muito eu você ele ela nós eles isso isto já"""
    ),
    "nl": _words(
        """de het een en is van dat die niet te op voor met zijn er aan ook als maar om dan wat bij
        nog wel geen ze hij ik je wij jullie naar uit worden wordt heeft hebben kan zo deze dit"""
    ),
    "sv-da-no": _words(
        """och att det som en ett är på för med av inte jag du han hon vi de men om har var till
        från eller också kan så den detta og er til af ikke jeg hun vil skal kunne ogsaa også fra
        har ble blev være med seg sig"""
    ),
    "pl": _words(
        """i w na nie z się to jest że do jak co ale o po tak za od jego jej są być czy już tylko
        mnie może jest który która które przez dla bardzo też"""
    ),
    "cs": _words(
        """a v na je se že to s z do ale jak o po jsem jsou by byl byla bylo jeho její který která
        které pro tak už jen také nebo jako"""
    ),
    "ro": _words(
        """și în de la cu nu pe o un că este sunt se mai din care ce pentru dar ca sau fost lui ei
        această acest foarte"""
    ),
    "tr": _words(
        """ve bir bu da de için ile çok ama ne gibi daha olan olarak var ben sen biz siz onlar değil
        mi mı mu mü ki şey kadar sonra"""
    ),
    "id": _words(
        """dan yang di ini itu dengan untuk tidak dari dalam akan pada juga ke karena ada saya kami
        kita mereka sudah bisa atau seperti lebih"""
    ),
}
_ANY_OTHER = frozenset().union(*OTHERS.values())


def is_english(text: str) -> bool:
    """Whether ``text`` reads as English (or is too short to say otherwise)."""
    start = text[:READ_CHARS]
    if not start.isascii():
        for char in _SEPARATORS:
            if char in start:
                start = start.replace(char, " ")
    words = (_ASCII_WORDS if start.isascii() else _WORD.findall)(start.lower())
    if len(words) < SHORT_WORDS:
        return not words or start.isascii() or not _mostly_other_script(start, words)
    if not start.isascii() and _mostly_other_script(start, words):
        return False
    english = sum(map(ENGLISH.__contains__, words))
    if english >= COMMON_SHARE * len(words):
        return True
    foreign = [word for word in words if word in _ANY_OTHER]
    if len(foreign) <= english or len(foreign) < FOREIGN_SHARE * len(words):
        return True
    other = max(sum(map(common.__contains__, foreign)) for common in OTHERS.values())
    return not (other > english and other >= FOREIGN_SHARE * len(words))


def _mostly_other_script(text: str, words: list[str]) -> bool:
    return len(_NOT_LATIN.findall(text)) > 0.5 * sum(map(len, words))
