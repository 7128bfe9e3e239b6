"""Date parsing shared by the readers: lenient about format, strict about never guessing "now"."""

from __future__ import annotations

from datetime import datetime

from dateutil import parser as dateutil_parser


def parse_date(value: str) -> datetime | None:
    """A datetime from the many ways blogs write dates, or None when it cannot be read."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return dateutil_parser.parse(value)
    except (ValueError, OverflowError, TypeError):
        return None
