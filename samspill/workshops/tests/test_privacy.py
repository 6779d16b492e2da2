"""A participant's export and erasure include the workshop attendance and the clarification
before practice: the privacy app finds them by walking the model graph."""

import datetime

from django.utils import timezone

from samspill.privacy import services as privacy
from samspill.privacy.tests.test_erase import database_dump
from samspill.referrals import clarifications
from samspill.referrals.models import Clarification
from samspill.referrals.services import referral_make_participant
from samspill.referrals.tests.conftest import make_referral
from samspill.workshops import services


def test_export_and_erasure_include_attendance_and_clarification(
    org, counselor, coordinator, admin, workshop, session
):
    referral = make_referral(
        org, counselor, given_name="Rakel", family_name="Verkstedsen", taken_by=counselor
    )
    person = referral_make_participant(referral=referral, by=counselor)
    referral.refresh_from_db()
    today = timezone.localdate()
    clarifications.clarification_record(
        referral=referral,
        by=counselor,
        first_day=max(referral.received_on, today - datetime.timedelta(days=9)),
        last_day=today,
        days_attended=5,
        attendance_ok=True,
        motivation=Clarification.Motivation.HIGH,
        result=Clarification.Result.READY,
        note="Rakel Verkstedsen møtte hver dag.",
    )
    enrolment = services.enrol(workshop=workshop, participant=person, by=counselor)
    services.attendance_record(session=session, by=coordinator, present={enrolment.pk})

    document = privacy.participant_export(participant=person, by=admin)
    tables = {table["table"]: table["rows"] for table in document["tables"]}
    assert tables["workshops.attendance"][0]["present"] is True
    assert "workshops.enrolment" in tables
    assert tables["referrals.clarification"][0]["result"] == "ready"

    privacy.participant_erase(participant=person, reason="asked", by=admin, force=True)

    # The rows stay for the counts, anonymised: the note about the person is gone.
    assert Clarification.objects.get().note == ""
    assert "verkstedsen" not in database_dump()
