"""The counselor's Today list of what their participants wrote: messages, comments on
activities, activities marked done or proposed, while unread."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samspill.followup import today
from samspill.organisations.models import Membership
from samspill.selfservice import queries


def _rows(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return queries.unread_from_participants(user).only(
        "participant_id",
        "kind",
        "text",
        "created_at",
        *today.of("participant", today.PERSON),
        "activity__title",
    )


SECTION = today.Section(
    "from-participants",
    _("From your participants"),
    _("Nothing unread."),
    _rows,
    prompt=True,
)


def register() -> None:
    today.section_register(SECTION, after="concerns")
