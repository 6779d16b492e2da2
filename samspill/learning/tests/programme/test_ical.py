"""iCal of sessions, read back with the icalendar library: one session's file, and a person's
own feed at a secret address that can be stopped."""

import icalendar
import pytest
from django.urls import reverse

from samspill.learning import programme_services as services
from samspill.learning.models import SessionCalendar
from samspill.organisations.services import membership_deactivate

pytestmark = pytest.mark.django_db


def events(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_a_sessions_ics_file_reads_back_with_its_time_place_and_facilitator(
    client, counselor, held
):
    client.force_login(counselor)
    response = client.get(reverse("learning:session_ics", args=[held.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = events(response.content)
    assert str(event["summary"]) == "Felles faglig plattform: Når troen faller"
    assert event.decoded("dtstart") == held.starts_at
    assert event.decoded("dtend") == held.ends_at
    assert event.decoded("dtstart").tzinfo is not None
    assert str(event["location"]) == "Møterom Fjord"
    assert held.facilitator.full_name in str(event["description"])
    assert reverse("learning:session", args=[held.pk]) in str(event["description"])
    assert str(event["uid"]) == f"learning-session-{held.pk}@samspill.learning"


def test_my_feed_holds_my_sessions_without_a_login_and_stops_when_revoked(
    client, counselor, held, coming
):
    client.force_login(counselor)
    client.post(reverse("learning:session_calendar"))
    calendar = SessionCalendar.objects.get(owner=counselor)
    url = reverse("learning:session_feed", args=[calendar.token])
    assert url in client.get(reverse("learning:programmes")).content.decode()
    client.logout()
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    found = {str(e["uid"]): e for e in events(response.content)}
    assert set(found) == {
        f"learning-session-{held.pk}@samspill.learning",
        f"learning-session-{coming.pk}@samspill.learning",
    }
    video = found[f"learning-session-{coming.pk}@samspill.learning"]
    assert str(video["location"]) == "https://video.example.org/trepart"
    client.force_login(counselor)
    client.post(reverse("learning:session_calendar"), {"action": "revoke"})
    client.logout()
    assert client.get(url).status_code == 404


def test_a_new_address_replaces_the_old_one(client, counselor, held):
    client.force_login(counselor)
    client.post(reverse("learning:session_calendar"))
    old = SessionCalendar.objects.get()
    client.post(reverse("learning:session_calendar"))
    assert client.get(reverse("learning:session_feed", args=[old.token])).status_code == 404
    new = SessionCalendar.objects.get(revoked_at__isnull=True)
    assert client.get(reverse("learning:session_feed", args=[new.token])).status_code == 200


def test_the_feed_of_someone_who_left_the_organisation_is_gone(client, counselor, admin, held):
    calendar = services.session_calendar_create(by=counselor)
    membership_deactivate(membership=counselor.memberships.get(), by=admin)
    assert client.get(reverse("learning:session_feed", args=[calendar.token])).status_code == 404


def test_an_unknown_address_is_404(client):
    assert client.get(reverse("learning:session_feed", args=["nope"])).status_code == 404


def test_a_feed_of_nobodys_sessions_is_an_empty_calendar(client, admin):
    calendar = services.session_calendar_create(by=admin)
    response = client.get(reverse("learning:session_feed", args=[calendar.token]))
    assert events(response.content) == []
