"""Netiquette: etiquette-topic analysis of blog posts and their comment threads, as a Pelican plugin.

The analysis core (``model``, ``parsers``, ``taxonomy``, ``tagger``) has no Pelican imports; the Pelican
glue lives in ``netiquette.site`` and is imported only when Pelican calls ``register``.
"""

__version__ = "0.1.0"


def register() -> None:
    from netiquette.site.plugin import connect_signals

    connect_signals()
