"""Calendar arithmetic the domain shares."""

import calendar
import datetime
import functools
from typing import Any

from django.utils.formats import date_format, get_format


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or the month's last day when it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Format characters a fast date needs, as Django's dateformat writes them.
_FAST_PARTS = {
    "d": lambda d: f"{d.day:02d}",
    "j": lambda d: str(d.day),
    "m": lambda d: f"{d.month:02d}",
    "n": lambda d: str(d.month),
    "y": lambda d: f"{d.year % 100:02d}",
    "Y": lambda d: f"{d.year:04d}",
}
_SEPARATORS = set(" .-/")


@functools.lru_cache(maxsize=64)
def _fast_parts(fmt: str) -> tuple[Any, ...] | None:
    """The format as a tuple of part writers and separators, or None when it has anything but
    numeric day, month and year (then Django's own formatter is used)."""
    parts: list[Any] = []
    for char in fmt:
        if char in _FAST_PARTS:
            parts.append(_FAST_PARTS[char])
        elif char in _SEPARATORS:
            parts.append(char)
        else:
            return None
    return tuple(parts)


def local_date(value: datetime.date | None, fmt: str = "SHORT_DATE_FORMAT") -> str:
    """`value|date:fmt` of a template ("" for no date), for rows written in Python: the same
    text in the active language, without parsing the format for every date (Django's
    formatter took most of a caseload row's time)."""
    if not value:
        return ""
    resolved = get_format(fmt) if fmt.isupper() else fmt
    parts = _fast_parts(resolved)
    if parts is None:
        return date_format(value, fmt)
    return "".join(p if isinstance(p, str) else p(value) for p in parts)
