"""The clarification before practice: recorded for a referral, and checked before a placement
is drafted for the participant the referral became.

Layering: referrals sits above placements (settings.INSTALLED_APPS), so placements cannot
import this module. Placements keeps a list of checks run before a draft
(`placements.services.DRAFT_CHECKS`); ReferralsConfig.ready() adds `check_ready_for_practice`
to it. Placements stays ignorant of referrals, and nothing imports upwards."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.participants.models import Participant
from samspill.referrals.models import Clarification, Referral


@transaction.atomic
def clarification_record(
    *,
    referral: Referral,
    by: User,
    first_day: datetime.date,
    last_day: datetime.date,
    days_attended: int,
    attendance_ok: bool,
    motivation: str,
    result: str,
    note: str = "",
) -> Clarification:
    """Record how the clarification went. A later record replaces the earlier as the one that
    counts; the earlier stay as history."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if last_day < first_day:
        errors["last_day"] = _("The last day cannot be before the first.")
    if last_day > today:
        errors["last_day"] = _("The date cannot be in the future.")
    if first_day < referral.received_on:
        errors["first_day"] = _("The clarification cannot start before the referral came.")
    if days_attended > (last_day - first_day).days + 1:
        errors["days_attended"] = _("More days attended than there are days in the period.")
    if motivation not in Clarification.Motivation.values:
        errors["motivation"] = _("Choose how motivated the person is.")
    if result not in Clarification.Result.values:
        errors["result"] = _("Choose the result.")
    if errors:
        raise ValidationError(errors)
    clarification = Clarification.objects.create(
        referral=referral,
        first_day=first_day,
        last_day=last_day,
        days_attended=days_attended,
        attendance_ok=attendance_ok,
        motivation=motivation,
        result=result,
        note=note.strip(),
        recorded_by=by,
    )
    audit_record(
        actor=by,
        organisation_id=referral.organisation_id,
        action="referral.clarification_recorded",
        obj=clarification,
        participant_id=referral.participant_id,
        data={"result": result},
    )
    return clarification


def latest_clarification(referral: Referral) -> Clarification | None:
    return referral.clarifications.order_by("-recorded_at", "-id").first()


def check_ready_for_practice(participant: Participant) -> None:
    """Refuse a placement draft for a referred participant whose newest clarification is
    missing or does not say "ready". Participants who did not come by referral pass."""
    referral = (
        Referral.objects.filter(participant=participant).order_by("-received_on", "-id").first()
    )
    if referral is None:
        return
    latest = latest_clarification(referral)
    if latest is not None and latest.result == Clarification.Result.READY:
        return
    link = reverse("referrals:clarification", args=[referral.pk])
    if latest is None:
        message = _(
            "%(name)s came by referral: record a clarification of attendance and motivation "
            "first (%(link)s)."
        )
    else:
        message = _(
            "%(name)s is not cleared for practice: the last clarification says “%(result)s”. "
            "Record a new one when they are ready (%(link)s)."
        )
    raise ValidationError(
        message,
        code="clarification",
        params={
            "name": participant.full_name,
            "link": link,
            "link_text": _("the clarification"),
            "result": latest.get_result_display() if latest else "",
        },
    )
