"""Partial dates: a year, a month or a day, shown at the precision the source gives."""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass

from .diagnostics import shown

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day. Orders chronologically."""

    year: int
    """Four-digit year."""
    month: int = 0
    """1-12, or 0 when only the year is known."""
    day: int = 0
    """1-31, or 0 when the day is not known."""

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def display(self) -> str:
        if self.day:
            return f"{self.day} {_MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def earliest(self) -> _dt.date:
        """The first day the date could mean; used where a full date is required (feeds)."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> _dt.date:
        """The last day the date could mean."""
        if self.day:
            return _dt.date(self.year, self.month, self.day)
        if self.month:
            return _dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return _dt.date(self.year, 12, 31)


def parse_partial_date(value: object) -> PartialDate:
    """Accept what YAML hands over for an unquoted date: an int, a str or a datetime.date.

    Raises ValueError with an editor-facing message.
    """
    if isinstance(value, _dt.datetime):
        raise ValueError(f"'{shown(value)}' has a time of day; a date is YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, _dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"'{shown(value)}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(f"'{shown(value)}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    match = _PARTIAL.match(text)
    if not match:
        raise ValueError(f"'{shown(text)}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    month = int(match.group(2) or 0)
    day = int(match.group(3) or 0)
    if match.group(2) and not 1 <= month <= 12:
        raise ValueError(f"'{text}' has no month {month}; months run 01-12")
    if day:
        try:
            _dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"'{text}' is not a day of the calendar") from None
    return PartialDate(year, month, day)
