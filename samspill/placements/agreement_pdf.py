"""The placement agreement as PDF (WeasyPrint), in the reader's language: the parties, the
content of the chosen version (the newest by default; the live draft before any approval),
the mentor arrangement with it (seed 002), and who approved when."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from samspill.placements import services
from samspill.placements.models import AgreementVersion, Placement


def render_html(placement: Placement, version: AgreementVersion | None) -> str:
    content = version.content if version is not None else services.version_content(placement)
    context: dict[str, Any] = {
        "placement": placement,
        "participant": placement.participant,
        "employer": placement.employer,
        "organisation": placement.participant.organisation,
        "version": version,
        "rows": services.version_rows(content),
        "approvals": list(placement.approvals.select_related("approved_by").order_by("id")),
    }
    return render_to_string("placements/agreement_pdf.html", context)


def as_bytes(placement: Placement, version: AgreementVersion | None) -> bytes:
    # Imported here: WeasyPrint parses its stylesheets on import (see certificate.py).
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(placement, version)).write_pdf()
    return pdf


def filename(placement: Placement, version: AgreementVersion | None) -> str:
    number = f"-v{version.number}" if version is not None else ""
    return f"avtale-{slugify(placement.participant.full_name)}-{placement.pk}{number}.pdf"
