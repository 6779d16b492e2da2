import pytest
from django.urls import reverse

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_employer


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


def test_a_coordinator_gives_the_phone_employers_call_him_on(org, coordinator):
    """The employer page's "one person to call" shows the contact person's phone: staff set it
    on their own settings page (there was nowhere to write it)."""
    employer = make_employer(org, coordinator, name="Verkstedet AS")
    client = client_for(coordinator)
    response = client.post(reverse("account_settings"), {"phone": "+47 912 34 567"})
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.phone == "+47 912 34 567"
    assert AuditEvent.objects.filter(action="user.phone_changed", actor=coordinator).count() == 1
    page = client.get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert 'href="tel:+47 912 34 567"' in page


def test_a_phone_that_is_not_a_number_is_refused_and_nothing_changes(counselor):
    response = client_for(counselor).post(
        reverse("account_settings"), {"phone": "ring meg", "email_reminders": "on"}
    )
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    counselor.refresh_from_db()
    assert counselor.phone == ""
    assert counselor.email_reminders is False
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()
