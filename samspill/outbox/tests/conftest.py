import pytest

from samspill.outbox.testing import Relay


@pytest.fixture
def relay(settings):
    settings.EMAIL_BACKEND = "samspill.outbox.testing.Relay"
    Relay.down = Relay.die_after_accepting = False
    yield Relay
    Relay.down = Relay.die_after_accepting = False
