"""Every change to a referral goes through these functions (STYLE.md 2): keyword-only, typed,
atomic, validated, and each writes an audit event naming the actor. The audit data holds field
names, never the personal data itself."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import access_log_record, audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.organisations.models import Organisation
from samspill.organisations.queries import membership_for_user, staff_who_follow
from samspill.participants import services as participant_services
from samspill.participants.models import Participant
from samspill.referrals.models import Outcome, Referral, ReferralAccessLog, Source

# Fields a counselor writes on the referral form (the outcome has its own service).
EDIT_FIELDS = (
    "source",
    "source_other",
    "received_on",
    "given_name",
    "family_name",
    "phone",
    "email",
    "birth_date",
    "asked_for",
    "taken_by",
    "need_group",
    "external_key",
)
TEXT_FIELDS = (
    "source_other",
    "given_name",
    "family_name",
    "phone",
    "email",
    "asked_for",
    "external_key",
)


def _check_unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown referral fields: {sorted(unknown)}")


def _validate(referral: Referral, *, check_taker: bool = True) -> None:
    """The rules beyond the fields' own: run after the fields are set, before saving.

    The taker is checked when chosen, not on every later change: someone who has left may
    still be named on old referrals."""
    for name in TEXT_FIELDS:
        setattr(referral, name, (getattr(referral, name) or "").strip())
    if referral.source != Source.OTHER:
        referral.source_other = ""
    referral.full_clean(validate_unique=False, validate_constraints=False)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if referral.source == Source.OTHER and not referral.source_other:
        errors["source_other"] = _("Say who referred the person when you choose “Other”.")
    if referral.received_on > today:
        errors["received_on"] = _("The date cannot be in the future.")
    if referral.birth_date is not None and referral.birth_date > today:
        errors["birth_date"] = _("The date cannot be in the future.")
    if (
        check_taker
        and referral.taken_by_id is not None
        and not staff_who_follow(referral.organisation_id)
        .filter(user_id=referral.taken_by_id)
        .exists()
    ):
        errors["taken_by"] = _("This person cannot take referrals in this organisation.")
    if referral.outcome_on is not None and referral.outcome_on < referral.received_on:
        errors["outcome_on"] = _("The outcome cannot be before the referral was received.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_create(*, organisation: Organisation, by: User, **fields: Any) -> Referral:
    """Record a referral received by the organisation."""
    _check_unknown(fields)
    referral = Referral(organisation=organisation, **fields)
    _validate(referral)
    referral.save()
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="referral.created",
        obj=referral,
        data={"source": referral.source},
    )
    return referral


@transaction.atomic
def referral_update(
    *, referral: Referral, by: User, revision: int | None = None, **fields: Any
) -> Referral:
    """Change the referral's fields; only the fields given (and changed) are written. With
    `revision`, a colleague's save since is refused (StaleRevision)."""
    _check_unknown(fields)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    check_revision(referral, revision)
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    changed = [name for name, value in fields.items() if getattr(referral, name) != value]
    for name in changed:
        setattr(referral, name, fields[name])
    if "source" in changed and referral.source != Source.OTHER and referral.source_other:
        changed.append("source_other")
    _validate(referral, check_taker="taken_by" in changed)
    if changed:
        referral.save(update_fields=count_save(referral, *sorted(set(changed)), "updated_at"))
        audit_record(
            actor=by,
            organisation_id=referral.organisation_id,
            action="referral.updated",
            obj=referral,
            participant_id=referral.participant_id,
            data={"fields": sorted(set(changed))},
        )
    return referral


@transaction.atomic
def referral_set_outcome(
    *,
    referral: Referral,
    by: User,
    outcome: str,
    outcome_on: datetime.date | None = None,
    revision: int | None = None,
) -> Referral:
    """Record what came of the referral, and when (today unless told)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    check_revision(referral, revision)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    outcome_on = outcome_on or timezone.localdate()
    if outcome_on > timezone.localdate():
        raise ValidationError({"outcome_on": _("The date cannot be in the future.")})
    referral.outcome = outcome
    referral.outcome_on = outcome_on
    _validate(referral, check_taker=False)
    referral.save(update_fields=count_save(referral, "outcome", "outcome_on", "updated_at"))
    audit_record(
        actor=by,
        organisation_id=referral.organisation_id,
        action="referral.outcome_set",
        obj=referral,
        participant_id=referral.participant_id,
        data={"outcome": outcome, "outcome_on": outcome_on.isoformat()},
    )
    return referral


def _counselor_for(referral: Referral, by: User) -> User:
    """Who takes it, or else the acting user when they can follow participants."""
    if referral.taken_by is not None:
        return referral.taken_by
    membership = membership_for_user(by)
    if (
        membership is not None
        and membership.follows_participants
        and membership.organisation_id == referral.organisation_id
    ):
        return by
    raise ValidationError(_("Choose who takes the referral before making it a participant."))


@transaction.atomic
def referral_make_participant(*, referral: Referral, by: User) -> Participant:
    """Take the referred person in: create the participant (with a follow-up period and the
    counselor who takes the referral), link it, and mark the referral "in process" unless it
    already has an outcome. Refused when the referral already has a participant."""
    # Lock the referral's row only: the taker is on the nullable side of an outer join, which
    # PostgreSQL cannot lock.
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("organisation", "taken_by")
        .get(pk=referral.pk)
    )
    if referral.participant_id is not None:
        raise ValidationError(_("This referral has already been made a participant."))
    counselor = _counselor_for(referral, by)
    try:
        participant = participant_services.participant_create(
            organisation=referral.organisation,
            by=by,
            counselor=counselor,
            given_name=referral.given_name,
            family_name=referral.family_name,
            phone=referral.phone,
            email=referral.email,
            birth_date=referral.birth_date,
            need_group=referral.need_group,
        )
    except ValidationError as error:
        # The participant's fields are the referral's; its "counselor" is who takes it.
        if hasattr(error, "error_dict") and "counselor" in error.error_dict:
            error.error_dict["taken_by"] = error.error_dict.pop("counselor")
        raise
    # The counselor and period were written on another instance (participant services).
    participant.refresh_from_db()
    referral.participant = participant
    update_fields = ["participant", "updated_at"]
    if referral.taken_by_id is None:
        referral.taken_by = counselor
        update_fields.append("taken_by")
    # Taken in: what came of the referral is now the follow-up period's outcome, recorded
    # when it is known (participants/outcomes.py); until then the referral has none.
    referral.save(update_fields=update_fields)
    audit_record(
        actor=by,
        organisation_id=referral.organisation_id,
        action="referral.made_participant",
        obj=referral,
        participant_id=participant.pk,
        data={"counselor": counselor.pk, "outcome": referral.outcome},
    )
    return participant


def referral_access_log_record(*, actor: User, referral: Referral, what: str, why: str) -> None:
    """Record one read of `referral` by `actor`. When the referral has become a participant,
    the read is also a read of that person's record, so it goes into their access log too
    (where a leader looks), with the referral relationship that allowed it."""
    ReferralAccessLog.objects.create(
        actor=actor,
        referral_id=referral.pk,
        organisation_id=referral.organisation_id,
        what=what[:100],
        why=why,
    )
    if referral.participant_id is not None:
        access_log_record(
            actor=actor,
            participant=Participant(
                pk=referral.participant_id, organisation_id=referral.organisation_id
            ),
            what=what,
            why=f"referral:{why}",
        )
