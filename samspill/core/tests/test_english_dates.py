"""English is written with the day first (en-GB), as our English readers in Norway and Denmark
expect; Norwegian and Danish keep their own."""

import datetime

import pytest
from django.utils import formats, translation

DAY = datetime.date(2026, 12, 5)


@pytest.mark.parametrize(
    ("language", "short"), [("en", "05/12/2026"), ("nb", "05.12.2026"), ("da", "05.12.2026")]
)
def test_a_short_date_is_in_the_languages_order(language, short):
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short


def test_an_english_date_in_words_puts_the_day_first():
    with translation.override("en"):
        assert formats.date_format(DAY) == "5 Dec 2026"
