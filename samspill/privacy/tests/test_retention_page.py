"""/privacy/retention/: an organisation's administrators set how long data is kept."""

import pytest

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.privacy.models import RetentionRule

pytestmark = pytest.mark.django_db
URL = "/privacy/retention/"


def test_an_administrator_sees_every_category_in_a_fixed_number_of_queries(
    admin, django_assert_num_queries
):
    client = client_for(admin)
    client.get(URL)

    with django_assert_num_queries(5):  # the rules, the legal holds
        response = client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('name="months"') == 3
    assert 'id="id_access_log_months"' in content


def test_an_administrator_sets_and_changes_a_rule(admin, org):
    client = client_for(admin)

    response = client.post(URL, {"category": "access_log", "months": "36"})
    rule = RetentionRule.objects.get(organisation=org)
    assert response.status_code == 302
    client.post(URL, {"category": "access_log", "months": "24", "revision": rule.revision})

    rule.refresh_from_db()
    assert (rule.category, rule.months, rule.revision) == ("access_log", 24, 2)
    assert AuditEvent.objects.filter(action="privacy.retention_rule_set", actor=admin).count() == 2


def test_a_stale_form_changes_nothing(admin, org):
    client = client_for(admin)
    client.post(URL, {"category": "access_log", "months": "36"})
    client.post(URL, {"category": "access_log", "months": "24", "revision": 1})

    response = client.post(URL, {"category": "access_log", "months": "12", "revision": 1})

    assert response.status_code == 400
    assert RetentionRule.objects.get(organisation=org).months == 24


@pytest.mark.parametrize("months", ["0", "", "many"])
def test_bad_input_gets_a_clear_message_and_changes_nothing(admin, months):
    response = client_for(admin).post(
        URL, {"category": "case_records", "months": months}, headers={"accept-language": "en"}
    )

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not RetentionRule.objects.exists()


@pytest.mark.parametrize("role", ["counselor", "leader", "coordinator", "mentor", "outsider"])
def test_anyone_but_an_administrator_gets_a_403(role, request):
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"category": "access_log", "months": "1"}).status_code == 403
    assert not RetentionRule.objects.exists()


def test_another_organisations_administrator_sets_their_own_rules(other_org, org):
    from samspill.core.testing import make_staff
    from samspill.organisations.models import Membership

    other_admin = make_staff(other_org, "admin@other.example", Membership.Role.ADMIN)
    client_for(other_admin).post(URL, {"category": "access_log", "months": "6"})

    assert RetentionRule.objects.get().organisation == other_org
