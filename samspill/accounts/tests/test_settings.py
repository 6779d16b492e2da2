import pytest
from django.urls import reverse

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for


def test_it_asks_anonymous_visitors_to_log_in(db):
    response = client_for(None).get(reverse("account_settings"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["counselor", "leader", "admin", "outsider"])
def test_everyone_logged_in_sees_their_own_settings(request, who):
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse("account_settings"))
    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_a_counselor_turns_email_reminders_on_and_off(counselor):
    client = client_for(counselor)
    assert client.post(reverse("account_settings"), {"email_reminders": "on"}).status_code == 302
    counselor.refresh_from_db()
    assert counselor.email_reminders is True
    client.post(reverse("account_settings"), {})
    counselor.refresh_from_db()
    assert counselor.email_reminders is False
    assert AuditEvent.objects.filter(action="user.reminders_changed").count() == 2


def test_a_counselor_gives_a_work_phone_that_their_participant_then_sees(
    counselor, participant, settings
):
    from samspill.selfservice.tests.conftest import own_login

    client = client_for(counselor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Work phone" in client.get(reverse("account_settings")).content.decode()
    response = client.post(reverse("account_settings"), {"phone": "+47 412 34 567"})
    assert response.status_code == 302
    counselor.refresh_from_db()
    assert counselor.phone == "+47 412 34 567"
    assert AuditEvent.objects.filter(action="user.phone_changed").count() == 1

    me = own_login(participant, counselor, "kari@example.org")
    page = client_for(me).get(reverse("portal:home")).content.decode()
    assert 'href="tel:+47 412 34 567"' in page


def test_a_phone_that_is_not_a_number_is_refused_and_changes_nothing(counselor, settings):
    client = client_for(counselor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("account_settings"), {"phone": "912 34 567", "email_reminders": "on"})
    response = client.post(reverse("account_settings"), {"phone": "ring meg"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the following" in page
    assert "A phone number may only contain digits" in page
    counselor.refresh_from_db()
    assert counselor.phone == "912 34 567"
    assert counselor.email_reminders is True  # nothing of the refused form was saved


def test_an_employer_portal_user_is_not_asked_for_a_work_phone(mentor, settings):
    client = client_for(mentor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("account_settings")).content.decode()
    assert "Work phone" not in page
    assert client.post(reverse("account_settings"), {"phone": "abc"}).status_code == 302
    mentor.refresh_from_db()
    assert mentor.phone == ""
