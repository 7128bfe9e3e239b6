"""Settings of the benchmark's third case: Pelican with pelican-comment-system 1.4.0.

The project's ``pelicanconf.py`` (URLs, feeds, pagination, dates), without Netiquette, with
Pelican's default ``notmyidea`` theme and Pelican's default Jinja environment, like the plain case;
pelican-comment-system reads the same comment files as Netiquette (``comments/<post-slug>/<id>.md``)
with its default settings (its per-article comment feeds and its all-comments feed included), and
`comment_system_templates/article.html` draws each article's threaded comments.

This file is run by the interpreter of the benchmark's own virtual environment for the case
(`benchmarks.comment_system`), where the plugin is installed; it is never a dependency of the
project. Two shims fit the plugin, released in 2017 for Pelican 3, to Pelican 4.12:

- it asks for ``Pelican.get_writer()``, which Pelican 4 renamed ``_get_writer()``;
- a comment's identifier (what ``replyto`` names) is the slug of its file name, which Pelican 3
  made ``3md`` of ``3.md``; Pelican 4's ``slugify`` with the plugin's argument (no substitutions)
  keeps the dot, so no reply would find its parent. The shim slugifies with Pelican's default
  substitutions, which give Pelican 3's ``3md`` again (the form the synthetic files use, and
  Netiquette reads).
"""

from pathlib import Path

import pelican
import pelican_comment_system.comment as _comment_module
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file
from pelican.utils import slugify as _slugify

_HERE = Path(__file__).resolve().parent

if not hasattr(pelican.Pelican, "get_writer"):
    pelican.Pelican.get_writer = pelican.Pelican._get_writer


def _pelican3_slug(value, _substitutions=()):
    return _slugify(value, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


_comment_module.slugify = _pelican3_slug

globals().update(get_settings_from_file(str(_HERE.parent / "pelicanconf.py")))

THEME = DEFAULT_CONFIG["THEME"]
THEME_TEMPLATES_OVERRIDES = [str(_HERE / "comment_system_templates")]
JINJA_ENVIRONMENT = dict(DEFAULT_CONFIG["JINJA_ENVIRONMENT"])
PLUGIN_PATHS = []
PLUGINS = ["pelican_comment_system"]
PELICAN_COMMENT_SYSTEM = True
PELICAN_COMMENT_SYSTEM_DIR = "comments"
