"""Fuzz the JSON API from its own OpenAPI document with schemathesis, in process.

Shared by the CI test (`tests/api/test_fuzz.py`, a few examples per route) and the benchmark
(`bench/api_fuzz.py`, 10,000 requests and more). For every route in `/api/v1/openapi.json`,
hypothesis makes requests of two kinds:

- valid by the document (positive);
- invalid by the document (negative: a wrong type, a number out of range, a missing field, a
  date that is no date).

Three requests in four go to real records: a valid id in the path, the query or the body
(`participant_id`, `candidate_id`, `loop_ids`...) is replaced by the id of one organisation's
participant, employer, placement, loop and so on, all made through the services, so that the
bodies reach the services and their rules (an id valid by the document stays valid, so an
invalid request stays invalid). The fourth keeps the ids hypothesis drew, mostly a 404.

Each answer is checked: no server error, a status the route documents, the documented content
type and schema, and no invalid request accepted (schemathesis's `negative_data_rejection`: an
invalid request must get a 4xx). A valid request that a service refuses with a 422 (a date in
the future, say) is not a failure: the document cannot tell every rule.
"""

import contextlib
import datetime
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core.failures import AcceptedNegativeData, Failure, ServerError
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from samspill.accounts.auth import api_token_create
from samspill.accounts.models import User
from samspill.core.testing import make_employer, make_participant, make_staff
from samspill.employers.services import contact_add, need_add
from samspill.loops.services import gathering_create, loop_create
from samspill.organisations.models import Membership, Organisation, Team
from samspill.participants.api import MAX_ID
from samspill.participants.models import FollowUpStatus, PeriodOutcome
from samspill.participants.services import period_end, period_start
from samspill.placements.models import Placement
from samspill.placements.services import placement_create
from samspill.referrals.models import Source
from samspill.referrals.services import referral_create

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclass
class World:
    """One organisation's records, made through the services, and a counselor's API token."""

    user: User
    token: str
    ids: dict[str, int]


def seed_world(name: str = "Fuzz") -> World:
    today = timezone.localdate()
    org = Organisation.objects.create(name=f"{name} AS", kind=Organisation.Kind.INCLUSION_COMPANY)
    team = Team.objects.create(organisation=org, name=f"Team {name}")
    slug = name.lower()
    counselor = make_staff(org, f"{slug}-counselor@example.org", Membership.Role.COUNSELOR, team)
    coordinator = make_staff(org, f"{slug}-coordinator@example.org", Membership.Role.COORDINATOR)
    participants = [
        make_participant(
            org,
            counselor,
            given_name=given,
            birth_date=datetime.date(2005, 5, 1),
            start_date=today - datetime.timedelta(days=400),
        )
        for given in ("Kari", "Ola", "Nora")
    ]
    # Kari's first period ended with an outcome and statuses after it; she is followed again.
    ended = period_end(
        participant=participants[0],
        by=counselor,
        end_date=today - datetime.timedelta(days=200),
        outcome="education",
    )
    period = period_start(
        participant=participants[0],
        by=counselor,
        counselor=counselor,
        start_date=today - datetime.timedelta(days=199),
    )
    participants[0].refresh_from_db()
    employers = [
        make_employer(org, counselor, name=employer)
        for employer in ("Bakeriet AS", "Verkstedet AS", "Butikken AS")
    ]
    mentor = contact_add(
        employer=employers[0],
        by=counselor,
        name="Mette Mentor",
        email=f"{slug}-mentor@example.org",
        is_mentor=True,
        confidentiality_signed_on=today,
    )
    need = need_add(employer=employers[0], by=counselor, role="Bakeassistent")
    placement = placement_create(
        participant=participants[0],
        employer=employers[0],
        by=counselor,
        kind=Placement.Kind.WORK_TRAINING,
        title="Bakeassistent",
        start_date=today,
        end_date=today + datetime.timedelta(days=180),
        mentor=mentor,
    )
    loop = loop_create(
        organisation=org,
        by=coordinator,
        name=f"Loop {name}",
        driver=coordinator,
        counselor=counselor,
        start_date=today + datetime.timedelta(days=60),
        employers=employers,
    )
    gathering = gathering_create(organisation=org, by=coordinator, date=today, place="Huset")
    referral = referral_create(
        organisation=org,
        by=counselor,
        source=Source.YOUTH_DEPARTMENT,
        received_on=today,
        given_name="Siri",
        family_name="Henvist",
        asked_for="Help to find a practice place.",
    )
    _token, key = api_token_create(user=counselor, name=f"{name} fuzzing")
    ids = {
        "counselor_id": counselor.pk,
        "contact_person_id": counselor.pk,
        "taken_by_id": counselor.pk,
        "candidate_id": participants[0].pk,
        "mentor_id": mentor.pk,
        "participant": participants[0].pk,
        "participant_id": participants[0].pk,
        "employer_id": employers[0].pk,
        "contact_id": mentor.pk,
        "need_id": need.pk,
        "placement_id": placement.pk,
        "loop_id": loop.pk,
        "gathering_id": gathering.pk,
        "referral_id": referral.pk,
        "period_id": period.pk,
        "outcome_id": PeriodOutcome.objects.get(period=ended).pk,
        "status_id": FollowUpStatus.objects.get(period=ended, months=6).pk,
    }
    return World(user=counselor, token=key, ids=ids)


@dataclass
class Report:
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    by_mode: Counter[str] = field(default_factory=Counter)
    server_errors: int = 0
    invalid_accepted: int = 0
    # (check, operation, status, the message) -> how many times, and the first such request
    failures: Counter[tuple[str, str, int, str]] = field(default_factory=Counter)
    samples: dict[tuple[str, str, int, str], str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 1),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "by_mode": dict(self.by_mode),
            "server_errors": self.server_errors,
            "invalid_accepted": self.invalid_accepted,
            "failures": [
                {
                    "check": c,
                    "operation": o,
                    "status": s,
                    "message": m,
                    "count": n,
                    "first": self.samples[(c, o, s, m)],
                }
                for (c, o, s, m), n in self.failures.most_common()
            ],
        }


def load_schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


def fuzz(
    *,
    world: World,
    examples: int,
    rounds: int = 1,
    report: Report | None = None,
    until: Callable[[Report], bool] | None = None,
    only: str = "",
) -> Report:
    """Run `examples` per route and kind of request, `rounds` times with another seed each
    (or until `until(report)` holds); add up in `report`. `only`: the routes whose label
    ("PUT /api/v1/...") contains it."""
    report = report or Report()
    auth = {"Authorization": f"Bearer {world.token}"}
    started = time.perf_counter()
    with _connection_kept():
        schema = load_schema()
        operations = [result.ok() for result in schema.get_all_operations()]
        operations = [operation for operation in operations if only in operation.label]
        _rounds(operations, world, report, examples, rounds, until, auth)
    report.seconds += time.perf_counter() - started
    return report


@contextlib.contextmanager
def _connection_kept() -> Iterator[None]:
    """Keep the database connection across requests, as Django's test client does: the WSGI
    handler closes it after each one, and in a test that would end the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _rounds(
    operations: list[Any],
    world: World,
    report: Report,
    examples: int,
    rounds: int,
    until: Callable[[Report], bool] | None,
    auth: dict[str, str],
) -> None:
    for round_ in range(rounds):
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                # The token is given, not generated: invalid requests are invalid in what the
                # document says of the route, not in the credentials.
                strategy = operation.as_strategy(generation_mode=mode, headers=auth)
                _run_one(strategy, world, report, examples, seed_=round_)
        if until is not None and until(report):
            break


def _is_id(value: Any) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def _real_ids(case: Any, ids: dict[str, int]) -> None:
    """Point the valid ids of a case at the world's records."""
    for part in (case.path_parameters, case.query, case.body):
        if not isinstance(part, dict):
            continue
        for name, value in part.items():
            if name in ids:
                part[name] = _same_kind(value, ids[name])
            elif name == "loop_ids" and isinstance(value, list):
                part[name] = [_same_kind(item, ids["loop_id"]) for item in value]


def _same_kind(value: Any, real: int) -> Any:
    """The real id in the shape of `value`: an id for an id, and for an id sent as a whole
    float (`5.0`) or as digits (`"5"`), the real one in that shape, so that a request invalid
    for its type stays invalid but finds a record (and is answered 2xx if the type is not
    checked). Anything else is left as it is."""
    if _is_id(value):
        return real
    if type(value) is float and value.is_integer() and 1 <= value <= MAX_ID:
        return float(real)
    if isinstance(value, str) and value.isdigit() and 1 <= int(value) <= MAX_ID:
        return str(real)
    return value


def _run_one(strategy: Any, world: World, report: Report, examples: int, seed_: int) -> None:
    auth = {"Authorization": f"Bearer {world.token}"}  # sent as given, never generated

    @seed(seed_)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def one(case: Any) -> None:
        if report.requests % 4 != 3:
            _real_ids(case, world.ids)
        response = case.call(headers=auth)
        report.requests += 1
        report.statuses[response.status_code] += 1
        report.by_mode[str(case.meta.generation.mode)] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=auth)
        except Failure as failure:
            _count(report, [failure], case, response)
        except BaseExceptionGroup as group:
            _count(report, list(group.exceptions), case, response)

    # A route that takes nothing but the token has no invalid request to make.
    with contextlib.suppress(Unsatisfiable):
        one()


def _count(report: Report, failures: list[Any], case: Any, response: Any) -> None:
    for failure in failures:
        if isinstance(failure, ServerError):
            report.server_errors += 1
        if isinstance(failure, AcceptedNegativeData):
            report.invalid_accepted += 1
        message = " ".join(str(getattr(failure, "message", "")).split())
        key = (type(failure).__name__, failure.operation, response.status_code, message)
        report.failures[key] += 1
        report.samples.setdefault(
            key,
            f"path={case.path_parameters} query={case.query} body={case.body!r:.500} "
            f"-> {response.text[:300]}",
        )
