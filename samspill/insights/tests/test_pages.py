"""The insights page and API: leaders and administrators only; a run is computed in the
background and cached."""

import pytest
from django.urls import reverse

from samspill.core.testing import client_for
from samspill.insights.models import Analysis
from samspill.insights.tasks import run_analysis

ROLES = {
    "anonymous": 302,
    "counselor": 403,
    "leader": 200,
    "admin": 200,
    "outsider": 403,
    "mentor": 403,
}


@pytest.fixture
def users(counselor, leader, admin, outsider, mentor):
    return {
        "anonymous": None,
        "counselor": counselor,
        "leader": leader,
        "admin": admin,
        "outsider": outsider,
        "mentor": mentor,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_leaders_and_admins_see_the_effects(users, role):
    client = client_for(users[role])
    assert client.get(reverse("insights:effects")).status_code == ROLES[role]
    run = client.post(reverse("insights:effects_run"))
    assert run.status_code == (302 if ROLES[role] in (200, 302) else 403)
    assert Analysis.objects.exists() == (ROLES[role] == 200)
    api = client.get("/api/v1/insights/effects")
    assert api.status_code == {302: 401, 200: 200, 403: 403}[ROLES[role]]


def test_a_run_is_computed_in_the_background_and_shown(
    leader, participant, django_capture_on_commit_callbacks
):
    client = client_for(leader)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("insights:effects_run"))
    analysis = Analysis.objects.get()
    assert analysis.status == Analysis.Status.PENDING
    page = client.get(reverse("insights:effects"))
    assert page.context["pending"]
    assert run_analysis.call(analysis.pk) == Analysis.Status.REFUSED  # one participant
    page = client.get(reverse("insights:effects"))
    assert not page.context["pending"]
    reason = page.context["analysis"].reason
    assert reason and reason[:20] in page.content.decode()
    body = client.get("/api/v1/insights/effects").json()
    assert body["status"] == "refused" and body["reason"]
