"""core.dates.local_date writes a date as the template's `date` filter does, in every language."""

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

from samspill.core.dates import local_date

DAYS = [datetime.date(2026, 1, 5), datetime.date(1999, 12, 31), datetime.date(2004, 2, 29)]


@pytest.mark.parametrize("language", ["nb", "da", "en"])
@pytest.mark.parametrize("fmt", ["SHORT_DATE_FORMAT", "DATE_FORMAT", "Y", "d.m.y", "j. n."])
def test_it_writes_what_the_date_filter_writes(language, fmt):
    with translation.override(language):
        for day in DAYS:
            assert local_date(day, fmt) == date_format(day, fmt)


def test_no_date_is_empty():
    assert local_date(None) == ""
