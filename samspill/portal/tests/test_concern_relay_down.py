"""A mentor raises a concern while the SMTP relay is down: the concern is saved and the page
answers as usual; the notice waits in the outbox and reaches the counselor once the relay is
back (issue 19: it answered 500 and the notice was lost)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samspill.core.testing import client_for
from samspill.outbox.models import Message
from samspill.outbox.services import outbox_deliver_due
from samspill.outbox.testing import Relay
from samspill.placements.models import Concern


@pytest.fixture
def relay_down(settings):
    settings.EMAIL_BACKEND = "samspill.outbox.testing.Relay"
    Relay.down = True
    yield Relay
    Relay.down = False


def test_a_concern_raised_while_the_relay_is_down_is_saved_and_its_notice_sent_later(
    mentor, placement, counselor, relay_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(mentor).post(
            reverse("portal:concern", kwargs={"pk": placement.pk}),
            {"text": "Came late three days"},
        )
    assert response.status_code == 302
    assert Concern.objects.count() == 1
    message = Message.objects.get()
    assert message.status == Message.Status.PENDING and message.attempts == 1
    assert mail.outbox == []

    relay_down.down = False
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):  # after the pause
        assert outbox_deliver_due() == 1
        assert outbox_deliver_due() == 0
    assert [email.to for email in mail.outbox] == [[counselor.email]]
