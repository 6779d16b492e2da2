"""The placements API: every route as the counselor uses it, and the permission matrix (role x
route x expected status) over every route.

The clock is frozen (time-machine) on Monday 2 March 2026: `running` started on 2 February,
was approved by all, has a final evaluation and an issued certificate; `evaluated` has a final
evaluation and no certificate yet; `draft` (another participant of the same counselor) is a
complete agreement nobody has approved.
"""

import datetime
import io
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.text import capfirst
from pypdf import PdfReader

from samspill.accounts.models import User
from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.testing import PASSWORD, client_for, make_participant
from samspill.employers.services import contact_add
from samspill.placements import followups, services
from samspill.placements.api import router
from samspill.placements.models import AgreementApproval, FollowUp, Party, Placement
from samspill.placements.tests import cast

BASE = "/api/v1/placements"
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
TODAY = datetime.date(2026, 3, 2)
STARTED = datetime.date(2026, 2, 2)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=OSLO), tick=False)


@dataclass
class World:
    running: Placement
    evaluated: Placement
    draft: Placement
    users: dict[str, User | None]


def final_evaluation(placement: Placement, by: User) -> None:
    followups.evaluation_save(
        placement=placement,
        by=by,
        kind="final",
        held_on=TODAY,
        tasks_mastered="Bakte brød alene",
        attendance="very_good",
        cooperation="good",
    )


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
    employer_user,
) -> World:
    running = cast.draft(participant, employer, counselor, mentor_contact, start=STARTED)
    running = cast.approve_all(running, counselor, employer_user)
    running = cast.with_certificate(running, counselor, employer_user)
    evaluated = cast.draft(participant, employer, counselor, mentor_contact, start=STARTED)
    evaluated = cast.approve_all(evaluated, counselor, employer_user)
    final_evaluation(evaluated, counselor)
    second = make_participant(participant.organisation, counselor, given_name="Siri")
    draft = cast.draft(second, employer, counselor, mentor_contact)
    participant_account = User.objects.create_user(
        email="kari@example.org", password=PASSWORD, full_name="Kari"
    )
    participant.portal_user = participant_account
    participant.save(update_fields=["portal_user"])
    return World(
        running=running,
        evaluated=evaluated,
        draft=draft,
        users={
            "anonymous": None,
            "counselor": counselor,
            "colleague": colleague,
            "other_team_counselor": other_team_counselor,
            "leader": leader,
            "admin": admin,
            "outsider": outsider,
            "employer_contact": employer_user,
            "participant_user": participant_account,
        },
    )


def url(placement: Placement, rest: str = "") -> str:
    return f"{BASE}/{placement.pk}{rest}"


def send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, body, content_type="application/json")


def fields(response: Any) -> list[str | None]:
    return [error["field"] for error in response.json()["errors"]]


# Every route, as the counselor uses it.


def test_the_list_shows_the_users_placements_with_their_derived_status(world, counselor):
    body = client_for(counselor).get(BASE).json()
    assert body["count"] == 3
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[world.running.pk]["status"] == "running"
    assert by_id[world.draft.pk]["status"] == "draft"  # complete, but not sent for approval
    assert by_id[world.running.pk]["participant_name"] == "Kari Nordmann"
    assert by_id[world.running.pk]["employer_name"] == "Bakeriet AS"
    assert by_id[world.running.pk]["agreement_number"] == 1


def test_the_list_filters_by_participant_and_pages(world, counselor, participant):
    client = client_for(counselor)
    mine = client.get(BASE, {"participant": participant.pk}).json()
    assert {item["id"] for item in mine["items"]} == {world.running.pk, world.evaluated.pk}
    page = client.get(BASE, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3
    assert len(page["items"]) == 1
    assert client.get(BASE, {"limit": 0}).status_code == 422


def test_the_list_writes_no_access_log(world, counselor):
    client_for(counselor).get(BASE)
    assert not AccessLog.objects.exists()


def test_the_list_runs_the_same_queries_however_many_placements(world, counselor, participant):
    client = client_for(counselor)
    with CaptureQueriesContext(connection) as few:
        assert client.get(BASE).status_code == 200
    for _n in range(5):
        cast.draft(participant, world.running.employer, counselor, world.running.mentor)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(BASE).json()["items"]) == 8
    # Session, user, membership, count, page (participant and employer joined in).
    assert len(many.captured_queries) == len(few.captured_queries) == 5


def test_the_placement_has_its_agreement_status_revision_approvals_and_versions(
    world, counselor, participant
):
    body = client_for(counselor).get(url(world.running)).json()
    assert body["status"] == "running"
    assert body["revision"] == world.running.revision
    assert body["tasks"] == cast.CONTENT["tasks"]
    assert body["hours_per_week"] == 30
    assert body["goals"] == cast.CONTENT["goals"]
    assert body["mentor"] == {"id": world.running.mentor_id, "name": "Mona Mentor"}
    assert body["missing"] == []
    assert {a["party"] for a in body["approvals"]} == {"participant", "employer", "counselor"}
    assert [v["number"] for v in body["versions"]] == [1]
    assert body["expectation_meeting"]["participant_present"] is True
    log = AccessLog.objects.get()
    assert (log.actor, log.participant, log.what, log.why) == (
        counselor,
        participant,
        "api:placement",
        "counselor",
    )


def test_a_draft_says_what_it_lacks(world, counselor):
    client = client_for(counselor)
    patched = send(
        client,
        "patch",
        url(world.draft, "/agreement"),
        {"revision": world.draft.revision, "we_offer": ""},
    )
    assert patched.status_code == 200
    assert patched.json()["placement"]["status"] == "draft"
    assert patched.json()["placement"]["missing"] == [services.field_label("we_offer")]


def test_an_agreement_change_bumps_the_revision_and_clears_approvals(world, counselor):
    services.agreement_approve(
        placement=world.draft,
        by=counselor,
        party=Party.PARTICIPANT,
        revision=world.draft.revision,
        on_behalf_reason="Orally",
    )
    response = send(
        client_for(counselor),
        "patch",
        url(world.draft, "/agreement"),
        {
            "revision": world.draft.revision,
            "tasks": "Steke brød og kaker",
            "hours_per_week": "22.5",
            "goals": [{"category": "experience", "text": " Erfaring "}],
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["cleared"] == ["participant"]
    assert response.json()["version"] is None
    body = response.json()["placement"]
    assert body["revision"] == world.draft.revision + 1
    assert body["tasks"] == "Steke brød og kaker"
    assert body["hours_per_week"] == 22.5
    assert body["goals"] == [{"category": "experience", "text": "Erfaring"}]
    assert body["approvals"] == []


def test_an_edit_from_a_stale_revision_is_a_409_with_the_current_revision(world, counselor):
    client = client_for(counselor)
    stale = world.draft.revision
    first = send(client, "patch", url(world.draft, "/agreement"), {"revision": stale, "tasks": "A"})
    assert first.status_code == 200
    second = send(
        client, "patch", url(world.draft, "/agreement"), {"revision": stale, "tasks": "B"}
    )
    assert second.status_code == 409
    body = second.json()
    assert body["revision"] == stale + 1
    assert body["yours"] == {"revision": stale, "tasks": "B"}
    assert body["detail"]
    world.draft.refresh_from_db()
    assert world.draft.tasks == "A"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"wage_subsidy_percent": 50}, "wage_subsidy_percent"),
        ({"start_date": "2026-01-02"}, "start_reason"),
        ({"title": None}, None),
        ({"hours_per_week": "7.25"}, "hours_per_week"),
        ({"goals": [{"category": "nonsense", "text": "x"}]}, "goals.0.category"),
    ],
)
def test_a_broken_rule_is_a_422_naming_the_field(world, counselor, change, field):
    response = send(
        client_for(counselor),
        "patch",
        url(world.draft, "/agreement"),
        {"revision": world.draft.revision, **change},
    )
    assert response.status_code == 422
    assert field in fields(response)
    world.draft.refresh_from_db()
    assert world.draft.revision == 1


def test_a_mentor_must_be_at_the_placements_employer(world, counselor, other_employer, outsider):
    elsewhere = contact_add(
        employer=other_employer, by=outsider, name="Ola", phone="99999999", is_mentor=True
    )
    client = client_for(counselor)
    body = {"revision": world.draft.revision, "mentor_id": elsewhere.pk}
    response = send(client, "patch", url(world.draft, "/agreement"), body)
    assert response.status_code == 422
    assert fields(response) == ["mentor_id"]
    response = send(client, "patch", url(world.draft, "/agreement"), {**body, "mentor_id": None})
    assert response.status_code == 200
    assert response.json()["placement"]["mentor"] is None
    assert response.json()["placement"]["status"] == "draft"


def test_a_locked_agreement_changes_only_as_a_new_version_with_a_reason(world, counselor):
    client = client_for(counselor)
    path = url(world.running, "/agreement")
    body = {"revision": world.running.revision, "work_days": "Alle dager"}
    refused = send(client, "patch", path, body)
    assert refused.status_code == 422
    assert fields(refused) == ["reason"]
    changed = send(client, "patch", path, {**body, "reason": "More days"})
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert changed.json()["cleared"] == []
    assert [v["number"] for v in changed.json()["placement"]["versions"]] == [1, 2]
    assert changed.json()["placement"]["versions"][1]["reason"] == "More days"
    versions = client.get(url(world.running, "/versions")).json()
    assert [v["change"] for v in versions] == ["approved", "content"]
    assert versions[1]["content"]["work_days"] == "Alle dager"
    comparison = client.get(url(world.running, "/versions/compare")).json()
    assert (comparison["a"], comparison["b"]) == (1, 2)
    assert [row["label"] for row in comparison["rows"] if row["changed"]] == [
        capfirst(services.field_label("work_days"))
    ]
    assert client.get(url(world.running, "/versions/compare"), {"b": 3}).status_code == 404


def test_the_approvals_end_with_the_counselor_and_lock_the_agreement(
    world, counselor, employer_user
):
    client = client_for(counselor)
    path = url(world.draft, "/approvals")
    revision = world.draft.revision
    refused = send(client, "post", path, {"party": "employer", "revision": revision})
    assert refused.status_code == 403
    without_reason = send(client, "post", path, {"party": "participant", "revision": revision})
    assert without_reason.status_code == 422
    assert fields(without_reason) == ["on_behalf_reason"]
    too_early = send(client, "post", path, {"party": "counselor", "revision": revision})
    assert too_early.status_code == 422
    on_behalf = send(
        client,
        "post",
        path,
        {"party": "participant", "revision": revision, "on_behalf_reason": "By phone"},
    )
    assert on_behalf.status_code == 201
    assert on_behalf.json()["approvals"][0]["on_behalf_reason"] == "By phone"
    services.agreement_approve(
        placement=world.draft, by=employer_user, party=Party.EMPLOYER, revision=revision
    )
    services.expectation_meeting_record(
        placement=world.draft,
        by=counselor,
        held_on=TODAY,
        participant_present=True,
        mentor_present=False,
        employer_present=True,
        counselor_present=True,
    )
    locked = send(client, "post", path, {"party": "counselor", "revision": revision})
    assert locked.status_code == 201
    assert locked.json()["status"] == "running"  # it starts today
    assert locked.json()["locked_at"] is not None


def test_an_approval_of_a_stale_revision_is_a_409(world, counselor):
    stale = world.draft.revision
    services.agreement_update(placement=world.draft, by=counselor, revision=stale, tasks="Nytt")
    response = send(
        client_for(counselor),
        "post",
        url(world.draft, "/approvals"),
        {"party": "participant", "revision": stale, "on_behalf_reason": "By phone"},
    )
    assert response.status_code == 409
    assert response.json()["revision"] == stale + 1
    assert not AgreementApproval.objects.filter(placement=world.draft).exists()


def test_only_the_participants_counselor_approves_as_counselor(world, leader):
    response = send(
        client_for(leader),
        "post",
        url(world.draft, "/approvals"),
        {"party": "counselor", "revision": world.draft.revision},
    )
    assert response.status_code == 403


def test_the_follow_ups_are_listed_and_logged(world, counselor):
    client = client_for(counselor)
    planned = client.get(url(world.running, "/follow-ups")).json()
    first = planned[0]
    assert first["due_on"] == str(STARTED + datetime.timedelta(weeks=1))
    assert first["overdue"] is True
    logged = send(
        client,
        "post",
        url(world.running, "/follow-ups"),
        {
            "held_on": str(TODAY),
            "going": "mixed",
            "counselor_present": True,
            "mentor_present": True,
            "next_steps": "Visit again",
            "follow_up_id": first["id"],
        },
    )
    assert logged.status_code == 201
    assert logged.json()["id"] == first["id"]
    assert logged.json()["logged_by_name"] == counselor.full_name
    assert logged.json()["overdue"] is False
    nobody = send(
        client, "post", url(world.running, "/follow-ups"), {"held_on": str(TODAY), "going": "well"}
    )
    assert nobody.status_code == 422
    assert fields(nobody) == ["participant_present"]
    again_body = {"held_on": str(TODAY), "going": "well", "counselor_present": True}
    again = send(
        client,
        "post",
        url(world.running, "/follow-ups"),
        {**again_body, "follow_up_id": first["id"]},
    )
    assert again.status_code == 422  # held already
    elsewhere = world.evaluated.follow_ups.values_list("pk", flat=True).first()
    another = send(
        client, "post", url(world.running, "/follow-ups"), {**again_body, "follow_up_id": elsewhere}
    )
    assert another.status_code == 422
    assert fields(another) == ["follow_up_id"]


def test_the_evaluations_are_read_and_written(world, counselor):
    client = client_for(counselor)
    final = client.get(url(world.running, "/evaluations/final"))
    assert final.status_code == 200
    assert final.json()["tasks_mastered"] == "Bakte brød alene"
    assert client.get(url(world.running, "/evaluations/midway")).status_code == 404
    assert client.get(url(world.running, "/evaluations/other")).status_code == 422
    body = {
        "held_on": str(TODAY),
        "tasks_mastered": "Steking",
        "attendance": "good",
        "cooperation": "variable",
    }
    midway = send(client, "put", url(world.running, "/evaluations/midway"), body)
    assert midway.status_code == 200
    assert midway.json()["cooperation"] == "variable"
    frozen = send(client, "put", url(world.running, "/evaluations/final"), body)
    assert frozen.status_code == 422  # the certificate is issued
    too_early = send(client, "put", url(world.draft, "/evaluations/midway"), body)
    assert too_early.status_code == 422


def test_the_certificate_is_drafted_read_and_downloaded(world, counselor, participant):
    client = client_for(counselor)
    issued = client.get(url(world.running, "/certificate")).json()
    assert issued["state"] == "issued"
    assert issued["approved_by_name"] == "Eirik Eier"
    pdf = client.get(url(world.running, "/certificate.pdf"))
    assert pdf.status_code == 200
    assert pdf["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.getvalue())).pages[0].extract_text()
    assert participant.full_name in text
    assert client.get(url(world.evaluated, "/certificate")).status_code == 404
    assert client.get(url(world.evaluated, "/certificate.pdf")).status_code == 404
    body = {"language": "da", "tasks": "Bagning", "assessment": "Stabil og præcis."}
    drafted = send(client, "post", url(world.evaluated, "/certificate"), body)
    assert drafted.status_code == 200
    assert drafted.json()["state"] == "awaiting_employer"
    assert client.get(url(world.evaluated, "/certificate.pdf")).status_code == 404
    no_final = send(client, "post", url(world.draft, "/certificate"), body)
    assert no_final.status_code == 422


# The permission matrix.

ROLES = [
    "anonymous",
    "counselor",
    "colleague",
    "other_team_counselor",
    "leader",
    "admin",
    "outsider",
    "employer_contact",
    "participant_user",
]
# Through the participant door: the counselor and the leader; a colleague sees the
# participants of the team only when the organisation allows it (not in the test organisation).
ALLOWED = {"counselor", "leader"}
REFUSED = {"admin", "employer_contact", "participant_user"}  # 403: no participants at all


def expected(role: str, allowed: int) -> int:
    if role == "anonymous":
        return 401
    if role in ALLOWED:
        return allowed
    return 403 if role in REFUSED else 404


def listing(role: str) -> int:
    """The list is everyone's own: empty for those who see none of these."""
    return 200 if role not in REFUSED and role != "anonymous" else expected(role, 200)


Call = Callable[[Client, World], int]

EVALUATION = {
    "held_on": str(TODAY),
    "tasks_mastered": "X",
    "attendance": "good",
    "cooperation": "good",
}

# (method, path as the router names it) -> (a call that works for an allowed user, its status).
API: dict[tuple[str, str], tuple[Call, int]] = {
    ("GET", ""): (lambda c, w: c.get(BASE).status_code, 200),
    ("GET", "/{placement_id}"): (lambda c, w: c.get(url(w.running)).status_code, 200),
    ("PATCH", "/{placement_id}/agreement"): (
        lambda c, w: (
            send(
                c,
                "patch",
                url(w.draft, "/agreement"),
                {"revision": w.draft.revision, "tasks": "Nye"},
            ).status_code
        ),
        200,
    ),
    ("POST", "/{placement_id}/approvals"): (
        lambda c, w: (
            send(
                c,
                "post",
                url(w.draft, "/approvals"),
                {"party": "participant", "revision": w.draft.revision, "on_behalf_reason": "Phone"},
            ).status_code
        ),
        201,
    ),
    ("GET", "/{placement_id}/versions"): (
        lambda c, w: c.get(url(w.running, "/versions")).status_code,
        200,
    ),
    ("GET", "/{placement_id}/versions/compare"): (
        lambda c, w: c.get(url(w.running, "/versions/compare"), {"a": 1, "b": 1}).status_code,
        200,
    ),
    ("GET", "/{placement_id}/follow-ups"): (
        lambda c, w: c.get(url(w.running, "/follow-ups")).status_code,
        200,
    ),
    ("POST", "/{placement_id}/follow-ups"): (
        lambda c, w: (
            send(
                c,
                "post",
                url(w.running, "/follow-ups"),
                {"held_on": str(TODAY), "going": "well", "counselor_present": True},
            ).status_code
        ),
        201,
    ),
    ("GET", "/{placement_id}/evaluations/{kind}"): (
        lambda c, w: c.get(url(w.running, "/evaluations/final")).status_code,
        200,
    ),
    ("PUT", "/{placement_id}/evaluations/{kind}"): (
        lambda c, w: send(c, "put", url(w.running, "/evaluations/midway"), EVALUATION).status_code,
        200,
    ),
    ("GET", "/{placement_id}/certificate"): (
        lambda c, w: c.get(url(w.running, "/certificate")).status_code,
        200,
    ),
    ("POST", "/{placement_id}/certificate"): (
        lambda c, w: (
            send(
                c,
                "post",
                url(w.evaluated, "/certificate"),
                {"language": "nb", "tasks": "Steking", "assessment": "Stødig"},
            ).status_code
        ),
        200,
    ),
    ("GET", "/{placement_id}/certificate.pdf"): (
        lambda c, w: c.get(url(w.running, "/certificate.pdf")).status_code,
        200,
    ),
    ("GET", "/{placement_id}/mentor"): (
        lambda c, w: c.get(url(w.running, "/mentor")).status_code,
        200,
    ),
    ("PUT", "/{placement_id}/mentor/arrangement"): (
        lambda c, w: (
            send(
                c,
                "put",
                url(w.running, "/mentor/arrangement"),
                {"chosen_with_employer": True, "chosen_on": str(TODAY), "hours_per_week": "2"},
            ).status_code
        ),
        200,
    ),
    ("PUT", "/{placement_id}/mentor/months"): (
        lambda c, w: (
            (
                send(
                    c, "put", url(w.running, "/mentor/months"), {"month": str(TODAY), "hours": "6"}
                )
            ).status_code
        ),
        200,
    ),
}
READS_A_PLACEMENT = {route for route in API if route[0] == "GET" and route[1]}


def test_every_api_route_has_a_case():
    routes = {
        (method, path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    assert routes == set(API)


MATRIX = [
    pytest.param(
        role,
        route,
        listing(role) if route == ("GET", "") else expected(role, allowed),
        id=f"{route[0]} {route[1] or '/'}-{role}",
    )
    for route, (_call, allowed) in API.items()
    for role in ROLES
]


@pytest.mark.parametrize(("role", "route", "status"), MATRIX)
def test_the_matrix(world, role, route, status):
    events, reads = AuditEvent.objects.count(), AccessLog.objects.count()
    call, allowed = API[route]

    assert call(client_for(world.users[role]), world) == status

    wrote = AuditEvent.objects.count() > events
    assert wrote == (route[0] != "GET" and status == allowed), "refused writes change nothing"
    if route in READS_A_PLACEMENT:
        assert (AccessLog.objects.count() > reads) == (status == 200), "reads are logged"


def test_a_colleague_in_the_team_reads_and_writes_when_the_team_may_see(world, colleague, org):
    org.team_sees_team_participants = True
    org.save(update_fields=["team_sees_team_participants"])
    client = client_for(colleague)
    assert client.get(url(world.running)).status_code == 200
    assert AccessLog.objects.get().why == "team"
    assert {item["id"] for item in client.get(BASE).json()["items"]} == {
        world.running.pk,
        world.evaluated.pk,
        world.draft.pk,
    }
    assert API[("PATCH", "/{placement_id}/agreement")][0](client, world) == 200
    counselor_approval = send(
        client,
        "post",
        url(world.running, "/approvals"),
        {"party": "counselor", "revision": world.running.revision},
    )
    assert counselor_approval.status_code == 403


def test_an_id_out_of_range_is_a_404(counselor):
    assert client_for(counselor).get(f"{BASE}/{2**63}").status_code == 404


def test_the_routes_are_in_the_openapi_document(db):
    document = Client().get("/api/v1/openapi.json").json()
    paths, schemas = document["paths"], document["components"]["schemas"]
    one = f"{BASE}/{{placement_id}}"
    assert set(paths[BASE]) == {"get"}
    assert set(paths[one]) == {"get"}
    assert set(paths[f"{one}/agreement"]) == {"patch"}
    assert set(paths[f"{one}/approvals"]) == {"post"}
    assert set(paths[f"{one}/versions"]) == {"get"}
    assert set(paths[f"{one}/versions/compare"]) == {"get"}
    assert set(paths[f"{one}/follow-ups"]) == {"get", "post"}
    assert set(paths[f"{one}/evaluations/{{kind}}"]) == {"get", "put"}
    assert set(paths[f"{one}/certificate"]) == {"get", "post"}
    assert set(paths[f"{one}/certificate.pdf"]) == {"get"}
    assert "409" in paths[f"{one}/agreement"]["patch"]["responses"]
    assert paths[BASE]["get"]["tags"] == ["placements"]
    # Enums named like other apps' (`Kind`, `Going`) keep their own values.
    assert schemas["PlacementOut"]["properties"]["kind"]["enum"] == Placement.Kind.values
    assert schemas["FollowUpIn"]["properties"]["going"]["enum"] == FollowUp.Going.values
