"""Every change to a participant's case record goes through these functions (STYLE.md 2):
keyword-only, typed, atomic, validated, and each writes an audit event naming the actor."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.matchtext import profile_index
from samspill.core.phone import phone_digits, validate_phone
from samspill.core.revisions import check_revision, count_save
from samspill.organisations.models import Membership, Organisation
from samspill.participants import outcomes
from samspill.participants.identity import parse_identity_number
from samspill.participants.models import (
    OUTCOME_ALIASES,
    ConsentRecord,
    CounselorAssignment,
    FollowUpPeriod,
    Participant,
    ParticipantTerm,
    PeriodOutcome,
)

# Fields a counselor edits on the participant form.
PROFILE_FIELDS = (
    "given_name",
    "family_name",
    "national_id",
    "birth_date",
    "phone",
    "email",
    "address",
    "postal_code",
    "municipality",
    "preferred_language",
    "need_group",
    "dreams",
    "who_i_am",
    "what_i_can",
    "want_to_learn",
    "interests",
    "needs",
    "shareable_accommodations",
    "next_follow_up_on",
)


def _apply_identity(participant: Participant, country: str) -> None:
    """Normalise the national id and derive the birth date from it."""
    if participant.national_id:
        try:
            parsed = parse_identity_number(participant.national_id, country=country)
        except ValidationError as error:
            raise ValidationError({"national_id": error.messages}) from None
        participant.national_id = parsed.number
        participant.national_id_kind = parsed.kind
        participant.birth_date = parsed.birth_date
    else:
        participant.national_id_kind = ""


def _check_unique_national_id(participant: Participant) -> None:
    if not participant.national_id:
        return
    clash = Participant.objects.filter(
        organisation_id=participant.organisation_id, national_id=participant.national_id
    ).exclude(pk=participant.pk)
    if clash.exists():
        raise ValidationError(
            {"national_id": _("Another participant in this organisation has this identity number.")}
        )


def _validate_profile(participant: Participant, *, country: str, identity: bool = True) -> None:
    """Every rule on the profile at once, so a form shows each field's error in one round
    (not a bad national id only after the e-mail is mended). `identity`: the national id is
    new or changed, and is parsed (normalised, birth date derived)."""
    errors: dict[str, list[str]] = {}
    if identity:
        try:
            _apply_identity(participant, country)
        except ValidationError as error:
            errors.update(error.message_dict)
    if participant.phone:
        try:
            validate_phone(participant.phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    if participant.birth_date and participant.birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(_("A birth date cannot be in the future."))
    # Norwegian and Danish postal codes are four digits ("ab12" is a typing slip).
    postal_code = (participant.postal_code or "").strip()
    if postal_code and not (len(postal_code) == 4 and postal_code.isdigit()):
        errors["postal_code"] = [_("A postal code is four digits.")]
    try:
        participant.full_clean(
            exclude=["organisation", *errors], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if "national_id" not in errors:
        try:
            _check_unique_national_id(participant)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    participant.phone_digits = phone_digits(participant.phone)


def participant_check(
    *, organisation: Organisation, participant: Participant | None = None, **fields: Any
) -> None:
    """The profile's rules over `fields`, saving nothing: a form whose own fields are wrong
    asks this for the others, so that every error shows at once. Raises ValidationError."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown participant fields: {sorted(unknown)}")
    candidate = Participant(organisation=organisation)
    if participant is not None:
        candidate = Participant.objects.get(pk=participant.pk)
    for name, value in fields.items():
        setattr(candidate, name, value)
    _validate_profile(candidate, country=organisation.country)


def _counselor_membership(*, counselor: User, organisation: Organisation) -> Membership:
    membership = (
        Membership.objects.select_related("team")
        .filter(user=counselor, organisation=organisation, is_active=True)
        .first()
    )
    if membership is None or not membership.follows_participants:
        raise ValidationError(
            {"counselor": _("This person cannot follow participants in this organisation.")}
        )
    return membership


# The profile fields matching reads (never `needs`: health is not used to match).
MATCHED_FIELDS = frozenset({"what_i_can", "want_to_learn", "interests", "dreams", "who_i_am"})


def match_terms(participant: Participant) -> str:
    """The stored matching terms of the profile (samspill/core/matchtext.py)."""
    return profile_index(
        what_i_can=participant.what_i_can,
        want_to_learn=participant.want_to_learn,
        wishes=" . ".join((participant.interests, participant.dreams, participant.who_i_am)),
    )


def _store_terms(participant: Participant) -> None:
    """The profile's posting list (ParticipantTerm), one row per stored key of `match_terms`."""
    ParticipantTerm.objects.filter(participant=participant).delete()
    ParticipantTerm.objects.bulk_create(
        ParticipantTerm(term=term, participant=participant)
        for term in dict.fromkeys(participant.match_terms.split())
    )


@transaction.atomic
def participant_create(
    *,
    organisation: Organisation,
    by: User,
    counselor: User,
    start_date: datetime.date | None = None,
    **fields: Any,
) -> Participant:
    """Create a participant, open their first follow-up period and assign the counselor."""
    unknown = set(fields) - set(PROFILE_FIELDS) - {"external_key"}
    if unknown:
        raise TypeError(f"unknown participant fields: {sorted(unknown)}")
    participant = Participant(organisation=organisation, **fields)
    _validate_profile(participant, country=organisation.country)
    participant.match_terms = match_terms(participant)
    participant.save()
    _store_terms(participant)
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="participant.created",
        obj=participant,
        participant_id=participant.pk,
    )
    period_start(
        participant=participant,
        by=by,
        counselor=counselor,
        start_date=start_date or timezone.localdate(),
    )
    return participant


@transaction.atomic
def participant_update(
    *, participant: Participant, by: User, revision: int | None = None, **fields: Any
) -> Participant:
    """Change profile fields; only the fields given are written. With `revision` (an edit
    form, the API), a colleague's save since is refused (StaleRevision)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown participant fields: {sorted(unknown)}")
    participant = (
        Participant.objects.select_for_update()
        .select_related("organisation")
        .get(pk=participant.pk)
    )
    check_revision(participant, revision)
    if fields.get("national_id"):
        # Compare the number as it will be stored, so "170590 12345" for a stored
        # "17059012345" is no change.
        candidate = Participant(national_id=fields["national_id"])
        try:
            _apply_identity(candidate, participant.organisation.country)
            fields["national_id"] = candidate.national_id
        except ValidationError:
            pass  # the same check below reports it on the field
    changed = [name for name, value in fields.items() if getattr(participant, name) != value]
    for name in changed:
        setattr(participant, name, fields[name])
    _validate_profile(
        participant,
        country=participant.organisation.country,
        identity="national_id" in changed,
    )
    if "national_id" in changed:
        changed += ["national_id_kind", "birth_date"]
    if changed:
        derived = ["phone_digits"] if "phone" in changed else []
        if MATCHED_FIELDS.intersection(changed):
            participant.match_terms = match_terms(participant)
            derived.append("match_terms")
        participant.save(
            update_fields=count_save(participant, *set(changed), *derived, "updated_at")
        )
        if "match_terms" in derived:
            _store_terms(participant)
        audit_record(
            actor=by,
            organisation_id=participant.organisation_id,
            action="participant.updated",
            obj=participant,
            participant_id=participant.pk,
            # Field names only: the audit trail must not become a second copy of sensitive text.
            data={"fields": sorted(set(changed))},
        )
    return participant


@transaction.atomic
def period_start(
    *, participant: Participant, by: User, counselor: User, start_date: datetime.date
) -> FollowUpPeriod:
    """Open a follow-up period with its first counselor."""
    if FollowUpPeriod.objects.filter(participant=participant, end_date__isnull=True).exists():
        raise ValidationError(_("This participant already has an open follow-up period."))
    period = FollowUpPeriod(participant=participant, start_date=start_date)
    period.full_clean(validate_constraints=False)
    period.save()
    participant.active_period = period
    participant.save(update_fields=["active_period", "updated_at"])
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="period.started",
        obj=period,
        participant_id=participant.pk,
        data={"start_date": start_date.isoformat()},
    )
    # The first counselor follows from the period's start, also when it is recorded later.
    starts = datetime.datetime.combine(
        start_date, datetime.time(8), tzinfo=timezone.get_current_timezone()
    )
    counselor_assign(
        participant=participant,
        counselor=counselor,
        by=by,
        reason=CounselorAssignment.Reason.INITIAL,
        started_at=min(starts, timezone.now()),
    )
    return period


# Checks a higher app adds (in its AppConfig.ready) before a period may end, e.g. placements:
# follow-up into an ordinary job lasts at least three months. Each raises ValidationError.
PeriodEndCheck = Callable[[FollowUpPeriod, datetime.date], None]
PERIOD_END_CHECKS: list[PeriodEndCheck] = []


def period_end_blockers(period: FollowUpPeriod | None, on: datetime.date) -> list[str]:
    """What keeps the open period from ending on `on` (e.g. follow-up into a job goes on), in
    the checks' own words: the end form shows it before the counselor tries."""
    if period is None or period.end_date is not None:
        return []
    blockers: list[str] = []
    for check in PERIOD_END_CHECKS:
        try:
            check(period, on)
        except ValidationError as refused:
            blockers.extend(refused.messages)
    return blockers


@transaction.atomic
def period_end(
    *,
    participant: Participant,
    by: User,
    end_date: datetime.date,
    outcome: str = "",
    hours_per_week: Decimal | None = None,
    wage_subsidy: bool = False,
    note: str = "",
    end_reason: str = "",
) -> FollowUpPeriod:
    """Close the open period with its outcome at the end, and its counselor assignment; the
    participant leaves all caseloads, and statuses six and twelve months after are scheduled.

    `end_reason` is the earlier name of `outcome` (and may be one of the earlier codes)."""
    period = (
        FollowUpPeriod.objects.select_for_update()
        .select_related("participant")
        .filter(participant=participant, end_date__isnull=True)
        .first()
    )
    if period is None:
        raise ValidationError(_("This participant has no open follow-up period."))
    outcome = outcome or OUTCOME_ALIASES.get(end_reason, end_reason) or ""
    # Every field's message at once (the form shows each in place).
    errors: dict[str, Any] = {}
    if not outcome:
        errors["outcome"] = _("Say where the participant goes from here.")
    else:
        outcomes.check_work_details(errors, outcome, hours_per_week, wage_subsidy)
    if end_date < period.start_date:
        errors["end_date"] = _("The end cannot be before the start (%(start)s).") % {
            "start": period.start_date
        }
    elif end_date > timezone.localdate():
        errors["end_date"] = _("The end cannot be in the future.")
    else:
        try:
            for check in PERIOD_END_CHECKS:
                check(period, end_date)
        except ValidationError as refused:
            errors.update(getattr(refused, "error_dict", {"end_date": refused.messages}))
    if errors:
        raise ValidationError(errors)
    existing = PeriodOutcome.objects.filter(period=period, date=end_date).first()
    if existing is None:
        outcomes.outcome_record(
            period=period,
            by=by,
            date=end_date,
            outcome=outcome,
            hours_per_week=hours_per_week,
            wage_subsidy=wage_subsidy,
            note=note,
            end_date=end_date,
        )
    elif existing.outcome != outcome:
        raise ValidationError(
            {
                "outcome": _(
                    "%(outcome)s is already recorded on that day: choose it, or correct it first."
                )
                % {"outcome": existing.get_outcome_display()}
            }
        )
    period.end_date = end_date
    period.end_reason = outcome
    period.save(update_fields=["end_date", "end_reason"])
    CounselorAssignment.objects.filter(period=period, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    outcomes.statuses_schedule(period=period)
    participant.active_period = None
    participant.counselor = None
    participant.team = None
    participant.save(update_fields=["active_period", "counselor", "team", "updated_at"])
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="period.ended",
        obj=period,
        participant_id=participant.pk,
        data={"end_date": end_date.isoformat(), "outcome": outcome},
    )
    return period


@transaction.atomic
def counselor_assign(
    *,
    participant: Participant,
    counselor: User,
    by: User,
    reason: str,
    reason_text: str = "",
    handover_note: str = "",
    started_at: datetime.datetime | None = None,
) -> CounselorAssignment:
    """Make `counselor` the participant's counselor in the open period, keeping the history."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("organisation")
        .get(pk=participant.pk)
    )
    period = FollowUpPeriod.objects.filter(participant=participant, end_date__isnull=True).first()
    if period is None:
        raise ValidationError(_("Start a follow-up period before assigning a counselor."))
    if reason not in CounselorAssignment.Reason.values:
        raise ValidationError({"reason": _("Choose a reason for the change.")})
    if reason == CounselorAssignment.Reason.OTHER and not reason_text.strip():
        raise ValidationError({"reason_text": _("Describe the reason when you choose “Other”.")})
    membership = _counselor_membership(counselor=counselor, organisation=participant.organisation)
    current = CounselorAssignment.objects.filter(period=period, ended_at__isnull=True).first()
    if current is not None and reason == CounselorAssignment.Reason.INITIAL:
        raise ValidationError({"reason": _("Choose why the counselor changes.")})
    if current is not None and current.counselor_id == counselor.pk:
        raise ValidationError(
            {"counselor": _("%(name)s is already the counselor.") % {"name": counselor}}
        )
    now = started_at or timezone.now()
    if current is not None:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    assignment = CounselorAssignment(
        period=period,
        participant=participant,
        counselor=counselor,
        team=membership.team,
        started_at=now,
        assigned_by=by,
        reason=reason,
        reason_text=reason_text.strip(),
        handover_note=handover_note.strip(),
    )
    assignment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise ValidationError(
            _("Someone else changed the counselor at the same time. Try again.")
        ) from None
    participant.counselor = counselor
    participant.team = membership.team
    participant.save(update_fields=["counselor", "team", "updated_at"])
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="counselor.assigned",
        obj=assignment,
        participant_id=participant.pk,
        data={
            "counselor": counselor.pk,
            "previous": current.counselor_id if current else None,
            "reason": reason,
        },
    )
    return assignment


@transaction.atomic
def consent_give(
    *, participant: Participant, by: User, recipient: str, information: str, note: str = ""
) -> ConsentRecord:
    """Record that the participant agrees that `information` may be shared with `recipient`."""
    consent = ConsentRecord(
        participant=participant,
        recipient=recipient,
        information=information,
        note=note.strip(),
        given_at=timezone.now(),
        given_recorded_by=by,
    )
    consent.full_clean(validate_constraints=False)
    if ConsentRecord.objects.filter(
        participant=participant,
        recipient=recipient,
        information=information,
        withdrawn_at__isnull=True,
    ).exists():
        raise ValidationError(_("This consent is already given."))
    consent.save()
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="consent.given",
        obj=consent,
        participant_id=participant.pk,
        data={"recipient": recipient, "information": information},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, consent: ConsentRecord, by: User) -> ConsentRecord:
    """Record that a consent is withdrawn; it stops taking effect at once."""
    consent = (
        ConsentRecord.objects.select_for_update().select_related("participant").get(pk=consent.pk)
    )
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent is already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_recorded_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawn_recorded_by"])
    audit_record(
        actor=by,
        organisation_id=consent.participant.organisation_id,
        action="consent.withdrawn",
        obj=consent,
        participant_id=consent.participant_id,
        data={"recipient": consent.recipient, "information": consent.information},
    )
    return consent


@transaction.atomic
def handover_open(*, assignment: CounselorAssignment, by: User) -> CounselorAssignment | None:
    """The counselor opens a record handed over to them (`assignment`, from
    queries.unseen_handover): clear its "new to you" mark and return it (to show its note this
    once). None when it was opened meanwhile (by another tab) or is not `by`'s to open."""
    if assignment.counselor_id != by.pk or assignment.assigned_by_id == by.pk:
        return None
    now = timezone.now()
    opened = CounselorAssignment.objects.filter(
        pk=assignment.pk, ended_at__isnull=True, seen_at__isnull=True
    ).update(seen_at=now)
    if not opened:
        return None
    assignment.seen_at = now
    audit_record(
        actor=by,
        organisation_id=assignment.participant.organisation_id,
        action="handover.opened",
        obj=assignment,
        participant_id=assignment.participant_id,
    )
    return assignment


@transaction.atomic
def counselor_bulk_reassign(
    *,
    leaving: User,
    to: list[User],
    by: User,
    reason: str,
    reason_text: str = "",
    handover_note: str = "",
) -> dict[User, list[Participant]]:
    """Spread the leaving counselor's active participants over `to`, evening out caseloads.

    One transaction: either every participant moves, or none does. Each move is an ordinary
    reassignment, with its reason, handover note and audit event.
    """
    if not to:
        raise ValidationError({"to": _("Choose at least one colleague to take over.")})
    if any(user.pk == leaving.pk for user in to):
        raise ValidationError(
            {"to": _("The counselor who leaves cannot take over their own participants.")}
        )
    membership = (
        Membership.objects.filter(user=by, is_active=True).select_related("organisation").first()
    )
    if membership is None:
        raise ValidationError(_("You have no role in an organisation."))
    moving = list(
        Participant.objects.select_for_update()
        .filter(
            organisation=membership.organisation, counselor=leaving, active_period__isnull=False
        )
        .order_by("family_name", "given_name", "id")
    )
    if not moving:
        raise ValidationError({"leaving": _("This counselor follows no participants now.")})
    loads = dict(
        Participant.objects.filter(counselor__in=to, active_period__isnull=False)
        .values("counselor")
        .annotate(n=Count("id"))
        .values_list("counselor", "n")
    )
    result: dict[User, list[Participant]] = {user: [] for user in to}
    for participant in moving:
        # The colleague with the smallest caseload so far takes the next participant.
        receiver = min(to, key=lambda user: (loads.get(user.pk, 0), to.index(user)))
        counselor_assign(
            participant=participant,
            counselor=receiver,
            by=by,
            reason=reason,
            reason_text=reason_text,
            handover_note=handover_note,
        )
        loads[receiver.pk] = loads.get(receiver.pk, 0) + 1
        result[receiver].append(participant)
    return result
