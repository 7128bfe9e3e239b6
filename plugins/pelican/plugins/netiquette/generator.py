"""The Pelican generator: analysis in the context phase, topic/commenter pages and feeds in output.

``generate_context`` runs after Pelican has read every article: it gathers each article's thread (from
its reader, or from its comment files), analyses it once and attaches a view (``article.netiquette``)
that the article template reads. ``generate_output`` only renders what was computed.
"""

from __future__ import annotations

import functools
import gc
import inspect
import logging
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pelican
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article
from pelican.generators import Generator
from pelican.log import console
from pelican.plugins.netiquette.comment_feeds import CommentFeeds
from pelican.plugins.netiquette.incremental import PageWriter, only_ours
from pelican.plugins.netiquette.search import write_search
from pelican.plugins.netiquette.terms import CommenterTerm, TopicTerm
from pelican.plugins.netiquette.theming import write_stylesheet

from netiquette import __version__, naming
from netiquette.dates import parse_date
from netiquette.model import Comment, Post, Problem, Thread
from netiquette.parallel import (
    MIN_THREADS_PER_PROCESS,
    Pending,
    Shared,
    can_fork,
    run_jobs,
    worker_count,
)
from netiquette.parsers.commentfiles import COMMENT_EXTENSIONS, read_comment_folder
from netiquette.sanitize import inert_html, plain_text
from netiquette.segments import number_html_paragraphs
from netiquette.site.analysis_json import write_analysis
from netiquette.site.cache import AnalysisCache, ThreadJob, analyse_job, thread_key
from netiquette.site.index import HeldBack, SiteIndex, forget_excerpts
from netiquette.site.marks import paragraph_marks
from netiquette.site.summary import ThreadSummary
from netiquette.site.trends import build_trends
from netiquette.site.views import build_post_view
from netiquette.sources import remove_controls
from netiquette.taxonomy import load_taxonomy

logger = logging.getLogger("netiquette")
_PARAGRAPH_ID = re.compile(r' id="p-\d+"')


class NetiquetteGenerator(Generator):
    def generate_context(self):
        settings = self.settings
        taxonomy = load_taxonomy(settings["NETIQUETTE_TOPICS"])
        cache = self.cache = AnalysisCache(settings, taxonomy)
        tagger = cache.tagger(taxonomy)
        self.topics = {
            topic.slug: TopicTerm(topic.slug, topic.name, topic.description, settings)
            for topic in taxonomy.topics
        }
        _topic_pages_apart(self.topics.values(), settings)
        articles = sorted(
            [
                content
                for key in ("articles", "drafts", "pages", "hidden_pages", "draft_pages")
                for content in self.context.get(key, [])
            ],
            key=lambda content: content.source_path,
        )
        folders = self._comment_folders()
        summaries: list[ThreadSummary | None] = []
        jobs: list[ThreadJob] = []
        for article in articles:
            thread = self._post_thread(article)
            folder = folders.pop(article.slug, None)
            signature = cache.signature(folder)
            digest = cache.known_digest(folder, signature)
            summary = None
            if digest is not None:
                key = thread_key(thread, cache.salt, digest)
                summary = cache.reusable(key)
                if summary is not None:
                    cache.record(key, signature, digest, summary, reused=True)
            if summary is None:
                jobs.append(ThreadJob(len(summaries), thread, folder, signature, digest))
            summaries.append(summary)
        work = functools.partial(
            analyse_job, cache=cache, tagger=tagger, read_folder=self._read_folder
        )
        processes = worker_count(settings["NETIQUETTE_PROCESSES"])
        results = run_jobs(lambda job: work(job.thread, job.folder, job.digest), jobs, processes)
        for job, result in zip(jobs, results, strict=True):
            cache.record(result.key, job.signature, result.digest, result.summary,
                         reused=result.reused)  # fmt: skip
            summaries[job.index] = result.summary
        del jobs, results  # the posts' paragraphs, now analysed
        _share_names(summaries)
        cache.save()
        analysed = list(zip(articles, summaries, strict=True))
        if cache.load:
            logger.info("analysis cache: %d of %d threads reused", cache.hits, len(analysed))
        problems = [problem for summary in summaries for problem in summary.problems]

        held_back = self._orphan_folders(folders, problems)
        self.index = SiteIndex.build(
            analysed,
            self.topics,
            settings,
            held_back,
            cache.store,
            person_term=lambda name: CommenterTerm(name, settings),
            listed=_listed,
            undated=self._undated,
        )
        self.trends = build_trends(
            self.index, ZoneInfo(settings.get("TIMEZONE") or "UTC"), self._undated, _listed
        )
        commenter_for = {c.name: c for c in self.index.commenters_with_pages}
        for article, summary in analysed:
            article.netiquette = build_post_view(
                summary,
                cache.store.get,
                self.topics,
                commenter_for,
                author_inferred=bool(getattr(article, "netiquette_author_inferred", False)),
                undated=self._undated(article),
            )
            article.netiquette.related = self.index.related_posts(article)
            author = getattr(article, "author", None)
            article.netiquette.author_commenter = (
                commenter_for.get(plain_text(getattr(author, "name", author))) if author else None
            )
            if settings["NETIQUETTE_PARAGRAPH_MARKS"]:
                article.netiquette.paragraph_marks = paragraph_marks(
                    summary.paragraphs, self.topics
                )
        self.comment_feeds = CommentFeeds(settings, self.index, cache.store, _listed)
        self.comment_feeds.link_posts()
        self._apart: tuple[Pending, Shared, list[Callable]] | None = None
        """The child writing Netiquette's outputs, the tasks it shares and the outputs."""
        self._report(problems)
        self.context["netiquette"] = self.index
        self.context["netiquette_topics"] = self.index.topics
        self.context["netiquette_topic_bar"] = [t.term for t in self.index.topics if t.entries]
        signals.all_generators_finalized.connect(self._start_writing)
        signals.finalized.connect(self._close_store)
        # What exists now lives until the build ends; the collector need not walk it again.
        gc.freeze()

    def _close_store(self, pelican) -> None:
        """Pages are rendered: a temporary thread store can go, and the build's objects with it."""
        self.cache.close()
        forget_excerpts()
        gc.unfreeze()

    def _undated(self, article) -> bool:
        """True when the source gave no date and the default date stands in for it."""
        if getattr(article, "netiquette_undated", False):
            return True
        date = getattr(article, "date", None)
        default = parse_date(str(self.settings["NETIQUETTE_DEFAULT_DATE"]))
        return bool(date and default) and date.replace(tzinfo=None) == default.replace(tzinfo=None)

    def _comment_folders(self) -> dict[str, Path]:
        root = Path(self.path) / self.settings["NETIQUETTE_COMMENTS_PATH"]
        if not root.is_dir():
            return {}
        return {entry.name: entry for entry in sorted(root.iterdir()) if entry.is_dir()}

    def _post_thread(self, article) -> Thread:
        """The article's thread as its reader made it: the post, and comments if the source has them.

        The summary of a post our readers made is `inert_html`: themes put ``summary|striptags``
        into attributes, where a scraped ``"`` would end them."""
        thread = getattr(article, "netiquette_thread", None)
        article._content = remove_controls(article._content or "")
        title = remove_controls(article.title)
        article.title = Markup(title) if isinstance(article.title, Markup) else title
        if thread is not None:
            thread.post.source = self._relative(thread.post.source or article.source_path)
            article.metadata["summary"] = inert_html(
                _PARAGRAPH_ID.sub("", self._kept_summary(article))
            )
        else:
            content = article._content
            html, kept = self.cache.prepared(
                "paragraphs", content, lambda: number_html_paragraphs(content)
            )
            paragraphs = list(kept)
            article._content = html
            author = getattr(article, "author", None)
            thread = Thread(
                Post(
                    title=article.title,
                    author=plain_text(getattr(author, "name", author)) if author else None,
                    date=getattr(article, "date", None),
                    paragraphs=paragraphs,
                    source=self._relative(article.source_path),
                )
            )
        if "summary" not in article.metadata:
            article.metadata["summary"] = _PARAGRAPH_ID.sub("", self._kept_summary(article))
        return thread

    def _kept_summary(self, article) -> str:
        """`_summary`, as the last build made it when the post's text and the summary settings
        are the same."""
        if "summary" in article.metadata:
            return _summary(article)
        settings = article.settings
        inputs = [
            pelican.__version__,
            *(str(settings.get(name)) for name in _SUMMARY_SETTINGS),
            article.content,
        ]
        return self.cache.prepared("summary", "\0".join(inputs), lambda: _summary(article))

    def _read_folder(self, folder: Path) -> tuple[list[Comment], list[Problem]]:
        comments, found = read_comment_folder(folder, Path(self.path))
        # Every file is a plain name in the folder: one relpath for the folder, not one per comment.
        absolute, relative = str(folder), self._relative(str(folder))
        for comment in comments:
            head, name = os.path.split(comment.source)
            if head == absolute:
                comment.source = name if relative == os.curdir else os.path.join(relative, name)
            else:
                comment.source = self._relative(comment.source)
        return comments, [
            Problem(self._relative(p.source), p.message, p.line, p.level) for p in found
        ]

    def _relative(self, path: str) -> str:
        try:
            return os.path.relpath(path, self.path)
        except ValueError:
            return path

    def _orphan_folders(self, folders: dict[str, Path], problems: list[Problem]) -> list[HeldBack]:
        """Comment files whose post does not exist are held back, each listed and reported."""
        held: list[HeldBack] = []
        for slug, folder in sorted(folders.items()):
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() not in COMMENT_EXTENSIONS:
                    continue
                source = self._relative(str(path))
                reason = f"no post with slug {slug!r}"
                held.append(HeldBack(source, reason))
                problems.append(Problem(source, f"comment held back: {reason}"))
        return held

    def _report(self, problems: list[Problem]) -> None:
        seen: set[str] = set()
        for problem in problems:
            if os.path.isabs(problem.source):
                problem = replace(problem, source=self._relative(problem.source))
            text = str(problem)
            if text in seen:
                continue
            seen.add(text)
            if problem.level == "error":
                logger.error("%s", text)
            else:
                logger.warning("%s", text)

    def generate_output(self, writer):
        apart, self._apart = self._apart, None
        if apart is None:
            self._write_outputs(writer, self._outputs())
        else:
            child, shared, outputs = apart
            self._write_outputs(writer, outputs, lambda: shared.take_back(child.done))
            written = child.result()
            if isinstance(writer, PageWriter):
                writer.adopt(written)
        write_stylesheet(self.settings, self.output_path)
        self._write_analysis_json(writer)
        write_search(self, writer)
        console.print(self.index.summary_line())

    def _start_writing(self, generators) -> None:
        """Every post has its final address: write Netiquette's pages and feeds in a forked child
        while this process writes the posts' pages, when nothing else could hear of the files
        (see `incremental.only_ours`) and the site is large enough to pay for the child. Whichever
        process is done first takes over what the other has not started (`parallel.Shared`)."""
        alone = only_ours(
            signals.get_writer,
            signals.content_written,
            signals.feed_generated,
            signals.feed_written,
        )
        processes = worker_count(self.settings["NETIQUETTE_PROCESSES"])
        worth = processes > 1 and len(self.index.analysed) >= MIN_THREADS_PER_PROCESS
        if self not in generators or not (alone and worth and can_fork()):
            return
        outputs = self._outputs()
        shared = Shared(len(outputs))

        def write_apart():
            writer = PageWriter(self.output_path, settings=self.settings)
            self._write_outputs(writer, outputs, shared.take_front)
            return writer.output()

        self._apart = (Pending(write_apart), shared, outputs)

    def _write_outputs(
        self, writer, outputs: list[Callable], take: Callable[[], int | None] | None = None
    ) -> None:
        """Write ``outputs``: all of them, or those ``take`` hands out by number."""
        try:
            if take is None:
                for write in outputs:
                    write(writer)
            else:
                while (number := take()) is not None:
                    outputs[number](writer)
        finally:
            self.comment_feeds.forget()

    def _outputs(self) -> list[Callable]:
        """The topic, commenter, trends and held-back pages, and the topic and comment feeds: one
        call per page (a topic's page with its feeds), each taking the writer; the many small
        comment feeds last, so that the process taking from the back finishes evenly."""
        settings = self.settings
        index = self.index

        def page(save_as: str, template: str, **variables) -> Callable:
            def write(writer) -> None:
                writer.write_file(
                    save_as,
                    self.get_template(template),
                    self.context,
                    relative_urls=settings.get("RELATIVE_URLS"),
                    **variables,
                )

            return write

        def topic(summary) -> Callable:
            show = page(
                summary.term.save_as,
                "netiquette/topic",
                paginated={"entries": summary.entries},
                template_name="topic",
                url=summary.term.url,
                topic=summary,
                trend=self.trends.of(summary.term),
            )

            def write(writer) -> None:
                show(writer)
                self._write_topic_feeds(writer, summary)

            return write

        outputs = [
            page(
                settings["NETIQUETTE_TOPICS_SAVE_AS"],
                "netiquette/topics",
                topics=index.topics,
                cooccurrence=index.cooccurrence,
                heatmap=self.trends.heatmap,
            )
        ]
        if settings["NETIQUETTE_TRENDS_SAVE_AS"]:
            outputs.append(
                page(settings["NETIQUETTE_TRENDS_SAVE_AS"], "netiquette/trends", trends=self.trends)
            )
        outputs += [topic(summary) for summary in index.topics]
        outputs.append(
            page(
                settings["NETIQUETTE_COMMENTERS_SAVE_AS"],
                "netiquette/commenters",
                commenters=index.commenters,
            )
        )
        outputs += [
            page(person.term.save_as, "netiquette/commenter", person=person)
            for person in index.commenters
            if person.has_page
        ]
        outputs.append(
            page(
                settings["NETIQUETTE_HELD_BACK_SAVE_AS"],
                "netiquette/held_back",
                held_back=index.held_back,
            )
        )
        outputs += self.comment_feeds.outputs(self.context, page)
        return outputs

    def _write_topic_feeds(self, writer, summary) -> None:
        items = summary.feed_items()
        for setting, feed_type in (
            ("NETIQUETTE_TOPIC_FEED_ATOM", "atom"),
            ("NETIQUETTE_TOPIC_FEED_RSS", "rss"),
        ):
            pattern = self.settings.get(setting)
            if not pattern:
                continue
            path = pattern.format(slug=summary.term.slug)
            writer.write_feed(
                items, self.context, path, feed_type=feed_type, feed_title=summary.term.name
            )

    def _write_analysis_json(self, writer) -> None:
        """Write ``analysis.json``, unless a rebuild finds it made from the same posts and threads."""
        target = self.settings["NETIQUETTE_ANALYSIS_SAVE_AS"]
        if not target:
            return
        name, digest = f"file:{target}", None
        if isinstance(writer, PageWriter) and writer.enabled:
            articles = [article for article, _ in self.index.analysed]
            digest = writer.describe(
                [__version__, articles, self.index.held_back, self.index.topics]
            )
            if digest is not None and writer.unchanged(name, digest):
                return
        path = Path(self.output_path) / target
        path.parent.mkdir(parents=True, exist_ok=True)
        store = self.cache.store
        with path.open("w", encoding="utf-8") as handle:
            write_analysis(
                handle, __version__, self.index, lambda key: store.text(key, "json"), store.get
            )
        if digest is not None:
            writer.remember(name, digest, [str(path)])


def _listed(content) -> bool:
    """Whether a post goes in post lists and comment feeds: a published article."""
    return isinstance(content, Article) and content.status == "published"


_SUMMARY_SETTINGS = ("SUMMARY_MAX_PARAGRAPHS", "SUMMARY_MAX_LENGTH", "SUMMARY_END_SUFFIX")


def _summary(article) -> str:
    """The summary Pelican makes of `article`, without remembering it: Pelican's memo would keep
    showing it after the summary set in the metadata replaces it."""
    get_summary = inspect.getattr_static(type(article), "get_summary")
    return getattr(get_summary, "func", get_summary)(article, article.get_siteurl())


def _share_names(summaries) -> None:
    """One object per distinct name, id and topic list: the same people comment on many posts."""
    shared: dict = {}
    for summary in summaries:
        for comment in summary.comments:
            comment.name = shared.setdefault(comment.name, comment.name)
            comment.id = shared.setdefault(comment.id, comment.id)
            comment.topics = shared.setdefault(comment.topics, comment.topics)


def _topic_pages_apart(terms, settings) -> None:
    """A topic slugged ``index`` (or too long for a file name) gets a page of its own."""
    changes, _ = naming.distinct(
        {term.topic: term.slug for term in terms},
        taken=naming.save_as_taken(
            str(settings["NETIQUETTE_TOPIC_SAVE_AS"]), naming.reserved_pages(settings)
        ),
    )
    for term in terms:
        if term.topic in changes:
            term.slug = changes[term.topic]
            logger.warning("topic %r: its page would be a reserved page or too long a name; "
                           "it is at %r", term.topic, term.url)  # fmt: skip
