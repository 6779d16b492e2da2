"""Counselor continuity: what research says a change costs, and the metrics that follow it.

The Danish BIP study (DOMAIN.md, seed 000) found each change of counselor during follow-up
lowers the chance of a job by about 22%. We show that cost before a change is made, as a
reminder of the research, never as a prediction for one person.
"""

from samspill.participants.models import CounselorAssignment, FollowUpPeriod

CHANGE_EFFECT = 0.78  # the relative chance after one change (about 22% lower)


def changes_in_period(period: FollowUpPeriod | None) -> int:
    """Changes of counselor so far in the period (the first assignment is not a change)."""
    if period is None:
        return 0
    return (
        CounselorAssignment.objects.filter(period=period)
        .exclude(reason=CounselorAssignment.Reason.INITIAL)
        .count()
    )


def relative_chance_after(changes: int) -> int:
    """The chance of work after `changes` changes, in percent of the chance with one counselor."""
    return round(100 * CHANGE_EFFECT**changes)
