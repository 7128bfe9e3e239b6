"""Benchmarks for Netiquette builds: synthetic content, one-build runner and the measuring harness.

Run ``invoke bench`` (or ``python -m benchmarks.run --help``).
"""
