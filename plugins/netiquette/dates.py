"""Date parsing shared by every reader: lenient about format, never guessing "now".

Content files write dates as people do (`parse_date`). Archives have their own conventions:
WordPress writes ``YYYY-MM-DD HH:MM:SS`` (with ``0000-00-00 00:00:00`` for "never"), Disqus and HTML
``datetime`` attributes write ISO 8601, and saved pages sometimes only show text such as
"Jun 20th at 2:41 am"; those readers take a date without a zone as UTC, so every date compares with
every other.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dateutil import parser as dateutil_parser


def parse_date(value: str) -> datetime | None:
    """A datetime from the many ways blogs write dates, or None when it cannot be read."""
    value = value.strip()
    if not value:
        return None
    try:
        return _possible(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return _possible(dateutil_parser.parse(value))
    except (ValueError, OverflowError, TypeError):
        return None


def _possible(value: datetime) -> datetime | None:
    """``value``, or None when it is no real instant: an offset of a day or more (``+25:00``), or
    a time so near the ends of the calendar that it has no UTC equivalent."""
    try:
        value.utcoffset()
        to_utc(value)
    except (ValueError, OverflowError):
        return None
    return value


def to_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time (``Z`` allowed), or None when empty or invalid."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        return to_utc(datetime.fromisoformat(value))
    except (ValueError, OverflowError):
        return None


def parse_wordpress(value: str | None) -> datetime | None:
    """A WordPress ``YYYY-MM-DD HH:MM:SS`` value; None for the all-zero "not set" date."""
    return parse_iso(value)


def parse_loose(text: str, reference: datetime | None = None) -> tuple[datetime | None, bool]:
    """A date written for people, and whether its year had to be inferred.

    A missing year is taken from `reference` (the post's date), moved one year on if that would put
    the comment before the post. Text without a day and month gives None.
    """
    text = " ".join(text.split())
    if not text:
        return None, False
    try:
        first = dateutil_parser.parse(text, default=datetime(2000, 1, 1), fuzzy=True)
        second = dateutil_parser.parse(text, default=datetime(2001, 2, 2), fuzzy=True)
    except (ValueError, OverflowError):
        return None, False
    if (first.month, first.day) != (second.month, second.day):
        return None, False
    if first.year == second.year:
        return to_utc(first), False
    if reference is None:
        return None, False
    guess = to_utc(first.replace(year=reference.year))
    if guess < reference - timedelta(days=1):
        guess = guess.replace(year=reference.year + 1)
    return guess, True


def iso_utc(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS+00:00``, the form content files use."""
    return to_utc(value).replace(microsecond=0).isoformat()
