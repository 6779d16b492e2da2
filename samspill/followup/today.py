"""The counselor's day: the lists on the Today page, each also a page of its own.

The Today page shows the first few rows of every list with the list's whole count; a list
longer than that links to its own page, where every row is reached a page at a time. Both pages
build a list from the same `Section`, so they cannot disagree on what is due.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samspill.employers import queries as employer_queries
from samspill.employers import queries_coordination as coordination_queries
from samspill.followup import queries
from samspill.followup.reminders import RENEWAL_NOTICE_DAYS
from samspill.organisations.models import Membership
from samspill.participants import queries as participant_queries
from samspill.placements import queries as placement_queries

# Rows per list on the Today page (each list's count is whole), and on a list's own page.
FIRST_ROWS = 10
PAGE_SIZE = 50

Rows = Callable[[Any, Membership, datetime.date], QuerySet[Any]]

# Each list reads only the columns its rows show (`.only`): compiling and reading every column
# of three or four joined tables was most of the Today page's time (bench/README.md). A field
# a template uses but a list does not read would cost a query a row; the query-count tests,
# which fill every list, catch that.
PERSON = ("given_name", "family_name")


def of(relation: str, fields: tuple[str, ...]) -> list[str]:
    return [f"{relation}__{field}" for field in fields]


@dataclass(frozen=True)
class Section:
    key: str  # the anchor on the Today page and the list page's address
    title: Promise
    empty: Promise
    rows: Rows
    prompt: bool = False  # highlighted on the Today page while it has rows
    # What a row needs beyond its query, set on the rows of a page.
    prepare: Callable[[list[Any], Membership], None] | None = None
    template_name: str = ""  # a registered list's own partial

    @property
    def template(self) -> str:
        """The partial that renders `items`."""
        return self.template_name or f"followup/today/_{self.key.replace('-', '_')}.html"


def _checkins(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return queries.due_checkins(user, membership, today=day).only(
        *PERSON, "active_period__start_date"
    )


def _follow_ups(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return queries.follow_ups_due(user, today=day).only(*PERSON, "next_follow_up_on")


def _handovers(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return queries.unread_handovers(user).only(
        "participant_id", *of("participant", PERSON), "assigned_by__full_name"
    )


def _activities(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return queries.overdue_activities(user, today=day).only(
        "participant_id", *of("participant", PERSON), "title", "due_date"
    )


def _concerns(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return placement_queries.open_concerns_for(user).only(
        "placement_id",
        "text",
        "created_at",
        "placement__title",
        "placement__participant_id",
        "placement__participant__counselor_id",
        *of("placement__participant", PERSON),
        "placement__employer__name",
        "raised_by__full_name",
    )


def _placement_follow_ups(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return placement_queries.follow_ups_due_for(user, until=day).only(
        "placement_id",
        "due_on",
        "placement__title",
        *of("placement__participant", PERSON),
        "placement__employer__name",
    )


def _renewals(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return (
        employer_queries.renewals_due(until=day + datetime.timedelta(days=RENEWAL_NOTICE_DAYS))
        .filter(employer__contact_person_id=user.pk)
        .select_related("employer")
        .only("employer_id", "renewal_on", "employer__name")
        .order_by("renewal_on", "id")
    )


def _mentor_contacts(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return (
        employer_queries.mentor_contacts_due(today=day)
        .filter(counselor_id=user.pk)
        .select_related("mentor", "mentor__employer")
        .only("mentor_id", "next_contact_on", "mentor__name", "mentor__employer__name")
        .order_by("next_contact_on", "id")
    )


# Actions agreed at coordinator meetings are listed a week before they fall due.
ACTION_NOTICE_DAYS = 7


def _coordination_actions(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return (
        coordination_queries.actions_due(user, until=day + datetime.timedelta(ACTION_NOTICE_DAYS))
        .select_related(None)
        .select_related("series")
        .only("what", "due_on", "series_id", "series__title")
    )


def _statuses(user: Any, membership: Membership, day: datetime.date) -> QuerySet[Any]:
    return participant_queries.statuses_to_record(user, membership, day).only(
        "due_on", "months", *of("period__participant", PERSON)
    )


def _checkin_due_dates(items: list[Any], membership: Membership) -> None:
    for participant in items:
        participant.checkin_due_on = queries.checkin_due_on(participant, membership)


# In the order the Today page shows them: what someone else waits for first.
SECTIONS: dict[str, Section] = {
    section.key: section
    for section in (
        Section(
            "concerns",
            _("Concerns from workplaces"),
            _("No concerns."),
            _concerns,
            prompt=True,
        ),
        Section(
            "placement-follow-ups",
            _("Placement follow-ups due"),
            _("No placement follow-ups due."),
            _placement_follow_ups,
        ),
        Section("handovers", _("New to you"), _("Nobody new."), _handovers),
        Section(
            "checkins",
            _("Belief check-ins due"),
            _("None due."),
            _checkins,
            prepare=_checkin_due_dates,
        ),
        Section("follow-ups", _("Follow-ups due"), _("None due."), _follow_ups),
        Section(
            "activities",
            _("Overdue activities"),
            _("None overdue."),
            _activities,
        ),
        Section(
            "mentor-contacts",
            _("Mentor contacts due"),
            _("None due."),
            _mentor_contacts,
        ),
        Section(
            "coordination-actions",
            _("Actions from coordinator meetings"),
            _("None due."),
            _coordination_actions,
        ),
        Section(
            "renewals",
            _("Agreements to renew"),
            _("None due."),
            _renewals,
        ),
        Section(
            "statuses",
            _("Statuses after follow-up to record"),
            _("None due."),
            _statuses,
        ),
    )
}


def section_register(section: Section, *, after: str | None = None) -> None:
    """Add a list from an app above this one (which must not be imported here), placed after
    the list `after` (at the end without it)."""
    sections = [s for s in SECTIONS.values() if s.key != section.key]
    at = next((i + 1 for i, s in enumerate(sections) if s.key == after), len(sections))
    sections.insert(at, section)
    SECTIONS.clear()  # in place: the views read the same dict
    SECTIONS.update((s.key, s) for s in sections)


def prepare(section: Section, items: list[Any], membership: Membership) -> list[Any]:
    """The rows of a page, with what they need beyond their query (see `Section.prepare`)."""
    if section.prepare is not None:
        section.prepare(items, membership)
    return items


@dataclass
class ShownSection:
    section: Section
    list: queries.TodayList

    @property
    def more(self) -> bool:
        return self.list.count > len(self.list.items)


def today_sections(user: Any, membership: Membership, day: datetime.date) -> list[ShownSection]:
    """Every list's first rows and whole count: one query a list."""
    shown = []
    for section in SECTIONS.values():
        listed = queries.limited(section.rows(user, membership, day), FIRST_ROWS)
        prepare(section, listed.items, membership)
        shown.append(ShownSection(section, listed))
    return shown
