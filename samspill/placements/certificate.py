"""The certificate (attest) as PDF, rendered by WeasyPrint from an HTML template in the
certificate's own language (Norwegian or Danish), whatever the reader's language is."""

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from samspill.placements.models import Certificate


def render_html(certificate: Certificate) -> str:
    placement = certificate.placement
    with translation.override(certificate.language):
        return render_to_string(
            "placements/certificate_pdf.html",
            {
                "certificate": certificate,
                "placement": placement,
                "participant": placement.participant,
                "employer": placement.employer,
                "organisation": placement.participant.organisation,
            },
        )


def as_bytes(certificate: Certificate) -> bytes:
    # Imported here: WeasyPrint parses its stylesheets on import, which every process need
    # not pay for.
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(certificate)).write_pdf()
    return pdf


def as_bytes_io(certificate: Certificate) -> io.BytesIO:
    return io.BytesIO(as_bytes(certificate))


def filename(certificate: Certificate) -> str:
    participant = certificate.placement.participant
    return f"attest-{slugify(participant.full_name)}-{certificate.placement_id}.pdf"
