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
