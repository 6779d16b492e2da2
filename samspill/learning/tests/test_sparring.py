"""Sparring cases: asking, answering, closing; who sees a case and the participant's name;
reads logged; stale writes; the old lost-belief requests copied into cases."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samspill.audit.models import AccessLog
from samspill.core.revisions import StaleRevision
from samspill.core.testing import client_for, make_participant
from samspill.followup import services as followup_services
from samspill.learning import sparring_services as services
from samspill.learning.models import SparringCase, StaffRecordRead

pytestmark = pytest.mark.django_db

SITUATION = "To avslag på rad, og motet er borte."


def ask(by, asked, **kwargs):
    kwargs.setdefault("audience", SparringCase.Audience.COLLEAGUE)
    kwargs.setdefault("situation", SITUATION)
    return services.sparring_case_ask(by=by, asked=asked, **kwargs)


# --- Services ---------------------------------------------------------------------------------


def test_a_colleague_accepts_answers_and_closes_a_case(counselor, colleague, participant):
    case = ask(counselor, colleague, participant=participant, tried="Ny CV", next_steps="?")
    assert case.status == SparringCase.Status.OPEN
    assert case.reference.startswith("S-") and len(case.reference) == 8
    with pytest.raises(ValidationError):
        services.sparring_case_accept(case=case, by=counselor)  # only the one asked accepts
    services.sparring_case_accept(case=case, by=colleague)
    services.sparring_case_answer(case=case, by=colleague, text="Prøv arbeidstrening i butikk.")
    case.refresh_from_db()
    assert case.status == SparringCase.Status.ANSWERED
    services.sparring_case_answer(case=case, by=counselor, text="Takk!")
    closed = services.sparring_case_close(case=case, by=counselor, private_note="Vi prøver")
    assert closed.status == SparringCase.Status.CLOSED
    with pytest.raises(ValidationError):
        services.sparring_case_answer(case=case, by=colleague, text="Sent")
    assert case.responses.count() == 2


def test_it_refuses_sparring_with_yourself_another_organisation_or_no_one(
    counselor, outsider, admin
):
    for asked in (counselor, outsider, admin, None):
        with pytest.raises(ValidationError):
            ask(counselor, asked)
    with pytest.raises(ValidationError):
        ask(counselor, None, audience="nobody")
    assert not SparringCase.objects.exists()


def test_only_a_platform_mentor_is_asked_as_one(counselor, colleague, leader, platform_mentor):
    with pytest.raises(ValidationError):
        ask(counselor, leader, audience=SparringCase.Audience.PLATFORM_MENTOR)
    case = ask(counselor, platform_mentor, audience=SparringCase.Audience.PLATFORM_MENTOR)
    assert case.asked == platform_mentor


def test_a_participant_one_may_not_read_cannot_be_named(colleague, counselor, participant):
    with pytest.raises(ValidationError) as raised:
        ask(colleague, counselor, participant=participant)
    assert "participant" in raised.value.message_dict
    assert not SparringCase.objects.exists()


def test_a_lost_belief_needs_a_participant_and_empty_or_long_text_is_refused(counselor, colleague):
    with pytest.raises(ValidationError):
        ask(counselor, colleague, kind=SparringCase.Kind.LOST_BELIEF)
    with pytest.raises(ValidationError):
        ask(counselor, colleague, situation="   ")
    with pytest.raises(ValidationError):
        ask(counselor, colleague, situation="x" * 5001)
    assert not SparringCase.objects.exists()


def test_a_stale_edit_of_the_case_is_refused(counselor, colleague):
    case = ask(counselor, colleague)
    services.sparring_case_update(case=case, by=counselor, situation="Ny tekst", revision=1)
    with pytest.raises(StaleRevision):
        services.sparring_case_update(case=case, by=counselor, situation="Gammel", revision=1)
    case.refresh_from_db()
    assert case.situation == "Ny tekst"
    with pytest.raises(PermissionDenied):
        services.sparring_case_update(case=case, by=colleague, situation="Ikke min")


# --- Pages ------------------------------------------------------------------------------------


def test_the_one_asked_sees_the_case_reference_not_the_participant(
    counselor, colleague, participant
):
    case = ask(counselor, colleague, participant=participant)
    response = client_for(colleague).get(reverse("learning:sparring_case", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert case.reference in body
    assert participant.given_name not in body
    assert not AccessLog.objects.filter(participant_id=participant.pk, actor=colleague).exists()
    # Reading a colleague's case is a read of their sparring record.
    read = StaffRecordRead.objects.get(reader=colleague)
    assert read.subject == counselor
    assert read.what == "learning:sparring_case"


def test_the_asker_sees_the_name_and_the_read_is_logged_as_the_app_does(
    counselor, colleague, participant
):
    case = ask(counselor, colleague, participant=participant)
    response = client_for(counselor).get(reverse("learning:sparring_case", args=[case.pk]))
    assert participant.full_name in response.content.decode()
    log = AccessLog.objects.get(participant_id=participant.pk, what="page:sparring-case")
    assert log.actor == counselor and log.why == "counselor"
    assert not StaffRecordRead.objects.exists()  # one's own case


def test_a_team_colleague_who_may_read_the_participant_sees_the_name(
    org, counselor, colleague, participant
):
    org.team_sees_team_participants = True
    org.save(update_fields=["team_sees_team_participants"])
    case = ask(counselor, colleague, participant=participant)
    response = client_for(colleague).get(reverse("learning:sparring_case", args=[case.pk]))
    assert participant.full_name in response.content.decode()
    assert AccessLog.objects.get(participant_id=participant.pk).why == "team"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("leader", 404),  # leaders see counts, not other people's cases
        ("other_team_counselor", 404),
        ("outsider", 404),
        ("admin", 403),
        ("mentor", 403),
    ],
)
def test_people_outside_the_case_cannot_open_or_answer_it(
    request, counselor, colleague, who, status
):
    case = ask(counselor, colleague)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("learning:sparring_case", args=[case.pk])).status_code == status
    response = client.post(
        reverse("learning:sparring_case", args=[case.pk]), {"action": "answer", "text": "Hei"}
    )
    assert response.status_code == status
    assert client.post(reverse("learning:sparring_accept", args=[case.pk])).status_code == status
    assert not case.responses.exists()


def test_the_asker_cannot_post_an_answer_form_of_another_kind(counselor, colleague):
    case = ask(counselor, colleague)
    response = client_for(colleague).post(
        reverse("learning:sparring_case", args=[case.pk]), {"action": "edit", "situation": "x"}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.situation == SITUATION


def test_an_answer_is_recorded_and_bad_input_changes_nothing(counselor, colleague):
    case = ask(counselor, colleague)
    client = client_for(colleague)
    url = reverse("learning:sparring_case", args=[case.pk])
    response = client.post(url, {"action": "answer", "text": ""})
    assert response.status_code == 400
    assert not case.responses.exists()
    response = client.post(url, {"action": "answer", "text": "Prøv en hospitering"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == SparringCase.Status.ANSWERED


def test_a_stale_edit_on_the_page_shows_a_conflict_and_keeps_the_newer_text(counselor, colleague):
    case = ask(counselor, colleague)
    client = client_for(counselor)
    url = reverse("learning:sparring_case", args=[case.pk])
    first = {"action": "edit", "situation": "Første", "revision": 1}
    assert client.post(url, first).status_code == 302
    response = client.post(url, {**first, "situation": "Andre"})
    assert response.status_code == 400
    assert response.context["edit_form"].non_field_errors()  # the conflict, in words
    case.refresh_from_db()
    assert case.situation == "Første"


def test_the_ask_page_opens_empty_or_filled_in_from_the_belief_page(
    counselor, colleague, participant
):
    client = client_for(counselor)
    url = reverse("learning:sparring_new")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["kind"].value() == "case"
    response = client.get(url, {"participant": participant.pk, "kind": "lost_belief"})
    form = response.context["form"]
    assert str(form["participant"].value()) == str(participant.pk)
    assert form["kind"].value() == "lost_belief"
    assert client.get(url, {"participant": "x", "kind": "nonsense"}).status_code == 200


def test_asking_from_the_page_makes_a_case(counselor, colleague, participant):
    client = client_for(counselor)
    response = client.post(
        reverse("learning:sparring_new"),
        {
            "kind": "case",
            "audience": "colleague",
            "asked": colleague.pk,
            "participant": participant.pk,
            "situation": SITUATION,
            "tried": "Samtaler",
            "belief_drop": "Etter avslag nummer to",
            "next_steps": "Arbeidstrening",
        },
    )
    case = SparringCase.objects.get()
    assert response.status_code == 302
    assert (case.tried, case.belief_drop, case.next_steps) == (
        "Samtaler",
        "Etter avslag nummer to",
        "Arbeidstrening",
    )


def test_asking_for_a_participant_one_does_not_follow_is_refused(colleague, counselor, participant):
    response = client_for(colleague).post(
        reverse("learning:sparring_new"),
        {
            "kind": "case",
            "audience": "colleague",
            "asked": counselor.pk,
            "participant": participant.pk,
            "situation": SITUATION,
        },
    )
    assert response.status_code == 400
    assert not SparringCase.objects.exists()


def test_the_sparring_list_takes_the_same_queries_however_many_cases(
    org, counselor, colleague, django_assert_num_queries
):
    client = client_for(colleague)
    url = reverse("learning:sparring")
    client.get(url)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    participant = make_participant(org, counselor, family_name="Een")
    ask(counselor, colleague, participant=participant)
    few = count()
    for index in range(5):
        other = make_participant(org, counselor, family_name=f"P{index}")
        ask(counselor, colleague, participant=other)
    assert count() == few


class _Requests:
    """The dropped `followup.SparringRequest` as the migration reads it: rows in id order."""

    def __init__(self, rows):
        self.rows = rows

    def order_by(self, *fields):
        return self

    def iterator(self, chunk_size):
        return iter(self.rows)


class _Apps:
    def __init__(self, rows):
        self.requests = SimpleNamespace(objects=_Requests(rows))

    def get_model(self, app_label, name):
        if name == "SparringRequest":
            return self.requests
        return apps.get_model(app_label, name)


def test_dropping_the_old_requests_copies_those_not_yet_copied_once(
    org, counselor, colleague, participant
):
    """followup 0008: a request left over after learning 0005 becomes a lost-belief case; one
    copied already is not copied again."""
    result = followup_services.checkin_record(
        participant=participant,
        by=counselor,
        belief=1,
        asked_on=participant.periods.get().start_date,
    )
    first = ask(
        counselor,
        colleague,
        kind=SparringCase.Kind.LOST_BELIEF,
        participant=participant,
        situation="Kopiert før",
    )
    row = {
        "organisation_id": org.pk,
        "participant_id": participant.pk,
        "checkin_id": result.checkin.pk,
        "requested_by_id": counselor.pk,
        "colleague_id": colleague.pk,
        "status": "closed",
        "accepted_at": None,
        "closed_at": timezone.now(),
        "private_note": "Notat",
    }
    left_over = SimpleNamespace(why="Mistet troen", created_at=timezone.now(), **row)
    rows = [left_over, SimpleNamespace(why="Kopiert før", created_at=first.created_at, **row)]
    migration = importlib.import_module("samspill.followup.migrations.0008_drop_sparringrequest")
    migration.copy_left_over(_Apps(rows), None)
    migration.copy_left_over(_Apps(rows), None)  # safe to run twice
    case = SparringCase.objects.get(situation="Mistet troen")
    assert SparringCase.objects.count() == 2
    assert case.kind == SparringCase.Kind.LOST_BELIEF
    assert (case.asked_by, case.asked, case.participant) == (counselor, colleague, participant)
    assert (case.status, case.private_note, case.created_at) == (
        "closed",
        "Notat",
        left_over.created_at,
    )
    assert case.checkin == result.checkin
    assert case.reference.startswith("S-")
