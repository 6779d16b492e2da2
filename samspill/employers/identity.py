"""Organisation numbers: Norwegian orgnr (9 digits) and Danish CVR (8 digits), via python-stdnum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr


def parse_org_number(raw: str, *, country: str) -> str:
    """Return the number normalised (digits only) or raise ValidationError with a clear message."""
    number = "".join(ch for ch in raw if not ch.isspace() and ch not in "-.")
    module, label, length = (
        (cvr, _("Danish CVR number"), 8)
        if country == "DK"
        else (orgnr, _("Norwegian organisation number"), 9)
    )
    if not number.isdigit() or len(number) != length:
        raise ValidationError(
            _("A %(label)s has %(length)d digits.") % {"label": label, "length": length},
            code="length",
        )
    try:
        return str(module.validate(number))
    except StdnumError:
        raise ValidationError(
            _("This %(label)s does not pass the check digit test.") % {"label": label},
            code="checksum",
        ) from None
