"""Export to the interchange format: the same files and columns the importer reads.

Rows are streamed from the database in a fixed order (by key, or by every column for the files
without a key of their own), so an export -> import -> export round trip is byte-identical. An
object made in Samspill has no external key; it is exported as "samspill-<id>", which the import
keeps as its key.

The research export (`research=True`) is the same folder pseudonymised: every key replaced by
HMAC-SHA256 under a random key made for this export and then forgotten, names, national ids,
e-mail addresses and organisation numbers left empty; dates and categories kept. Only the
participants who consent to research now are in it (with their periods and what hangs off
them); a birth date becomes an age band (column `age_band`), and an age band or need group
that fewer than smallcells.THRESHOLD participants of the export share is written as
`suppressed` (it would single them out).
"""

import csv
import datetime
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, TruncDate
from django.utils import timezone

from samspill.core.smallcells import SUPPRESSED_CSV, THRESHOLD
from samspill.employers.models import Employer
from samspill.followup.models import BeliefCheckIn
from samspill.interchange import format as fmt
from samspill.organisations.models import Membership, Organisation
from samspill.participants.models import (
    ConsentRecord,
    CounselorAssignment,
    FollowUpPeriod,
    FollowUpStatus,
    Participant,
    PeriodOutcome,
)
from samspill.placements.models import Placement
from samspill.plans.models import Activity
from samspill.referrals.models import Referral

GENERATED_PREFIX = "samspill-"
CHUNK = 5000
# Cells the research export leaves empty: they name or identify a person (or a business).
RESEARCH_BLANK = {
    "organisations": {"name"},
    "staff": {"name", "email"},
    "participants": {"given_name", "family_name", "national_id"},
    "employers": {"org_number", "name"},
}


def key(path: str = "") -> Expression:
    """The exported key of the object at `path`: its external key, or one made from its id."""
    prefix = f"{path}__" if path else ""
    return Case(
        When(
            **{f"{prefix}external_key": ""},
            then=Concat(Value(GENERATED_PREFIX), Cast(f"{prefix}id", CharField())),
        ),
        default=F(f"{prefix}external_key"),
        output_field=CharField(),
    )


def staff_key(user_path: str, org_path: str) -> Subquery:
    """The staff key of a user in an organisation: their membership there (the active one
    first), as staff.csv lists it."""
    return Subquery(
        Membership.objects.filter(user=OuterRef(user_path), organisation=OuterRef(org_path))
        .order_by("-is_active", "-id")
        .annotate(k=key())
        .values("k")[:1]
    )


def period_of_placement() -> Subquery:
    """Placements have no period of their own: the participant's period in which it starts
    (the import checks that it starts inside the period it names)."""
    return Subquery(
        FollowUpPeriod.objects.filter(
            participant=OuterRef("participant"), start_date__lte=OuterRef("start_date")
        )
        .order_by("-start_date", "-id")
        .annotate(k=key())
        .values("k")[:1]
    )


def _staff(orgs: QuerySet[Organisation]) -> QuerySet[Any]:
    preferred = Membership.objects.filter(
        user=OuterRef("user"), organisation=OuterRef("organisation")
    ).order_by("-is_active", "-id")
    return (
        Membership.objects.filter(organisation__in=orgs)
        .filter(pk=Subquery(preferred.values("pk")[:1]))
        .annotate(k=key(), org=key("organisation"))
        .order_by("k")
        .values_list("k", "org", "team__name", "user__full_name", "user__email", "role")
    )


def _assignments(orgs: QuerySet[Organisation]) -> Iterator[tuple[Any, ...]]:
    rows = (
        CounselorAssignment.objects.filter(participant__organisation__in=orgs)
        .annotate(
            period_k=key("period"),
            staff_k=staff_key("counselor", "participant__organisation"),
            day=TruncDate("started_at"),
        )
        .order_by("period_k", "day", "staff_k")
        .values_list("period_k", "staff_k", "started_at", "ended_at", "reason")
    )
    for period_k, staff_k, started, ended, reason in rows.iterator(chunk_size=CHUNK):
        ended_on = timezone.localdate(ended) if ended is not None else None
        yield period_k, staff_k, timezone.localdate(started), ended_on, reason


def _queries(orgs: QuerySet[Organisation]) -> dict[str, Callable[[], Iterable[tuple[Any, ...]]]]:
    in_orgs = {"participant__organisation__in": orgs}
    activity_kind = Case(
        When(kind__in=fmt.ACTIVITY_KINDS, then=F("kind")),
        default=Value("other"),
        output_field=CharField(),
    )
    return {
        "organisations": lambda: (
            orgs.annotate(k=key()).order_by("k").values_list("k", "name", "kind")
        ),
        "staff": lambda: _staff(orgs),
        "participants": lambda: (
            Participant.objects.filter(organisation__in=orgs)
            .annotate(k=key(), org=key("organisation"))
            .order_by("k")
            .values_list(
                "k", "org", "given_name", "family_name", "birth_date", "national_id", "need_group"
            )
        ),
        "employers": lambda: (
            Employer.objects.filter(organisation__in=orgs)
            .annotate(k=key())
            .order_by("k")
            .values_list("k", "org_number", "name", "nace_division")
        ),
        "followup_periods": lambda: (
            FollowUpPeriod.objects.filter(**in_orgs)
            .annotate(k=key(), participant_k=key("participant"))
            .order_by("k")
            .values_list("k", "participant_k", "start_date", "end_date", "end_reason")
        ),
        "assignments": lambda: _assignments(orgs),
        "belief_checkins": lambda: (
            BeliefCheckIn.objects.filter(**in_orgs)
            .annotate(
                period_k=key("period"), staff_k=staff_key("counselor", "participant__organisation")
            )
            .order_by("period_k", "staff_k", "asked_on")
            .values_list(
                "period_k", "staff_k", "asked_on", "belief", "self_belief", "market_belief"
            )
        ),
        # An activity outside any period has no place in the format and is left out.
        "activities": lambda: (
            Activity.objects.filter(**in_orgs, period__isnull=False)
            .annotate(
                period_k=key("period"),
                staff_k=staff_key("created_by", "participant__organisation"),
                kind_k=activity_kind,
                employer_k=Case(
                    When(employer__isnull=True, then=Value("")), default=key("employer")
                ),
            )
            .order_by("period_k", "staff_k", "due_date", "kind_k", "employer_k")
            .values_list("period_k", "staff_k", "due_date", "kind_k", "employer_k")
        ),
        # A cancelled placement never happened; it is left out.
        "placements": lambda: (
            Placement.objects.filter(**in_orgs, cancelled_at__isnull=True)
            .annotate(k=key(), period_k=period_of_placement(), employer_k=key("employer"))
            .order_by("k")
            .values_list("k", "period_k", "employer_k", "kind", "start_date", "end_date", "outcome")
        ),
        "outcomes": lambda: (
            PeriodOutcome.objects.filter(period__participant__organisation__in=orgs)
            .annotate(period_k=key("period"))
            .order_by("period_k", "date")
            .values_list("period_k", "date", "outcome", "hours_per_week", "wage_subsidy")
        ),
        "statuses": lambda: (
            FollowUpStatus.objects.filter(period__participant__organisation__in=orgs)
            .annotate(period_k=key("period"))
            .order_by("period_k", "months")
            .values_list(
                "period_k",
                "months",
                "due_on",
                "outcome",
                "as_of",
                "hours_per_week",
                "wage_subsidy",
            )
        ),
        "referrals": lambda: (
            Referral.objects.filter(organisation__in=orgs)
            .annotate(
                k=key(),
                org=key("organisation"),
                participant_k=Case(
                    When(participant__isnull=True, then=Value("")), default=key("participant")
                ),
            )
            .order_by("k")
            .values_list(
                "k", "org", "received_on", "source", "need_group", "participant_k", "outcome"
            )
        ),
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return fmt.TRUE if value else fmt.FALSE
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


AGE_BANDS = ((18, "under 18"), (25, "18-24"), (30, "25-29"), (40, "30-39"), (50, "40-49"))


def age_band(born: str, on: datetime.date) -> str:
    """The age band of a birth date (ISO text) on `on`; empty when unknown."""
    if not born:
        return ""
    birth = datetime.date.fromisoformat(born)
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return next((band for limit, band in AGE_BANDS if age < limit), "50 and over")


def _research_scope(orgs: QuerySet[Organisation]) -> tuple[set[str], set[str]]:
    """The keys of the participants who consent to research now, and of their periods."""
    consenting = Participant.objects.filter(
        organisation__in=orgs,
        consents__recipient=ConsentRecord.Recipient.RESEARCH,
        consents__withdrawn_at__isnull=True,
    )
    participants = set(consenting.annotate(k=key()).values_list("k", flat=True))
    periods = set(
        FollowUpPeriod.objects.filter(participant__in=consenting)
        .annotate(k=key())
        .values_list("k", flat=True)
    )
    return participants, periods


def _suppress_small(rows: list[list[str]], columns: list[int]) -> None:
    """Writes `suppressed` in each of `columns` whose value fewer than THRESHOLD rows share."""
    for index in columns:
        counts: dict[str, int] = {}
        for row in rows:
            counts[row[index]] = counts.get(row[index], 0) + 1
        for row in rows:
            if row[index] and counts[row[index]] < THRESHOLD:
                row[index] = SUPPRESSED_CSV


def export_folder(
    folder: Path, *, organisations: QuerySet[Organisation], research: bool = False
) -> dict[str, int]:
    """Write the interchange files for `organisations` into `folder`; return rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32) if research else b""

    def pseudonym(value: str) -> str:
        return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest() if value else ""

    manifest: dict[str, Any] = {"format": fmt.FORMAT_NAME, "version": fmt.FORMAT_VERSION}
    if research:
        manifest["pseudonymised"] = True
    (folder / fmt.MANIFEST).write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    queries = _queries(organisations)
    scope = _research_scope(organisations) if research else None
    today = timezone.localdate()
    for spec in fmt.FILES:
        hashed = [i for i, c in enumerate(spec.columns) if research and c.name.endswith("_key")]
        blank = [
            i
            for i, c in enumerate(spec.columns)
            if research and c.name in RESEARCH_BLANK.get(spec.name, set())
        ]
        rows = queries[spec.name]()
        if isinstance(rows, QuerySet):
            rows = rows.iterator(chunk_size=CHUNK)
        names = [c.name for c in spec.columns]
        header = list(spec.header)
        if scope is not None:
            rows = _research_rows(spec.name, names, rows, scope, today)
            if spec.name == "participants":
                header[names.index("birth_date")] = "age_band"
        count = 0
        with open(folder / spec.filename, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                cells = [_cell(value) for value in row]
                for index in hashed:
                    cells[index] = pseudonym(cells[index])
                for index in blank:
                    cells[index] = ""
                writer.writerow(cells)
                count += 1
        counts[spec.name] = count
    return counts


def _research_rows(
    name: str,
    columns: list[str],
    rows: Iterable[Any],
    scope: tuple[set[str], set[str]],
    today: datetime.date,
) -> Iterable[Any]:
    """The rows of one file that the research export may hold (see the module docstring)."""
    participants, periods = scope
    person = columns.index("participant_key") if "participant_key" in columns else None
    period = columns.index("period_key") if "period_key" in columns else None
    kept = [
        list(row)
        for row in rows
        if (person is None or not row[person] or row[person] in participants)
        and (period is None or row[period] in periods)
    ]
    if name == "participants":
        born = columns.index("birth_date")
        for row in kept:
            row[born] = age_band(_cell(row[born]), today)
        _suppress_small(kept, [born, columns.index("need_group")])
    return kept
