"""Nothing outside the content folder is read into the site.

Pelican follows links while it walks the content, so ``content/x.md -> ~/.ssh/config`` or a linked
folder would be read, rendered and fed. Content files whose real path leaves ``PATH`` are refused
(Pelican reports each as a file it could not process); static files are dropped with a warning.
Links that stay inside the content folder work as before.
"""

from __future__ import annotations

import logging
import os

from netiquette.paths import inside

logger = logging.getLogger("netiquette")


class OutsideContent(ValueError):
    """A content file that is a link to somewhere outside the content folder."""


def confine_reading(readers) -> None:
    """``readers_init``: read only files whose real path is in the content folder."""
    root = readers.settings["PATH"]
    read_file = readers.read_file

    def read_inside(base_path, path, content_class=None, fmt=None, *args, **kwargs):
        full = os.path.join(base_path, path)
        if fmt != "static" and not inside(full, root):
            raise OutsideContent(
                f"{path}: a link to {os.path.realpath(full)}, outside the content folder; "
                "not read (copy the file into the content folder to publish it)"
            )
        return read_file(base_path, path, content_class, fmt, *args, **kwargs)

    readers.read_file = read_inside


def drop_outside_static(generator) -> None:
    """``static_generator_finalized``: static files reached through links out of the content
    folder are not copied."""
    root = generator.settings["PATH"]
    kept = []
    for static in generator.staticfiles:
        if inside(static.source_path, root):
            kept.append(static)
            continue
        logger.warning(
            "%s: a link to a file outside the content folder; not copied",
            static.relative_source_path,
        )
        generator.context.get("static_content", {}).pop(static.get_relative_source_path(), None)
    generator.staticfiles[:] = kept
