"""The learning API for programmes, sessions, attendance, reflections and sparring: the same
doors as the pages (404 for what one may not see, 403 for what one may not do), stale writes
409, and a read of another person's reflection logged."""

import pytest

from samspill.learning.models import Reflection, SparringCase, StaffRecordRead

from .conftest import reflection_data

pytestmark = pytest.mark.django_db

API = "/api/v1/learning"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def test_programmes_and_sessions_follow_the_doors(
    client, counselor, admin, outsider, programme, held, coming
):
    client.force_login(counselor)
    assert [p["id"] for p in client.get(f"{API}/programmes").json()] == [programme.pk]
    sessions = client.get(f"{API}/sessions").json()
    assert [s["id"] for s in sessions] == [held.pk, coming.pk]
    assert client.get(f"{API}/sessions/{held.pk}").json()["place"] == "Møterom Fjord"
    for user in (admin, outsider):  # not enrolled; another organisation
        client.force_login(user)
        assert client.get(f"{API}/programmes").json() == []
        assert client.get(f"{API}/sessions/{held.pk}").status_code == 404


def test_the_facilitator_records_attendance_and_an_attendee_may_not(
    client, facilitator, counselor, held, outsider
):
    url = f"{API}/sessions/{held.pk}/attendance"
    client.force_login(counselor)
    assert put(client, url, {"present": [counselor.pk]}).status_code == 403
    client.force_login(outsider)
    assert put(client, url, {"present": [counselor.pk]}).status_code == 404
    client.force_login(facilitator)
    response = put(client, url, {"present": [counselor.pk]})
    assert response.status_code == 200 and response.json() == {"present": 1}
    assert held.attendance.get(user=counselor).present


def test_reflections_are_written_changed_with_a_revision_and_shared_reads_logged(
    client, counselor, colleague, facilitator, leader, attended
):
    url = f"{API}/sessions/{attended.pk}/reflection"
    client.force_login(colleague)  # not recorded as present
    assert post(client, url, reflection_data()).status_code == 422
    client.force_login(counselor)
    written = post(client, url, reflection_data(shared_with_facilitator=True))
    assert written.status_code == 200
    revision = written.json()["revision"]
    changed = post(
        client,
        url,
        {**reflection_data(learned="Mer", shared_with_facilitator=True), "revision": revision},
    )
    assert changed.status_code == 200
    stale = post(client, url, {**reflection_data(learned="Gammel"), "revision": revision})
    assert stale.status_code == 409
    assert Reflection.objects.get().learned == "Mer"
    assert [r["learned"] for r in client.get(f"{API}/reflections").json()] == ["Mer"]
    client.force_login(leader)  # not shared with the leader
    assert client.get(f"{API}/reflections", {"shared": "true"}).json() == []
    client.force_login(facilitator)
    shared = client.get(f"{API}/reflections", {"shared": "true"}).json()
    assert [r["author"] for r in shared] == [counselor.full_name]
    assert StaffRecordRead.objects.filter(
        reader=facilitator, subject=counselor, what="api:learning:reflections"
    ).exists()


def test_sparring_is_asked_listed_and_answered_by_whom_it_was_asked(
    client, counselor, colleague, coordinator, outsider
):
    client.force_login(counselor)
    asked = post(
        client,
        f"{API}/sparring",
        {"audience": "colleague", "situation": "Troen falt", "asked_id": colleague.pk},
    )
    assert asked.status_code == 201
    case_id = asked.json()["id"]
    assert asked.json()["reference"].startswith("S-")
    stranger = post(
        client,
        f"{API}/sparring",
        {"audience": "colleague", "situation": "x", "asked_id": outsider.pk},
    )
    assert stranger.status_code == 422
    assert [c["id"] for c in client.get(f"{API}/sparring").json()] == [case_id]
    url = f"{API}/sparring/{case_id}/answers"
    for user in (coordinator, outsider):  # not asked; another organisation
        client.force_login(user)
        assert post(client, url, {"text": "Prøv igjen"}).status_code == 404
    client.force_login(colleague)
    answered = post(client, url, {"text": "Prøv igjen"})
    assert answered.status_code == 201
    assert answered.json()["status"] == SparringCase.Status.ANSWERED
    assert answered.json()["answers"] == 1


def test_portal_users_get_403(client, mentor):
    client.force_login(mentor)
    for url in ("programmes", "sessions", "reflections", "sparring"):
        assert client.get(f"{API}/{url}").status_code == 403
