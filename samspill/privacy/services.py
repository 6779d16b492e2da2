"""The data-protection operations: export, erasure, legal holds. Every one writes an audit
event naming who did it (None: the command line or the retention job)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Min, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.append_only import append_only_lifted
from samspill.audit.models import AuditEvent
from samspill.audit.services import audit_record
from samspill.participants.models import CounselorAssignment, FollowUpPeriod, Participant
from samspill.privacy import exporting
from samspill.privacy.anonymise import blank_values, redact, text_fields
from samspill.privacy.graph import TRAIL, all_models, rows_about_participant
from samspill.privacy.models import Erasure, LegalHold

# Shorter texts are too common to remove wherever they occur.
MIN_NEEDLE = 4


# Export ---------------------------------------------------------------------------------


def participant_export(*, participant: Participant, by: Any) -> dict[str, Any]:
    """Everything about `participant` as one document (exporting.py); the export is audited."""
    document = exporting.participant_document(participant)
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="privacy.exported",
        obj=participant,
        participant_id=participant.pk,
    )
    return document


def user_export(*, user: User, by: Any) -> dict[str, Any]:
    from samspill.organisations.models import Membership

    document = exporting.user_document(user)
    membership = Membership.objects.filter(user=user).order_by("-is_active", "-pk").first()
    if membership is not None:
        audit_record(
            actor=by,
            organisation_id=membership.organisation_id,
            action="privacy.user_exported",
            obj=user,
        )
    return document


# Legal holds ----------------------------------------------------------------------------


def open_holds(participant: Participant) -> models.QuerySet[LegalHold]:
    return LegalHold.objects.filter(participant=participant, lifted_at__isnull=True)


@transaction.atomic
def legal_hold_place(*, participant: Participant, reason: str, by: Any) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record must be kept.")})
    if is_erased(participant.pk):
        raise ValidationError(
            {"participant": _("This participant is erased: there is no record left to keep.")}
        )
    hold = LegalHold(
        organisation_id=participant.organisation_id,
        participant=participant,
        reason=reason.strip(),
        placed_at=timezone.now(),
        placed_by=by if getattr(by, "pk", None) else None,
    )
    hold.full_clean()
    hold.save()
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="privacy.hold_placed",
        obj=hold,
        participant_id=participant.pk,
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, by: Any, reason: str = "") -> LegalHold:
    """Lifts an open hold. The reason (the administrators' page asks for one; the command line
    may leave it out) goes into the audit row, which erasure scrubs with the rest."""
    current = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if current.lifted_at is not None:
        raise ValidationError(_("This legal hold is already lifted."))
    current.lifted_at = timezone.now()
    current.lifted_by = by if getattr(by, "pk", None) else None
    current.save(update_fields=["lifted_at", "lifted_by"])
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="privacy.hold_lifted",
        obj=current,
        participant_id=current.participant_id,
        data={"reason": reason.strip()} if reason.strip() else None,
    )
    return current


# Erasure --------------------------------------------------------------------------------


def erasure_blockers(participant: Participant) -> list[str]:
    """Why `participant` may not be erased now, in plain words (none: they may)."""
    blockers = []
    if FollowUpPeriod.objects.filter(participant=participant, end_date__isnull=True).exists():
        blockers.append(_("The participant has an open follow-up period."))
    holds = list(open_holds(participant).values_list("reason", flat=True))
    if holds:
        blockers.append(
            _("The record is under a legal hold: %(reasons)s.") % {"reasons": "; ".join(holds)}
        )
    return blockers


def is_erased(participant_id: int) -> bool:
    return Erasure.objects.filter(participant_id=participant_id).exists()


def _needles(participant: Participant) -> list[str]:
    values = [participant.full_name, participant.national_id, participant.phone, participant.email]
    if participant.portal_user is not None:
        values += [participant.portal_user.email, participant.portal_user.full_name]
    needles = {value.strip() for value in values if value and len(value.strip()) >= MIN_NEEDLE}
    return sorted(needles, key=len, reverse=True)


def _redact_everywhere(needles: list[str], counts: dict[str, int]) -> None:
    """Removes the person's name, numbers and addresses from every text in every table,
    wherever someone wrote them in passing (an e-mail in the outbox, another record's note,
    an audit event's data). JSON is searched as stored: SQLite keeps non-ASCII letters
    escaped, so the escaped form is searched too."""
    variants = sorted({*needles, *(exporting.json.dumps(n)[1:-1] for n in needles)})
    for model in all_models():
        fields = text_fields(model)
        if not fields or model is Erasure:
            continue
        casts = {f"_t{i}": Cast(field.name, TextField()) for i, field in enumerate(fields)}
        matches = Q()
        for alias in casts:
            for needle in variants:
                matches |= Q(**{f"{alias}__icontains": needle})
        for obj in model._base_manager.annotate(**casts).filter(matches).order_by("pk"):
            values = {}
            for field in fields:
                current = field.value_from_object(obj)
                changed = redact(current, needles)
                if changed != current:
                    values[field.attname] = changed
            if values:
                model._base_manager.filter(pk=obj.pk).update(**values)
                label = model._meta.label_lower
                counts[label] = counts.get(label, 0) + 1


@transaction.atomic
def participant_erase(
    *,
    participant: Participant,
    reason: str,
    by: Any,
    force: bool = False,
    trigger: str = Erasure.Trigger.REQUEST,
) -> Erasure:
    """Removes or anonymises every personal field of `participant` in every table (graph.py,
    anonymise.py), files included, and keeps a tombstone (`Erasure`) and the rows that
    statistics count, without anything that names the person. Refused while a follow-up
    period is open or a legal hold exists, unless `force`."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is erased.")})
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if is_erased(participant.pk):
        raise ValidationError(_("This participant is already erased."))
    blockers = erasure_blockers(participant)
    if blockers and not force:
        raise ValidationError(blockers)
    now = timezone.now()
    dates = FollowUpPeriod.objects.filter(participant=participant).aggregate(
        first=Min("start_date"), last=Max("end_date")
    )
    needles = _needles(participant)
    rows = rows_about_participant(participant)
    counts: dict[str, int] = {}
    with append_only_lifted():
        if blockers:
            _end_follow_up(participant, now)
        for model, by_pk in rows.items():
            if model in TRAIL:
                continue
            for obj in by_pk.values():
                values = blank_values(obj)
                if values:
                    model._base_manager.filter(pk=obj.pk).update(**values)
                    label = model._meta.label_lower
                    counts[label] = counts.get(label, 0) + 1
        Participant.objects.filter(pk=participant.pk).update(
            family_name=f"#{participant.pk}",
            counselor=None,
            team=None,
            next_follow_up_on=None,
        )
        if participant.portal_user is not None:
            login = participant.portal_user
            login.set_unusable_password()
            login.is_active = False
            login.save(update_fields=["password", "is_active"])
        AuditEvent.objects.filter(participant_id=participant.pk).update(data={})
        _redact_everywhere(needles, counts)
        erasure = Erasure.objects.create(
            organisation_id=participant.organisation_id,
            participant_id=participant.pk,
            record_created_at=participant.created_at,
            first_period_start=dates["first"],
            last_period_end=dates["last"],
            erased_at=now,
            erased_by=by if getattr(by, "pk", None) else None,
            trigger=trigger,
            reason=reason,
            forced=bool(blockers),
            counts=counts,
        )
        audit_record(
            actor=by,
            organisation_id=participant.organisation_id,
            action="privacy.erased",
            obj=erasure,
            participant_id=participant.pk,
            data={"forced": bool(blockers), "trigger": trigger},
        )
    return erasure


def _end_follow_up(participant: Participant, now: Any) -> None:
    """A forced erasure ends the open period today: nobody follows an erased person."""
    today = timezone.localdate(now)
    for period in FollowUpPeriod.objects.filter(participant=participant, end_date__isnull=True):
        FollowUpPeriod.objects.filter(pk=period.pk).update(end_date=max(today, period.start_date))
    CounselorAssignment.objects.filter(participant=participant, ended_at__isnull=True).update(
        ended_at=now
    )
    Participant.objects.filter(pk=participant.pk).update(active_period=None)
