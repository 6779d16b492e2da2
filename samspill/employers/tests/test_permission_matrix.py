"""The employer pages' permission matrix: role x URL x expected status, for every URL.

Staff who work with participants (counselor, coordinator, leader) use their organisation's
employer base; an administrator gets 403; another organisation's employer is a 404; a refused
write changes nothing.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse
from django.utils import timezone

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for, make_employer, make_participant
from samspill.employers import services
from samspill.employers import urls as employer_urls

ROLES = ["anonymous", "counselor", "coordinator", "leader", "admin", "outsider"]
OK = {"counselor", "coordinator", "leader"}

TODAY = timezone.localdate()


@dataclass
class Case:
    name: str
    method: str
    kwargs: Callable[[Any], dict[str, int]]
    data: Callable[[Any], dict[str, Any]] | None = None
    # Status for an allowed user: 200 for a page, 302 for a write that redirects.
    ok_status: int = 200
    # The outsider's status: 404 for another organisation's record, 200 for their own list.
    outsider_status: int = 404


def _ids(world: Any) -> dict[str, int]:
    return {"pk": world["employer"].pk}


CASES = [
    Case("list", "get", lambda w: {}, outsider_status=200),
    Case("board", "get", lambda w: {}, outsider_status=200),
    Case("create", "get", lambda w: {}, outsider_status=200),
    Case("detail", "get", _ids),
    Case("edit", "get", _ids),
    Case(
        "edit",
        "post",
        _ids,
        lambda w: {
            "name": "Renamed AS",
            "org_number": w["employer"].org_number,
            "revision": w["employer"].revision,
        },
        302,
    ),
    Case(
        "stage",
        "post",
        _ids,
        lambda w: {
            "stage": "first_meeting",
            "next_step": "Call",
            "next_step_on": "2026-12-01",
            "revision": w["employer"].revision,
        },
        302,
    ),
    Case(
        "outreach_add",
        "post",
        _ids,
        lambda w: {"kind": "call", "occurred_on": "2026-11-01", "summary": "Hello"},
        302,
    ),
    Case("need_add", "post", _ids, lambda w: {"role": "Baker", "positions": "1"}, 302),
    Case(
        "need_toggle",
        "post",
        lambda w: {"pk": w["employer"].pk, "need_pk": w["need"].pk},
        lambda w: {},
        302,
    ),
    Case(
        "agreement_add",
        "post",
        _ids,
        lambda w: {
            "status": "draft",
            "work_training_places": "1",
            "summer_jobs": "0",
            "apprenticeships": "0",
            "hires": "0",
        },
        302,
    ),
    Case(
        "agreement_edit",
        "get",
        lambda w: {"pk": w["employer"].pk, "agreement_pk": w["agreement"].pk},
    ),
    Case(
        "agreement_document",
        "get",
        lambda w: {"pk": w["employer"].pk, "agreement_pk": w["agreement"].pk},
    ),
    Case(
        "contact_add",
        "post",
        _ids,
        lambda w: {"name": "Per", "email": "per@example.org"},
        302,
    ),
    Case("contact", "get", lambda w: {"pk": w["employer"].pk, "contact_pk": w["mentor"].pk}),
    Case(
        "mentor_support_add",
        "post",
        lambda w: {"pk": w["employer"].pk, "contact_pk": w["mentor"].pk},
        lambda w: {
            "contact_on": "2026-11-01",
            "channel": "phone",
            "topic": "Going fine",
            "going": "well",
        },
        302,
    ),
    Case("contact_person", "get", _ids),
    Case(
        "placement_add",
        "post",
        _ids,
        lambda w: {
            # Each allowed role places a participant they follow themselves.
            "participant": w["own_participant"],
            "kind": "work_training",
            "title": "Lager",
            "start_date": str(TODAY),
            "end_date": str(TODAY + datetime.timedelta(days=180)),
        },
        302,
    ),
]


@pytest.fixture
def world(employer, counselor, coordinator, leader, admin, outsider) -> dict[str, Any]:
    need = services.need_add(employer=employer, by=counselor, role="Cook")
    agreement = services.agreement_create(
        employer=employer,
        by=counselor,
        status="signed",
        signed_on=datetime.date(2026, 1, 10),
        document=SimpleUploadedFile("s.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    mentor = services.contact_add(
        employer=employer, by=counselor, name="Mona", phone="99999999", is_mentor=True
    )
    return {
        "employer": employer,
        "need": need,
        "agreement": agreement,
        "mentor": mentor,
        "users": {
            "anonymous": None,
            "counselor": counselor,
            "coordinator": coordinator,
            "leader": leader,
            "admin": admin,
            "outsider": outsider,
        },
    }


def expected(case: Case, role: str) -> int:
    if role == "anonymous":
        return 302
    if role in OK:
        return case.ok_status
    if role == "admin":
        return 403
    return case.outsider_status


def test_every_url_has_a_case():
    names = {p.name for p in employer_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {case.name for case in CASES}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method}-{c.name}")
def test_the_matrix(world, case, role):
    user = world["users"][role]
    client = client_for(user)
    url = reverse(f"employers:{case.name}", kwargs=case.kwargs(world))
    follower = world["users"]["counselor"] if role not in OK else user
    world["own_participant"] = make_participant(
        world["employer"].organisation, follower, given_name=f"P{role}"
    ).pk
    writes_before = AuditEvent.objects.count()
    if case.method == "get":
        response = client.get(url)
    else:
        response = client.post(url, case.data(world) if case.data else {})
    assert response.status_code == expected(case, role), response.content[:500]
    if case.method == "post":
        changed = AuditEvent.objects.count() > writes_before
        assert changed == (role in OK)
    if role == "anonymous":
        assert response["Location"].startswith("/login/")


# Coordinator meetings and employer events (urls_coordination): the same staff as the employer
# base; another organisation's series, meeting, action or event is a 404.


def _coordination_world(world: Any) -> dict[str, Any]:
    from samspill.employers import services_coordination as coord

    users = world["users"]
    members = [users[r].pk for r in ("counselor", "coordinator", "leader")]
    start = TODAY - datetime.timedelta(days=TODAY.weekday() + 7)
    series = coord.series_create(
        organisation=world["employer"].organisation,
        by=users["coordinator"],
        member_ids=members,
        title="Koordinatormøte",
        weekday=0,
        interval_weeks=1,
        starts_on=start,
        start_time=datetime.time(9, 0),
        duration_minutes=60,
    )
    meeting = coord.meeting_create(series=series, by=users["coordinator"], held_on=start)
    action = coord.action_add(
        meeting=meeting, by=users["coordinator"], what="Ring", responsible=users["counselor"]
    )
    event = coord.event_create(
        organisation=world["employer"].organisation,
        by=users["coordinator"],
        title="Frokost",
        held_on=TODAY - datetime.timedelta(days=1),
    )
    (invitation,) = coord.event_invite(
        event=event, by=users["coordinator"], employer_ids=[world["employer"].pk]
    )
    other = make_employer(world["employer"].organisation, users["counselor"], name="Ny AS")
    return {
        "series": series,
        "meeting": meeting,
        "action": action,
        "event": event,
        "invitation": invitation,
        "other_employer": other,
    }


def _s(w: Any) -> dict[str, int]:
    return {"pk": w["series"].pk}


def _m(w: Any) -> dict[str, int]:
    return {"pk": w["series"].pk, "meeting_pk": w["meeting"].pk}


def _e(w: Any) -> dict[str, int]:
    return {"pk": w["event"].pk}


COORDINATION_CASES = [
    Case("series_list", "get", lambda w: {}, outsider_status=200),
    Case("series_create", "get", lambda w: {}, outsider_status=200),
    Case(
        "series_create",
        "post",
        lambda w: {},
        lambda w: {
            "title": "Nytt møte",
            "weekday": "0",
            "interval_weeks": "2",
            "starts_on": str(w["series"].starts_on),
            "start_time": "10:00",
            "duration_minutes": "45",
            "is_active": "on",
            "members": [w["users"]["counselor"].pk],
        },
        302,
        # The outsider's own organisation: their colleague is no member choice there (400).
        outsider_status=400,
    ),
    Case("series", "get", _s),
    Case("series_edit", "get", _s),
    Case(
        "series_edit",
        "post",
        _s,
        lambda w: {
            "title": "Omdøpt",
            "weekday": "0",
            "interval_weeks": "1",
            "starts_on": str(w["series"].starts_on),
            "start_time": "09:00",
            "duration_minutes": "60",
            "is_active": "on",
            "members": [w["users"]["counselor"].pk],
            "revision": w["series"].revision,
        },
        302,
    ),
    Case("series_calendar", "get", _s),
    Case(
        "meeting_add",
        "post",
        _s,
        lambda w: {"held_on": str(w["series"].starts_on + datetime.timedelta(weeks=1))},
        302,
    ),
    Case("meeting", "get", _m),
    Case(
        "meeting",
        "post",
        _m,
        lambda w: {"minutes": "Referat", "revision": w["meeting"].revision},
        302,
    ),
    Case(
        "action_add",
        "post",
        _m,
        lambda w: {"what": "Besøk", "responsible": w["users"]["counselor"].pk},
        302,
    ),
    Case("my_actions", "get", lambda w: {}, outsider_status=200),
    Case(
        "action_done",
        "post",
        lambda w: {"pk": w["action"].pk},
        lambda w: {"done": "1", "revision": w["action"].revision},
        302,
    ),
    Case("event_list", "get", lambda w: {}, outsider_status=200),
    Case("event_create", "get", lambda w: {}, outsider_status=200),
    Case(
        "event_create",
        "post",
        lambda w: {},
        lambda w: {"title": "Frokost 2", "held_on": str(TODAY)},
        302,
        # The outsider creates an event in their own organisation: allowed there.
        outsider_status=302,
    ),
    Case("event", "get", _e),
    Case("event_edit", "get", _e),
    Case(
        "event_edit",
        "post",
        _e,
        lambda w: {"title": "Frokost", "held_on": str(TODAY), "revision": w["event"].revision},
        302,
    ),
    Case(
        "event_invite",
        "post",
        _e,
        lambda w: {"employers": [w["other_employer"].pk]},
        302,
    ),
    Case(
        "invitation_record",
        "post",
        lambda w: {"pk": w["event"].pk, "invitation_pk": w["invitation"].pk},
        lambda w: {"response": "yes", "attended": "true", "revision": w["invitation"].revision},
        302,
    ),
]


def test_every_coordination_url_has_a_case():
    from samspill.employers import urls_coordination

    names = {p.name for p in urls_coordination.urlpatterns if isinstance(p, URLPattern)}
    assert names == {case.name for case in COORDINATION_CASES}


@pytest.mark.parametrize("role", [*ROLES, "mentor", "employer_contact"])
@pytest.mark.parametrize("case", COORDINATION_CASES, ids=lambda c: f"{c.method}-{c.name}")
def test_the_coordination_matrix(world, case, role, mentor, employer_user):
    world.update(_coordination_world(world))
    world["users"]["mentor"] = mentor
    world["users"]["employer_contact"] = employer_user
    client = client_for(world["users"][role])
    url = reverse(f"coordination:{case.name}", kwargs=case.kwargs(world))
    writes_before = AuditEvent.objects.count()
    if case.method == "get":
        response = client.get(url)
    else:
        response = client.post(url, case.data(world) if case.data else {})
    # Portal users have no staff membership: a 403.
    want = 403 if role in ("mentor", "employer_contact") else expected(case, role)
    assert response.status_code == want, response.content[:500]
    if case.method == "post":
        changed = AuditEvent.objects.count() > writes_before
        assert changed == (role in OK or (role == "outsider" and want == 302))
    if role == "anonymous":
        assert response["Location"].startswith("/login/")
