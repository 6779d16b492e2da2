"""The placement pages as a counselor uses them: drafting in steps, a conflicting edit, the
approvals, a new version and its comparison, follow-ups, evaluation, certificate, ending and
the chain, and a fixed number of queries on the agreement page."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from samspill.audit.models import AccessLog
from samspill.core.testing import client_for
from samspill.placements import followups, services
from samspill.placements.models import AgreementApproval, FollowUp, Placement, Status
from samspill.placements.tests import cast

TODAY = timezone.localdate()


def url(name: str, placement: Placement, **kwargs) -> str:
    return reverse(f"placements:{name}", kwargs={"pk": placement.pk, **kwargs})


@pytest.fixture
def draft(participant, employer, counselor, mentor_contact) -> Placement:
    return cast.draft(participant, employer, counselor, mentor_contact)


def test_the_steps_lead_through_the_agreement_and_the_read_is_logged(counselor, draft):
    client = client_for(counselor)
    response = client.get(url("step", draft, step="job"))
    assert response.status_code == 200
    assert AccessLog.objects.filter(actor=counselor, participant=draft.participant).exists()
    response = client.post(
        url("step", draft, step="job"),
        {
            "revision": draft.revision,
            "title": "Bakeassistent",
            "tasks": "Steke brød",
            "hours_per_week": "25",
            "work_days": "Man-tor",
            "work_place": "Storgata 1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("step", draft, step="duration")
    draft.refresh_from_db()
    assert (draft.hours_per_week, draft.revision) == (25, 2)


def test_goals_are_ticked_with_a_text_each(counselor, draft):
    response = client_for(counselor).post(
        url("step", draft, step="goals"),
        {
            "revision": draft.revision,
            "goal_experience": "on",
            "goal_language": "",
            "goal_language_text": "Norsk på jobben",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.goals == [
        {"category": "experience", "text": ""},
        {"category": "language", "text": "Norsk på jobben"},
    ]


def test_a_rule_broken_in_a_step_says_so_and_changes_nothing(counselor, draft):
    response = client_for(counselor).post(
        url("step", draft, step="duration"),
        {
            "revision": draft.revision,
            "kind": "summer_job",
            "start_date": str(draft.start_date),
            "end_date": str(draft.start_date + datetime.timedelta(days=60)),
        },
    )
    assert response.status_code == 400
    assert "4" in " ".join(response.context["form"].errors["end_date"])
    draft.refresh_from_db()
    assert (draft.kind, draft.revision) == ("work_training", 1)


def test_the_second_of_two_editors_gets_a_message_and_their_text_back(counselor, colleague, draft):
    first = client_for(counselor)
    second = client_for(counselor)
    data = {"revision": draft.revision, "if_something_happens": "", "call_whom": "Kari"}
    assert (
        first.post(
            url("step", draft, step="safety"),
            {**data, "if_something_happens": "Ring meg først"},
        ).status_code
        == 302
    )
    response = second.post(
        url("step", draft, step="safety"), {**data, "if_something_happens": "Ring NAV"}
    )
    assert response.status_code == 400
    assert "Ring NAV" in response.content.decode()  # their text, kept
    assert response.context["conflict"] is not None
    draft.refresh_from_db()
    assert draft.if_something_happens == "Ring meg først"  # no lost update
    # Saving again, having seen the other version, goes through.
    again = response.context["form"].data.copy()
    assert second.post(url("step", draft, step="safety"), again).status_code == 302


def test_a_change_after_an_approval_clears_it_and_says_so(counselor, employer_user, draft):
    services.agreement_approve(
        placement=draft, by=employer_user, party="employer", revision=draft.revision
    )
    response = client_for(counselor).post(
        url("step", draft, step="job"),
        {
            "revision": draft.revision,
            "title": "Baker",
            "tasks": "Nye oppgaver",
            "hours_per_week": "30",
        },
        follow=True,
    )
    [message] = list(response.context["messages"])
    assert str(message) == gettext(
        "The content changed, so the approvals given so far were cleared."
    )
    assert not AgreementApproval.objects.filter(placement=draft).exists()


def test_only_the_participants_counselor_approves_as_counselor(
    counselor, leader, employer_user, draft
):
    services.expectation_meeting_record(
        placement=draft,
        by=counselor,
        held_on=TODAY,
        participant_present=True,
        mentor_present=True,
        employer_present=True,
        counselor_present=True,
    )
    on_behalf = {"revision": draft.revision, "party": "participant", "on_behalf_reason": ""}
    response = client_for(counselor).post(url("approve", draft), on_behalf, follow=True)
    [message] = list(response.context["messages"])  # a reason is needed
    assert message.level_tag == "error"
    assert not AgreementApproval.objects.exists()
    on_behalf["on_behalf_reason"] = "Godkjent muntlig i møtet"
    client_for(counselor).post(url("approve", draft), on_behalf)
    services.agreement_approve(
        placement=draft, by=employer_user, party="employer", revision=draft.revision
    )
    as_counselor = {"revision": draft.revision, "party": "counselor"}
    assert client_for(leader).post(url("approve", draft), as_counselor).status_code == 403
    assert (
        client_for(counselor)
        .post(url("approve", draft), {**as_counselor, "party": "employer"})
        .status_code
        == 403
    )
    assert client_for(counselor).post(url("approve", draft), as_counselor).status_code == 302
    draft.refresh_from_db()
    assert draft.is_locked and draft.status == Status.RUNNING
    assert draft.follow_ups.filter(held_on__isnull=True).count() >= 3


@pytest.fixture
def approved(draft, counselor, employer_user) -> Placement:
    return cast.approve_all(draft, counselor, employer_user)


def test_a_locked_agreement_changes_as_a_new_version_that_can_be_compared(counselor, approved):
    client = client_for(counselor)
    assert client.get(url("step", approved, step="job")).status_code == 302
    form = client.get(url("change", approved)).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    new_end = approved.end_date - datetime.timedelta(days=30)
    data.update(end_date=str(new_end), reason="", hours_per_week="30")
    refused = client.post(url("change", approved), data)
    assert refused.status_code == 400  # the reason is required
    data["reason"] = "Avtalt kortere periode"
    assert client.post(url("change", approved), data).status_code == 302
    approved.refresh_from_db()
    assert (approved.agreement_number, approved.end_date) == (2, new_end)
    page = client.get(url("compare", approved) + "?a=1&b=2")
    changed = [row["name"] for row in page.context["rows"] if row["changed"]]
    assert changed == ["end_date"]
    assert page.context["right"].change == "shortened"
    assert "Avtalt kortere periode" in page.content.decode()
    assert client.get(url("compare", approved) + "?a=1&b=9").status_code == 404


def test_the_agreement_page_takes_a_fixed_number_of_queries(
    counselor, approved, django_assert_max_num_queries
):
    client = client_for(counselor)
    client.get(url("detail", approved))
    with CaptureQueriesContext(connection) as few:
        client.get(url("detail", approved))
    for day in range(30):
        FollowUp.objects.create(placement=approved, due_on=TODAY + datetime.timedelta(days=day))
    followups.follow_up_log(
        placement=approved, by=counselor, held_on=TODAY, going="well", counselor_present=True
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("detail", approved))
    assert response.status_code == 200
    assert len(many) == len(few)


def test_follow_up_evaluation_certificate_and_the_chain(counselor, approved, employer_user):
    client = client_for(counselor)
    response = client.post(
        url("follow_up", approved),
        {
            "held_on": str(TODAY),
            "participant_present": "on",
            "mentor_present": "on",
            "going": "mixed",
            "notes": "Litt sliten",
            "next_steps": "Kortere dager en uke",
        },
    )
    assert response.status_code == 302
    assert "Kortere dager en uke" in client.get(url("detail", approved)).content.decode()
    assert client.get(url("certificate", approved)).status_code == 200
    no_final = client.post(
        url("certificate", approved), {"language": "nb", "tasks": "x", "assessment": "y"}
    )
    assert no_final.status_code == 400  # the certificate builds on the final evaluation
    evaluation = {
        "held_on": str(TODAY),
        "tasks_mastered": "Bakte alene",
        "attendance": "very_good",
        "cooperation": "good",
        "what_worked": "Fast rytme",
        "with_mentor": "on",
        "with_participant": "on",
    }
    assert client.post(url("evaluation", approved, kind="final"), evaluation).status_code == 302
    initial = client.get(url("certificate", approved)).context["form"].initial
    assert "Bakte alene" in initial["assessment"]
    assert (
        client.post(
            url("certificate", approved),
            {"language": "da", "tasks": "Bagning", "assessment": "Stabil"},
        ).status_code
        == 302
    )
    assert client.get(url("certificate_pdf", approved)).status_code == 404  # not issued yet
    followups.certificate_approve(certificate=approved.certificate, by=employer_user)
    pdf = client.get(url("certificate_pdf", approved))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.getvalue().startswith(b"%PDF")
    # Issued is final: the draft form is not offered again (the service would refuse it), the
    # page leads back to the placement and its PDF; a forged post changes nothing.
    page = client.get(url("certificate", approved))
    assert page.status_code == 302 and page["Location"] == url("detail", approved)
    forged = client.post(
        url("certificate", approved), {"language": "nb", "tasks": "Nytt", "assessment": "Nytt"}
    )
    assert forged.status_code == 302
    approved.certificate.refresh_from_db()
    assert approved.certificate.tasks == "Bagning"

    ended = client.post(url("end", approved), {"ended_on": str(TODAY), "outcome": "other_measure"})
    assert ended["Location"] == url("next", approved)
    form = client.get(url("next", approved)).context["form"]
    assert form.initial["kind"] == "temporary_wage_subsidy"
    assert form.initial["title"] == approved.title
    response = client.post(
        url("next", approved),
        {
            "mentor": approved.mentor_id,
            "kind": "temporary_wage_subsidy",
            "title": approved.title,
            "tasks": approved.tasks,
            "start_date": str(TODAY + datetime.timedelta(days=1)),
            "end_date": str(TODAY + datetime.timedelta(days=200)),
            "wage_subsidy_percent": "40",
        },
    )
    assert response.status_code == 302
    following = Placement.objects.get(previous=approved)
    assert following.employer_expects == approved.employer_expects  # carried over
    assert following.goals == approved.goals
    assert following.status == Status.DRAFT  # until it is sent for approval


def test_an_ordinary_job_starts_its_post_employment_follow_up(counselor, approved):
    approved_end = {"ended_on": str(TODAY), "outcome": "ordinary_work"}
    client = client_for(counselor)
    client.post(url("end", approved), approved_end)
    form = client.get(url("next", approved)).context["form"]
    assert form.initial["kind"] == "ordinary_job"
    client.post(
        url("next", approved),
        {
            "mentor": approved.mentor_id,
            "kind": "ordinary_job",
            "title": "Baker",
            "start_date": str(TODAY + datetime.timedelta(days=1)),
        },
    )
    job = Placement.objects.get(previous=approved)
    assert (
        job.follow_up_until
        == datetime.date.fromordinal((TODAY + datetime.timedelta(days=1)).toordinal()).replace(
            month=((TODAY.month + 2) % 12) + 1
        )
        or job.follow_up_until is not None
    )


def test_cancelling_needs_a_reason_and_removes_planned_follow_ups(counselor, approved):
    client = client_for(counselor)
    assert client.post(url("cancel", approved), {"reason": ""}).status_code == 400
    assert client.post(url("cancel", approved), {"reason": "other"}).status_code == 400
    assert client.post(url("cancel", approved), {"reason": "ill"}).status_code == 302
    approved.refresh_from_db()
    assert approved.status == Status.CANCELLED
    assert not approved.follow_ups.filter(held_on__isnull=True).exists()


def test_inviting_the_participant_sends_a_link_and_they_approve_in_the_portal(
    counselor, draft, participant, django_capture_on_commit_callbacks
):
    participant.email = "kari@example.org"
    participant.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(counselor).post(
            reverse("portal:invite_participant", kwargs={"participant_pk": participant.pk}),
            {"next": url("detail", draft)},
        )
    assert response["Location"] == url("detail", draft)
    assert len(mail.outbox) == 1
    participant.refresh_from_db()
    own = client_for(participant.portal_user)
    home = own.get(reverse("portal:home"))
    assert draft.title in home.content.decode()
    own.post(reverse("portal:my_approve", kwargs={"pk": draft.pk}), {"revision": draft.revision})
    approval = AgreementApproval.objects.get(placement=draft)
    assert (approval.party, approval.on_behalf_reason) == ("participant", "")


def test_an_edit_that_leaves_the_dates_alone_asks_for_no_back_dating_reason(
    counselor, draft, time_machine
):
    time_machine.move_to(
        datetime.datetime.combine(TODAY, datetime.time(12)) + datetime.timedelta(days=30)
    )
    response = client_for(counselor).post(
        url("step", draft, step="expectations"),
        {
            "revision": draft.revision,
            "employer_expects": "Presis",
            "participant_expects": "Opplæring",
            "we_offer": "Oppfølging",
        },
    )
    assert response.status_code == 302
