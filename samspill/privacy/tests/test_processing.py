"""/privacy/processing/: the record of processing, for the organisation's administrators."""

import csv
import io

import pytest

from samspill.core.testing import client_for
from samspill.privacy.models import RetentionRule
from samspill.privacy.retention import retention_rule_set

pytestmark = pytest.mark.django_db
URL = "/privacy/processing/"


def test_an_administrator_reads_it_generated_from_the_configuration(
    admin, org, django_assert_num_queries
):
    retention_rule_set(
        organisation=org, category=RetentionRule.Category.CASE_RECORDS, months=120, by=admin
    )
    client = client_for(admin)
    client.get(URL)  # the session's first request also renews its expiry

    with django_assert_num_queries(4):
        response = client.get(URL, headers={"accept-language": "en"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Referral intake" in content
    assert "120 months" in content
    assert "needs and accommodations" in content  # the special category
    assert "no rule set" in content


def test_an_administrator_downloads_it_as_csv(admin):
    response = client_for(admin).get(URL, {"format": "csv"}, headers={"accept-language": "en"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][0] == "Purpose"
    assert len(rows) == 8  # the header and a row per purpose (learning, workshops too)
    assert any("follow-up periods" in row[2] for row in rows)


@pytest.mark.parametrize("role", ["counselor", "leader", "coordinator", "mentor"])
def test_anyone_but_an_administrator_gets_a_403(role, request):
    user = request.getfixturevalue(role)
    assert client_for(user).get(URL).status_code == 403
    assert client_for(user).get(URL, {"format": "csv"}).status_code == 403


def test_anonymous_is_sent_to_sign_in():
    assert client_for(None).get(URL).status_code == 302
