"""The agreement from draft to certificate: approvals (the counselor last), the lock and its
numbered versions, the derived status, optimistic locking, the follow-up schedule, the chain,
evaluations and the certificate (read back from the PDF).

The clock is frozen (time-machine) on Monday 2 March 2026 and moved where the story needs it.
"""

import datetime
import io
import re
import zoneinfo
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import dateformat, translation
from pypdf import PdfReader

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord
from samspill.placements import certificate as certificate_pdf
from samspill.placements import rules, services
from samspill.placements.models import (
    AgreementApproval,
    AgreementVersion,
    Certificate,
    Evaluation,
    FollowUp,
    Party,
    Placement,
    Status,
)
from samspill.placements.tests import cast

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
TODAY = datetime.date(2026, 3, 2)
START = datetime.date(2026, 3, 9)  # a week ahead: the agreement is ready before it runs
END = START + datetime.timedelta(days=180)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=OSLO)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)
    return time_machine


@pytest.fixture
def draft(participant, employer, counselor, mentor_contact) -> Placement:
    return cast.draft(participant, employer, counselor, mentor_contact, start=START)


@pytest.fixture
def approved(draft, counselor, employer_user) -> Placement:
    return cast.approve_all(draft, counselor, employer_user)


def meeting(placement: Placement, by: User) -> None:
    services.expectation_meeting_record(
        placement=placement,
        by=by,
        held_on=TODAY,
        participant_present=True,
        mentor_present=True,
        employer_present=True,
        counselor_present=True,
    )


def approve(placement: Placement, by: User, party: str, reason: str = "") -> Placement:
    return services.agreement_approve(
        placement=placement,
        by=by,
        party=party,
        revision=placement.revision,
        on_behalf_reason=reason,
    )


def change(placement: Placement, by: User, reason: str, **changes: Any) -> AgreementVersion:
    return services.agreement_change(
        placement=placement, by=by, revision=placement.revision, reason=reason, **changes
    )


def messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def parties(placement: Placement) -> set[str]:
    return set(
        AgreementApproval.objects.filter(placement=placement).values_list("party", flat=True)
    )


def actions(placement: Placement) -> list[str]:
    return list(
        AuditEvent.objects.filter(participant_id=placement.participant_id)
        .filter(action__startswith="placement.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# Approvals.


def test_a_change_after_an_approval_clears_every_approval_and_says_which(
    draft, counselor, employer_user
):
    approve(draft, counselor, Party.PARTICIPANT, reason="Approved orally at the meeting.")
    approve(draft, employer_user, Party.EMPLOYER)
    placement, cleared = services.agreement_update(
        placement=draft, by=counselor, revision=draft.revision, tasks="Steke brød og kaker"
    )
    assert sorted(cleared) == [Party.EMPLOYER, Party.PARTICIPANT]
    assert parties(placement) == set()
    assert placement.revision == draft.revision + 1
    event = AuditEvent.objects.get(action="placement.agreement_changed")
    assert event.data == {"fields": ["tasks"], "cleared": cleared}
    assert event.actor == counselor


def test_a_change_before_any_approval_clears_nothing(draft, counselor):
    placement, cleared = services.agreement_update(
        placement=draft, by=counselor, revision=draft.revision, work_days="Mandag til fredag"
    )
    assert cleared == []
    assert placement.work_days == "Mandag til fredag"


def test_saving_the_same_content_changes_nothing_and_keeps_the_approvals(draft, counselor):
    approve(draft, counselor, Party.PARTICIPANT, reason="Orally.")
    placement, cleared = services.agreement_update(
        placement=draft, by=counselor, revision=draft.revision, tasks=f"  {draft.tasks} "
    )
    assert cleared == []
    assert placement.revision == draft.revision
    assert parties(placement) == {Party.PARTICIPANT}


def test_the_counselor_approves_last(draft, counselor, employer_user):
    meeting(draft, counselor)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        approve(draft, counselor, Party.COUNSELOR)
    assert "Waiting for: participant, employer" in messages(raised)
    approve(draft, employer_user, Party.EMPLOYER)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        approve(draft, counselor, Party.COUNSELOR)
    assert "Waiting for: participant." in messages(raised)
    assert parties(draft) == {Party.EMPLOYER}


def test_the_counselors_approval_needs_the_expectation_meeting(draft, counselor, employer_user):
    approve(draft, counselor, Party.PARTICIPANT, reason="Orally.")
    approve(draft, employer_user, Party.EMPLOYER)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        approve(draft, counselor, Party.COUNSELOR)
    assert "expectation meeting" in messages(raised)
    meeting(draft, counselor)
    approve(draft, counselor, Party.COUNSELOR)
    draft.refresh_from_db()
    assert draft.is_locked


def test_no_party_approves_an_incomplete_agreement(draft, counselor, employer_user):
    services.agreement_update(placement=draft, by=counselor, revision=draft.revision, we_offer="")
    draft.refresh_from_db()
    meeting(draft, counselor)
    for by, party in ((counselor, Party.PARTICIPANT), (employer_user, Party.EMPLOYER)):
        with translation.override("en"), pytest.raises(ValidationError) as raised:
            approve(draft, by, party, reason="Orally.")
        assert "Fill in the agreement first: what the employer can expect of us." in messages(
            raised
        )
    assert parties(draft) == set()


def test_the_counselor_approves_for_the_participant_only_with_a_reason(draft, counselor):
    with pytest.raises(ValidationError) as raised:
        approve(draft, counselor, Party.PARTICIPANT, reason="   ")
    assert list(raised.value.message_dict) == ["on_behalf_reason"]
    approve(draft, counselor, Party.PARTICIPANT, reason=" Approved by phone on 2 March. ")
    approval = AgreementApproval.objects.get(placement=draft)
    assert approval.on_behalf_reason == "Approved by phone on 2 March."
    assert approval.approved_by == counselor
    event = AuditEvent.objects.get(action="placement.approved")
    assert event.data == {"party": Party.PARTICIPANT, "on_behalf": True}


def test_the_participant_approves_in_their_own_name_without_a_reason(draft, participant):
    account = User.objects.create_user(email="kari@example.org", password="x", full_name="Kari")
    participant.portal_user = account
    participant.save(update_fields=["portal_user"])
    approve(draft, account, Party.PARTICIPANT, reason="ignored")
    approval = AgreementApproval.objects.get(placement=draft)
    assert approval.on_behalf_reason == ""
    assert approval.approved_by == account


def test_a_party_approves_once(draft, employer_user):
    approve(draft, employer_user, Party.EMPLOYER)
    with pytest.raises(ValidationError):
        approve(draft, employer_user, Party.EMPLOYER)


def test_an_approval_of_a_text_that_has_changed_since_is_a_conflict(
    draft, counselor, employer_user
):
    read = draft.revision
    services.agreement_update(placement=draft, by=counselor, revision=read, tasks="Noe annet")
    with pytest.raises(services.ConflictError):
        services.agreement_approve(
            placement=draft, by=employer_user, party=Party.EMPLOYER, revision=read
        )
    assert parties(draft) == set()


# The lock and its versions.


def test_the_agreement_locks_when_all_three_have_approved(approved, counselor):
    assert approved.is_locked
    assert approved.agreement_number == 1
    version = AgreementVersion.objects.get(placement=approved)
    assert (version.number, version.change, version.created_by) == (
        1,
        AgreementVersion.Change.APPROVED,
        counselor,
    )
    assert version.content == services.content_of(approved)
    assert version.content["tasks"] == cast.CONTENT["tasks"]
    assert version.content["mentor"] == "Mona Mentor"
    assert parties(approved) == {Party.PARTICIPANT, Party.EMPLOYER, Party.COUNSELOR}


def test_a_locked_agreement_is_not_edited_directly(approved, counselor, employer_user):
    with pytest.raises(ValidationError):
        services.agreement_update(
            placement=approved, by=counselor, revision=approved.revision, tasks="Noe annet"
        )
    with pytest.raises(ValidationError):
        approve(approved, employer_user, Party.EMPLOYER)
    approved.refresh_from_db()
    assert approved.tasks == cast.CONTENT["tasks"]


def test_a_change_of_a_locked_agreement_makes_version_2_with_its_reason(approved, counselor):
    version = change(
        approved,
        counselor,
        reason="The bakery asked for cake too.",
        tasks="Steke brød og kaker",
    )
    assert (version.number, version.change, version.reason) == (
        2,
        AgreementVersion.Change.CONTENT,
        "The bakery asked for cake too.",
    )
    approved.refresh_from_db()
    assert approved.agreement_number == 2
    assert approved.tasks == "Steke brød og kaker"
    assert approved.is_locked
    assert parties(approved) == {Party.PARTICIPANT, Party.EMPLOYER, Party.COUNSELOR}
    assert list(approved.versions.values_list("number", flat=True)) == [1, 2]
    event = AuditEvent.objects.get(action="placement.version")
    assert event.data == {"number": 2, "fields": ["tasks"]}


def test_a_change_needs_a_reason_and_a_change(approved, counselor):
    with pytest.raises(ValidationError) as raised:
        change(approved, counselor, reason=" ", tasks="X")
    assert list(raised.value.message_dict) == ["reason"]
    with pytest.raises(ValidationError):
        change(
            approved,
            counselor,
            reason="Nothing really",
            tasks=approved.tasks,
        )
    assert AgreementVersion.objects.filter(placement=approved).count() == 1


def test_a_longer_end_is_an_extension_and_a_shorter_one_a_shortening(approved, counselor):
    longer = change(
        approved,
        counselor,
        reason="Needs more time.",
        end_date=END + datetime.timedelta(days=30),
    )
    assert longer.change == AgreementVersion.Change.EXTENDED
    approved.refresh_from_db()
    shorter = change(
        approved,
        counselor,
        reason="Got a job elsewhere from May.",
        end_date=datetime.date(2026, 4, 30),
    )
    assert shorter.change == AgreementVersion.Change.SHORTENED
    assert shorter.number == 3


def test_an_extension_beyond_the_usual_maximum_needs_its_own_reason(approved, counselor):
    beyond = rules.add_months(START, 13)
    with pytest.raises(ValidationError) as raised:
        change(
            approved,
            counselor,
            reason="Needs more time.",
            end_date=beyond,
        )
    assert list(raised.value.message_dict) == ["extension_reason"]
    version = change(
        approved,
        counselor,
        reason="Needs more time.",
        end_date=beyond,
        extension_reason="Learning the trade takes longer with the language.",
    )
    assert version.change == AgreementVersion.Change.CONTENT  # two fields changed


def test_a_started_placements_start_stays_and_a_new_end_is_not_in_the_past(
    approved, counselor, clock
):
    clock.move_to(at(START + datetime.timedelta(days=20)), tick=False)
    with pytest.raises(ValidationError) as raised:
        change(
            approved,
            counselor,
            reason="Wrong date",
            start_date=START + datetime.timedelta(days=1),
        )
    assert list(raised.value.message_dict) == ["start_date"]
    with pytest.raises(ValidationError) as raised:
        change(
            approved,
            counselor,
            reason="Ends early",
            end_date=START + datetime.timedelta(days=10),
        )
    assert list(raised.value.message_dict) == ["end_date"]


def test_a_change_from_a_stale_revision_is_a_conflict(approved, counselor):
    read = approved.revision
    services.agreement_change(
        placement=approved, by=counselor, revision=read, reason="First", work_days="Alle dager"
    )
    with pytest.raises(services.ConflictError):
        services.agreement_change(
            placement=approved, by=counselor, revision=read, reason="Second", work_days="Ingen"
        )
    approved.refresh_from_db()
    assert approved.work_days == "Alle dager"
    assert approved.agreement_number == 2


def test_the_comparison_marks_the_rows_that_changed(approved, counselor):
    change(
        approved,
        counselor,
        reason="Needs more time.",
        end_date=END + datetime.timedelta(days=30),
    )
    first, second = AgreementVersion.objects.filter(placement=approved).order_by("number")
    rows = services.compare_versions(first.content, second.content)
    assert len(rows) == len(services.CONTENT_FIELDS)
    changed = [row for row in rows if row["changed"]]
    assert [row["label"] for row in changed] == [services.field_label("end_date")]
    assert changed[0]["left"] != changed[0]["right"]
    assert changed[0]["right"] == services.display_value(
        "end_date", str(END + datetime.timedelta(days=30))
    )
    assert not any(
        row["changed"] for row in services.compare_versions(first.content, first.content)
    )


# The status, derived from approvals, cancellation and the date.


def test_the_status_goes_from_draft_to_ended(
    participant, employer, counselor, mentor_contact, employer_user, clock
):
    placement = services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        kind=Placement.Kind.WORK_TRAINING,
        title="Bakeassistent",
        start_date=START,
        end_date=END,
        mentor=mentor_contact,
    )
    assert placement.status == Status.DRAFT
    placement, _cleared = services.agreement_update(
        placement=placement, by=counselor, revision=placement.revision, **cast.CONTENT
    )
    assert placement.status == Status.AWAITING_APPROVAL
    placement = cast.approve_all(placement, counselor, employer_user)
    assert placement.status == Status.READY
    clock.move_to(at(START), tick=False)
    assert placement.status == Status.RUNNING
    clock.move_to(at(END), tick=False)
    assert placement.status == Status.RUNNING
    clock.move_to(at(END + datetime.timedelta(days=1)), tick=False)
    assert placement.status == Status.ENDED
    assert placement.status_on(START) == Status.RUNNING


def test_ending_early_ends_it_at_once(approved, counselor, clock):
    clock.move_to(at(START + datetime.timedelta(days=40)), tick=False)
    ended = services.placement_end(
        placement=approved,
        by=counselor,
        ended_on=START + datetime.timedelta(days=39),
        outcome=Placement.Outcome.NOT_READY,
    )
    assert ended.status == Status.ENDED
    assert ended.end_date == START + datetime.timedelta(days=39)


@pytest.mark.parametrize("stage", ["draft", "approved"])
def test_a_cancelled_placement_is_cancelled_whatever_else_it_is(
    stage, draft, counselor, employer_user
):
    placement = cast.approve_all(draft, counselor, employer_user) if stage == "approved" else draft
    with pytest.raises(ValidationError) as raised:
        services.placement_cancel(placement=placement, by=counselor, reason="other")
    assert list(raised.value.message_dict) == ["cancel_note"]
    cancelled = services.placement_cancel(
        placement=placement, by=counselor, reason=Placement.CancelReason.ILL
    )
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancel_reason == Placement.CancelReason.ILL
    assert not FollowUp.objects.filter(placement=placement, held_on__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.agreement_update(
            placement=cancelled, by=counselor, revision=cancelled.revision, tasks="X"
        )


# Optimistic locking of the draft.


def test_an_edit_from_a_stale_revision_is_a_conflict_and_keeps_the_first_text(draft, counselor):
    read = draft.revision
    services.agreement_update(placement=draft, by=counselor, revision=read, tasks="Første tekst")
    with pytest.raises(services.ConflictError):
        services.agreement_update(placement=draft, by=counselor, revision=read, tasks="Andre")
    draft.refresh_from_db()
    assert draft.tasks == "Første tekst"
    assert draft.revision == read + 1


# The follow-up schedule.


def due_dates(placement: Placement) -> list[datetime.date]:
    open_ones = FollowUp.objects.filter(placement=placement, held_on__isnull=True)
    return [day for day in open_ones.order_by("due_on").values_list("due_on", flat=True) if day]


def test_the_follow_up_schedule_is_made_when_the_agreement_locks(draft, approved):
    assert due_dates(approved) == rules.schedule(kind=approved.kind, start_date=START, end_date=END)
    assert approved.next_follow_up_on == START + datetime.timedelta(weeks=1)


def test_there_is_no_schedule_before_the_lock(draft):
    assert not FollowUp.objects.filter(placement=draft).exists()
    assert draft.next_follow_up_on is None


def log(placement: Placement, by: User, held_on: datetime.date, **extra: Any) -> FollowUp:
    return services.follow_up_log(
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
        services.follow_up_log(
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
        assert len(due_dates(job)) >= services.FOLLOW_UP_TOP_UP
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


# Ending and the chain.


def test_ending_asks_for_the_outcome_and_drops_the_follow_ups_after_the_end(
    approved, counselor, clock
):
    ended_on = START + datetime.timedelta(days=30)
    clock.move_to(at(ended_on), tick=False)
    with pytest.raises(ValidationError) as raised:
        services.placement_end(placement=approved, by=counselor, ended_on=ended_on, outcome="?")
    assert list(raised.value.message_dict) == ["outcome"]
    with pytest.raises(ValidationError) as raised:
        services.placement_end(
            placement=approved,
            by=counselor,
            ended_on=ended_on + datetime.timedelta(days=1),
            outcome=Placement.Outcome.NEXT_PLACEMENT,
        )
    assert list(raised.value.message_dict) == ["ended_on"]
    services.placement_end(
        placement=approved,
        by=counselor,
        ended_on=ended_on,
        outcome=Placement.Outcome.NEXT_PLACEMENT,
    )
    approved.refresh_from_db()
    assert approved.outcome == Placement.Outcome.NEXT_PLACEMENT
    assert all(day <= ended_on for day in due_dates(approved))
    with pytest.raises(ValidationError):
        services.placement_end(
            placement=approved,
            by=counselor,
            ended_on=ended_on,
            outcome=Placement.Outcome.NEXT_PLACEMENT,
        )


def test_the_next_placement_carries_the_content_over(
    approved, participant, employer, counselor, mentor_contact, clock
):
    ended_on = START + datetime.timedelta(days=30)
    clock.move_to(at(ended_on), tick=False)
    services.placement_end(
        placement=approved,
        by=counselor,
        ended_on=ended_on,
        outcome=Placement.Outcome.NEXT_PLACEMENT,
    )
    approved.refresh_from_db()
    initial = services.next_placement_initial(approved)
    assert initial["kind"] == Placement.Kind.TEMPORARY_WAGE_SUBSIDY  # practice -> wage subsidy
    assert initial["start_date"] == ended_on + datetime.timedelta(days=1)
    assert initial["mentor"] == mentor_contact
    for name in ("title", "tasks", "goals", "employer_expects", "we_offer", "call_whom"):
        assert initial[name] == getattr(approved, name)
    assert not {"end_date", "wage_subsidy_percent", "start_reason"} & set(initial)
    following = services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        previous=approved,
        end_date=ended_on + datetime.timedelta(days=200),
        wage_subsidy_percent=50,
        **initial,
    )
    assert following.previous == approved
    assert following.status == Status.AWAITING_APPROVAL  # complete, as it was
    assert services.content_of(following)["tasks"] == approved.tasks


@pytest.mark.parametrize(
    ("outcome", "kind"),
    [
        (Placement.Outcome.ORDINARY_JOB, Placement.Kind.ORDINARY_JOB),
        (Placement.Outcome.APPRENTICESHIP, Placement.Kind.APPRENTICESHIP),
        (Placement.Outcome.NEXT_PLACEMENT, Placement.Kind.TEMPORARY_WAGE_SUBSIDY),
    ],
)
def test_the_next_kind_follows_the_outcome(outcome, kind):
    assert services.next_kind(Placement(kind=Placement.Kind.WORK_TRAINING, outcome=outcome)) == kind


def test_a_wage_subsidy_leads_to_a_job():
    placement = Placement(kind=Placement.Kind.TEMPORARY_WAGE_SUBSIDY, outcome="next_placement")
    assert services.next_kind(placement) == Placement.Kind.ORDINARY_JOB


# Evaluations and the certificate.


def evaluate(placement: Placement, by: User, kind: str = Evaluation.Kind.FINAL) -> Evaluation:
    return services.evaluation_save(
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
        services.evaluation_save(
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
    return services.certificate_request(
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
    initial = services.certificate_initial(running)
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
    issued = services.certificate_approve(certificate=certificate, by=employer_user)
    assert issued.is_issued
    assert issued.approved_by == employer_user
    with pytest.raises(ValidationError):
        services.certificate_approve(certificate=issued, by=employer_user)
    with pytest.raises(ValidationError):
        services.certificate_return(certificate=issued, by=employer_user, comment="Too late")
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
        services.certificate_return(certificate=certificate, by=employer_user, comment=" ")
    assert list(raised.value.message_dict) == ["comment"]
    returned = services.certificate_return(
        certificate=certificate, by=employer_user, comment="Nevn kakene også."
    )
    assert returned.returned_comment == "Nevn kakene også."
    with pytest.raises(ValidationError):
        services.certificate_approve(certificate=returned, by=employer_user)
    again = request_certificate(running, counselor)
    assert again.pk == certificate.pk
    assert again.returned_comment == ""
    assert services.certificate_approve(certificate=again, by=employer_user).is_issued


def test_every_step_is_in_the_audit_log(running, counselor, employer_user):
    evaluate(running, counselor)
    certificate = request_certificate(running, counselor)
    services.certificate_return(certificate=certificate, by=employer_user, comment="Kaker")
    certificate = request_certificate(running, counselor)
    services.certificate_approve(certificate=certificate, by=employer_user)
    log(running, counselor, START + datetime.timedelta(days=40))
    assert actions(running) == [
        "placement.created",
        "placement.expectation_meeting",
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
    certificate = services.certificate_approve(certificate=certificate, by=employer_user)
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


def test_the_next_placement_shares_accommodations_only_while_the_consent_holds(
    approved, participant, employer, counselor, clock
):
    participant.shareable_accommodations = "Trenger pauser"
    participant.save(update_fields=["shareable_accommodations"])
    consent = participant_services.consent_give(
        participant=participant,
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.ACCOMMODATIONS,
    )
    first = cast.draft(participant, employer, counselor, approved.mentor, start=START)
    assert first.accommodations == "Trenger pauser"
    participant_services.consent_withdraw(consent=consent, by=counselor)
    initial = services.next_placement_initial(first)
    following = services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        previous=first,
        end_date=initial["start_date"] + datetime.timedelta(days=100),
        wage_subsidy_percent=50,
        **initial,
    )
    assert following.accommodations == ""


def test_an_ended_job_followed_without_end_plans_no_more_follow_ups(
    participant, employer, counselor, mentor_contact, employer_user, clock
):
    job = ordinary_job(
        participant, employer, counselor, mentor_contact, employer_user, follow_up_unlimited=True
    )
    ended_on = START + datetime.timedelta(days=10)
    clock.move_to(at(ended_on), tick=False)
    services.placement_end(
        placement=job, by=counselor, ended_on=ended_on, outcome=Placement.Outcome.DROPPED_OUT
    )
    job.refresh_from_db()
    log(job, counselor, START + datetime.timedelta(days=7))
    assert due_dates(job) == []
    job.refresh_from_db()
    assert job.next_follow_up_on is None


def test_the_mentor_can_be_taken_off_a_draft(draft, counselor):
    # Once wrote both mentor and mentor_id, which PostgreSQL refuses.
    placement, _cleared = services.agreement_update(
        placement=draft, by=counselor, revision=draft.revision, mentor=None
    )
    draft.refresh_from_db()
    assert draft.mentor is None
    assert placement.status == Status.DRAFT
