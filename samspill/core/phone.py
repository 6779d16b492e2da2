"""Phone numbers as people write them ("+47 912 34 567", "912 34 567", "0045 12-34-56-78"):
which are phone numbers at all, and the digits a search compares.

The number is stored as written (it is shown so); its digits, without a Norwegian or Danish
country code, go beside it (`phone_digits`), so "91234567" finds "+47 912 34 567".
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What people write between the digits; anything else ("abc", "ring meg") is not a number.
SEPARATORS = frozenset(" +-().")
MIN_DIGITS = 5  # short service numbers exist; fewer is a typing error
MAX_DIGITS = 15  # E.164's longest, country code included
HOME_COUNTRY_CODES = ("47", "45")  # Norway and Denmark: both have 8-digit numbers
NATIONAL_DIGITS = 8


def phone_digits(raw: str) -> str:
    """The digits a search compares: "+47 912 34 567" and "0047 91234567" give "91234567".
    Another country's code is kept. Empty for an empty (or unusable) number."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    international = raw.strip().startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        digits = digits[2:]
    if (
        international
        and digits[:2] in HOME_COUNTRY_CODES
        and len(digits) == NATIONAL_DIGITS + len(digits[:2])
    ):
        digits = digits[2:]
    return digits[:20]


def validate_phone(raw: str) -> None:
    """Refuse what is not a phone number, with a message that says why."""
    if any(not ch.isdigit() and ch not in SEPARATORS for ch in raw):
        raise ValidationError(
            _("A phone number may only contain digits, spaces, “+”, “-” and brackets."),
            code="format",
        )
    count = sum(ch.isdigit() for ch in raw)
    if not MIN_DIGITS <= count <= MAX_DIGITS:
        raise ValidationError(
            _("A phone number has %(min)d to %(max)d digits; this one has %(count)d.")
            % {"min": MIN_DIGITS, "max": MAX_DIGITS, "count": count},
            code="length",
        )
