"""The placements pages' permission matrix: every URL, every role.

A placement is read through the participant door: the counselor and the leader may; a
colleague in another team or another organisation gets 404; an administrator, a mentor and a
participant (portal users) get 403 on staff pages. A refused write changes nothing.
"""

import datetime
from typing import Any

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.testing import PASSWORD, client_for
from samspill.placements import followups as placement_followups
from samspill.placements import urls as placement_urls
from samspill.placements.tests import cast

ROLES = [
    "anonymous",
    "counselor",
    "colleague",
    "other_team_counselor",
    "leader",
    "admin",
    "outsider",
    "mentor",
    "participant_user",
]
ALLOWED = {"counselor", "leader"}
TODAY = timezone.localdate()


@pytest.fixture
def world(
    participant,
    employer,
    counselor,
    colleague,
    other_team_counselor,
    leader,
    admin,
    outsider,
    mentor_contact,
    mentor,
    employer_user,
) -> dict[str, Any]:
    from samspill.core.testing import make_participant

    running = cast.draft(
        participant, employer, counselor, mentor_contact, start=TODAY - datetime.timedelta(days=30)
    )
    running = cast.approve_all(running, counselor, employer_user)
    running = cast.with_certificate(running, counselor, employer_user)
    second = make_participant(participant.organisation, counselor, given_name="Siri")
    draft = cast.draft(second, employer, counselor, mentor_contact)
    participant_account = User.objects.create_user(
        email="kari@example.org", password=PASSWORD, full_name="Kari"
    )
    participant.portal_user = participant_account
    participant.save(update_fields=["portal_user"])
    concern = placement_followups.concern_raise(placement=running, by=mentor, text="Late")
    return {
        "running": running,
        "draft": draft,
        "concern": concern,
        "users": {
            "anonymous": None,
            "counselor": counselor,
            "colleague": colleague,
            "other_team_counselor": other_team_counselor,
            "leader": leader,
            "admin": admin,
            "outsider": outsider,
            "mentor": mentor,
            "participant_user": participant_account,
        },
    }


def page(role: str) -> int:
    if role == "anonymous":
        return 302
    if role in ALLOWED:
        return 200
    if role in {"admin", "mentor", "participant_user"}:
        return 403
    return 404


def write(role: str) -> int:
    return 302 if role in ALLOWED else page(role)


def staff_page(role: str) -> int:
    """The measures catalogue: any member of staff reads their own organisation's."""
    return {"anonymous": 302, "mentor": 403, "participant_user": 403}.get(role, 200)


def admin_only(ok: int) -> Any:
    return lambda role: 302 if role == "anonymous" else ok if role == "admin" else 403


MEASURE_TEXT = {
    "name": "Lønnstilskudd",
    "what": "Vi dekker en del av lønnen.",
    "who": "De som trenger det.",
    "employer_gets": "Refusjon.",
    "how_long": "Ett år.",
    "revision": "",
}


def running(w: dict[str, Any]) -> dict[str, int]:
    return {"pk": w["running"].pk}


def draft(w: dict[str, Any]) -> dict[str, int]:
    return {"pk": w["draft"].pk}


CASES: list[tuple[str, str, Any, Any, Any]] = [
    # (url name, method, kwargs, data, expected status by role)
    ("placements:detail", "get", running, None, page),
    ("placements:mentor", "get", running, None, page),
    ("placements:step", "get", lambda w: {**draft(w), "step": "job"}, None, page),
    (
        "placements:step",
        "post",
        lambda w: {**draft(w), "step": "job"},
        lambda w: {
            "revision": w["draft"].revision,
            "title": "Baker",
            "tasks": "Steke",
            "hours_per_week": "20",
        },
        write,
    ),
    ("placements:meeting", "get", running, None, page),
    (
        "placements:send",
        "post",
        draft,
        lambda w: {"revision": w["draft"].revision},
        write,
    ),
    (
        "placements:meeting",
        "post",
        draft,
        lambda w: {"held_on": str(TODAY), "participant_present": "on", "notes": "Godt møte"},
        write,
    ),
    (
        "placements:approve",
        "post",
        draft,
        lambda w: {
            "revision": w["draft"].revision,
            "party": "participant",
            "on_behalf_reason": "Approved by phone",
        },
        write,
    ),
    ("placements:change", "get", running, None, page),
    (
        "placements:change",
        "post",
        running,
        lambda w: {
            "revision": w["running"].revision,
            "title": w["running"].title,
            "tasks": w["running"].tasks,
            "hours_per_week": "30",
            "employer_expects": "Møter presis",
            "participant_expects": "Opplæring",
            "we_offer": "Oppfølging",
            "if_something_happens": "Ring",
            "call_whom": "Veilederen",
            "end_date": str(w["running"].end_date - datetime.timedelta(days=30)),
            "reason": "Shorter, by agreement",
        },
        write,
    ),
    ("placements:compare", "get", running, None, page),
    ("placements:agreement_pdf", "get", running, None, page),
    ("placements:cancel", "get", running, None, page),
    ("placements:cancel", "post", draft, lambda w: {"reason": "ill"}, write),
    ("placements:end", "get", running, None, page),
    (
        "placements:end",
        "post",
        running,
        lambda w: {"ended_on": str(TODAY), "outcome": "not_ready"},
        write,
    ),
    ("placements:next", "get", running, None, page),
    ("placements:follow_up", "get", running, None, page),
    (
        "placements:follow_up",
        "post",
        running,
        lambda w: {"held_on": str(TODAY), "going": "well", "counselor_present": "on"},
        write,
    ),
    ("placements:evaluation", "get", lambda w: {**running(w), "kind": "midway"}, None, page),
    (
        "placements:evaluation",
        "post",
        lambda w: {**running(w), "kind": "midway"},
        lambda w: {
            "held_on": str(TODAY),
            "tasks_mastered": "Steking",
            "attendance": "good",
            "cooperation": "good",
        },
        write,
    ),
    # The certificate is issued: its form leads back to the placement and its PDF.
    ("placements:certificate", "get", running, None, write),
    ("placements:certificate_pdf", "get", running, None, page),
    ("placements:measures", "get", lambda w: {}, None, staff_page),
    ("placements:measure_edit", "get", lambda w: {"key": "wage_subsidy"}, None, admin_only(200)),
    (
        "placements:measure_edit",
        "post",
        lambda w: {"key": "wage_subsidy"},
        lambda w: MEASURE_TEXT,
        admin_only(302),
    ),
    (
        "placements:concern_handle",
        "post",
        lambda w: {"pk": w["concern"].pk},
        lambda w: {},
        lambda r: 403 if r == "participant_user" else write(r),
    ),
]


def test_every_url_has_a_case():
    names = {
        f"placements:{p.name}" for p in placement_urls.urlpatterns if isinstance(p, URLPattern)
    }
    assert names == {case[0] for case in CASES}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[1]}-{c[0]}")
def test_the_matrix(world, case, role):
    name, method, kwargs, data, expected = case
    client = client_for(world["users"][role])
    url = reverse(name, kwargs=kwargs(world))
    before = AuditEvent.objects.count()
    response = client.get(url) if method == "get" else client.post(url, data(world))
    assert response.status_code == expected(role), getattr(response, "context", None) and [
        f.errors for f in [response.context.get("form")] if f
    ]
    if method == "post":
        assert (AuditEvent.objects.count() > before) == (
            response.status_code == 302 and role != "anonymous"
        )
