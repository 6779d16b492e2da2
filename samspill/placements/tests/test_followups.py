"""What follows the approval (followups.py): the follow-up schedule and the follow-ups as they
are held, an ordinary job followed for three months or without end, the mid-way and final
evaluations, the certificate (read back from the PDF), and the audit trail of it all.

The clock is frozen (time-machine) on Monday 2 March 2026 and moved where the story needs it;
the story's dates and helpers are in cast.py, its fixtures in conftest.py.
"""

import datetime
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import dateformat, translation
from pypdf import PdfReader

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.placements import certificate as certificate_pdf
from samspill.placements import followups, rules, services
from samspill.placements.models import Certificate, Evaluation, FollowUp, Placement
from samspill.placements.tests import cast
from samspill.placements.tests.cast import END, START, TODAY, at, change, due_dates

pytestmark = pytest.mark.usefixtures("clock")


def actions(placement: Placement) -> list[str]:
    return list(
        AuditEvent.objects.filter(participant_id=placement.participant_id)
        .filter(action__startswith="placement.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# The follow-up schedule.


def test_the_follow_up_schedule_is_made_when_the_agreement_locks(draft, approved):
    assert due_dates(approved) == rules.schedule(kind=approved.kind, start_date=START, end_date=END)
    assert approved.next_follow_up_on == START + datetime.timedelta(weeks=1)


def test_there_is_no_schedule_before_the_lock(draft):
    assert not FollowUp.objects.filter(placement=draft).exists()
    assert draft.next_follow_up_on is None


def log(placement: Placement, by: User, held_on: datetime.date, **extra: Any) -> FollowUp:
    return followups.follow_up_log(
        placement=placement,
        by=by,
        held_on=held_on,
        going=FollowUp.Going.WELL,
        counselor_present=True,
        **extra,
    )


def test_a_follow_up_fills_the_earliest_open_one_and_moves_the_next_date(
    approved, counselor, clock
):
    first, second = due_dates(approved)[:2]
    clock.move_to(at(first + datetime.timedelta(days=2)), tick=False)
    follow_up = log(
        approved,
        counselor,
        first + datetime.timedelta(days=1),
        mentor_present=True,
        next_steps=" Practise the oven ",
    )
    assert follow_up.due_on == first
    assert follow_up.held_on == first + datetime.timedelta(days=1)
    assert follow_up.next_steps == "Practise the oven"
    assert follow_up.logged_by == counselor
    approved.refresh_from_db()
    assert approved.next_follow_up_on == second
    assert FollowUp.objects.filter(placement=approved).count() == len(
        rules.schedule(kind=approved.kind, start_date=START, end_date=END)
    )


def test_a_follow_up_long_before_the_next_planned_one_stands_on_its_own(approved, counselor, clock):
    clock.move_to(at(START + datetime.timedelta(days=29)), tick=False)
    for due in due_dates(approved)[:3]:  # weeks 1, 2 and 4
        log(approved, counselor, due)
    approved.refresh_from_db()
    planned = approved.next_follow_up_on
    assert planned == rules.add_months(START, 2)
    extra = log(approved, counselor, START + datetime.timedelta(days=29))
    assert planned - extra.held_on > datetime.timedelta(days=14)
    assert extra.due_on is None
    approved.refresh_from_db()
    assert approved.next_follow_up_on == planned


def test_a_follow_up_says_who_took_part_and_not_before_the_start(approved, counselor, clock):
    clock.move_to(at(START + datetime.timedelta(days=7)), tick=False)
    with pytest.raises(ValidationError) as raised:
        followups.follow_up_log(
            placement=approved,
            by=counselor,
            held_on=START + datetime.timedelta(days=7),
            going=FollowUp.Going.WELL,
        )
    assert list(raised.value.message_dict) == ["participant_present"]
    with pytest.raises(ValidationError) as raised:
        log(approved, counselor, START - datetime.timedelta(days=1))
    assert list(raised.value.message_dict) == ["held_on"]
    with pytest.raises(ValidationError) as raised:
        log(approved, counselor, START + datetime.timedelta(days=8))
    assert list(raised.value.message_dict) == ["held_on"]


def test_a_draft_has_no_follow_ups(draft, counselor):
    with pytest.raises(ValidationError):
        log(draft, counselor, TODAY)


def ordinary_job(participant, employer, counselor, mentor_contact, employer_user, **extra):
    job = services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        kind=Placement.Kind.ORDINARY_JOB,
        title="Baker",
        start_date=START,
        mentor=mentor_contact,
        **cast.CONTENT,
        **extra,
    )
    return cast.approve_all(job, counselor, employer_user)


def test_an_ordinary_jobs_follow_up_ends_after_three_months(
    participant, employer, counselor, mentor_contact, employer_user
):
    job = ordinary_job(participant, employer, counselor, mentor_contact, employer_user)
    until = rules.add_months(START, 3)
    assert job.follow_up_until == until
    assert due_dates(job) == rules.schedule(kind=job.kind, start_date=START, end_date=until)
    assert max(due_dates(job)) == until


def test_an_unlimited_ordinary_job_keeps_three_follow_ups_planned(
    participant, employer, counselor, mentor_contact, employer_user, clock
):
    job = ordinary_job(
        participant, employer, counselor, mentor_contact, employer_user, follow_up_unlimited=True
    )
    planned = due_dates(job)
    assert planned == rules.schedule(kind=job.kind, start_date=START, end_date=None)
    for _n in range(len(planned) + 2):
        due = due_dates(job)[0]
        clock.move_to(at(due), tick=False)
        log(job, counselor, due)
        assert len(due_dates(job)) >= followups.FOLLOW_UP_TOP_UP
    later = due_dates(job)
    assert later[0] > planned[-1]
    assert later == [rules.add_months(later[0], n) for n in range(len(later))]
    job.refresh_from_db()
    assert job.next_follow_up_on == later[0]


def test_a_change_of_dates_moves_the_schedule_ahead_but_keeps_what_was_held(
    approved, counselor, clock
):
    first = due_dates(approved)[0]
    clock.move_to(at(first), tick=False)
    log(approved, counselor, first)
    new_end = START + datetime.timedelta(days=60)
    change(
        approved,
        counselor,
        reason="Shorter",
        end_date=new_end,
    )
    expected = rules.schedule(kind=approved.kind, start_date=START, end_date=new_end)
    assert due_dates(approved) == [day for day in expected if day > first]
    assert FollowUp.objects.filter(placement=approved, held_on=first, due_on=first).exists()


# Evaluations and the certificate.


def evaluate(placement: Placement, by: User, kind: str = Evaluation.Kind.FINAL) -> Evaluation:
    return followups.evaluation_save(
        placement=placement,
        by=by,
        kind=kind,
        held_on=START + datetime.timedelta(days=30),
        tasks_mastered="Bakte brød alene",
        attendance=Evaluation.Scale.VERY_GOOD,
        cooperation=Evaluation.Scale.GOOD,
        what_worked="Tidlige morgener",
    )


@pytest.fixture
def running(approved, clock) -> Placement:
    clock.move_to(at(START + datetime.timedelta(days=40)), tick=False)
    return approved


def test_a_draft_is_not_evaluated(draft, counselor):
    with pytest.raises(ValidationError):
        evaluate(draft, counselor)


def test_the_midway_and_final_evaluations_are_one_each(running, counselor):
    evaluate(running, counselor, Evaluation.Kind.MIDWAY)
    evaluate(running, counselor)
    evaluate(running, counselor)
    assert sorted(running.evaluations.values_list("kind", flat=True)) == ["final", "midway"]
    with pytest.raises(ValidationError) as raised:
        followups.evaluation_save(
            placement=running,
            by=counselor,
            kind=Evaluation.Kind.FINAL,
            held_on=START - datetime.timedelta(days=1),
            tasks_mastered="X",
            attendance=Evaluation.Scale.GOOD,
            cooperation=Evaluation.Scale.GOOD,
        )
    assert list(raised.value.message_dict) == ["held_on"]


def request_certificate(placement: Placement, by: User, language: str = "nb") -> Certificate:
    return followups.certificate_request(
        placement=placement,
        by=by,
        language=language,
        tasks="Steking av brød og rengjøring av utstyr",
        assessment="Kari har vært stødig, presis og lærevillig.",
    )


def test_the_certificate_builds_on_the_final_evaluation(running, counselor):
    evaluate(running, counselor, Evaluation.Kind.MIDWAY)
    with pytest.raises(ValidationError):
        request_certificate(running, counselor)
    evaluate(running, counselor)
    initial = followups.certificate_initial(running)
    assert initial["language"] == "nb"
    assert initial["tasks"] == running.tasks
    assert initial["assessment"] == "Bakte brød alene\n\nTidlige morgener"
    certificate = request_certificate(running, counselor)
    assert not certificate.is_issued


def test_the_employer_approves_and_the_certificate_is_issued_and_frozen(
    running, counselor, employer_user
):
    evaluate(running, counselor)
    certificate = request_certificate(running, counselor)
    issued = followups.certificate_approve(certificate=certificate, by=employer_user)
    assert issued.is_issued
    assert issued.approved_by == employer_user
    with pytest.raises(ValidationError):
        followups.certificate_approve(certificate=issued, by=employer_user)
    with pytest.raises(ValidationError):
        followups.certificate_return(certificate=issued, by=employer_user, comment="Too late")
    with pytest.raises(ValidationError):
        request_certificate(running, counselor)
    with pytest.raises(ValidationError):
        evaluate(running, counselor)
    evaluate(running, counselor, Evaluation.Kind.MIDWAY)  # the mid-way one is not frozen


def test_the_employer_returns_a_draft_with_a_comment_and_gets_a_new_one(
    running, counselor, employer_user
):
    evaluate(running, counselor)
    certificate = request_certificate(running, counselor)
    with pytest.raises(ValidationError) as raised:
        followups.certificate_return(certificate=certificate, by=employer_user, comment=" ")
    assert list(raised.value.message_dict) == ["comment"]
    returned = followups.certificate_return(
        certificate=certificate, by=employer_user, comment="Nevn kakene også."
    )
    assert returned.returned_comment == "Nevn kakene også."
    with pytest.raises(ValidationError):
        followups.certificate_approve(certificate=returned, by=employer_user)
    again = request_certificate(running, counselor)
    assert again.pk == certificate.pk
    assert again.returned_comment == ""
    assert followups.certificate_approve(certificate=again, by=employer_user).is_issued


def test_every_step_is_in_the_audit_log(running, counselor, employer_user):
    evaluate(running, counselor)
    certificate = request_certificate(running, counselor)
    followups.certificate_return(certificate=certificate, by=employer_user, comment="Kaker")
    certificate = request_certificate(running, counselor)
    followups.certificate_approve(certificate=certificate, by=employer_user)
    log(running, counselor, START + datetime.timedelta(days=40))
    assert actions(running) == [
        "placement.created",
        "placement.expectation_meeting",
        "placement.sent_for_approval",
        "placement.approved",
        "placement.approved",
        "placement.approved",
        "placement.locked",
        "placement.evaluation_saved",
        "placement.certificate_requested",
        "placement.certificate_returned",
        "placement.certificate_requested",
        "placement.certificate_issued",
        "placement.follow_up_logged",
    ]
    actors = AuditEvent.objects.filter(action__startswith="placement.certificate_").values_list(
        "action", "actor"
    )
    assert ("placement.certificate_issued", employer_user.pk) in actors
    assert ("placement.certificate_returned", employer_user.pk) in actors


# The certificate PDF, read back.


def pdf_text(certificate: Certificate) -> str:
    reader = PdfReader(io.BytesIO(certificate_pdf.as_bytes(certificate)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("language", ["nb", "da"])
def test_the_certificate_pdf_names_everyone_the_period_the_tasks_and_the_assessment(
    language, running, counselor, employer_user, participant
):
    evaluate(running, counselor)
    certificate = request_certificate(running, counselor, language=language)
    certificate = followups.certificate_approve(certificate=certificate, by=employer_user)
    text = pdf_text(certificate)
    assert participant.full_name in text
    assert "Bakeriet AS" in text
    assert "Inkludering AS" in text
    assert "Steking av brød og rengjøring av utstyr" in text
    assert "Kari har vært stødig, presis og lærevillig." in text
    with translation.override(language):
        period = [dateformat.format(day, "j. F Y") for day in (START, END)]
        headings = [translation.gettext(word) for word in ("Certificate", "Tasks", "Assessment")]
    assert f"{period[0]} – {period[1]}" in text
    for heading in headings:
        assert heading in text


def test_the_certificate_pdf_is_in_its_own_language(running, counselor, employer_user):
    evaluate(running, counselor)
    certificate = request_certificate(running, counselor, language="da")
    text = pdf_text(certificate)
    assert "Arbejdsopgaver" in text  # the Danish "Tasks"
    assert "Arbeidsoppgaver" not in text
    assert "marts 2026" in text  # the start, 9 March, in Danish
    assert certificate_pdf.filename(certificate) == f"attest-kari-nordmann-{running.pk}.pdf"


def test_an_ended_job_followed_without_end_plans_no_more_follow_ups(
    participant, employer, counselor, mentor_contact, employer_user, clock
):
    job = ordinary_job(
        participant, employer, counselor, mentor_contact, employer_user, follow_up_unlimited=True
    )
    ended_on = START + datetime.timedelta(days=10)
    clock.move_to(at(ended_on), tick=False)
    services.placement_end(
        placement=job, by=counselor, ended_on=ended_on, outcome=Placement.Outcome.MOVED_OTHER
    )
    job.refresh_from_db()
    log(job, counselor, START + datetime.timedelta(days=7))
    assert due_dates(job) == []
    job.refresh_from_db()
    assert job.next_follow_up_on is None
