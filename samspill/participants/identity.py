"""National identity numbers: Norwegian fødselsnummer and D-number, Danish CPR.

Validation is python-stdnum's; this module only decides which scheme a number belongs to,
stores it normalised (digits only) and derives the birth date.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cpr
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.no import fodselsnummer


@dataclass(frozen=True)
class IdentityNumber:
    number: str  # normalised: 11 digits (Norway) or 10 digits (Denmark)
    kind: str  # "fnr", "dnr" or "cpr"
    birth_date: datetime.date


def parse_identity_number(raw: str, *, country: str) -> IdentityNumber:
    """Validate `raw` for `country` ("NO" or "DK"); raise ValidationError with a clear message."""
    compact = raw if raw.isdigit() else "".join(ch for ch in raw if ch.isdigit() or ch.isalpha())
    if not compact.isdigit():
        raise ValidationError(_("An identity number may only contain digits."), code="format")
    if country == "DK":
        return _parse_cpr(compact)
    return _parse_norwegian(compact)


def _parse_norwegian(number: str) -> IdentityNumber:
    if len(number) != 11:
        raise ValidationError(
            _("A Norwegian identity number has 11 digits; this one has %(count)d.")
            % {"count": len(number)},
            code="length",
        )
    try:
        fodselsnummer.validate(number)
        birth_date = fodselsnummer.get_birth_date(number)
    except InvalidChecksum:
        raise ValidationError(
            _("The check digits do not match. Check the number for a typing error."),
            code="checksum",
        ) from None
    except (InvalidComponent, InvalidFormat, InvalidLength):
        raise ValidationError(
            _("This is not a valid Norwegian birth or D-number (the date part is impossible)."),
            code="component",
        ) from None
    kind = "dnr" if int(number[0]) >= 4 else "fnr"
    return IdentityNumber(number=number, kind=kind, birth_date=birth_date)


def _parse_cpr(number: str) -> IdentityNumber:
    if len(number) != 10:
        raise ValidationError(
            _("A Danish CPR number has 10 digits; this one has %(count)d.")
            % {"count": len(number)},
            code="length",
        )
    try:
        # Danish CPR numbers issued since 2007 need not satisfy the modulus-11 check,
        # so stdnum validates the date part only; that is the official rule.
        cpr.validate(number)
        birth_date = cpr.get_birth_date(number)
    except (InvalidComponent, InvalidFormat, InvalidLength, InvalidChecksum):
        raise ValidationError(
            _("This is not a valid Danish CPR number (the date part is impossible)."),
            code="component",
        ) from None
    return IdentityNumber(number=number, kind="cpr", birth_date=birth_date)


def format_identity_number(number: str) -> str:
    """Show a stored number the way people write it: 010190 12345 or 010190-1234."""
    if len(number) == 11:
        return f"{number[:6]} {number[6:]}"
    if len(number) == 10:
        return f"{number[:6]}-{number[6:]}"
    return number
