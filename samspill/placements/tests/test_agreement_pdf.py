"""The mentor arrangement is part of the agreement (seed 002): it is printed in the agreement
PDF and stored in every version; a change on an approved agreement makes the next version (as
any change of content does), on a draft it clears the approvals. The PDF is read back as text.
Clock frozen on cast.TODAY."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from samspill.core.testing import client_for
from samspill.placements import services
from samspill.placements.models import AgreementApproval, AgreementVersion, Party
from samspill.placements.tests import cast
from samspill.placements.tests.test_mentoring import arrange

pytestmark = pytest.mark.usefixtures("clock")
WHY = "Jobber ved ovnen hver dag"


def pdf_text(client, placement, **query) -> str:
    response = client.get(reverse("placements:agreement_pdf", args=[placement.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_pdf_prints_the_mentor_chosen_with_the_employer(
    approved, counselor, employer_contact, mentor_contact
):
    arrange(approved, counselor, why=WHY, leader=employer_contact)

    text = pdf_text(client_for(counselor), approved)

    for expected in (
        approved.participant.full_name,
        approved.employer.name,
        mentor_contact.name,
        "Valgt sammen med arbeidsgiveren",
        WHY,
        "Mentortimer per uke: 3",
        "NOK 2,000 a month",
        employer_contact.name,
    ):
        assert expected in text, f"{expected!r} is not in the agreement: {text}"


def test_a_changed_arrangement_makes_a_new_version_and_the_old_one_keeps_its_words(
    approved, counselor
):
    client = client_for(counselor)
    arrange(approved, counselor, why=WHY)
    arrange(approved, counselor, revision=0, why="Ny mentor etter ferien", reason="Ferie")
    arrange(approved, counselor, revision=1, why="Ny mentor etter ferien")  # unchanged

    versions = list(AgreementVersion.objects.filter(placement=approved).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[0].content[services.MENTOR_ARRANGEMENT] is None
    assert versions[1].content[services.MENTOR_ARRANGEMENT]["why"] == WHY
    assert versions[2].reason == "Ferie"
    assert "Ny mentor etter ferien" in pdf_text(client, approved)
    old = pdf_text(client, approved, version=2)
    assert WHY in old and "Ny mentor etter ferien" not in old
    compare = client.get(reverse("placements:compare", args=[approved.pk]), {"a": 2, "b": 3})
    [row] = [r for r in compare.context["rows"] if r["name"] == services.MENTOR_ARRANGEMENT]
    assert row["changed"] and WHY in row["left"]


def test_on_a_draft_a_changed_arrangement_clears_the_approvals(draft, counselor):
    draft = services.agreement_send_for_approval(
        placement=draft, by=counselor, revision=draft.revision
    )
    services.agreement_approve(
        placement=draft,
        by=counselor,
        party=Party.PARTICIPANT,
        revision=draft.revision,
        on_behalf_reason="Muntlig i møte",
    )

    arrange(draft, counselor, hours_per_week=Decimal("2"))

    assert not AgreementApproval.objects.filter(placement=draft).exists()
    draft.refresh_from_db()
    assert not draft.versions.exists()
    assert "Mentortimer per uke: 2" in pdf_text(client_for(counselor), draft)


def test_an_unknown_version_is_not_found(approved, counselor):
    page = reverse("placements:agreement_pdf", args=[approved.pk])
    assert client_for(counselor).get(page, {"version": 9}).status_code == 404


def test_the_mentor_page_asks_why_only_on_an_approved_agreement(draft, counselor, employer_user):
    client = client_for(counselor)
    page = reverse("placements:mentor", args=[draft.pk])

    assert "reason" not in client.get(page).context["arrangement_form"].fields
    cast.approve_all(draft, counselor, employer_user)
    assert "reason" in client.get(page).context["arrangement_form"].fields
