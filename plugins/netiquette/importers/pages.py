"""Importing saved HTML pages: each page becomes a post (its body) with its comment thread.

The page's own HTML carries scripts, ads and theme chrome, so the imported post body is the post's
blocks as the parser kept them, sanitized, the same body the site shows when it reads the page
itself; comments keep their HTML for the sanitizer. Pages are decoded by `netiquette.sources`.
"""

from __future__ import annotations

from pathlib import PurePath

from netiquette.parsers.archive import ImportedPost, ImportResult, tally_threads
from netiquette.parsers.html_page import parse_saved_page
from netiquette.parsers.slugs import SlugRegistry


def import_html_pages(pages: list[tuple[str, str]]) -> ImportResult:
    """Posts and threads of saved pages given as (source name, decoded page text) pairs."""
    label = pages[0][0] if len(pages) == 1 else f"{len(pages)} saved pages"
    result = ImportResult(source=label)
    counts = result.counts
    slugs = SlugRegistry()
    for source, text in pages:
        page = parse_saved_page(text, source)
        thread = page.thread
        post = thread.post
        slug = slugs.claim(
            post.title if "title" not in post.inferred else "",
            PurePath(post.metadata.get("url", "")).name,
            fallback=PurePath(source).stem,
        )
        post.metadata["slug"] = slug
        counts.posts += 1
        counts.comments["approved"] += len(thread.comments)
        pings = int(post.metadata.get("pingbacks", "0"))
        counts.moderation["approved"] += len(thread.comments) + pings
        if pings:
            counts.comments["pingback"] += pings
        result.posts.append(
            ImportedPost(
                thread=thread,
                slug=slug,
                body_html=page.body_html,
                link=post.metadata.get("url"),
            )
        )
    tally_threads(counts, result.posts)
    return result
