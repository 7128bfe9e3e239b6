"""Netiquette's Pelican plugin: found by Pelican's plugin discovery, or named in ``PLUGINS`` as
``"netiquette"``. It connects the core (the ``netiquette`` package) to Pelican's signals."""

from __future__ import annotations

from pelican import signals
from pelican.plugins.netiquette.confine import confine_reading, drop_outside_static
from pelican.plugins.netiquette.escaping import make_text_safe
from pelican.plugins.netiquette.feeds import date_empty_feed
from pelican.plugins.netiquette.search import check_search
from pelican.plugins.netiquette.settings import SettingsError, apply_defaults, check_settings
from pelican.plugins.netiquette.slugs import articles_apart, keep_slug_inside, pages_apart
from pelican.plugins.netiquette.theming import add_templates


def on_initialized(pelican) -> None:
    """Fill in defaults, keep comment files from being read as articles or pages, and start
    compiling the tagger while Pelican reads the content."""
    settings = pelican.settings
    apply_defaults(settings)
    check_settings(settings)
    check_search(settings)
    comments = settings["NETIQUETTE_COMMENTS_PATH"]
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES"):
        excludes = list(settings.get(key) or [])
        if comments not in excludes:
            excludes.append(comments)
        settings[key] = excludes
    if not settings.get("DEFAULT_DATE"):
        settings["DEFAULT_DATE"] = str(settings["NETIQUETTE_DEFAULT_DATE"])
    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    paginated.setdefault("topic", settings["NETIQUETTE_TOPIC_PAGE_SIZE"])
    settings["PAGINATED_TEMPLATES"] = paginated
    from netiquette.site.cache import start_compiling
    from netiquette.taxonomy import TaxonomyError, load_taxonomy

    try:
        load_taxonomy(settings["NETIQUETTE_TOPICS"])
    except TaxonomyError as error:
        raise SettingsError(f"NETIQUETTE_TOPICS: {error}") from None
    start_compiling(settings)


def add_readers(readers) -> None:
    from pelican.plugins.netiquette.readers import SavedPageReader, TextThreadReader

    apply_defaults(readers.settings)
    confine_reading(readers)
    for extension in TextThreadReader.file_extensions:
        readers.reader_classes[extension] = TextThreadReader
    for extension in SavedPageReader.file_extensions:
        readers.reader_classes[extension] = SavedPageReader


def get_generators(pelican):
    from pelican.plugins.netiquette.generator import NetiquetteGenerator

    return NetiquetteGenerator


def get_writer(pelican):
    from pelican.plugins.netiquette.incremental import PageWriter

    return PageWriter


def finish_writing(pelican) -> None:
    from pelican.plugins.netiquette.incremental import finish

    finish(pelican)


def before_taxonomy(generator) -> None:
    """Posts from corpora join the posts Pelican read, then every post gets a slug of its own."""
    from pelican.plugins.netiquette.corpora import add_corpus_articles

    add_corpus_articles(generator)
    articles_apart(generator)


def give_feed_its_own_id(context, feed) -> None:
    """Identify each feed by its own address: Pelican gives every feed the site's URL as its id,
    so a reader would take the site feed and each topic feed for one and the same feed."""
    if feed.feed.get("feed_url"):
        feed.feed["id"] = feed.feed["feed_url"]


def connect_signals() -> None:
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(add_readers)
    signals.generator_init.connect(add_templates)
    signals.get_generators.connect(get_generators)
    signals.feed_generated.connect(give_feed_its_own_id)
    signals.feed_generated.connect(date_empty_feed)
    signals.content_object_init.connect(keep_slug_inside)
    signals.content_object_init.connect(make_text_safe)
    signals.article_generator_pretaxonomy.connect(before_taxonomy)
    signals.page_generator_finalized.connect(pages_apart)
    signals.static_generator_finalized.connect(drop_outside_static)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(finish_writing)


def register() -> None:
    from pathlib import Path

    from netiquette.site.cache import add_code

    add_code(Path(__file__).parent)
    connect_signals()
