"""The employer base's rules: organisation numbers, industry, one person to call, agreements."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from samspill.audit.models import AuditEvent
from samspill.core.testing import make_employer
from samspill.employers import services
from samspill.employers.models import ContactPersonChange, Employer, EmployerContact
from samspill.organisations.models import Organisation

VALID_ORGNR = "974760673"  # Brønnøysundregistrene's own number (a real, valid orgnr)
VALID_CVR = "13585628"


def test_it_normalises_the_organisation_number_and_derives_the_industry_section(org, counselor):
    employer = services.employer_create(
        organisation=org,
        by=counselor,
        contact_person=counselor,
        name=" Bakeriet AS ",
        org_number="974 760 673",
        nace_division="10",
    )
    assert employer.org_number == VALID_ORGNR
    assert employer.nace_section == "C"
    assert employer.name == "Bakeriet AS"
    assert employer.contact_person == counselor
    first = ContactPersonChange.objects.get(employer=employer)
    assert first.reason == "initial" and first.ended_at is None
    assert AuditEvent.objects.filter(action="employer.created", actor=counselor).exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("97476067", "9 siffer"),
        ("974760674", "Kontrollsifferet"),
        ("abc", "9 siffer"),
    ],
)
def test_a_bad_norwegian_number_is_refused_with_a_clear_message(org, counselor, raw, message):
    with pytest.raises(ValidationError) as error:
        services.employer_create(
            organisation=org, by=counselor, contact_person=counselor, name="X", org_number=raw
        )
    assert message in " ".join(error.value.message_dict["org_number"])
    assert Employer.objects.count() == 0


def test_a_danish_organisation_takes_a_cvr_number(counselor, db):
    from samspill.core.testing import make_staff
    from samspill.organisations.models import Membership

    dk = Organisation.objects.create(
        name="Jobcenter", kind=Organisation.Kind.JOBCENTER, country="DK"
    )
    staff = make_staff(dk, "dk@example.org", Membership.Role.COUNSELOR)
    employer = services.employer_create(
        organisation=dk, by=staff, contact_person=staff, name="Bageriet", org_number=VALID_CVR
    )
    assert employer.org_number == VALID_CVR
    with pytest.raises(ValidationError):
        services.employer_create(
            organisation=dk, by=staff, contact_person=staff, name="Y", org_number=VALID_ORGNR
        )


def test_the_organisation_number_is_unique_in_the_organisation(org, counselor):
    make_employer(org, counselor, org_number=VALID_ORGNR)
    with pytest.raises(ValidationError) as error:
        make_employer(org, counselor, org_number=VALID_ORGNR, name="Twin")
    assert "org_number" in error.value.message_dict


def test_an_unknown_industry_is_refused(org, counselor):
    with pytest.raises(ValidationError) as error:
        make_employer(org, counselor, nace_division="04")
    assert "nace_division" in error.value.message_dict


def test_the_contact_person_must_be_staff_of_the_organisation(org, counselor, outsider, admin):
    for person in (outsider, admin):
        with pytest.raises(ValidationError):
            services.employer_create(
                organisation=org,
                by=counselor,
                contact_person=person,
                name="X",
                org_number=VALID_ORGNR,
            )


def test_changing_the_contact_person_needs_a_reason_and_keeps_the_history(
    employer, counselor, colleague
):
    with pytest.raises(ValidationError):
        services.contact_person_change(
            employer=employer, by=counselor, contact_person=colleague, reason=""
        )
    with pytest.raises(ValidationError):
        services.contact_person_change(
            employer=employer, by=counselor, contact_person=colleague, reason="other"
        )
    employer.refresh_from_db()
    assert employer.contact_person == counselor
    services.contact_person_change(
        employer=employer,
        by=counselor,
        contact_person=colleague,
        reason="long_leave",
        handover_note="Likes mornings",
    )
    employer.refresh_from_db()
    assert employer.contact_person == colleague
    history = list(employer.contact_history.order_by("started_at", "id"))
    assert [h.contact_person for h in history] == [counselor, colleague]
    assert history[0].ended_at is not None and history[1].ended_at is None
    with pytest.raises(ValidationError):
        services.contact_person_change(
            employer=employer, by=counselor, contact_person=colleague, reason="balancing"
        )


def test_the_pipeline_needs_a_next_step_in_words_when_it_has_a_date(employer, counselor):
    with pytest.raises(ValidationError):
        services.employer_set_stage(
            employer=employer,
            by=counselor,
            stage="first_meeting",
            next_step_on=datetime.date.today(),
        )
    services.employer_set_stage(
        employer=employer,
        by=counselor,
        stage="first_meeting",
        next_step="Meeting with the owner",
        next_step_on=datetime.date(2026, 12, 1),
    )
    employer.refresh_from_db()
    assert employer.stage == "first_meeting"


def test_a_signed_agreement_needs_a_date_and_a_pdf(employer, counselor):
    with pytest.raises(ValidationError):
        services.agreement_create(employer=employer, by=counselor, status="signed")
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            employer=employer,
            by=counselor,
            status="signed",
            signed_on=datetime.date(2026, 3, 1),
            document=SimpleUploadedFile("a.pdf", b"not a pdf"),
        )
    assert "document" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.agreement_create(
            employer=employer,
            by=counselor,
            status="signed",
            signed_on=datetime.date(2026, 3, 1),
            renewal_on=datetime.date(2026, 2, 1),
        )
    agreement = services.agreement_create(
        employer=employer,
        by=counselor,
        status="active",
        signed_on=datetime.date(2026, 3, 1),
        renewal_on=datetime.date(2027, 3, 1),
        work_training_places=2,
        summer_jobs=1,
        document=SimpleUploadedFile("signed.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    assert agreement.document.read().startswith(b"%PDF-")
    assert employer.agreements.count() == 1


def test_a_mentor_support_contact_is_logged_with_a_next_date(employer, counselor):
    mentor = services.contact_add(
        employer=employer, by=counselor, name="Mona Mentor", phone="99999999", is_mentor=True
    )
    plain = services.contact_add(employer=employer, by=counselor, name="Per", email="per@b.no")
    with pytest.raises(ValidationError):
        services.mentor_support_add(
            mentor=plain,
            by=counselor,
            contact_on=datetime.date(2026, 3, 1),
            channel="phone",
            topic="x",
            going="well",
        )
    with pytest.raises(ValidationError):
        services.mentor_support_add(
            mentor=mentor,
            by=counselor,
            contact_on=datetime.date(2026, 3, 1),
            channel="phone",
            topic="x",
            going="well",
            next_contact_on=datetime.date(2026, 2, 1),
        )
    entry = services.mentor_support_add(
        mentor=mentor,
        by=counselor,
        contact_on=datetime.date(2026, 3, 1),
        channel="visit",
        topic="First weeks",
        going="mixed",
        next_contact_on=datetime.date(2026, 3, 15),
    )
    assert entry.counselor == counselor


def test_a_contact_needs_a_phone_or_an_email_and_a_unique_email(employer, counselor):
    with pytest.raises(ValidationError):
        services.contact_add(employer=employer, by=counselor, name="Nobody")
    services.contact_add(employer=employer, by=counselor, name="A", email="a@b.no")
    with pytest.raises(ValidationError):
        services.contact_add(employer=employer, by=counselor, name="B", email="A@b.no")
    assert EmployerContact.objects.count() == 1
