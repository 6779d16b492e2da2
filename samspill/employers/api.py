"""The employers API: the employer base, one employer, and what hangs off it (recruitment needs,
outreach, intention agreements, contacts and mentors with their support log).

Thin like the pages (STYLE.md 3), with the same door (`views.employer_for`): staff who do not
work with participants (administrators) get a 403, an employer outside
`Employer.objects.visible_to(user)` is a 404, and so is anything that hangs off it. Every write
is one service call; the services hold the rules, and their `ValidationError` becomes the
standard 422 (samspill/api.py). Employers are business data: reads are not access-logged.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, ClassVar

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictInt, ValidationInfo, field_validator

from samspill.accounts.auth import request_user
from samspill.accounts.models import User
from samspill.employers import industries, permissions, queries, services
from samspill.employers.models import (
    ContactPersonChange,
    Employer,
    EmployerContact,
    IntentionAgreement,
    MentorSupportContact,
    OutreachActivity,
    RecruitmentNeed,
)
from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user
from samspill.participants.api import (
    ERROR_RESPONSES,
    MAX_ID,
    WRITE_RESPONSES,
    Date,
    Id,
    OneOf,
    ParamBool,
    ParamInt,
    PathId,
    PlainText,
    Revision,
    page_of,
)

router = Router(tags=["employers"])

# The counts on needs and agreements are small integer columns; a bigger number would overflow
# the database driver (the services give the rules' own messages within this range).
SMALL_MAX = 32767


def api_membership(request: HttpRequest) -> Membership:
    """The caller's membership; staff who follow no participants (administrators) get a 403."""
    user = request_user(request)
    if not permissions.can_use_employer_base(user):
        raise HttpError(403, _("You do not have access to the employer base."))
    membership = membership_for_user(user)  # cached on the user by the check above
    assert membership is not None
    return membership


def employer_for(request: HttpRequest, employer_id: int) -> Employer:
    """Fetch through the one door, or 404 (never 403: that would tell that the id exists)."""
    api_membership(request)
    if not 1 <= employer_id <= MAX_ID:
        raise Http404
    employer = queries.employer_detail(request_user(request), employer_id)
    if employer is None:
        raise Http404
    return employer


def _child(employer: Employer, related: str, child_id: int) -> Any:
    """One of the employer's own needs or contacts; another employer's id is a 404."""
    if not 1 <= child_id <= MAX_ID:
        raise Http404
    child = getattr(employer, related).filter(pk=child_id).first()
    if child is None:
        raise Http404
    return child


def _colleague(membership: Membership, user_id: int) -> User:
    """A user in the caller's organisation; the services decide whether they may be the contact
    person. Another organisation's user reads exactly like one that does not exist."""
    user = User.objects.filter(
        pk=user_id,
        memberships__organisation_id=membership.organisation_id,
        memberships__is_active=True,
    ).first()
    if user is None:
        raise ValidationError(
            {"contact_person_id": _("Choose a colleague in your organisation as contact person.")}
        )
    return user


@contextmanager
def _contact_person_as_id() -> Iterator[None]:
    """The services name the field `contact_person`; the caller sent `contact_person_id`."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict") and "contact_person" in error.error_dict:
            error.error_dict["contact_person_id"] = error.error_dict.pop("contact_person")
        raise


def _blank_if_none(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """Choice fields stored blank: the API takes `null` for "none"."""
    for name in names:
        if name in data and data[name] is None:
            data[name] = ""
    return data


# Schemas: the list and its filters.


class EmployerListParams(Schema):
    limit: ParamInt = Field(25, ge=1, le=100, description="Page size.")
    offset: ParamInt = Field(0, ge=0, description="How many employers to skip.")
    q: PlainText = Field(
        "",
        max_length=100,
        description="The start of the name (further words anywhere in it), or the first digits "
        "of the organisation number.",
    )
    section: str = Field(
        "", pattern="^[A-U]?$", description="Industry section (SN2007 / NACE), A to U."
    )
    municipality: PlainText = Field("", max_length=100, description="Exact, in any case.")
    stage: Employer.Stage | None = None
    need: PlainText = Field(
        "", max_length=100, description="Text in the role of one of the employer's open needs."
    )
    open_need: ParamBool = Field(False, description="Only employers with an open recruitment need.")
    mine: ParamBool = Field(False, description="Only employers the caller is contact person for.")


class EmployerListItem(Schema):
    id: int
    name: str
    org_number: str
    nace_division: str
    nace_section: str
    municipality: str
    stage: str
    next_step: str
    next_step_on: datetime.date | None
    contact_person_id: int | None
    contact_person_name: str | None

    @staticmethod
    def resolve_contact_person_name(obj: Employer) -> str | None:
        return obj.contact_person.full_name if obj.contact_person else None


class EmployerPage(Schema):
    count: int
    items: list[EmployerListItem]


# Schemas: one employer.


class ContactPerson(Schema):
    id: int
    name: str = Field(..., alias="full_name")
    phone: str
    email: str


class Industry(Schema):
    division: str = Field(..., description="SN2007 / NACE division, two digits.")
    section: str = Field(..., description="Its section, A to U.")
    name: str = Field(..., description="The division's name in the request's language.")


class EmployerOut(Schema):
    id: int
    name: str
    org_number: str
    industry: Industry | None
    size_band: str
    street_address: str
    postcode: str
    municipality: str
    website: str
    public_services_experience: str
    contact_person: ContactPerson | None
    stage: str
    next_step: str
    next_step_on: datetime.date | None
    revision: int = Field(..., description="Send it back with a change (a lost-update guard).")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_industry(obj: Employer) -> dict[str, str] | None:
        division = industries.get(obj.nace_division) if obj.nace_division else None
        if division is None:
            return None
        return {
            "division": division.code,
            "section": obj.nace_section,
            "name": industries.name(division, get_language()),
        }


class EmployerIn(Schema):
    name: PlainText = Field(..., min_length=1, max_length=200)
    org_number: PlainText = Field(
        ...,
        max_length=20,
        description="Norwegian organisation number (9 digits) or Danish CVR (8 digits), as "
        "people write it; the digits are kept.",
    )
    nace_division: PlainText = Field(
        "", max_length=2, description="Industry division (SN2007 / NACE), two digits."
    )
    size_band: Employer.SizeBand | None = None
    street_address: PlainText = Field("", max_length=200)
    postcode: PlainText = Field("", max_length=10)
    municipality: PlainText = Field("", max_length=100)
    website: PlainText = Field("", max_length=200)
    public_services_experience: PlainText = Field("", max_length=10000)


class EmployerCreateIn(EmployerIn):
    contact_person_id: Id = Field(
        ...,
        description="Our one person the employer calls: staff in the caller's organisation who "
        "work with participants.",
    )


class PatchSchema(Schema):
    """Only the fields sent are changed; `null` only where a field may be empty (`NULLABLE`)."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        # Typed `X | None` so that a field left out reads as unset; a `null` that is sent would
        # otherwise reach a service that cannot store it.
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError(_("This field cannot be null."))
        return value


class EmployerPatch(PatchSchema):
    NULLABLE = frozenset({"size_band"})

    revision: Revision

    name: PlainText | None = Field(None, min_length=1, max_length=200)
    org_number: PlainText | None = Field(None, max_length=20)
    nace_division: PlainText | None = Field(None, max_length=2, description='"" for none.')
    size_band: Employer.SizeBand | None = Field(None, description="`null` for none.")
    street_address: PlainText | None = Field(None, max_length=200)
    postcode: PlainText | None = Field(None, max_length=10)
    municipality: PlainText | None = Field(None, max_length=100)
    website: PlainText | None = Field(None, max_length=200)
    public_services_experience: PlainText | None = Field(None, max_length=10000)


class ContactPersonIn(Schema):
    revision: Revision
    contact_person_id: Id
    reason: Annotated[str, OneOf(ContactPersonChange.Reason)] = Field(
        ..., description="Why; `initial` is only for the first contact person."
    )
    reason_text: PlainText = Field("", max_length=300, description="Required for `other`.")
    handover_note: PlainText = Field("", max_length=5000)


class StageIn(Schema):
    revision: Revision
    stage: Employer.Stage
    next_step: PlainText = Field("", max_length=300)
    next_step_on: Date | None = Field(None, description="Needs a `next_step`.")


# Schemas: what hangs off an employer.


class NeedOut(Schema):
    id: int
    role: str
    tasks: str
    skills: str
    hours_per_week: int | None
    positions: int
    needed_from: datetime.date | None
    is_open: bool
    created_at: datetime.datetime


class NeedIn(Schema):
    role: PlainText = Field(..., min_length=1, max_length=200)
    tasks: PlainText = Field("", max_length=10000)
    skills: PlainText = Field("", max_length=10000)
    hours_per_week: StrictInt | None = Field(None, ge=0, le=SMALL_MAX, description="1 to 60.")
    positions: StrictInt = Field(
        1, ge=0, le=SMALL_MAX, description="How many people; at least one."
    )
    needed_from: Date | None = None
    is_open: StrictBool = True


class NeedPatch(PatchSchema):
    NULLABLE = frozenset({"hours_per_week", "needed_from"})

    role: PlainText | None = Field(None, min_length=1, max_length=200)
    tasks: PlainText | None = Field(None, max_length=10000)
    skills: PlainText | None = Field(None, max_length=10000)
    hours_per_week: StrictInt | None = Field(None, ge=0, le=SMALL_MAX)
    positions: StrictInt | None = Field(None, ge=0, le=SMALL_MAX)
    needed_from: Date | None = None
    is_open: StrictBool | None = Field(None, description="`false` closes the need.")


class Page(Schema):
    limit: ParamInt = Field(25, ge=1, le=100, description="Page size.")
    offset: ParamInt = Field(0, ge=0, description="How many to skip.")


class OutreachOut(Schema):
    id: int
    kind: str
    occurred_on: datetime.date
    summary: str
    by_id: int
    by_name: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_by_name(obj: OutreachActivity) -> str:
        return obj.by.full_name


class OutreachPage(Schema):
    count: int
    items: list[OutreachOut]


class OutreachIn(Schema):
    kind: Annotated[str, OneOf(OutreachActivity.Kind)]
    occurred_on: Date = Field(..., description="At most a year ahead.")
    summary: PlainText = Field("", max_length=10000)


class AgreementOut(Schema):
    id: int
    status: str
    signed_on: datetime.date | None
    renewal_on: datetime.date | None
    work_training_places: int
    summer_jobs: int
    apprenticeships: int
    hires: int
    notes: str
    has_document: bool = Field(
        ..., description="A signed PDF is stored; it is uploaded and read on the employer's page."
    )
    created_by_id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_has_document(obj: IntentionAgreement) -> bool:
        return bool(obj.document)


class AgreementIn(Schema):
    status: Annotated[str, OneOf(IntentionAgreement.Status)] = IntentionAgreement.Status.DRAFT
    signed_on: Date | None = Field(None, description="Required once signed; not in the future.")
    renewal_on: Date | None = Field(None, description="After the signing.")
    work_training_places: StrictInt = Field(0, ge=0, le=SMALL_MAX)
    summer_jobs: StrictInt = Field(0, ge=0, le=SMALL_MAX)
    apprenticeships: StrictInt = Field(0, ge=0, le=SMALL_MAX)
    hires: StrictInt = Field(0, ge=0, le=SMALL_MAX)
    notes: PlainText = Field("", max_length=10000)


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str
    is_mentor: bool
    confidentiality_signed_on: datetime.date | None = Field(
        ..., description="A mentor without a signed declaration sees no participant data."
    )
    is_active: bool
    created_at: datetime.datetime


class ContactIn(Schema):
    name: PlainText = Field(..., min_length=1, max_length=200)
    title: PlainText = Field("", max_length=200, description="Their role at the employer.")
    phone: PlainText = Field("", max_length=30, description="A phone number or an e-mail.")
    email: PlainText = Field("", max_length=254)
    is_mentor: StrictBool = Field(False, description="The workplace mentor.")
    confidentiality_signed_on: Date | None = Field(None, description="Not in the future.")


class ContactPatch(PatchSchema):
    NULLABLE = frozenset({"confidentiality_signed_on"})

    name: PlainText | None = Field(None, min_length=1, max_length=200)
    title: PlainText | None = Field(None, max_length=200)
    phone: PlainText | None = Field(None, max_length=30)
    email: PlainText | None = Field(None, max_length=254)
    is_mentor: StrictBool | None = None
    confidentiality_signed_on: Date | None = None
    is_active: StrictBool | None = Field(None, description="`false` for someone who has left.")


class SupportOut(Schema):
    id: int
    mentor_id: int
    counselor_id: int
    counselor_name: str
    contact_on: datetime.date
    channel: str
    topic: str
    going: str
    next_contact_on: datetime.date | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_counselor_name(obj: MentorSupportContact) -> str:
        return obj.counselor.full_name


class SupportPage(Schema):
    count: int
    items: list[SupportOut]


class SupportIn(Schema):
    contact_on: Date = Field(..., description="Not in the future.")
    channel: MentorSupportContact.Channel
    topic: PlainText = Field(..., min_length=1, max_length=300)
    going: MentorSupportContact.Going
    next_contact_on: Date | None = Field(None, description="After `contact_on`.")


# Routes: the employer base.


@router.get(
    "",
    response={200: EmployerPage, **ERROR_RESPONSES},
    summary="List employers",
    description="The organisation's employer base by name, a page at a time.",
)
def employer_list(request: HttpRequest, params: Query[EmployerListParams]) -> dict:
    api_membership(request)
    flt = queries.EmployerFilter(
        q=params.q.strip(),
        section=params.section,
        municipality=params.municipality,
        stage=params.stage or "",
        need=params.need,
        open_need=params.open_need,
        mine=params.mine,
    )
    rows = queries.employer_list(request_user(request), flt)
    return page_of(rows, offset=params.offset, limit=params.limit)


@router.post(
    "",
    response={201: EmployerOut, **ERROR_RESPONSES},
    summary="Register an employer",
)
def employer_create(request: HttpRequest, payload: EmployerCreateIn) -> Status[Employer]:
    membership = api_membership(request)
    data = _blank_if_none(payload.dict(), "size_band")
    contact_person = _colleague(membership, data.pop("contact_person_id"))
    with _contact_person_as_id():
        employer = services.employer_create(
            organisation=membership.organisation,
            by=request_user(request),
            contact_person=contact_person,
            **data,
        )
    return Status(201, employer)


@router.get(
    "/{employer_id}",
    response={200: EmployerOut, **ERROR_RESPONSES},
    summary="Read an employer",
)
def employer_detail(request: HttpRequest, employer_id: PathId) -> Employer:
    return employer_for(request, employer_id)


@router.patch(
    "/{employer_id}",
    response={200: EmployerOut, **WRITE_RESPONSES},
    summary="Change an employer",
    description="Only the fields sent are changed, with the `revision` you read; a stale "
    "revision is a 409.",
)
def employer_update(request: HttpRequest, employer_id: PathId, payload: EmployerPatch) -> Employer:
    employer = employer_for(request, employer_id)
    data = _blank_if_none(payload.dict(exclude_unset=True), "size_band")
    if data.keys() == {"revision"}:
        return employer  # nothing to change
    return services.employer_update(employer=employer, by=request_user(request), **data)


@router.post(
    "/{employer_id}/contact-person",
    response={200: EmployerOut, **WRITE_RESPONSES},
    summary="Change the contact person",
    description="Give the employer a new person to call; the history is kept.",
)
def contact_person_change(
    request: HttpRequest, employer_id: PathId, payload: ContactPersonIn
) -> Employer:
    employer = employer_for(request, employer_id)
    data = payload.dict()
    contact_person = _colleague(api_membership(request), data.pop("contact_person_id"))
    with _contact_person_as_id():
        services.contact_person_change(
            employer=employer, by=request_user(request), contact_person=contact_person, **data
        )
    return employer_for(request, employer_id)


@router.post(
    "/{employer_id}/stage",
    response={200: EmployerOut, **WRITE_RESPONSES},
    summary="Move the employer in the pipeline",
)
def employer_stage(request: HttpRequest, employer_id: PathId, payload: StageIn) -> Employer:
    employer = employer_for(request, employer_id)
    return services.employer_set_stage(
        employer=employer, by=request_user(request), **payload.dict()
    )


# Routes: recruitment needs.


@router.get(
    "/{employer_id}/needs",
    response={200: list[NeedOut], **ERROR_RESPONSES},
    summary="List the employer's recruitment needs",
    description="Open needs first (at most 100).",
)
def need_list(request: HttpRequest, employer_id: PathId) -> list[RecruitmentNeed]:
    return queries.needs_for(employer_for(request, employer_id))


@router.post(
    "/{employer_id}/needs",
    response={201: NeedOut, **ERROR_RESPONSES},
    summary="Add a recruitment need",
)
def need_create(
    request: HttpRequest, employer_id: PathId, payload: NeedIn
) -> Status[RecruitmentNeed]:
    employer = employer_for(request, employer_id)
    need = services.need_add(employer=employer, by=request_user(request), **payload.dict())
    return Status(201, need)


@router.patch(
    "/{employer_id}/needs/{need_id}",
    response={200: NeedOut, **ERROR_RESPONSES},
    summary="Change or close a recruitment need",
    description="Only the fields sent are changed; an empty body changes nothing.",
)
def need_update(
    request: HttpRequest, employer_id: PathId, need_id: PathId, payload: NeedPatch
) -> RecruitmentNeed:
    need: RecruitmentNeed = _child(employer_for(request, employer_id), "needs", need_id)
    data = payload.dict(exclude_unset=True)
    if not data:
        return need
    return services.need_update(need=need, by=request_user(request), **data)


# Routes: outreach.


@router.get(
    "/{employer_id}/outreach",
    response={200: OutreachPage, **ERROR_RESPONSES},
    summary="List the outreach to the employer",
    description="Meetings, calls, visits and events, newest first, a page at a time.",
)
def outreach_list(request: HttpRequest, employer_id: PathId, page: Query[Page]) -> dict:
    rows = queries.outreach_for(employer_for(request, employer_id))
    return page_of(rows, offset=page.offset, limit=page.limit)


@router.post(
    "/{employer_id}/outreach",
    response={201: OutreachOut, **ERROR_RESPONSES},
    summary="Record an outreach activity",
)
def outreach_create(
    request: HttpRequest, employer_id: PathId, payload: OutreachIn
) -> Status[OutreachActivity]:
    employer = employer_for(request, employer_id)
    activity = services.outreach_add(employer=employer, by=request_user(request), **payload.dict())
    return Status(201, activity)


# Routes: intention agreements.


@router.get(
    "/{employer_id}/agreements",
    response={200: list[AgreementOut], **ERROR_RESPONSES},
    summary="List the intention agreements",
    description="Newest first (at most 50). The signed PDF is read on the employer's page.",
)
def agreement_list(request: HttpRequest, employer_id: PathId) -> list[IntentionAgreement]:
    return queries.agreements_for(employer_for(request, employer_id))


@router.post(
    "/{employer_id}/agreements",
    response={201: AgreementOut, **ERROR_RESPONSES},
    summary="Record an intention agreement",
    description="Without the signed PDF: that is uploaded on the employer's page.",
)
def agreement_create(
    request: HttpRequest, employer_id: PathId, payload: AgreementIn
) -> Status[IntentionAgreement]:
    employer = employer_for(request, employer_id)
    agreement = services.agreement_create(
        employer=employer, by=request_user(request), **payload.dict()
    )
    return Status(201, agreement)


# Routes: the people at the employer.


@router.get(
    "/{employer_id}/contacts",
    response={200: list[ContactOut], **ERROR_RESPONSES},
    summary="List the people at the employer",
    description="Contacts and mentors, active first (at most 200).",
)
def contact_list(request: HttpRequest, employer_id: PathId) -> list[EmployerContact]:
    return queries.contacts_for(employer_for(request, employer_id))


@router.post(
    "/{employer_id}/contacts",
    response={201: ContactOut, **ERROR_RESPONSES},
    summary="Add a person at the employer",
)
def contact_create(
    request: HttpRequest, employer_id: PathId, payload: ContactIn
) -> Status[EmployerContact]:
    employer = employer_for(request, employer_id)
    contact = services.contact_add(employer=employer, by=request_user(request), **payload.dict())
    return Status(201, contact)


@router.patch(
    "/{employer_id}/contacts/{contact_id}",
    response={200: ContactOut, **ERROR_RESPONSES},
    summary="Change a person at the employer",
    description="Only the fields sent are changed; an empty body changes nothing.",
)
def contact_update(
    request: HttpRequest, employer_id: PathId, contact_id: PathId, payload: ContactPatch
) -> EmployerContact:
    contact: EmployerContact = _child(employer_for(request, employer_id), "contacts", contact_id)
    data = payload.dict(exclude_unset=True)
    if not data:
        return contact
    return services.contact_update(contact=contact, by=request_user(request), **data)


@router.get(
    "/{employer_id}/contacts/{contact_id}/support-log",
    response={200: SupportPage, **ERROR_RESPONSES},
    summary="List the support contacts with a mentor",
    description="Newest first, a page at a time.",
)
def support_list(
    request: HttpRequest, employer_id: PathId, contact_id: PathId, page: Query[Page]
) -> dict:
    contact: EmployerContact = _child(employer_for(request, employer_id), "contacts", contact_id)
    return page_of(queries.support_log_for(contact), offset=page.offset, limit=page.limit)


@router.post(
    "/{employer_id}/contacts/{contact_id}/support-log",
    response={201: SupportOut, **ERROR_RESPONSES},
    summary="Log a support contact with a mentor",
)
def support_create(
    request: HttpRequest, employer_id: PathId, contact_id: PathId, payload: SupportIn
) -> Status[MentorSupportContact]:
    contact: EmployerContact = _child(employer_for(request, employer_id), "contacts", contact_id)
    entry = services.mentor_support_add(mentor=contact, by=request_user(request), **payload.dict())
    return Status(201, entry)
