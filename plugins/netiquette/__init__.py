"""Netiquette: etiquette-topic analysis of blog posts and their comment threads.

This package is the core (model, formats, taxonomy, tagger and classifier, the per-thread pipeline,
site-wide aggregation, analysis.json, importers, command line) and imports nothing from Pelican.
The Pelican plugin is the namespace package ``pelican.plugins.netiquette``.
"""

__version__ = "0.1.0"
