"""The write phase of the import (importing.Importer): set-based INSERT ... SELECT from the
staging tables of what is not in Samspill yet. Every statement is plain SQL that PostgreSQL and
SQLite both run.

New participants and periods get their ids reserved first (from the table's sequence), so a new
participant is written once, with its open period, current counselor and team already in place,
and the rows below a period join the staging tables in their INSERT instead of being copied
into them first. Only participants already in Samspill get the denormalised fields updated."""

import contextlib
import datetime
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, models

from samspill.accounts.models import User
from samspill.employers.models import Employer
from samspill.followup.models import BeliefCheckIn
from samspill.interchange.report import ImportReport, stage
from samspill.organisations.models import Membership, Organisation, Team
from samspill.participants.models import (
    CounselorAssignment,
    FollowUpPeriod,
    FollowUpStatus,
    OutcomeSource,
    Participant,
    PeriodOutcome,
)
from samspill.placements.models import Placement
from samspill.plans.models import Activity
from samspill.referrals.models import Referral

logger = logging.getLogger(__name__)


class Writes:
    """Mixed into Importer, which sets these up."""

    report: ImportReport
    by: User | None
    scope: Organisation | None
    now: datetime.datetime
    cursor: Any
    bulk: bool
    phase: Callable[[str], contextlib.AbstractContextManager[None]]  # times a step

    def sql(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
        started = time.perf_counter()
        self.cursor.execute(sql, params)
        logger.debug(
            "%.2f s, %s rows: %s", time.perf_counter() - started, self.cursor.rowcount, sql
        )
        return int(self.cursor.rowcount or 0)

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        self.sql(sql, params)
        return list(self.cursor.fetchall())

    def insert(
        self,
        model: type[models.Model],
        values: dict[str, str],
        source: str,
        bound: dict[str, list[Any]] | None = None,
        source_params: tuple[Any, ...] = (),
    ) -> int:
        """INSERT INTO model's table SELECT `values` (column -> SQL, with its parameters in
        `bound`) `source`; every other column gets the field's default, as the ORM gives it.
        The id is written only when `values` names it (reserved by reserve_ids)."""
        columns, exprs, params = [], [], []
        for model_field in model._meta.concrete_fields:
            if model_field.primary_key and model_field.column not in values:
                continue
            columns.append(connection.ops.quote_name(model_field.column))
            if model_field.column in values:
                exprs.append(values[model_field.column])
                params.extend((bound or {}).get(model_field.column, []))
                continue
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                default: Any = self.now
            else:
                default = model_field.get_default()
            exprs.append("%s")
            params.append(model_field.get_db_prep_save(default, connection))
        table = connection.ops.quote_name(model._meta.db_table)
        return self.sql(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} {source}",
            [*params, *source_params],
        )

    def created(self, file: str, count: int) -> None:
        self.report.created[file] = self.report.created.get(file, 0) + count

    def updated(self, file: str, count: int) -> None:
        if count:
            self.report.updated[file] = self.report.updated.get(file, 0) + count

    def _write(self) -> None:
        for step in (
            self._write_organisations,
            self._write_staff,
            self._write_participants,
            self._write_employers,
            self._write_periods,
            self._write_period_rows,
            self._write_statuses,
            self._write_placements,
            self._write_referrals,
            self._update_participants,
        ):
            with self.phase(step.__name__.lstrip("_").replace("_", " ")):
                step()

    def _write_organisations(self) -> None:
        if self.scope is not None:
            self.sql(
                "UPDATE organisations_organisation SET external_key = (SELECT org_key FROM"
                " ix_organisations) WHERE id = %s AND external_key = ''",
                [self.scope.pk],
            )
        self.created(
            "organisations",
            self.insert(
                Organisation,
                {
                    "name": "s.name",
                    "kind": "s.kind",
                    "country": "s.country",
                    "external_key": "s.org_key",
                },
                "FROM ix_organisations AS s WHERE s.id IS NULL",
            ),
        )
        self.sql(
            "UPDATE ix_organisations SET id = (SELECT o.id FROM organisations_organisation AS o"
            " WHERE o.external_key = ix_organisations.org_key)"
        )
        self._fill_org_ids(participants=False)
        self.report.organisations = [row[0] for row in self.rows("SELECT id FROM ix_organisations")]

    def _fill_org_ids(self, participants: bool = True) -> None:
        """The organisation ids of the rows whose organisation has one by now (those in Samspill
        already when the checks run; the new ones once written, but for participants: those of
        a new organisation cannot be in Samspill yet, and their INSERT joins ix_organisations)."""
        for file in ("staff", "participants", "employers", "referrals"):
            if file == "participants" and not participants:
                continue
            staged = stage(file)
            self.sql(
                f"UPDATE {staged} SET org_id = p.id FROM ix_organisations AS p WHERE p.org_key ="
                f" {staged}.org_key AND p.id IS NOT NULL AND {staged}.org_id IS NULL"
            )

    def fill(self, file: str, sets: str, parent: str, key: str) -> None:
        """UPDATE the staging table from `parent` (as p) joined on `key`: one set-based join
        (UPDATE ... FROM, PostgreSQL and SQLite alike), not a subquery per row."""
        staged = stage(file)
        self.sql(f"UPDATE {staged} SET {sets} FROM {parent} AS p WHERE p.{key} = {staged}.{key}")

    def _write_staff(self) -> None:
        self.insert(
            Team,
            {"organisation_id": "t.org_id", "name": "t.team"},
            "FROM (SELECT DISTINCT org_id, team FROM ix_staff WHERE team IS NOT NULL) AS t"
            " WHERE NOT EXISTS (SELECT 1 FROM organisations_team AS x"
            " WHERE x.organisation_id = t.org_id AND x.name = t.team)",
        )
        # Staff log in by e-mail; an imported user gets no password (they set one through
        # "forgot password"), so "!" marks it unusable as Django's set_unusable_password does.
        self.insert(
            User,
            {"email": "s.email", "full_name": "s.name", "password": "'!'"},
            "FROM ix_staff AS s WHERE NOT EXISTS (SELECT 1 FROM accounts_user AS u"
            " WHERE u.email = s.email)",
        )
        self.sql(
            "UPDATE ix_staff SET user_id = (SELECT u.id FROM accounts_user AS u WHERE u.email ="
            " ix_staff.email), team_id = (SELECT t.id FROM organisations_team AS t WHERE"
            " t.organisation_id = ix_staff.org_id AND t.name = ix_staff.team)"
        )
        # A staff member already in Samspill (for example the admin who uploads) is adopted:
        # their membership takes the key and keeps its role and team.
        self.sql(
            "UPDATE organisations_membership SET external_key = (SELECT s.staff_key FROM ix_staff"
            " AS s WHERE s.user_id = organisations_membership.user_id) WHERE is_active = %s AND"
            " external_key = '' AND user_id IN (SELECT user_id FROM ix_staff)",
            [True],
        )
        self.created(
            "staff",
            self.insert(
                Membership,
                {
                    "user_id": "s.user_id",
                    "organisation_id": "s.org_id",
                    "team_id": "s.team_id",
                    "role": "s.role",
                    "external_key": "s.staff_key",
                },
                "FROM ix_staff AS s WHERE NOT EXISTS (SELECT 1 FROM organisations_membership"
                " AS m WHERE m.user_id = s.user_id AND m.is_active = %s)",
                source_params=(True,),
            ),
        )

    def _resolve(self, file: str, table: str, scope: str, key: str) -> None:
        """Fill the staging table's id from the object with the same key in the same scope
        (the organisation, or for periods and placements the participant)."""
        staged = stage(file)
        mine = "org_id" if scope == "organisation_id" else scope
        self.sql(
            f"UPDATE {staged} SET id = x.id FROM {table} AS x WHERE x.{scope} ="
            f" {staged}.{mine} AND x.external_key = {staged}.{key}"
        )

    def reserve_ids(
        self, file: str, model: type[models.Model], sets: str = "", source: str = ""
    ) -> None:
        """Mark which staging rows are new (existed = 0) and give them the ids their rows will
        have: from the table's sequence on PostgreSQL; on SQLite, which holds the whole
        database's write lock through the import, above every id the table has used. `sets`
        and `source` (FROM ...) fill more columns in the same pass over the staging table."""
        staged, table = stage(file), model._meta.db_table
        if connection.vendor == "postgresql":
            sequence = self.rows("SELECT pg_get_serial_sequence(%s, 'id')", [table])[0][0]
            new_id, params = "nextval(%s::regclass)", [sequence]
        else:
            new_id = (
                f"{staged}.line + MAX((SELECT COALESCE(MAX(id), 0) FROM {table}), (SELECT"
                " COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s))"
            )
            params = [table]
        # COALESCE asks for a new id only where the row has none.
        self.sql(
            f"UPDATE {staged} SET {sets}existed = CASE WHEN {staged}.id IS NULL THEN 0 ELSE 1"
            f" END, id = COALESCE({staged}.id, {new_id}) {source}",
            params,
        )
        if connection.vendor == "postgresql":
            # The statistics taken at loading know `existed` only as empty: the INSERTs that
            # ask for existed = 0 would be planned for one row, as nested loops over millions.
            self.sql(f"ANALYZE {staged}")

    def _write_participants(self) -> None:
        """New participants, each with its open period, that period's current counselor and
        the counselor's team (what participants/services.py keeps on the participant)."""
        self._resolve(
            "participants", "participants_participant", "organisation_id", "participant_key"
        )
        self.reserve_ids("participants", Participant)
        # Periods already in Samspill can only be those of participants that were.
        self.sql(
            "UPDATE ix_followup_periods SET id = x.id FROM ix_participants AS p,"
            " participants_followupperiod AS x WHERE p.participant_key ="
            " ix_followup_periods.participant_key AND p.existed = 1 AND x.participant_id = p.id"
            " AND x.external_key = ix_followup_periods.period_key"
        )
        self.reserve_ids(
            "followup_periods",
            FollowUpPeriod,
            sets="participant_id = p.id, ",
            source="FROM ix_participants AS p WHERE p.participant_key ="
            " ix_followup_periods.participant_key",
        )
        # A period in Samspill may have ended in the source system since the last import: its
        # end is the one change an import takes over (before a new open period is written).
        self.updated(
            "followup_periods",
            self.sql(
                "UPDATE participants_followupperiod AS x SET end_date = s.end_date, end_reason ="
                " COALESCE(s.end_reason, '') FROM ix_followup_periods AS s WHERE s.existed = 1"
                " AND x.id = s.id AND (x.end_date IS NULL AND s.end_date IS NOT NULL)",
            ),
        )
        # The format carries no phone: `phone` and its search digits `phone_digits` both take
        # their empty defaults (core/phone.py; the services write both when a phone is added).
        self.created(
            "participants",
            self.insert(
                Participant,
                {
                    "id": "s.id",
                    "organisation_id": "o.id",
                    "given_name": "s.given_name",
                    "family_name": "s.family_name",
                    "birth_date": "s.birth_date",
                    "national_id": "s.national_id",
                    "national_id_kind": "s.national_id_kind",
                    "need_group": "COALESCE(s.need_group, '')",
                    "external_key": "s.participant_key",
                    "active_period_id": "per.id",
                    "counselor_id": "st.user_id",
                    "team_id": "m.team_id",
                },
                "FROM ix_participants AS s JOIN ix_organisations AS o ON o.org_key = s.org_key"
                " LEFT JOIN ix_followup_periods AS per"
                " ON per.participant_key = s.participant_key AND per.end_date IS NULL"
                " LEFT JOIN ix_assignments AS a ON a.period_key = per.period_key"
                " AND a.end_date IS NULL"
                " LEFT JOIN ix_staff AS st ON st.staff_key = a.staff_key"
                " LEFT JOIN organisations_membership AS m ON m.user_id = st.user_id"
                " AND m.organisation_id = o.id AND m.is_active = %s"
                " WHERE s.existed = 0",
                source_params=(True,),
            ),
        )

    def _write_employers(self) -> None:
        self._resolve("employers", "employers_employer", "organisation_id", "employer_key")
        # The format has no contact person: an imported employer gets one when someone takes it.
        self.created(
            "employers",
            self.insert(
                Employer,
                {
                    "organisation_id": "s.org_id",
                    "name": "s.name",
                    "org_number": "s.org_number",
                    "nace_division": "COALESCE(s.nace, '')",
                    "nace_section": "s.nace_section",
                    "external_key": "s.employer_key",
                },
                "FROM ix_employers AS s WHERE s.id IS NULL",
            ),
        )
        self._resolve("employers", "employers_employer", "organisation_id", "employer_key")

    def _write_periods(self) -> None:
        self.created(
            "followup_periods",
            self.insert(
                FollowUpPeriod,
                {
                    "id": "s.id",
                    "participant_id": "s.participant_id",
                    "start_date": "s.start_date",
                    "end_date": "s.end_date",
                    "end_reason": "COALESCE(s.end_reason, '')",
                    "external_key": "s.period_key",
                },
                "FROM ix_followup_periods AS s WHERE s.existed = 0",
            ),
        )

    @staticmethod
    def _of_period(file: str, staff: bool = True) -> str:
        """FROM a keyless file's staging table (s) joined to its period (per) and staff (st)."""
        source = (
            f"FROM {stage(file)} AS s JOIN ix_followup_periods AS per"
            " ON per.period_key = s.period_key"
        )
        return source + (" JOIN ix_staff AS st ON st.staff_key = s.staff_key" if staff else "")

    def _write_period_rows(self) -> None:
        """Assignments, check-ins, activities and outcomes: rows without a key of their own,
        known by what they are (period, staff, date...). Rows of a period this import created
        cannot exist yet, so only those of an existing period are looked up."""
        # An assignment that has ended since the last import takes its end, as its period does.
        self.updated(
            "assignments",
            self.sql(
                "UPDATE participants_counselorassignment AS x SET ended_at = s.ended_at"
                f" {self._of_period('assignments')} WHERE per.existed = 1 AND x.period_id ="
                " per.id AND x.counselor_id = st.user_id AND x.started_at = s.started_at"
                " AND x.ended_at IS NULL AND s.ended_at IS NOT NULL",
            ),
        )
        # As period_end does: a period that has ended has no current counselor, so whatever
        # is still open in it (a handover made in Samspill since the last import) ends now.
        self.updated(
            "assignments",
            self.sql(
                "UPDATE participants_counselorassignment SET ended_at = %s WHERE ended_at IS"
                " NULL AND period_id IN (SELECT s.id FROM ix_followup_periods AS s"
                " WHERE s.existed = 1 AND s.end_date IS NOT NULL)",
                [
                    CounselorAssignment._meta.get_field("ended_at").get_db_prep_save(
                        self.now, connection
                    )
                ],
            ),
        )
        # Imported history is not a handover: the counselor "assigned" themself, so nobody gets
        # a "new to you" mark or reminder for a participant they followed in the old system.
        self.created(
            "assignments",
            self.insert(
                CounselorAssignment,
                {
                    "period_id": "per.id",
                    "participant_id": "per.participant_id",
                    "counselor_id": "st.user_id",
                    # The counselor's team in the folder: outcomes count by it.
                    "team_id": "st.team_id",
                    "started_at": "s.started_at",
                    "ended_at": "s.ended_at",
                    "assigned_by_id": "st.user_id",
                    "reason": "COALESCE(s.reason, CASE WHEN EXISTS (SELECT 1 FROM ix_assignments"
                    " AS e WHERE e.period_key = s.period_key AND e.start_date < s.start_date)"
                    " THEN 'other' ELSE 'initial' END)",
                },
                self._of_period("assignments")
                + " WHERE per.existed = 0 OR NOT EXISTS (SELECT 1 FROM"
                " participants_counselorassignment AS x WHERE x.period_id = per.id AND"
                " x.counselor_id = st.user_id AND x.started_at = s.started_at)",
            ),
        )
        self.created(
            "belief_checkins",
            self.insert(
                BeliefCheckIn,
                {
                    "participant_id": "per.participant_id",
                    "period_id": "per.id",
                    "counselor_id": "st.user_id",
                    "asked_on": "s.date",
                    "belief": "s.belief",
                    "self_belief": "s.self_belief",
                    "market_belief": "s.market_belief",
                },
                self._of_period("belief_checkins")
                + " WHERE per.existed = 0 OR NOT EXISTS (SELECT 1 FROM followup_beliefcheckin"
                " AS x WHERE x.period_id = per.id AND x.counselor_id = st.user_id AND"
                " x.asked_on = s.date)",
            ),
        )
        self._write_activities()
        # One outcome a day: an outcome Samspill holds on that day (perhaps corrected since)
        # is kept as it is.
        self.created(
            "outcomes",
            self.insert(
                PeriodOutcome,
                {
                    "period_id": "per.id",
                    "date": "s.date",
                    "outcome": "s.outcome",
                    "hours_per_week": "s.hours_per_week",
                    "wage_subsidy": "s.wage_subsidy",
                    "source": "%s",
                    "recorded_by_id": "%s",
                    "recorded_at": "%s",
                },
                self._of_period("outcomes", staff=False)
                + " WHERE per.existed = 0 OR NOT EXISTS (SELECT 1 FROM"
                " participants_periodoutcome AS x WHERE x.period_id = per.id AND"
                " x.date = s.date)",
                bound=self._recorded(),
            ),
        )

    def _recorded(self) -> dict[str, list[Any]]:
        """Parameters of the columns that say an import recorded the row, and when."""
        at = connection.ops.adapt_datetimefield_value(self.now)
        return {
            "source": [OutcomeSource.IMPORT.value],
            "recorded_by_id": [self.by.pk if self.by is not None else None],
            "recorded_at": [at],
        }

    def _write_statuses(self) -> None:
        """Statuses six and twelve months after an ended period, known by (period, months),
        reminded (when not yet recorded) to the period's last counselor, as
        participants.outcomes.statuses_schedule does. A status Samspill has scheduled but not
        recorded takes the folder's record; one recorded in Samspill is kept."""
        if self.bulk:  # no index on the assignments' period: ask the folder's own
            last_counselor = (
                "(SELECT st.user_id FROM ix_assignments AS a JOIN ix_staff AS st"
                " ON st.staff_key = a.staff_key WHERE a.period_key = s.period_key"
                " ORDER BY a.start_date DESC, a.line DESC LIMIT 1)"
            )
        else:
            last_counselor = (
                "(SELECT a.counselor_id FROM participants_counselorassignment AS a"
                " WHERE a.period_id = per.id ORDER BY a.started_at DESC, a.id DESC LIMIT 1)"
            )
        recorded = self._recorded()
        self.created(
            "statuses",
            self.insert(
                FollowUpStatus,
                {
                    "period_id": "per.id",
                    "months": "CAST(s.months AS integer)",
                    "due_on": "s.due_on",
                    "counselor_id": last_counselor,
                    "outcome": "COALESCE(s.outcome, '')",
                    "as_of": "s.as_of",
                    "hours_per_week": "s.hours_per_week",
                    "wage_subsidy": "s.wage_subsidy",
                    "source": "CASE WHEN s.outcome IS NULL THEN '' ELSE %s END",
                    "recorded_by_id": "CASE WHEN s.outcome IS NULL THEN NULL ELSE CAST(%s AS bigint) END",
                    "recorded_at": "CASE WHEN s.outcome IS NULL THEN NULL ELSE %s END",
                },
                self._of_period("statuses", staff=False)
                + " WHERE per.existed = 0 OR NOT EXISTS (SELECT 1 FROM"
                " participants_followupstatus AS x WHERE x.period_id = per.id AND"
                " x.months = CAST(s.months AS integer))",
                bound=recorded,
            ),
        )
        if not self.rows("SELECT COUNT(*) FROM ix_followup_periods WHERE existed = 1")[0][0]:
            return
        self.updated(
            "statuses",
            self.sql(
                "UPDATE participants_followupstatus AS x SET outcome = s.outcome,"
                " as_of = s.as_of, hours_per_week = s.hours_per_week,"
                " wage_subsidy = s.wage_subsidy, source = %s, recorded_by_id = %s,"
                " recorded_at = %s, revision = x.revision + 1"
                f" {self._of_period('statuses', staff=False)}"
                " WHERE per.existed = 1 AND x.period_id = per.id"
                " AND x.months = CAST(s.months AS integer) AND x.outcome = ''"
                " AND s.outcome IS NOT NULL",
                [*recorded["source"], *recorded["recorded_by_id"], *recorded["recorded_at"]],
            ),
        )

    def _write_activities(self) -> None:
        # Two identical rows are two activities (two meetings on one day): the nth copy of a
        # row is written when Samspill has fewer than n.
        if self.rows("SELECT COUNT(*) FROM ix_followup_periods WHERE existed = 1")[0][0]:
            self.fill(
                "activities",
                "rn = p.rn",
                "(SELECT s.line, ROW_NUMBER() OVER (PARTITION BY s.period_key, s.staff_key,"
                " s.date, s.kind, s.employer_key ORDER BY s.line) AS rn FROM ix_activities AS s"
                " JOIN ix_followup_periods AS per ON per.period_key = s.period_key"
                " WHERE per.existed = 1)",
                "line",
            )
        self.created(
            "activities",
            self.insert(
                Activity,
                {
                    "participant_id": "per.participant_id",
                    "period_id": "per.id",
                    "employer_id": "e.id",
                    "kind": "s.kind",
                    "title": "s.title",
                    "due_date": "s.date",
                    "status": "s.status",
                    "created_by_id": "st.user_id",
                },
                self._of_period("activities")
                + " LEFT JOIN ix_employers AS e ON e.employer_key = s.employer_key"
                " WHERE per.existed = 0 OR s.rn > (SELECT COUNT(*) FROM plans_activity AS x"
                " WHERE x.period_id = per.id AND x.created_by_id = st.user_id AND x.due_date ="
                " s.date AND x.kind = s.kind AND x.employer_id IS NOT DISTINCT FROM e.id)",
            ),
        )

    def _write_placements(self) -> None:
        self.fill(
            "placements",
            "period_id = p.id, participant_id = p.participant_id",
            "ix_followup_periods",
            "period_key",
        )
        self.fill("placements", "employer_id = p.id", "ix_employers", "employer_key")
        self._resolve("placements", "placements_placement", "participant_id", "placement_key")
        # Created by the counselor who followed the participant on the start date (the latest
        # to start by the end of that day), else the period's first counselor, else the
        # importing user: asked of the assignments in Samspill, which by now hold the folder's
        # too. In bulk mode (a new organisation, and no index on period) the folder's own
        # assignments are asked instead, through the staging index on period_key.
        if self.bulk:
            staged = (
                "(SELECT st.user_id FROM ix_assignments AS a JOIN ix_staff AS st"
                " ON st.staff_key = a.staff_key WHERE a.period_key = s.period_key"
            )
            latest, first, tz = (
                f"{staged} AND a.start_date <= s.start_date"
                " ORDER BY a.start_date DESC, a.line DESC LIMIT 1)",
                f"{staged} ORDER BY a.start_date, a.line LIMIT 1)",
                [],
            )
        else:
            if connection.vendor == "postgresql":
                day_end = "(s.start_date + 1)::timestamp AT TIME ZONE %s"
                tz = [settings.TIME_ZONE]
            else:  # SQLite keeps UTC text: "2026-01-05 07:00:00" < "2026-01-06"
                day_end, tz = "date(s.start_date, '+1 day')", []
            stored = (
                "(SELECT a.counselor_id FROM participants_counselorassignment AS a"
                " WHERE a.period_id = s.period_id"
            )
            latest = (
                f"{stored} AND a.started_at < {day_end}"
                " ORDER BY a.started_at DESC, a.id DESC LIMIT 1)"
            )
            first = f"{stored} ORDER BY a.started_at, a.id LIMIT 1)"
        created_by = f"COALESCE({latest}, {first}, %s)"
        self.created(
            "placements",
            self.insert(
                Placement,
                {
                    "participant_id": "s.participant_id",
                    "organisation_id": "(SELECT x.organisation_id FROM participants_participant"
                    " AS x WHERE x.id = s.participant_id)",
                    "employer_id": "s.employer_id",
                    "kind": "s.kind",
                    "title": "s.title",
                    "start_date": "s.start_date",
                    "end_date": "s.end_date",
                    "outcome": "COALESCE(s.outcome, '')",
                    "created_by_id": created_by,
                    # Agreed in the source system: locked, so its status is running or ended.
                    "locked_at": "%s",
                    "external_key": "s.placement_key",
                },
                "FROM ix_placements AS s WHERE s.id IS NULL",
                bound={
                    "created_by_id": [*tz, self.by.pk if self.by is not None else None],
                    "locked_at": [
                        Placement._meta.get_field("locked_at").get_db_prep_save(
                            self.now, connection
                        )
                    ],
                },
            ),
        )

    def _write_referrals(self) -> None:
        self.fill("referrals", "participant_id = p.id", "ix_participants", "participant_key")
        self._resolve("referrals", "referrals_referral", "organisation_id", "referral_key")
        # The format holds no names for a referral: those made participants take theirs.
        self.created(
            "referrals",
            self.insert(
                Referral,
                {
                    "organisation_id": "s.org_id",
                    "source": "s.source",
                    "received_on": "s.date",
                    "given_name": "COALESCE(p.given_name, '')",
                    "family_name": "COALESCE(p.family_name, '')",
                    "need_group": "COALESCE(s.need_group, '')",
                    "outcome": "COALESCE(s.outcome, '')",
                    "participant_id": "s.participant_id",
                    "external_key": "s.referral_key",
                },
                "FROM ix_referrals AS s LEFT JOIN ix_participants AS p ON p.participant_key ="
                " s.participant_key WHERE s.id IS NULL",
            ),
        )

    def _update_participants(self) -> None:
        """What participants/services.py keeps on the participant, for participants that were
        in Samspill before (new ones were written with it): the open period, its current
        counselor, and that counselor's team. Written only where it differs."""
        self.sql(
            "UPDATE participants_participant AS p SET active_period_id = x.period_id,"
            " counselor_id = x.counselor_id, team_id = x.team_id FROM (SELECT s.id AS pid,"
            " per.id AS period_id, a.counselor_id AS counselor_id, m.team_id AS team_id"
            " FROM ix_participants AS s"
            " LEFT JOIN participants_followupperiod AS per ON per.participant_id = s.id"
            " AND per.end_date IS NULL"
            " LEFT JOIN participants_counselorassignment AS a ON a.period_id = per.id"
            " AND a.ended_at IS NULL"
            " LEFT JOIN organisations_membership AS m ON m.user_id = a.counselor_id"
            " AND m.organisation_id = s.org_id AND m.is_active = %s WHERE s.existed = 1) AS x"
            " WHERE p.id = x.pid AND (p.active_period_id IS DISTINCT FROM x.period_id"
            " OR p.counselor_id IS DISTINCT FROM x.counselor_id"
            " OR p.team_id IS DISTINCT FROM x.team_id)",
            [True],
        )
