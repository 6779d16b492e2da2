"""The interchange format, version 2: a folder of UTF-8 CSV files with a header row, plus
`interchange.json`. docs/interchange.md describes it for people; this module is the same
description for the importer and the exporter, so the two cannot drift apart.

Version 2 writes every outcome (a period's end reason, its outcomes and statuses after, a
placement's, a referral's) in the one vocabulary (participants.models.Outcome). A version 1
folder still imports: its columns are a subset of version 2's, and its outcome codes are read
through OUTCOME_ALIASES (each column's version 1 codes are its `legacy`)."""

from dataclasses import dataclass

from samspill.organisations.models import Membership, Organisation
from samspill.participants.models import (
    OUTCOME_ALIASES,
    CounselorAssignment,
    FollowUpStatus,
    NeedGroup,
    Outcome,
)
from samspill.placements.models import Placement
from samspill.referrals.models import Source

FORMAT_NAME = "samspill-interchange"
FORMAT_VERSION = 2  # what the export writes
VERSIONS = (1, 2)  # what the import reads
MANIFEST = "interchange.json"

# The activity kinds the format knows; every other Activity.Kind is exported as "other".
ACTIVITY_KINDS = ("employer_contact", "meeting", "follow_up", "other")

KEY, TEXT, EMAIL, DATE, CHOICE, BELIEF = "key", "text", "email", "date", "choice", "belief"
OUTCOME, HOURS, BOOLEAN = "outcome", "hours", "boolean"
TRUE, FALSE = "true", "false"

# Each outcome column's codes in format version 1, and the code each means now (the aliases
# that are not codes of the one vocabulary already); "" is no outcome yet.
V1_END_REASONS = (
    "ordinary_work",
    "education",
    "apprenticeship",
    "other_next_step",
    "transferred",
    "moved",
    "withdrew",
    "other",
)
V1_PLACEMENT_OUTCOMES = (
    "ordinary_job",
    "education",
    "apprenticeship",
    "next_placement",
    "not_ready",
    "dropped_out",
)
V1_PERIOD_OUTCOMES = ("ordinary_work", "education", "apprenticeship", "other_next_step")
V1_REFERRAL_OUTCOMES = (
    "ordinary_work",
    "practice_place",
    "summer_job",
    "education",
    "apprenticeship",
    "not_ready",
    "in_process",
    "referred_elsewhere",
)


def outcome_of(code: str) -> str:
    """The one vocabulary's code for a code of format version 1 ("" for none yet)."""
    return str(OUTCOME_ALIASES.get(code, code))


@dataclass(frozen=True)
class Column:
    name: str
    type: str = KEY
    required: bool = True
    choices: tuple[str, ...] = ()
    max_length: int = 100
    legacy: tuple[str, ...] = ()  # an outcome column's codes in format version 1


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[Column, ...]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


def _choice(name: str, values: list[str], required: bool = True) -> Column:
    return Column(name, CHOICE, required, tuple(values), 30)


def _date(name: str, required: bool = True) -> Column:
    return Column(name, DATE, required)


def _outcome(name: str, legacy: tuple[str, ...], required: bool = False) -> Column:
    return Column(name, OUTCOME, required, tuple(Outcome.values), 30, legacy)


# Hours per week and wage subsidy: with ordinary work only.
_WORK_DETAILS = (
    Column("hours_per_week", HOURS, required=False, max_length=10),
    Column("wage_subsidy", BOOLEAN, required=False, max_length=10),
)


ORGANISATIONS = FileSpec(
    "organisations",
    (
        Column("org_key"),
        Column("name", TEXT, max_length=200),
        _choice("kind", Organisation.Kind.values),
    ),
)
STAFF = FileSpec(
    "staff",
    (
        Column("staff_key"),
        Column("org_key"),
        Column("team", TEXT, required=False, max_length=200),
        Column("name", TEXT, max_length=200),
        Column("email", EMAIL, max_length=254),
        _choice("role", Membership.Role.values),
    ),
)
PARTICIPANTS = FileSpec(
    "participants",
    (
        Column("participant_key"),
        Column("org_key"),
        Column("given_name", TEXT),
        Column("family_name", TEXT),
        # The birth date and the need group are required by the format, but Samspill lets
        # both wait (a participant is often registered before the need is assessed): the
        # importer takes them empty, so that Samspill's own export can come back in.
        _date("birth_date", required=False),
        Column("national_id", TEXT, required=False, max_length=20),
        _choice("need_group", NeedGroup.values, required=False),
    ),
)
EMPLOYERS = FileSpec(
    "employers",
    (
        Column("employer_key"),
        Column("org_number", TEXT, max_length=20),
        Column("name", TEXT, max_length=200),
        Column("nace", TEXT, required=False, max_length=2),
    ),
)
PERIODS = FileSpec(
    "followup_periods",
    (
        Column("period_key"),
        Column("participant_key"),
        _date("start_date"),
        _date("end_date", required=False),
        _outcome("end_reason", V1_END_REASONS),
    ),
)
ASSIGNMENTS = FileSpec(
    "assignments",
    (
        Column("period_key"),
        Column("staff_key"),
        _date("start_date"),
        _date("end_date", required=False),
        _choice("reason", CounselorAssignment.Reason.values, required=False),
    ),
)
CHECKINS = FileSpec(
    "belief_checkins",
    (
        Column("period_key"),
        Column("staff_key"),
        _date("date"),
        Column("belief", BELIEF),
        Column("self_belief", BELIEF, required=False),
        Column("market_belief", BELIEF, required=False),  # belief in the labour market
    ),
)
ACTIVITIES = FileSpec(
    "activities",
    (
        Column("period_key"),
        Column("staff_key"),
        _date("date"),
        _choice("kind", list(ACTIVITY_KINDS)),
        Column("employer_key", required=False),
    ),
)
PLACEMENTS = FileSpec(
    "placements",
    (
        Column("placement_key"),
        Column("period_key"),
        Column("employer_key"),
        _choice("kind", Placement.Kind.values),
        _date("start_date"),
        _date("end_date", required=False),
        _outcome("outcome", V1_PLACEMENT_OUTCOMES),
    ),
)
OUTCOMES = FileSpec(
    "outcomes",
    (
        Column("period_key"),
        _date("date"),
        _outcome("outcome", V1_PERIOD_OUTCOMES, required=True),
        *_WORK_DETAILS,
    ),
)
STATUSES = FileSpec(
    "statuses",
    (
        Column("period_key"),
        _choice("months", [str(months) for months in FollowUpStatus.MONTHS]),
        _date("due_on"),
        _outcome("outcome", tuple(Outcome.values)),  # new in version 2
        _date("as_of", required=False),
        *_WORK_DETAILS,
    ),
)
REFERRALS = FileSpec(
    "referrals",
    (
        Column("referral_key"),
        Column("org_key"),
        _date("date"),
        _choice("source", Source.values),
        _choice("need_group", NeedGroup.values, required=False),  # as a participant's
        Column("participant_key", required=False),
        _outcome("outcome", V1_REFERRAL_OUTCOMES),
    ),
)

# In the order they are read: every file refers only to files before it.
FILES = (
    ORGANISATIONS,
    STAFF,
    PARTICIPANTS,
    EMPLOYERS,
    PERIODS,
    ASSIGNMENTS,
    CHECKINS,
    ACTIVITIES,
    PLACEMENTS,
    OUTCOMES,
    STATUSES,
    REFERRALS,
)
FILENAMES = frozenset([MANIFEST, *(spec.filename for spec in FILES)])
