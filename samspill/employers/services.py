"""Writes to the employer base (STYLE.md 2): keyword-only, one transaction, an audit event each.

Validation lives here, once; forms and the API only convert types.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.matchtext import need_index
from samspill.core.revisions import check_revision, count_save
from samspill.employers import industries
from samspill.employers.identity import parse_org_number
from samspill.employers.models import (
    ContactPersonChange,
    Employer,
    EmployerContact,
    EmployerStageChange,
    IntentionAgreement,
    MentorSupportContact,
    NeedTerm,
    OutreachActivity,
    RecruitmentNeed,
)
from samspill.organisations.models import Organisation
from samspill.organisations.queries import staff_who_follow

EMPLOYER_FIELDS = (
    "name",
    "org_number",
    "nace_division",
    "size_band",
    "street_address",
    "postcode",
    "municipality",
    "website",
    "public_services_experience",
)
NEED_FIELDS = ("role", "tasks", "skills", "hours_per_week", "positions", "needed_from", "is_open")
AGREEMENT_FIELDS = (
    "status",
    "signed_on",
    "renewal_on",
    "work_training_places",
    "summer_jobs",
    "apprenticeships",
    "hires",
    "notes",
)
CONTACT_FIELDS = ("name", "title", "phone", "email", "is_mentor", "confidentiality_signed_on")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def _audit(by: User, employer: Employer, action: str, obj: Any, **data: Any) -> None:
    audit_record(
        actor=by, organisation_id=employer.organisation_id, action=action, obj=obj, data=data
    )


def _staff_contact(*, user: User, organisation_id: int) -> None:
    """The contact person must be active staff of the organisation who works with people."""
    if not staff_who_follow(organisation_id).filter(user=user).exists():
        raise ValidationError(
            {"contact_person": _("Choose a colleague in your organisation as contact person.")}
        )


def _apply_employer_fields(employer: Employer, fields: dict[str, Any], country: str) -> None:
    unknown = set(fields) - set(EMPLOYER_FIELDS)
    if unknown:
        raise TypeError(f"unknown employer fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(employer, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    try:
        employer.org_number = parse_org_number(employer.org_number, country=country)
    except ValidationError as error:
        errors["org_number"] = error.messages
    if employer.nace_division:
        industry = industries.get(employer.nace_division)
        if industry is None or industry.level != "division":
            errors["nace_division"] = [_("Choose an industry from the list.")]
        else:
            employer.nace_section = industry.parent or ""
    else:
        employer.nace_section = ""
    try:
        employer.full_clean(
            exclude=["organisation", "org_number"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    duplicate = Employer.objects.filter(
        organisation_id=employer.organisation_id, org_number=employer.org_number
    ).exclude(pk=employer.pk)
    if duplicate.exists():
        raise ValidationError(
            {"org_number": _("An employer with this organisation number is already registered.")}
        )


def _save_unique(obj: Any, **kwargs: Any) -> None:
    """Save; a race on a unique constraint becomes a clear message instead of a 500."""
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError:
        raise ValidationError(
            _("Someone else saved the same thing at the same time. Reload and try again.")
        ) from None


@transaction.atomic
def employer_create(
    *, organisation: Organisation, by: User, contact_person: User, **fields: Any
) -> Employer:
    """Register an employer with its one person to call."""
    employer = Employer(organisation=organisation)
    _apply_employer_fields(employer, fields, organisation.country)
    _staff_contact(user=contact_person, organisation_id=organisation.pk)
    employer.contact_person = contact_person
    _save_unique(employer)
    ContactPersonChange.objects.create(
        employer=employer,
        contact_person=contact_person,
        started_at=timezone.now(),
        changed_by=by,
        reason=ContactPersonChange.Reason.INITIAL,
    )
    _audit(by, employer, "employer.created", employer, contact_person=contact_person.pk)
    return employer


@transaction.atomic
def employer_update(
    *, employer: Employer, by: User, revision: int | None = None, **fields: Any
) -> Employer:
    """Change the employer's fields; with `revision`, a colleague's save since is refused."""
    employer = (
        Employer.objects.select_for_update().select_related("organisation").get(pk=employer.pk)
    )
    check_revision(employer, revision)
    place_before = employer.municipality
    _apply_employer_fields(employer, fields, employer.organisation.country)
    count_save(employer)
    _save_unique(employer)
    if employer.municipality != place_before:
        # The open needs' postings carry the place (matching's first stage).
        NeedTerm.objects.filter(need__employer=employer).update(
            place=employer.municipality.strip().lower()
        )
    _audit(by, employer, "employer.updated", employer, fields=sorted(fields))
    return employer


@transaction.atomic
def contact_person_change(
    *,
    employer: Employer,
    by: User,
    contact_person: User,
    reason: str,
    reason_text: str = "",
    handover_note: str = "",
    revision: int | None = None,
) -> ContactPersonChange:
    """Give the employer a new person to call, keeping the history (like a counselor change)."""
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    check_revision(employer, revision)
    if (
        reason not in ContactPersonChange.Reason.values
        or reason == ContactPersonChange.Reason.INITIAL
    ):
        raise ValidationError({"reason": _("Choose a reason for the change.")})
    if reason == ContactPersonChange.Reason.OTHER and not reason_text.strip():
        raise ValidationError({"reason_text": _("Describe the reason when you choose “Other”.")})
    _staff_contact(user=contact_person, organisation_id=employer.organisation_id)
    if employer.contact_person_id == contact_person.pk:
        raise ValidationError(
            {
                "contact_person": _("%(name)s is already the contact person.")
                % {"name": contact_person}
            }
        )
    now = timezone.now()
    ContactPersonChange.objects.filter(employer=employer, ended_at__isnull=True).update(
        ended_at=now
    )
    change = ContactPersonChange(
        employer=employer,
        contact_person=contact_person,
        started_at=now,
        changed_by=by,
        reason=reason,
        reason_text=reason_text.strip(),
        handover_note=handover_note.strip(),
    )
    change.full_clean(validate_constraints=False)
    _save_unique(change)
    previous = employer.contact_person_id
    employer.contact_person = contact_person
    employer.save(update_fields=count_save(employer, "contact_person", "updated_at"))
    _audit(
        by,
        employer,
        "employer.contact_person_changed",
        change,
        contact_person=contact_person.pk,
        previous=previous,
        reason=reason,
    )
    return change


@transaction.atomic
def employer_set_stage(
    *,
    employer: Employer,
    by: User,
    stage: str,
    next_step: str = "",
    next_step_on: datetime.date | None = None,
    revision: int | None = None,
) -> Employer:
    """Move the employer in the pipeline and set the next step."""
    if stage not in Employer.Stage.values:
        raise ValidationError({"stage": _("Choose a stage.")})
    if next_step_on is not None and not next_step.strip():
        raise ValidationError({"next_step": _("Say what the next step is.")})
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    check_revision(employer, revision)
    previous = employer.stage
    employer.stage = stage
    employer.next_step = next_step.strip()
    employer.next_step_on = next_step_on
    employer.full_clean(exclude=["organisation", "contact_person"], validate_unique=False)
    employer.save(
        update_fields=count_save(employer, "stage", "next_step", "next_step_on", "updated_at")
    )
    if previous != stage:
        # The pipeline's history: events read from it who moved forward afterwards.
        EmployerStageChange.objects.create(
            employer=employer, from_stage=previous, to_stage=stage, changed_at=timezone.now(), by=by
        )
    _audit(by, employer, "employer.stage_set", employer, stage=stage, previous=previous)
    return employer


@transaction.atomic
def outreach_add(
    *,
    employer: Employer,
    by: User,
    kind: str,
    occurred_on: datetime.date,
    summary: str = "",
) -> OutreachActivity:
    if occurred_on > timezone.localdate() + datetime.timedelta(days=365):
        raise ValidationError({"occurred_on": _("The date is more than a year ahead.")})
    activity = OutreachActivity(
        employer=employer, by=by, kind=kind, occurred_on=occurred_on, summary=summary.strip()
    )
    activity.full_clean()
    activity.save()
    _audit(by, employer, "employer.outreach_added", activity, kind=kind)
    return activity


def _validate_need(need: RecruitmentNeed) -> None:
    need.full_clean()
    if need.positions < 1:
        raise ValidationError({"positions": _("At least one.")})
    if need.hours_per_week is not None and not 1 <= need.hours_per_week <= 60:
        raise ValidationError({"hours_per_week": _("Between 1 and 60 hours a week.")})


def _store_terms(need: RecruitmentNeed) -> None:
    """The open need's posting list (NeedTerm), one row per stored key of `match_terms`; a
    closed need has none. Each posting carries the need's static score (1 / its number of
    stems) and its employer's municipality, for the bounded first stage of matching."""
    NeedTerm.objects.filter(need=need).delete()
    if need.is_open:
        terms = list(dict.fromkeys(need.match_terms.split()))
        static_score = 1.0 / max(1, sum(1 for t in terms if t.startswith("=")))
        place = need.employer.municipality.strip().lower()
        NeedTerm.objects.bulk_create(
            NeedTerm(term=term, need=need, static_score=static_score, place=place) for term in terms
        )


@transaction.atomic
def need_add(*, employer: Employer, by: User, **fields: Any) -> RecruitmentNeed:
    """Record a role the employer wants to fill."""
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")
    need = RecruitmentNeed(employer=employer, **fields)
    _validate_need(need)
    need.match_terms = need_index(role=need.role, tasks=need.tasks, skills=need.skills)
    need.save()
    _store_terms(need)
    _audit(by, employer, "employer.need_added", need)
    return need


@transaction.atomic
def need_update(*, need: RecruitmentNeed, by: User, **fields: Any) -> RecruitmentNeed:
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")
    need = RecruitmentNeed.objects.select_for_update().select_related("employer").get(pk=need.pk)
    for name, value in fields.items():
        setattr(need, name, value)
    _validate_need(need)
    update_fields = list(fields)
    if {"role", "tasks", "skills"}.intersection(fields):
        need.match_terms = need_index(role=need.role, tasks=need.tasks, skills=need.skills)
        update_fields.append("match_terms")
    need.save(update_fields=update_fields)
    if {"role", "tasks", "skills", "is_open"}.intersection(fields):
        _store_terms(need)
    _audit(by, need.employer, "employer.need_updated", need, fields=sorted(fields))
    return need


def _validate_document(document: UploadedFile | None) -> None:
    if document is None:
        return
    if (document.size or 0) > DOCUMENT_MAX_BYTES:
        raise ValidationError({"document": _("The file is larger than 10 MB.")})
    head = document.read(5)
    document.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"document": _("Upload the signed agreement as a PDF file.")})


def _validate_agreement(agreement: IntentionAgreement) -> None:
    agreement.full_clean(exclude=["document", "created_by"])
    signed = {
        IntentionAgreement.Status.SIGNED,
        IntentionAgreement.Status.ACTIVE,
        IntentionAgreement.Status.PAUSED,
        IntentionAgreement.Status.ENDED,
    }
    if agreement.status in signed and agreement.signed_on is None:
        raise ValidationError({"signed_on": _("A signed agreement needs the date it was signed.")})
    if agreement.signed_on and agreement.signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    if agreement.renewal_on and agreement.signed_on and agreement.renewal_on <= agreement.signed_on:
        raise ValidationError({"renewal_on": _("The renewal date must come after the signing.")})


@transaction.atomic
def agreement_create(
    *, employer: Employer, by: User, document: UploadedFile | None = None, **fields: Any
) -> IntentionAgreement:
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    agreement = IntentionAgreement(employer=employer, created_by=by, **fields)
    _validate_agreement(agreement)
    _validate_document(document)
    if document is not None:
        agreement.document.save(document.name or "agreement.pdf", document, save=False)
    agreement.save()
    _audit(by, employer, "employer.agreement_created", agreement, status=agreement.status)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: IntentionAgreement,
    by: User,
    document: UploadedFile | None = None,
    revision: int | None = None,
    **fields: Any,
) -> IntentionAgreement:
    """Change the agreement; with `revision`, a colleague's save since is refused."""
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    agreement = (
        IntentionAgreement.objects.select_for_update()
        .select_related("employer")
        .get(pk=agreement.pk)
    )
    check_revision(agreement, revision)
    for name, value in fields.items():
        setattr(agreement, name, value)
    _validate_agreement(agreement)
    _validate_document(document)
    if document is not None:
        agreement.document.save(document.name or "agreement.pdf", document, save=False)
    count_save(agreement)
    agreement.save()
    _audit(by, agreement.employer, "employer.agreement_updated", agreement, status=agreement.status)
    return agreement


@transaction.atomic
def contact_add(*, employer: Employer, by: User, **fields: Any) -> EmployerContact:
    """Add a person at the employer (a contact, perhaps the workplace mentor)."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    contact = EmployerContact(employer=employer, **fields)
    _validate_contact(contact)
    contact.save()
    _audit(by, employer, "employer.contact_added", contact, mentor=contact.is_mentor)
    return contact


def _validate_contact(contact: EmployerContact) -> None:
    contact.full_clean()
    if not (contact.phone.strip() or contact.email.strip()):
        raise ValidationError({"phone": _("Give a phone number or an e-mail address.")})
    if (
        contact.confidentiality_signed_on
        and contact.confidentiality_signed_on > timezone.localdate()
    ):
        raise ValidationError(
            {"confidentiality_signed_on": _("The declaration cannot be signed in the future.")}
        )
    if contact.email and (
        EmployerContact.objects.filter(employer_id=contact.employer_id, email__iexact=contact.email)
        .exclude(pk=contact.pk)
        .exists()
    ):
        raise ValidationError({"email": _("Another contact at this employer has this e-mail.")})


@transaction.atomic
def contact_update(*, contact: EmployerContact, by: User, **fields: Any) -> EmployerContact:
    unknown = set(fields) - set(CONTACT_FIELDS) - {"is_active"}
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    contact = (
        EmployerContact.objects.select_for_update().select_related("employer").get(pk=contact.pk)
    )
    for name, value in fields.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    _validate_contact(contact)
    contact.save(update_fields=list(fields))
    _audit(by, contact.employer, "employer.contact_updated", contact, fields=sorted(fields))
    return contact


@transaction.atomic
def mentor_support_add(
    *,
    mentor: EmployerContact,
    by: User,
    contact_on: datetime.date,
    channel: str,
    topic: str,
    going: str,
    next_contact_on: datetime.date | None = None,
) -> MentorSupportContact:
    """Log a counselor's contact with a mentor, and when to talk next."""
    if not mentor.is_mentor:
        raise ValidationError(_("This person is not registered as a mentor."))
    if contact_on > timezone.localdate():
        raise ValidationError({"contact_on": _("The contact cannot be in the future.")})
    if next_contact_on is not None and next_contact_on <= contact_on:
        raise ValidationError({"next_contact_on": _("The next contact must come after this one.")})
    entry = MentorSupportContact(
        mentor=mentor,
        counselor=by,
        contact_on=contact_on,
        channel=channel,
        topic=topic.strip(),
        going=going,
        next_contact_on=next_contact_on,
    )
    entry.full_clean()
    entry.save()
    _audit(by, mentor.employer, "employer.mentor_support_logged", entry, going=going)
    return entry
