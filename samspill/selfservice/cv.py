"""The participant's CV as PDF, rendered by WeasyPrint from an HTML template (as the
certificate is, placements/certificate.py)."""

from django.template.loader import render_to_string
from django.utils.text import slugify

from samspill.participants.models import Participant
from samspill.selfservice.models import CV


def as_bytes(participant: Participant, cv: CV) -> bytes:
    # Imported here: WeasyPrint parses its stylesheets on import.
    from weasyprint import HTML

    html = render_to_string("selfservice/cv_pdf.html", {"participant": participant, "cv": cv})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def filename(participant: Participant) -> str:
    return f"cv-{slugify(participant.full_name)}.pdf"
