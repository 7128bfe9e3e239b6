"""Settings for publishing (`invoke publish`): absolute URLs and a clean output folder.

The public address comes from the ``NETIQUETTE_SITEURL`` environment variable, or ``PUBLISH_SITEURL``
below; the deploy target from ``NETIQUETTE_PUBLISH_DIR`` (a folder) or ``NETIQUETTE_PUBLISH_BRANCH``
(a git branch of this repository).
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

PUBLISH_SITEURL = "https://example.org"
SITEURL = os.environ.get("NETIQUETTE_SITEURL", PUBLISH_SITEURL).rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

NETIQUETTE_PUBLISH_DIR = os.environ.get("NETIQUETTE_PUBLISH_DIR", "")
NETIQUETTE_PUBLISH_BRANCH = os.environ.get("NETIQUETTE_PUBLISH_BRANCH", "")
