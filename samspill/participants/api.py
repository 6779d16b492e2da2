"""The participants API: the caseload as JSON and the participant's record.

Thin like the pages (STYLE.md 3): the permission door, one query or service, return. The door
mirrors `views.participant_for_read`: staff who follow nobody get a 403, a participant outside
`Participant.objects.visible_to(user)` is a 404, and every read is written to the access log.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from django.db.models import QuerySet, TextChoices
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import AfterValidator, BeforeValidator, Strict, WithJsonSchema
from pydantic_core import core_schema

from samspill.accounts.auth import request_user
from samspill.audit.services import access_log_record
from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user
from samspill.participants import permissions, queries
from samspill.participants.models import ConsentRecord, Participant

router = Router(tags=["participants"])

# Ids are 64-bit; a bigger number in a URL or a body would overflow the database driver.
MAX_ID = 2**63 - 1


def _plain_text(value: str) -> str:
    # NUL characters and lone surrogates are valid JSON but cannot be stored (PostgreSQL
    # refuses NUL, both databases refuse surrogates): reject them as bad input, not a 500.
    if "\x00" in value:
        raise ValueError(_("Text cannot contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Text must be valid Unicode.")) from None
    return value


PlainText = Annotated[str, AfterValidator(_plain_text)]


# Input is taken as the OpenAPI document types it, and nothing of another type is quietly
# converted: in a JSON body a number is a JSON number and yes/no is `true` or `false`. A query
# or a path is text: a number is plain digits, yes/no the word `true` or `false`. A date is a
# "YYYY-MM-DD" string in both (not a timestamp, nor a date and time cut to its day).
_DIGITS = re.compile(r"[0-9]+")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _digits(value: Any) -> Any:
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise ValueError(_("Enter a whole number in digits."))
    return value


def _day(value: Any) -> datetime.date:
    try:
        if isinstance(value, str) and _DAY.fullmatch(value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(_("Enter a date as YYYY-MM-DD."))


def _json_int(value: Any) -> Any:
    if type(value) is not int:  # not a string of digits, nor a float, nor true or false
        raise ValueError(_("Enter a whole number."))
    return value


def _true_or_false(value: Any) -> Any:
    if value not in ("true", "false"):
        raise ValueError(_("Enter true or false."))
    return value == "true"


ID_RANGE = {"minimum": 1, "maximum": MAX_ID}
# An id in a JSON body or in a list of ids.
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
# An id in a query.
ParamId = Annotated[int, BeforeValidator(_digits), Field(ge=1, le=MAX_ID)]
# An id in a path: out of range it names nothing, and the door answers 404 as for any id
# that names nothing the caller may see.
PathId = Annotated[int, BeforeValidator(_digits), WithJsonSchema({"type": "integer", **ID_RANGE})]
# A number in a query (a page size, an offset).
ParamInt = Annotated[int, BeforeValidator(_digits)]
ParamBool = Annotated[bool, BeforeValidator(_true_or_false)]
# For an integer choice in a JSON body: `Annotated[Belief, JsonInt]`.
JsonInt = BeforeValidator(_json_int)
Date = Annotated[datetime.date, BeforeValidator(_day)]


@dataclass(frozen=True)
class OneOf:
    """`Annotated[str, OneOf(Model.Kind)]`: a string limited to the choices' values, listed in
    place in the OpenAPI document. As a named enum it would share one schema with every other
    enum of that name (several models have a `Kind`, a `Status` or a `Reason`), and the
    document would be wrong for all but one."""

    choices: type[TextChoices]

    def check(self, value: str) -> str:
        if value not in self.choices.values:
            raise ValueError(
                _("Choose one of: %(values)s.") % {"values": ", ".join(self.choices.values)}
            )
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices.values)}


class FieldError(Schema):
    field: str | None
    message: str


class Error(Schema):
    detail: str
    errors: list[FieldError] = []


# The error answers every route can give, for the OpenAPI document: 400 a body that is not
# JSON (or a request Django cannot read), 401 no or a bad token, 403 a role without access, 404
# an id that names nothing the caller may see, 422 input that is not valid, 429 too many calls.
ERROR_RESPONSES: dict[int, type[Schema]] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    422: Error,
    429: Error,
}


class RevisionConflict(Error):
    """A stale write (named apart from the placement agreement's `Conflict`, which also
    returns the change that was not saved)."""

    revision: int = Field(..., description="The object's current revision: read it again.")


# A write on a shared object sends the `revision` it read; a stale one is a 409, nothing saved.
WRITE_RESPONSES: dict[int, type[Schema]] = {**ERROR_RESPONSES, 409: RevisionConflict}
Revision = Annotated[
    int,
    Strict(),
    Field(
        ge=1,
        le=MAX_ID,
        description="The object's `revision` as you read it: if someone else saved since, "
        "the write is refused with a 409 and nothing changes.",
    ),
]


def api_membership(request: HttpRequest) -> Membership:
    """The caller's membership; staff who follow no participants (administrators) get a 403."""
    membership = membership_for_user(request_user(request))
    if membership is None or not membership.follows_participants:
        raise HttpError(403, _("You do not have access to participants."))
    return membership


def participant_for_write(request: HttpRequest, participant_id: int) -> Participant:
    """Fetch through the one door, or 404 (never 403: that would tell that the id exists)."""
    api_membership(request)
    if not 1 <= participant_id <= MAX_ID:
        raise Http404
    participant = (
        Participant.objects.visible_to(request_user(request))
        .select_related("organisation", "counselor", "team", "active_period")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def participant_for_read(request: HttpRequest, participant_id: int, what: str) -> Participant:
    """As for a write, and log the read with the relationship that allowed it."""
    participant = participant_for_write(request, participant_id)
    user = request_user(request)
    why = permissions.relationship_to(user, participant)
    assert why is not None  # visible_to and relationship_to encode the same rules
    access_log_record(actor=user, participant=participant, what=what, why=why)
    return participant


class ParticipantListParams(Schema):
    limit: ParamInt = Field(25, ge=1, le=100, description="Page size.")
    offset: ParamInt = Field(0, ge=0, description="How many participants to skip.")
    q: PlainText = Field(
        "", max_length=200, description="Name search: every word starts a given or family name."
    )
    status: Literal["active", "ended", "all"] = Field(
        "active", description="Participants in an open follow-up period, ended ones, or all."
    )


class ParticipantListItem(Schema):
    id: int
    given_name: str
    family_name: str
    birth_date: datetime.date | None
    counselor_name: str | None
    team_name: str | None
    next_follow_up_on: datetime.date | None
    last_contact_on: datetime.date | None
    active: bool

    @staticmethod
    def resolve_counselor_name(obj: Participant) -> str | None:
        return obj.counselor.full_name if obj.counselor else None

    @staticmethod
    def resolve_team_name(obj: Participant) -> str | None:
        return obj.team.name if obj.team else None

    @staticmethod
    def resolve_active(obj: Participant) -> bool:
        return obj.is_active


class ParticipantPage(Schema):
    count: int
    items: list[ParticipantListItem]


class Counselor(Schema):
    id: int
    name: str = Field(..., alias="full_name")
    email: str


class Team(Schema):
    id: int
    name: str


class Consent(Schema):
    id: int
    recipient: ConsentRecord.Recipient
    information: ConsentRecord.Information
    note: str
    given_at: datetime.datetime


class ParticipantDetail(Schema):
    id: int
    given_name: str
    family_name: str
    birth_date: datetime.date | None
    phone: str
    email: str
    address: str
    postal_code: str
    municipality: str
    preferred_language: str
    need_group: str
    dreams: str
    who_i_am: str
    what_i_can: str
    want_to_learn: str
    interests: str
    # Sensitive: empty unless the caller follows the participant (a leader gets it empty;
    # permissions.mask_special_categories).
    needs: str
    shareable_accommodations: str
    counselor: Counselor | None
    team: Team | None
    active: bool
    last_contact_on: datetime.date | None
    next_follow_up_on: datetime.date | None
    consents: list[Consent]

    @staticmethod
    def resolve_active(obj: Participant) -> bool:
        return obj.is_active

    @staticmethod
    def resolve_consents(obj: Participant) -> list[ConsentRecord]:
        return list(obj.consents.filter(withdrawn_at__isnull=True).order_by("-given_at", "-id"))


def page_of(rows: QuerySet[Any], *, offset: int, limit: int) -> dict[str, Any]:
    """`{"count", "items"}` for a list route: the count, and the rows of one page. An offset
    past the end asks the database for nothing more."""
    count = rows.count()
    items = list(rows[offset : offset + limit]) if offset < count else []
    return {"count": count, "items": items}


@router.get(
    "",
    response={200: ParticipantPage, **ERROR_RESPONSES},
    summary="List participants",
    description="The participants the caller may see, by name, a page at a time.",
)
def participant_list(request: HttpRequest, params: Query[ParticipantListParams]) -> dict:
    membership = api_membership(request)
    # Every visible participant: the door already limits a counselor to their own.
    flt = queries.CaseloadFilter(scope="organisation", q=params.q.strip(), status=params.status)
    base = queries.caseload_base(request_user(request), membership, flt)
    count = base.count()
    items = []
    if params.offset < count:  # also keeps an absurd offset away from the database
        rows = queries.caseload_rows(base, flt, few=count <= queries.COUNT_CAP)
        items = list(queries.caseload_slice(rows, params.offset, params.offset + params.limit))
        permissions.log_national_id_matches(
            request_user(request),
            queries.searched_number(flt.q),
            items,
            what="api:search:national_id",
        )
    return {"count": count, "items": items}


@router.get(
    "/{participant_id}",
    response={200: ParticipantDetail, **ERROR_RESPONSES},
    summary="Read a participant's record",
    description="The record, current consents and counselor. The read is access-logged.",
)
def participant_detail(request: HttpRequest, participant_id: PathId) -> Participant:
    participant = participant_for_read(request, participant_id, "api:participant")
    permissions.mask_special_categories(request_user(request), participant)
    return participant
