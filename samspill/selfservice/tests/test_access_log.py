from django.urls import reverse
from django.utils.translation import gettext as _

from samspill.core.testing import client_for
from samspill.organisations.models import Membership
from samspill.selfservice import services

MINE = reverse("selfservice:my_access_log")


def read_by(user, participant):
    client_for(user).get(reverse("participants:detail", kwargs={"pk": participant.pk}))


def test_reads_are_told_in_plain_words(me, participant, counselor, leader):
    read_by(counselor, participant)
    read_by(leader, participant)
    client_for(me).get(reverse("selfservice:my_plan"))  # their own reads are left out
    page = client_for(me).get(MINE)
    reads = page.context["reads"]
    leader_role, counselor_role = Membership.Role.LEADER.label, Membership.Role.COUNSELOR.label
    assert [(r.name, str(r.role), r.organisation, str(r.why)) for r in reads] == [
        ("Leader", leader_role, "Inkludering AS", _("Leads the follow-up service")),
        ("Counselor", counselor_role, "Inkludering AS", _("Is your counselor")),
    ]


def test_the_organisation_may_hide_staff_names_but_never_the_read(
    me, participant, counselor, admin, org
):
    read_by(counselor, participant)
    response = client_for(admin).post(
        reverse("selfservice:settings"), {"hide_staff_names": "on", "revision": 1}
    )
    assert response.status_code == 302
    [read] = client_for(me).get(MINE).context["reads"]
    role = Membership.Role.COUNSELOR.label
    assert (read.name, str(read.role), read.organisation) == ("", role, "Inkludering AS")


def test_a_stale_setting_is_refused(admin, leader, org):
    services.portal_settings_set(organisation_id=org.pk, by=admin, hide_staff_names=True)
    response = client_for(admin).post(reverse("selfservice:settings"), {"revision": 1})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_the_setting_is_for_administrators(counselor, leader, mentor, me):
    for user in (counselor, leader, mentor, me):
        assert client_for(user).get(reverse("selfservice:settings")).status_code == 403


def test_the_access_log_page_runs_a_fixed_number_of_queries(
    me, participant, counselor, leader, mentor, django_assert_num_queries
):
    for _round in range(3):
        read_by(counselor, participant)
        read_by(leader, participant)
    client = client_for(me)
    # Session, user, participant, access log row, the reads, memberships, employer contacts,
    # the organisation's setting, workplaces, unread count; the layout's three.
    with django_assert_num_queries(13):
        assert client.get(MINE).status_code == 200
