"""Phone numbers as written: which are numbers, and the digits a search compares."""

import pytest
from django.core.exceptions import ValidationError

from samspill.core.phone import phone_digits, validate_phone


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("912 34 567", "91234567"),
        ("+47 912 34 567", "91234567"),
        ("0047 91234567", "91234567"),
        ("+45 12-34-56-78", "12345678"),
        ("+46 70 123 45 67", "46701234567"),
        ("4791234567", "4791234567"),  # no plus: not known to be a country code
        ("", ""),
    ],
)
def test_it_keeps_the_digits_without_a_home_country_code(written, digits):
    assert phone_digits(written) == digits


@pytest.mark.parametrize("written", ["912 34 567", "+47 (912) 34-567", "11223"])
def test_it_takes_numbers_as_people_write_them(written):
    validate_phone(written)


@pytest.mark.parametrize("written", ["abc", "ring meg", "12", "9123456789012345678"])
def test_it_refuses_what_is_not_a_phone_number(written):
    with pytest.raises(ValidationError):
        validate_phone(written)
