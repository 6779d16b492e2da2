"""The agreement from draft to approval: approvals (the counselor last, on the participant's
behalf only with a reason), a change that clears them, the lock and its numbered versions with
their comparison, and optimistic locking of the draft.

The clock is frozen (time-machine) on Monday 2 March 2026 and moved where the story needs it;
the story's dates and helpers are in cast.py, its fixtures in conftest.py.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import capfirst

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.placements import rules, services
from samspill.placements.models import AgreementApproval, AgreementVersion, Party, Placement, Status
from samspill.placements.tests import cast
from samspill.placements.tests.cast import END, START, TODAY, at, change

pytestmark = pytest.mark.usefixtures("clock")


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


def messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def parties(placement: Placement) -> set[str]:
    return set(
        AgreementApproval.objects.filter(placement=placement).values_list("party", flat=True)
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
    assert version.content == services.version_content(approved)
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
    assert [row["label"] for row in changed] == [capfirst(services.field_label("end_date"))]
    assert changed[0]["left"] != changed[0]["right"]
    assert changed[0]["right"] == services.display_value(
        "end_date", str(END + datetime.timedelta(days=30))
    )
    assert not any(
        row["changed"] for row in services.compare_versions(first.content, first.content)
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


def test_the_mentor_can_be_taken_off_a_draft(draft, counselor):
    # Once wrote both mentor and mentor_id, which PostgreSQL refuses.
    placement, _cleared = services.agreement_update(
        placement=draft, by=counselor, revision=draft.revision, mentor=None
    )
    draft.refresh_from_db()
    assert draft.mentor is None
    assert placement.status == Status.DRAFT
