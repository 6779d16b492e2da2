"""/privacy/retention/ lists the legal holds; an administrator places one (/privacy/holds/)
and lifts it (/privacy/holds/ID/lift/) with a reason, each with an audit row; anyone else gets
a 403, another organisation's hold a 404, bad input a message and no change."""

import pytest

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_staff
from samspill.organisations.models import Membership
from samspill.privacy import services
from samspill.privacy.models import LegalHold
from samspill.privacy.tests.conftest import end_follow_up

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
PAGE = "/privacy/retention/"
PLACE = "/privacy/holds/"


def lift_url(hold: LegalHold) -> str:
    return f"/privacy/holds/{hold.pk}/lift/"


def test_an_administrator_places_a_hold_with_a_reason(admin, person):
    client = client_for(admin)

    response = client.post(PLACE, {"participant": person.pk, "reason": " Klagesak  "})

    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.participant_id, hold.reason, hold.placed_by) == (person.pk, "Klagesak", admin)
    event = AuditEvent.objects.get(action="privacy.hold_placed")
    assert (event.actor, event.participant_id) == (admin, person.pk)
    page = client.get(PAGE, headers=EN).content.decode()
    assert f"Participant {person.pk}" in page
    assert "Klagesak" in page
    # An administrator reads no case records: the page names nobody.
    assert person.family_name not in page


def test_the_holds_are_listed_in_a_fixed_number_of_queries(
    admin, person, participant, django_assert_num_queries
):
    client = client_for(admin)
    client.get(PAGE)
    services.legal_hold_place(participant=person, reason="Klagesak", by=admin)

    with django_assert_num_queries(5):
        one = client.get(PAGE, headers=EN)
    services.legal_hold_place(participant=participant, reason="Tilsyn", by=None)
    with django_assert_num_queries(5):
        two = client.get(PAGE, headers=EN)

    assert one.content.decode().count("Lift the hold") == 1
    assert two.content.decode().count("Lift the hold") == 2
    assert "the command line" in two.content.decode()


def test_an_administrator_lifts_a_hold_with_a_reason(admin, person):
    hold = services.legal_hold_place(participant=person, reason="Klagesak", by=admin)
    client = client_for(admin)

    response = client.post(lift_url(hold), {"reason": "Saken er avsluttet"})

    assert response.status_code == 302
    hold.refresh_from_db()
    assert (hold.lifted_by, hold.lifted_at is not None) == (admin, True)
    event = AuditEvent.objects.get(action="privacy.hold_lifted")
    assert (event.actor, event.data) == (admin, {"reason": "Saken er avsluttet"})
    assert "Lift the hold" not in client.get(PAGE, headers=EN).content.decode()


def test_a_lifted_hold_lets_the_erasure_through(admin, person, counselor):
    end_follow_up(person, counselor)
    client = client_for(admin)
    client.post(PLACE, {"participant": person.pk, "reason": "Klagesak"})
    assert services.erasure_blockers(person)

    client.post(lift_url(LegalHold.objects.get()), {"reason": "Avsluttet"})

    assert services.erasure_blockers(person) == []


def test_lifting_twice_says_so_and_changes_nothing(admin, person):
    hold = services.legal_hold_place(participant=person, reason="Klagesak", by=admin)
    client = client_for(admin)
    client.post(lift_url(hold), {"reason": "Avsluttet"})

    response = client.post(lift_url(hold), {"reason": "Igjen"}, follow=True, headers=EN)

    assert "already lifted" in response.content.decode()
    assert AuditEvent.objects.filter(action="privacy.hold_lifted").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"participant": "", "reason": "Klagesak"},
        {"participant": "abc", "reason": "Klagesak"},
        {"participant": "0", "reason": "Klagesak"},
        {"participant": "PERSON", "reason": "  "},
        {"participant": "PERSON", "reason": "x" * 301},
    ],
)
def test_bad_input_to_place_gets_a_clear_message_and_changes_nothing(admin, person, data):
    data = {k: str(person.pk) if v == "PERSON" else v for k, v in data.items()}

    response = client_for(admin).post(PLACE, data)

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_a_participant_of_another_organisation_is_not_found(admin, other_org, outsider):
    from samspill.core.testing import make_participant

    theirs = make_participant(other_org, outsider)

    response = client_for(admin).post(
        PLACE, {"participant": theirs.pk, "reason": "Klagesak"}, headers=EN
    )

    assert response.status_code == 400
    assert "no participant with this number" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_an_erased_record_gets_no_hold(admin, person, counselor):
    end_follow_up(person, counselor)
    services.participant_erase(participant=person, reason="asked", by=admin)

    response = client_for(admin).post(
        PLACE, {"participant": person.pk, "reason": "Klagesak"}, headers=EN
    )

    assert response.status_code == 400
    assert "erased" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_lifting_needs_a_reason(admin, person):
    hold = services.legal_hold_place(participant=person, reason="Klagesak", by=admin)

    response = client_for(admin).post(lift_url(hold), {"reason": " "})

    assert response.status_code == 400
    assert f'id="id_lift{hold.pk}_reason"' in response.content.decode()
    hold.refresh_from_db()
    assert hold.lifted_at is None


@pytest.mark.parametrize("role", ["counselor", "leader", "coordinator", "mentor", "outsider"])
def test_anyone_but_an_administrator_gets_a_403(role, request, admin, person):
    hold = services.legal_hold_place(participant=person, reason="Klagesak", by=admin)
    client = client_for(request.getfixturevalue(role))

    assert client.post(PLACE, {"participant": person.pk, "reason": "x"}).status_code == 403
    assert client.post(lift_url(hold), {"reason": "x"}).status_code == 403
    assert LegalHold.objects.count() == 1
    assert LegalHold.objects.get().lifted_at is None


def test_another_organisations_administrator_gets_a_404_for_the_hold(admin, person, other_org):
    hold = services.legal_hold_place(participant=person, reason="Klagesak", by=admin)
    other_admin = make_staff(other_org, "admin@other.example", Membership.Role.ADMIN)

    response = client_for(other_admin).post(lift_url(hold), {"reason": "x"})

    assert response.status_code == 404
    assert "Klagesak" not in client_for(other_admin).get(PAGE).content.decode()
    hold.refresh_from_db()
    assert hold.lifted_at is None


def test_a_get_is_refused(admin):
    assert client_for(admin).get(PLACE).status_code == 405
