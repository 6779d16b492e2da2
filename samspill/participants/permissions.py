"""Who may see and change which participant. The one door for participant visibility.

Rules (by role *and* relationship):
- a counselor or coordinator sees the participants they follow now, and, when the organisation
  allows it, those followed by their team;
- a leader sees every participant in their organisation;
- an administrator manages staff and settings, and reads no case records (least access);
- nobody sees another organisation's participants: such a record is a 404, never a 403;
- special-category fields (health: `SPECIAL_CATEGORY_FIELDS`) are shown only to those who
  follow the participant (their counselor, and their team where the team sees the team's
  participants); a leader reads the rest of the record and sees such data in aggregate only.
"""

from typing import Any

from django.db.models import Q

from samspill.audit.services import access_log_record
from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user
from samspill.participants.models import Participant

NOTHING = Q(pk__in=[])


class Relationship:
    """Why a user may read a record; written to the access log."""

    COUNSELOR = "counselor"
    TEAM = "team"
    LEADER = "leader"


def whole_organisation_scope(user: Any) -> int | None:
    """The id of the organisation whose every participant `user` may read (a leader's), else
    None. Lets a query over many participants' records filter them by their organisation
    instead of by the participants' ids."""
    membership = membership_for_user(user)
    if membership is not None and membership.role == Membership.Role.LEADER:
        return membership.organisation_id
    return None


def participant_scope_branches(user: Any) -> list[Q]:
    """The rules below as branches, each a plain AND: `user` may read a participant that
    matches any of them (none: nobody). `participant_scope` is their OR."""
    organisation_id = whole_organisation_scope(user)
    if organisation_id is not None:
        return [Q(organisation_id=organisation_id)]
    membership = membership_for_user(user)
    if membership is None:
        return []
    in_org = Q(organisation_id=membership.organisation_id)
    if membership.role in (Membership.Role.COUNSELOR, Membership.Role.COORDINATOR):
        branches = [in_org & Q(counselor_id=user.pk)]
        if membership.organisation.team_sees_team_participants and membership.team_id:
            branches.append(in_org & Q(team_id=membership.team_id))
        return branches
    return []


def participant_scope(user: Any) -> Q:
    branches = participant_scope_branches(user)
    if not branches:
        return NOTHING
    # (org AND counselor) OR (org AND team): PostgreSQL factors the common organisation out
    # again, so the plans are those of org AND (counselor OR team).
    scope = branches[0]
    for branch in branches[1:]:
        scope |= branch
    return scope


def relationship_to(user: Any, participant: Participant) -> str | None:
    """The relationship that lets `user` read `participant`, or None if there is none."""
    membership = membership_for_user(user)
    if membership is None or membership.organisation_id != participant.organisation_id:
        return None
    if membership.role in (
        Membership.Role.COUNSELOR,
        Membership.Role.COORDINATOR,
        Membership.Role.LEADER,
    ):
        if participant.counselor_id == user.pk:
            return Relationship.COUNSELOR
        if membership.role == Membership.Role.LEADER:
            return Relationship.LEADER
        if (
            membership.organisation.team_sees_team_participants
            and membership.team_id
            and participant.team_id == membership.team_id
        ):
            return Relationship.TEAM
    return None


# Health and other special-category data (GDPR article 9) on the record.
SPECIAL_CATEGORY_FIELDS = ("needs",)


def can_read_special_categories(user: Any, participant: Participant) -> bool:
    """Whether `user` follows `participant` (see the module docstring)."""
    return relationship_to(user, participant) in (Relationship.COUNSELOR, Relationship.TEAM)


def mask_special_categories(user: Any, participant: Participant) -> bool:
    """Blanks the special-category fields of this copy of `participant` (never saved) unless
    `user` may read them; returns whether they were masked."""
    if can_read_special_categories(user, participant):
        return False
    for name in SPECIAL_CATEGORY_FIELDS:
        setattr(participant, name, "")
    return True


def log_national_id_matches(user: Any, number: str, rows: Any, *, what: str) -> None:
    """A search by a whole national id (`number`) is a lookup of that person: logged as a
    read of the match. A name search is not; it shows what the caseload shows anyway."""
    for participant in rows if number else ():
        why = relationship_to(user, participant)
        if participant.national_id == number and why is not None:
            access_log_record(actor=user, participant=participant, what=what, why=why)


def can_create_participants(user: Any) -> bool:
    membership = membership_for_user(user)
    return membership is not None and membership.follows_participants


def can_assign_counselor(user: Any, participant: Participant) -> bool:
    """Leaders, and whoever may read the record, may change the counselor."""
    return relationship_to(user, participant) is not None


def can_read_access_log(user: Any, participant: Participant) -> bool:
    membership = membership_for_user(user)
    return (
        membership is not None
        and membership.is_leader
        and membership.organisation_id == participant.organisation_id
    )
