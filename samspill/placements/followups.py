"""Writes to a placement under way (STYLE.md 2): follow-ups (an open-ended job's kept topped
up), the mid-way and final evaluations, the certificate from request to issue, and what the
workplace writes back (mentor notes and concerns). The agreement itself, and the follow-up
schedule its approval and changes make, are in services.py."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.outbox.services import outbox_put
from samspill.placements import rules
from samspill.placements.mentoring import clean_challenges
from samspill.placements.models import (
    Certificate,
    Concern,
    Evaluation,
    FollowUp,
    MentorNote,
    Placement,
    Status,
)
from samspill.placements.services import (
    TEXT_MAX,
    _audit,
    _locked_for_update,
    _refresh_next_follow_up,
)


def certificate_initial(placement: Placement) -> dict[str, Any]:
    """A first draft of the certificate: the tasks, and the final evaluation's words."""
    final = Evaluation.objects.filter(placement=placement, kind=Evaluation.Kind.FINAL).first()
    language = (
        Certificate.Language.DANISH
        if placement.participant.organisation.country == "DK"
        else Certificate.Language.NORWEGIAN
    )
    assessment = ""
    if final is not None:
        assessment = "\n\n".join(part for part in (final.tasks_mastered, final.what_worked) if part)
    return {"language": language, "tasks": placement.tasks, "assessment": assessment}


FOLLOW_UP_TOP_UP = 3


@transaction.atomic
def follow_up_log(
    *,
    placement: Placement,
    by: User,
    held_on: datetime.date,
    going: str,
    participant_present: bool = False,
    mentor_present: bool = False,
    employer_present: bool = False,
    counselor_present: bool = False,
    notes: str = "",
    next_steps: str = "",
    scheduled: FollowUp | None = None,
    challenges: list[str] | None = None,
) -> FollowUp:
    """Log a follow-up: it fills the scheduled one it answers (by default the earliest open),
    or stands on its own. An open-ended job's follow-up keeps a few months planned ahead."""
    placement = _locked_for_update(placement)
    if not placement.is_locked or placement.cancelled_at is not None:
        raise ValidationError(_("Follow-ups start when all parties have approved."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Log a follow-up when it has taken place.")})
    if held_on < placement.start_date:
        raise ValidationError({"held_on": _("The placement had not started then.")})
    if going not in FollowUp.Going.values:
        raise ValidationError({"going": _("Say how it is going.")})
    if not any((participant_present, mentor_present, employer_present, counselor_present)):
        raise ValidationError({"participant_present": _("Say who took part.")})
    for field, text in (("notes", notes), ("next_steps", next_steps)):
        if len(text) > TEXT_MAX:
            raise ValidationError({field: _("Keep it under 5,000 characters.")})
    if scheduled is None:
        scheduled = (
            FollowUp.objects.select_for_update()
            .filter(placement=placement, held_on__isnull=True, due_on__isnull=False)
            .order_by("due_on")
            .first()
        )
        if (
            scheduled is not None
            and scheduled.due_on
            and scheduled.due_on > held_on + datetime.timedelta(days=14)
        ):
            scheduled = None
    elif scheduled.placement_id != placement.pk or scheduled.held_on is not None:
        raise ValidationError(_("That follow-up is not open."))
    follow_up = scheduled or FollowUp(placement=placement)
    follow_up.held_on = held_on
    follow_up.going = going
    follow_up.participant_present = participant_present
    follow_up.mentor_present = mentor_present
    follow_up.employer_present = employer_present
    follow_up.counselor_present = counselor_present
    follow_up.notes = notes.strip()
    follow_up.next_steps = next_steps.strip()
    follow_up.challenges = clean_challenges(challenges or [])
    follow_up.logged_by = by
    follow_up.logged_at = timezone.now()
    follow_up.save()
    if placement.follow_up_unlimited and placement.ended_at is None:
        _top_up(placement)
    _refresh_next_follow_up(placement)
    _audit(by, placement, "placement.follow_up_logged", follow_up, going=going)
    return follow_up


def _top_up(placement: Placement) -> None:
    """Keep `FOLLOW_UP_TOP_UP` monthly follow-ups planned for a job followed without end."""
    open_dates = list(
        FollowUp.objects.filter(placement=placement, held_on__isnull=True, due_on__isnull=False)
        .order_by("due_on")
        .values_list("due_on", flat=True)
    )
    last = (
        FollowUp.objects.filter(placement=placement, due_on__isnull=False)
        .order_by("-due_on")
        .values_list("due_on", flat=True)
        .first()
    ) or placement.start_date
    missing = FOLLOW_UP_TOP_UP - len(open_dates)
    FollowUp.objects.bulk_create(
        FollowUp(placement=placement, due_on=rules.add_months(last, n))
        for n in range(1, missing + 1)
    )


@transaction.atomic
def evaluation_save(
    *,
    placement: Placement,
    by: User,
    kind: str,
    held_on: datetime.date,
    tasks_mastered: str,
    attendance: str,
    cooperation: str,
    what_worked: str = "",
    what_was_hard: str = "",
    next_step: str = "",
    with_mentor: bool = True,
    with_participant: bool = True,
    challenges: list[str] | None = None,
    functions_socially: str = "",
    feels_recognised: str = "",
    enjoys_work: str = "",
) -> Evaluation:
    """Write (or rewrite) the mid-way or final evaluation. A final evaluation behind an issued
    certificate is frozen."""
    placement = _locked_for_update(placement)
    if not placement.is_locked or placement.cancelled_at is not None:
        raise ValidationError(_("Evaluations come when the placement is approved and under way."))
    if held_on < placement.start_date or held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Choose a date between the start and today.")})
    if (
        kind == Evaluation.Kind.FINAL
        and Certificate.objects.filter(placement=placement, issued_at__isnull=False).exists()
    ):
        raise ValidationError(_("The certificate is issued; the final evaluation is frozen."))
    evaluation = Evaluation.objects.filter(placement=placement, kind=kind).first() or Evaluation(
        placement=placement, kind=kind
    )
    evaluation.held_on = held_on
    evaluation.tasks_mastered = tasks_mastered.strip()
    evaluation.attendance = attendance
    evaluation.cooperation = cooperation
    evaluation.what_worked = what_worked.strip()
    evaluation.what_was_hard = what_was_hard.strip()
    evaluation.next_step = next_step.strip()
    evaluation.with_mentor = with_mentor
    evaluation.with_participant = with_participant
    evaluation.challenges = clean_challenges(challenges or [])
    evaluation.functions_socially = functions_socially
    evaluation.feels_recognised = feels_recognised
    evaluation.enjoys_work = enjoys_work
    evaluation.written_by = by
    evaluation.full_clean()
    evaluation.save()
    _audit(by, placement, "placement.evaluation_saved", evaluation, kind=kind)
    return evaluation


@transaction.atomic
def certificate_request(
    *, placement: Placement, by: User, language: str, tasks: str, assessment: str
) -> Certificate:
    """Draft the certificate from the final evaluation and ask the employer contact to approve
    it. A returned draft can be corrected and asked again; an issued one is final."""
    if not Evaluation.objects.filter(placement=placement, kind=Evaluation.Kind.FINAL).exists():
        raise ValidationError(_("Write the final evaluation first; the certificate builds on it."))
    certificate = Certificate.objects.select_for_update().filter(placement=placement).first()
    if certificate is not None and certificate.is_issued:
        raise ValidationError(_("The certificate is already issued."))
    certificate = certificate or Certificate(placement=placement)
    certificate.language = language
    certificate.tasks = _clean_text(tasks, "tasks")
    certificate.assessment = _clean_text(assessment, "assessment")
    certificate.requested_by = by
    certificate.returned_comment = ""
    certificate.full_clean()
    certificate.save()
    _audit(by, placement, "placement.certificate_requested", certificate, language=language)
    return certificate


@transaction.atomic
def certificate_approve(*, certificate: Certificate, by: User) -> Certificate:
    """The employer contact approves: the certificate is issued and the participant can
    download it."""
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("placement__participant")
        .get(pk=certificate.pk)
    )
    _not_cancelled(certificate.placement)
    if certificate.is_issued:
        raise ValidationError(_("The certificate is already issued."))
    if certificate.returned_comment:
        raise ValidationError(_("The certificate was sent back; wait for a new draft."))
    certificate.approved_by = by
    certificate.issued_at = timezone.now()
    certificate.save(update_fields=["approved_by", "issued_at"])
    _audit(by, certificate.placement, "placement.certificate_issued", certificate)
    return certificate


@transaction.atomic
def certificate_return(*, certificate: Certificate, by: User, comment: str) -> Certificate:
    """The employer contact sends the draft back with what should change."""
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("placement__participant")
        .get(pk=certificate.pk)
    )
    _not_cancelled(certificate.placement)
    if certificate.is_issued:
        raise ValidationError(_("The certificate is already issued."))
    certificate.returned_comment = _clean_text(comment, "comment")
    certificate.save(update_fields=["returned_comment"])
    _audit(by, certificate.placement, "placement.certificate_returned", certificate)
    return certificate


def _not_cancelled(placement: Placement) -> None:
    """What the workplace writes (notes, concerns, the certificate's decision) lands only on a
    placement that is not cancelled: a cancelled one has left the portal. The row is locked so
    that a cancellation at the same moment comes before or after, never in between."""
    if _locked_for_update(placement).cancelled_at is not None:
        raise ValidationError(_("This placement is cancelled."))


def _clean_text(text: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: _("Write something first.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("Keep it under 5,000 characters.")})
    return text


@transaction.atomic
def mentor_note_add(*, placement: Placement, by: User, text: str) -> MentorNote:
    """A note from the workplace; the counselor reads it on the participant's page."""
    _not_cancelled(placement)
    note = MentorNote.objects.create(placement=placement, author=by, text=_clean_text(text, "text"))
    _audit(by, placement, "placement.mentor_note_added", note)
    return note


def concern_recipients(placement: Placement) -> list[User]:
    """Who hears of a concern at once: the participant's counselor and the employer's contact
    person (one person when they are the same)."""
    people = [placement.participant.counselor, placement.employer.contact_person]
    unique: dict[int, User] = {p.pk: p for p in people if p is not None and p.is_active}
    return list(unique.values())


@transaction.atomic
def concern_raise(*, placement: Placement, by: User, text: str) -> Concern:
    """ "Something is not going well": stored for the today page, and e-mailed on commit. Only
    while the placement has not ended: afterwards a note reaches the counselor."""
    _not_cancelled(placement)
    if placement.status == Status.ENDED:
        raise ValidationError(
            {"text": _("The placement has ended. Write a note to the counselor instead.")}
        )
    concern = Concern.objects.create(
        placement=placement, raised_by=by, text=_clean_text(text, "text")
    )
    _audit(by, placement, "placement.concern_raised", concern)
    recipients = [user.email for user in concern_recipients(placement) if user.email]
    _concern_email(recipients)
    return concern


def _concern_email(recipients: list[str]) -> None:
    """Written to the outbox in the concern's transaction and sent after commit. The e-mail
    names no participant and quotes nothing: it points to Samspill, where access is checked
    and logged (e-mail is not a safe place for case data)."""
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Samspill: a workplace has flagged a concern")
        body = _(
            "A mentor or employer contact has flagged that something is not going well in a "
            "placement. See your today page: %(url)s"
        ) % {"url": settings.SITE_URL.rstrip("/") + reverse("followup:today")}
    outbox_put(to=recipients, subject=subject, body=body)


@transaction.atomic
def concern_handle(*, concern: Concern, by: User) -> Concern:
    concern = (
        Concern.objects.select_for_update()
        .select_related("placement__participant")
        .get(pk=concern.pk)
    )
    if concern.handled_at is not None:
        raise ValidationError(_("This concern is already handled."))
    concern.handled_at = timezone.now()
    concern.handled_by = by
    concern.save(update_fields=["handled_at", "handled_by"])
    _audit(by, concern.placement, "placement.concern_handled", concern)
    return concern
