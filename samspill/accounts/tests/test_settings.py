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


def test_a_counselor_gives_a_work_phone_the_participants_then_see(counselor, participant):
    from samspill.selfservice.tests.conftest import own_login

    me = own_login(participant, counselor, "kari@example.org")
    client = client_for(counselor)

    response = client.post(reverse("account_settings"), {"phone": " +47 400 00 001 "})

    assert response.status_code == 302
    counselor.refresh_from_db()
    assert counselor.phone == "+47 400 00 001"
    event = AuditEvent.objects.get(action="user.phone_changed")
    assert (event.actor, event.data) == (counselor, {})
    page = client_for(me).get(reverse("selfservice:my_dialog")).content.decode()
    assert 'href="tel:+47 400 00 001"' in page


@pytest.mark.parametrize("phone", ["abc", "12", "1" * 41])
def test_a_phone_that_is_not_one_is_refused_and_nothing_changes(counselor, phone):
    response = client_for(counselor).post(
        reverse("account_settings"), {"phone": phone, "email_reminders": "on"}
    )

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    counselor.refresh_from_db()
    assert (counselor.phone, counselor.email_reminders) == ("", False)
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()


def test_a_participant_has_no_work_phone_to_give(counselor, participant):
    from samspill.selfservice.tests.conftest import own_login

    me = own_login(participant, counselor, "kari@example.org")

    page = client_for(me).get(reverse("account_settings")).content.decode()
    client_for(me).post(reverse("account_settings"), {"phone": "+47 400 00 009"})

    assert 'name="phone"' not in page
    me.refresh_from_db()
    assert me.phone == ""
