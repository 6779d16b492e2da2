"""Network meetings of a loop's employers and mentors (issue 22, item 3): the loop as a
learning arena. The driver (staff or the external driver of this loop) or the organisation's
staff record the date, who attended, the minutes, what they learned and what they will change.

Who: the same door as choosing employers (selection.selection_loop): staff who follow
participants and the loop's own external driver; NAV's loop coordinator, administrators
without a caseload and portal users get a 403, another organisation's loop (or another
driver's) a 404. Nothing here names a participant.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.employers.models import EmployerContact
from samspill.loops.models import Loop, NetworkMeeting
from samspill.loops.selection import selection_loop

MAX_TEXT = 5000

meeting_loop = selection_loop  # the door: who may see and record a loop's network meetings


def loop_contacts(loop: Loop) -> QuerySet[EmployerContact]:
    """Who can attend: the contacts (mentors first) of the loop's current employers."""
    return (
        EmployerContact.objects.filter(
            employer__loops__loop=loop, employer__loops__replaced_at__isnull=True
        )
        .select_related("employer")
        .order_by("employer__name", "-is_mentor", "name")
        .distinct()
    )


def loop_meetings(loop: Loop) -> QuerySet[NetworkMeeting]:
    return loop.network_meetings.select_related("recorded_by").prefetch_related(
        "attendees__employer"
    )


@transaction.atomic
def network_meeting_record(
    *,
    loop: Loop,
    by: User,
    held_on: datetime.date,
    attendee_ids: list[int],
    minutes: str,
    learned: str = "",
    will_change: str = "",
    meeting: NetworkMeeting | None = None,
    revision: int | None = None,
) -> NetworkMeeting:
    """Record a network meeting of `loop`, or change `meeting`; a stale change is refused."""
    meeting_loop(by, loop.pk)
    minutes, learned, will_change = minutes.strip(), learned.strip(), will_change.strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
    if any(len(text) > MAX_TEXT for text in (minutes, learned, will_change)):
        raise ValidationError(_("Keep each text under 5000 characters."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a meeting once it has been held.")})
    attendees = list(loop_contacts(loop).filter(pk__in=attendee_ids))
    if len(attendees) != len(set(attendee_ids)):
        raise ValidationError(
            {"attendees": _("Only the contacts of the loop's employers can attend.")}
        )
    if meeting is None:
        meeting = NetworkMeeting(loop=loop, recorded_by=by)
        fields = None
        action = "loop.network_meeting_recorded"
    else:
        locked = NetworkMeeting.objects.select_for_update().filter(pk=meeting.pk, loop=loop)
        found = locked.first()
        if found is None:
            raise Http404
        meeting = found
        check_revision(meeting, revision)
        fields = count_save(meeting, "held_on", "minutes", "learned", "will_change", "updated_at")
        action = "loop.network_meeting_changed"
    meeting.held_on, meeting.minutes = held_on, minutes
    meeting.learned, meeting.will_change = learned, will_change
    meeting.full_clean(validate_constraints=False, validate_unique=False)
    meeting.save(update_fields=fields)
    meeting.attendees.set(attendees)
    audit_record(
        actor=by,
        organisation_id=loop.organisation_id,
        action=action,
        obj=meeting,
        data={"loop": loop.pk, "attendees": len(attendees)},
    )
    return meeting
