"""Dates as people and exports write them: read when possible, never a crash, never "now"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netiquette.dates import parse_date, parse_iso, to_utc


@pytest.mark.parametrize(
    "value",
    ["2024-01-01T00:00:00+25:00", "2024-01-01T00:00:00-24:00", "9999-12-31T23:59:59-23:59",
     "0001-01-01T00:00:00+01:00", "2024-02-30 10:00", "not a date"],
)  # fmt: skip
def test_impossible_dates_are_none(value):
    assert parse_date(value) is None and parse_iso(value) is None


def test_ordinary_dates_keep_their_zone():
    value = parse_date("2024-01-01T10:00:00+05:30")
    assert to_utc(value).isoformat() == "2024-01-01T04:30:00+00:00"


@given(st.text(max_size=40))
def test_any_text_gives_a_real_instant_or_none(value):
    for parsed in (parse_date(value), parse_iso(value)):
        if parsed is not None:
            to_utc(parsed).isoformat()


@given(st.integers(-30 * 60, 30 * 60))
def test_any_written_offset_gives_a_real_instant_or_none(minutes):
    sign = "+" if minutes >= 0 else "-"
    text = f"2024-06-01T12:00:00{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    parsed = parse_date(text)
    assert (parsed is None) == (abs(minutes) >= 24 * 60)
