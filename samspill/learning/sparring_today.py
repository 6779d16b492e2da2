"""The Today page's sparring list and the sparring reminders, from this app: followup is lower
than learning and must not import it, so they are registered (apps.ready)."""

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.followup import reminders, today
from samspill.followup.models import Reminder
from samspill.learning import sparring_queries
from samspill.learning.models import SparringCase
from samspill.organisations.models import Membership


def _rows(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return sparring_queries.open_for(user).only(
        "reference",
        "kind",
        "participant_id",
        "asked_id",
        "asked_by_id",
        "group_id",
        "status",
        "situation",
        "organisation_id",
        *today.of("participant", today.PERSON),
        "asked_by__full_name",
        "asked__full_name",
        "group__name",
    )


def _log(items: list[Any], membership: Membership) -> None:
    """The Today list shows colleagues' cases: a read of their sparring records."""
    sparring_queries.log_reads(
        membership.user_id,
        (case.asked_by_id for case in items),
        membership.organisation_id,
        "today:sparring",
    )


SECTION = today.Section(
    "sparring",
    _("Sparring"),
    _("No sparring requests."),
    _rows,
    prepare=_log,
    template_name="learning/today_sparring.html",
)


def _reminders(day: datetime.date) -> Iterator[Reminder]:
    """The one asked (for a group: its facilitator) is reminded of a request still open."""
    waiting = SparringCase.objects.filter(status=SparringCase.Status.OPEN).values_list(
        "id", "asked_id", "group__facilitator_id", "created_at"
    )
    for case_id, asked_id, facilitator_id, created in waiting.iterator(chunk_size=reminders.BATCH):
        yield Reminder(
            user_id=asked_id or facilitator_id,
            kind=Reminder.Kind.SPARRING,
            key=f"sparring_case:{case_id}",
            due_on=timezone.localdate(created),
        )


def register() -> None:
    today.section_register(SECTION, after="placement-follow-ups")
    reminders.reminder_source_register(_reminders, labels={})
