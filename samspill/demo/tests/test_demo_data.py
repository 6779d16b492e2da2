"""`make run` loads the demo data: it must load, twice (the second time changes nothing), and
show every part of the product."""

from django.core.management import call_command

from samspill.accounts.models import User
from samspill.core.admin_site import is_platform_operator
from samspill.loops.models import LoopPlacement
from samspill.participants.models import Participant
from samspill.placements.models import Certificate, Placement, Status


def test_the_demo_data_loads_once_and_shows_every_part(db, capsys):
    call_command("demo_data")
    counts = (Participant.objects.count(), Placement.objects.count(), User.objects.count())
    call_command("demo_data")
    assert (Participant.objects.count(), Placement.objects.count(), User.objects.count()) == counts
    statuses = {placement.status for placement in Placement.objects.all()}
    assert {Status.RUNNING, Status.AWAITING_APPROVAL, Status.ENDED} <= statuses
    assert Certificate.objects.filter(issued_at__isnull=False).exists()
    assert LoopPlacement.objects.count() == 9
    assert "deltaker@demo.samspill.no" in capsys.readouterr().out


def test_the_demo_administrator_is_no_superuser_and_an_operator_has_the_admin(db, capsys):
    call_command("demo_data")

    administrator = User.objects.get(email="admin@demo.samspill.no")
    operator = User.objects.get(email="operator@demo.samspill.no")
    assert (administrator.is_staff, administrator.is_superuser) == (False, False)
    assert is_platform_operator(operator)
    assert not operator.memberships.exists()
    assert "operator@demo.samspill.no" in capsys.readouterr().out
