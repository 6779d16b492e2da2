"""Writes from the participant's own pages and the counselor's answers (STYLE.md 2).

What the participant does to their plan goes through the plan's own services (so the plan's
audit rows name them) and is also written to the dialog thread, where their counselor reads it
and where the counselor's Today page finds it while unread.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.outbox.services import outbox_put
from samspill.participants.models import ConsentRecord, Participant
from samspill.participants.services import consent_withdraw, participant_update
from samspill.plans import services as plan_services
from samspill.plans.models import Activity
from samspill.selfservice.models import CV, Feedback, Message, PortalSettings

# What a participant may propose: their own steps, not a placement or a health referral.
PROPOSABLE_KINDS = (
    Activity.Kind.OWN_ACTIVITY,
    Activity.Kind.JOB_SEARCH,
    Activity.Kind.EDUCATION,
    Activity.Kind.MEETING,
    Activity.Kind.OTHER,
)


def _site(viewname: str, **kwargs: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(viewname, kwargs=kwargs or None)


def _notify(*, participant: Participant, from_participant: bool) -> None:
    """An e-mail saying there is a new message, never what it says or who wrote it, sent only
    for the first unread one (a conversation does not become a stream of e-mails)."""
    earlier_unread = Message.objects.filter(
        participant=participant, from_participant=from_participant, read_at__isnull=True
    ).count()
    if earlier_unread > 1:
        return
    if from_participant:
        counselor = participant.counselor
        if counselor is None:
            return
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("A new message in Samspill")
            body = _("A participant you follow has written to you. Read it here: %(url)s") % {
                "url": _site("followup:today")
            }
        outbox_put(to=[counselor.email], subject=subject, body=body)
        return
    languages = {code for code, _name in settings.LANGUAGES}
    language = participant.preferred_language
    with translation.override(language if language in languages else settings.LANGUAGE_CODE):
        subject = _("A new message in Samspill")
        body = _("Your counselor has written to you. Read it here: %(url)s") % {
            "url": _site("selfservice:my_dialog")
        }
    outbox_put(to=[participant.email], subject=subject, body=body)


def _write(
    *,
    participant: Participant,
    by: User,
    from_participant: bool,
    kind: str,
    text: str = "",
    activity: Activity | None = None,
) -> Message:
    message = Message(
        participant=participant,
        author=by,
        from_participant=from_participant,
        kind=kind,
        text=text.strip(),
        activity=activity,
    )
    message.full_clean()
    message.save()
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action=f"selfservice.{kind}",
        obj=message,
        participant_id=participant.pk,
    )
    _notify(participant=participant, from_participant=from_participant)
    return message


def _require_text(text: str) -> None:
    if not text.strip():
        raise ValidationError({"text": _("Write something first.")})


@transaction.atomic
def message_send(*, participant: Participant, by: User, text: str) -> Message:
    """A message in the dialog: from the participant's own login, or from staff."""
    _require_text(text)
    participant = Participant.objects.select_related("counselor").get(pk=participant.pk)
    return _write(
        participant=participant,
        by=by,
        from_participant=participant.portal_user_id == by.pk,
        kind=Message.Kind.MESSAGE,
        text=text,
    )


def thread_read(*, participant: Participant, by: User, from_participant: bool) -> int:
    """Mark the other side's messages read; returns how many were unread. One UPDATE, atomic
    of itself: no transaction of its own on every page view."""
    return Message.objects.filter(
        participant=participant, from_participant=from_participant, read_at__isnull=True
    ).update(read_at=timezone.now())


def _own_open_activity(participant: Participant, activity: Activity) -> None:
    if activity.participant_id != participant.pk:
        raise ValidationError(_("This activity is not in your plan."))


@transaction.atomic
def activity_done(
    *, participant: Participant, activity: Activity, by: User, revision: int | None
) -> Activity:
    """The participant marks one of their activities done; their counselor sees it."""
    _own_open_activity(participant, activity)
    if activity.status not in Activity.OPEN_STATUSES:
        raise ValidationError(_("This activity is already closed."))
    activity = plan_services.activity_set_status(
        activity=activity, by=by, status=Activity.Status.DONE, revision=revision
    )
    _write(
        participant=participant,
        by=by,
        from_participant=True,
        kind=Message.Kind.DONE,
        activity=activity,
    )
    return activity


@transaction.atomic
def activity_comment(
    *, participant: Participant, activity: Activity, by: User, text: str
) -> Message:
    """The participant comments on one of their activities."""
    _own_open_activity(participant, activity)
    _require_text(text)
    return _write(
        participant=participant,
        by=by,
        from_participant=True,
        kind=Message.Kind.COMMENT,
        text=text,
        activity=activity,
    )


@transaction.atomic
def activity_propose(
    *,
    participant: Participant,
    by: User,
    kind: str,
    title: str,
    due_date: datetime.date,
    description: str = "",
) -> Activity:
    """The participant adds an activity to their plan; the counselor sees the proposal."""
    if kind not in PROPOSABLE_KINDS:
        raise ValidationError({"kind": _("Choose a valid kind.")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("Choose today or a later date.")})
    activity = plan_services.activity_add(
        participant=participant,
        by=by,
        kind=kind,
        title=title,
        due_date=due_date,
        description=description,
    )
    _write(
        participant=participant,
        by=by,
        from_participant=True,
        kind=Message.Kind.PROPOSAL,
        activity=activity,
    )
    return activity


@transaction.atomic
def own_consent_withdraw(
    *, participant: Participant, consent: ConsentRecord, by: User
) -> ConsentRecord:
    """The participant withdraws one of their consents themselves; it stops at once."""
    if consent.participant_id != participant.pk:
        raise ValidationError(_("This consent is not yours."))
    return consent_withdraw(consent=consent, by=by)


@transaction.atomic
def portal_settings_set(
    *, organisation_id: int, by: User, hide_staff_names: bool, revision: int | None = None
) -> PortalSettings:
    """The organisation's choices for its participants' pages."""
    PortalSettings.objects.get_or_create(organisation_id=organisation_id)
    current = PortalSettings.objects.select_for_update().get(organisation_id=organisation_id)
    check_revision(current, revision)
    current.hide_staff_names = hide_staff_names
    current.save(update_fields=count_save(current, "hide_staff_names"))
    audit_record(
        actor=by,
        organisation_id=organisation_id,
        action="selfservice.settings_changed",
        obj=current,
        data={"hide_staff_names": hide_staff_names},
    )
    return current


STRENGTHS_FIELDS = ("dreams", "who_i_am", "what_i_can", "want_to_learn")
CV_FIELDS = ("summary", "experience", "education", "skills", "languages", "film_url")


@transaction.atomic
def strengths_save(
    *, participant: Participant, by: User, revision: int | None, **fields: str
) -> Participant:
    """The participant writes their strengths profile themselves (a colleague's or their
    counselor's save since is refused)."""
    unknown = set(fields) - set(STRENGTHS_FIELDS)
    if unknown:
        raise TypeError(f"unknown strengths fields: {sorted(unknown)}")
    return participant_update(
        participant=participant,
        by=by,
        revision=revision,
        **{name: value.strip() for name, value in fields.items()},
    )


@transaction.atomic
def cv_save(*, participant: Participant, by: User, revision: int | None, **fields: str) -> CV:
    """Save the participant's CV; a save since `revision` (another tab) is refused."""
    unknown = set(fields) - set(CV_FIELDS)
    if unknown:
        raise TypeError(f"unknown CV fields: {sorted(unknown)}")
    CV.objects.get_or_create(participant=participant)
    cv = CV.objects.select_for_update().get(participant=participant)
    check_revision(cv, revision)
    for name, value in fields.items():
        setattr(cv, name, value.strip())
    cv.full_clean()
    cv.save(update_fields=count_save(cv, *fields, "updated_at"))
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="selfservice.cv_saved",
        obj=cv,
        participant_id=participant.pk,
    )
    return cv


def feedback_round(day: datetime.date) -> str:
    """The half-year a questionnaire belongs to: one answer a participant in each."""
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


@transaction.atomic
def feedback_give(
    *, participant: Participant, by: User, listened: int, reachable: int, helps: int
) -> Feedback:
    """The participant answers this half-year's questionnaire (once). The audit row says
    that they answered, not what."""
    round_ = feedback_round(timezone.localdate())
    if Feedback.objects.filter(participant=participant, round=round_).exists():
        raise ValidationError(_("You have already answered this half-year. Thank you!"))
    feedback = Feedback(
        organisation_id=participant.organisation_id,
        participant=participant,
        round=round_,
        listened=listened,
        reachable=reachable,
        helps=helps,
    )
    feedback.full_clean(validate_constraints=False)
    feedback.save()
    audit_record(
        actor=by,
        organisation_id=participant.organisation_id,
        action="selfservice.feedback_given",
        obj=feedback,
        participant_id=participant.pk,
    )
    return feedback
