"""Every page of the participant's own, every role: only the participant's own login gets in
(others 403, anonymous to the sign-in page); someone else's activity or consent is a 404. The
dialog tab of a record is for staff who may read the record."""

import datetime

import pytest
from django.urls import reverse

from samspill.core.testing import client_for
from samspill.participants import services as participant_services
from samspill.plans import services as plan_services

OTHERS = ["counselor", "leader", "admin", "outsider", "mentor", "employer_user"]


@pytest.fixture
def users(me, them, counselor, leader, admin, outsider, mentor, employer_user):
    return {
        "me": me,
        "them": them.portal_user,
        "counselor": counselor,
        "leader": leader,
        "admin": admin,
        "outsider": outsider,
        "mentor": mentor,
        "employer_user": employer_user,
    }


@pytest.fixture
def mine(participant, counselor):
    activity = plan_services.activity_add(
        participant=participant,
        by=counselor,
        kind="other",
        title="Mitt",
        due_date=datetime.date(2026, 12, 1),
    )
    consent = participant_services.consent_give(
        participant=participant, by=counselor, recipient="nav", information="plan"
    )
    return activity, consent


PAGES = [
    "selfservice:my_plan",
    "selfservice:my_dialog",
    "selfservice:my_consents",
    "selfservice:my_access_log",
    "selfservice:my_profile",
    "selfservice:my_cv_pdf",
    "selfservice:my_schedule",
    "selfservice:my_documents",
    "selfservice:my_feedback",
]
# Writes of the participant's own: refused to everyone else (test below and each view's tests).
OWN_WRITES = {
    "my_activity_done",
    "my_activity_comment",
    "my_activity_propose",
    "my_consent_withdraw",
    "my_strengths",
    "my_cv",
}
# Staff pages, each with its role tests: the dialog tab here, the settings in
# test_access_log.py, the feedback summary in test_feedback.py.
STAFF = {"participant_dialog", "settings", "feedback_summary"}


def test_the_matrix_covers_every_url():
    from samspill.selfservice import urls

    names = {p.name for p in urls.urlpatterns}
    assert names == {name.split(":")[1] for name in PAGES} | OWN_WRITES | STAFF


@pytest.mark.parametrize("name", PAGES)
def test_own_pages_are_for_the_participants_own_login(name, users):
    url = reverse(name)
    assert client_for(None).get(url).status_code == 302
    assert client_for(users["me"]).get(url).status_code == 200
    for role in OTHERS:
        assert client_for(users[role]).get(url).status_code == 403, role


def test_writes_to_my_things_are_mine_alone(users, mine):
    activity, consent = mine
    posts = [
        (reverse("selfservice:my_activity_done", kwargs={"pk": activity.pk}), {"revision": 1}),
        (reverse("selfservice:my_activity_comment", kwargs={"pk": activity.pk}), {"text": "x"}),
        (reverse("selfservice:my_consent_withdraw", kwargs={"pk": consent.pk}), {}),
        (
            reverse("selfservice:my_activity_propose"),
            {"title": "x", "kind": "other", "due_date": "2099-01-01"},
        ),
        (reverse("selfservice:my_dialog"), {"text": "x"}),
        (reverse("selfservice:my_strengths"), {"dreams": "x", "revision": 1}),
        (reverse("selfservice:my_cv"), {"summary": "x", "revision": 1}),
        (reverse("selfservice:my_feedback"), {"listened": 5, "reachable": 5, "helps": 5}),
    ]
    for url, data in posts:
        assert client_for(None).post(url, data).status_code == 302
        for role in OTHERS:
            assert client_for(users[role]).post(url, data).status_code == 403, (role, url)
    # Another participant's login: their own pages, but never my activity or consent.
    for url, data in posts[:3]:
        assert client_for(users["them"]).post(url, data).status_code == 404, url
    activity.refresh_from_db()
    consent.refresh_from_db()
    assert (activity.status, consent.withdrawn_at) == ("planned", None)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("counselor", 200),
        ("leader", 200),
        ("admin", 403),
        ("outsider", 404),
        ("mentor", 403),
        ("employer_user", 403),
        ("me", 403),
        ("them", 403),
    ],
)
def test_the_dialog_tab_is_for_staff_who_may_read_the_record(role, expected, users, participant):
    url = reverse("selfservice:participant_dialog", kwargs={"pk": participant.pk})
    assert client_for(users[role]).get(url).status_code == expected
    assert client_for(users[role]).post(url, {"text": "x"}).status_code in {expected, 302}
