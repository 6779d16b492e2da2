"""Writes to the plan and the notes (STYLE.md 2)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.employers.models import Employer
from samspill.participants.models import Participant
from samspill.plans.models import Activity, Goal, Note


@transaction.atomic
def goal_add(
    *,
    participant: Participant,
    by: User,
    title: str,
    description: str = "",
    target_date: datetime.date | None = None,
) -> Goal:
    goal = Goal(
        participant=participant,
        period_id=participant.active_period_id,
        title=title.strip(),
        description=description.strip(),
        target_date=target_date,
        created_by=by,
    )
    goal.full_clean()
    goal.save()
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="goal.added",
        obj=goal,
        participant_id=participant.pk,
    )
    return goal


@transaction.atomic
def goal_set_status(*, goal: Goal, by: User, status: str, revision: int | None = None) -> Goal:
    """Set the goal's status; with `revision`, a colleague's change since is refused."""
    if status not in Goal.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    goal = Goal.objects.select_for_update().select_related("participant").get(pk=goal.pk)
    check_revision(goal, revision)
    goal.status = status
    goal.save(update_fields=count_save(goal, "status"))
    audit_record(
        actor=by,
        organisation_id=goal.participant.organisation_id,
        action="goal.status_changed",
        obj=goal,
        participant_id=goal.participant_id,
        data={"status": status},
    )
    return goal


@transaction.atomic
def activity_add(
    *,
    participant: Participant,
    by: User,
    kind: str,
    title: str,
    due_date: datetime.date,
    description: str = "",
    status: str = Activity.Status.PLANNED,
    goal: Goal | None = None,
    employer: Employer | None = None,
) -> Activity:
    if goal is not None and goal.participant_id != participant.pk:
        raise ValidationError({"goal": _("The goal belongs to another participant.")})
    if employer is not None and employer.organisation_id != participant.organisation_id:
        raise ValidationError({"employer": _("Choose an employer in your organisation.")})
    activity = Activity(
        participant=participant,
        period_id=participant.active_period_id,
        goal=goal,
        employer=employer,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        due_date=due_date,
        status=status,
        created_by=by,
    )
    activity.full_clean()
    activity.save()
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="activity.added",
        obj=activity,
        participant_id=participant.pk,
        data={"kind": kind, "status": status},
    )
    return activity


@transaction.atomic
def activity_set_status(
    *, activity: Activity, by: User, status: str, revision: int | None = None
) -> Activity:
    """Set the activity's status; with `revision`, a colleague's change since is refused."""
    if status not in Activity.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    activity = (
        Activity.objects.select_for_update().select_related("participant").get(pk=activity.pk)
    )
    check_revision(activity, revision)
    activity.status = status
    activity.save(update_fields=count_save(activity, "status", "updated_at"))
    audit_record(
        actor=by,
        organisation_id=activity.participant.organisation_id,
        action="activity.status_changed",
        obj=activity,
        participant_id=activity.participant_id,
        data={"status": status},
    )
    return activity


@transaction.atomic
def note_add(
    *,
    participant: Participant,
    by: User,
    kind: str,
    text: str,
    occurred_on: datetime.date,
    next_follow_up_on: datetime.date | None = None,
) -> Note:
    """Add a note; a contact note moves "last contact", and a next follow-up date can be set."""
    note = Note(
        participant=participant,
        period_id=participant.active_period_id,
        author=by,
        kind=kind,
        text=text.strip(),
        occurred_on=occurred_on,
    )
    errors: dict[str, list[str]] = {}
    try:
        note.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    # A note records what happened: dated in the future it would also move "last contact"
    # ahead of today and hide the participant from "no contact in 30 days".
    if occurred_on > timezone.localdate():
        errors.setdefault("occurred_on", []).append(
            _("A note records what happened: its date cannot be in the future.")
        )
    elif next_follow_up_on is not None and next_follow_up_on < occurred_on:
        errors["next_follow_up_on"] = [_("The next follow-up cannot be before the note's date.")]
    if errors:
        raise ValidationError(errors)
    note.save()
    if kind in Note.CONTACT_KINDS:
        # Only move forward: a late-written note about an old call must not hide a newer contact.
        Participant.objects.filter(pk=participant.pk).filter(
            Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=occurred_on)
        ).update(last_contact_on=occurred_on)
    if next_follow_up_on is not None:
        # The profile form edits this date too: count it as a save of the profile.
        Participant.objects.filter(pk=participant.pk).update(
            next_follow_up_on=next_follow_up_on, revision=F("revision") + 1
        )
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="note.added",
        obj=note,
        participant_id=participant.pk,
        data={"kind": kind},
    )
    return note
