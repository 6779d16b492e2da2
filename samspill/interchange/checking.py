"""The checks across rows of the import (importing.Importer), in SQL over the staging tables:
duplicate keys, references to unknown keys, one open period per participant, staff and
participants in the same organisation, and clashes with what Samspill already holds. Each
reports the lines it finds, with a message."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from samspill.interchange.report import stage
from samspill.interchange.writing import Writes


class Checks(Writes):
    """Mixed into Importer, which reports the errors."""

    error: Callable[[str, int, str, str], None]
    version: int  # the folder's format version

    def report_lines(
        self, file: str, column: str, sql: str, message: str, params: tuple[Any, ...] = ()
    ) -> None:
        """Run `sql` (selecting line, value[, other]) and report each row with `message`,
        formatted with %(value)s and %(other)s."""
        for line, value, *other in self.rows(sql + " ORDER BY 1", params):
            text = message % {"value": value, "other": other[0] if other else ""}
            self.error(f"{file}.csv", line, column, text)

    def duplicates(self, file: str, columns: list[str], message: str, where: str = "") -> None:
        keys = ", ".join(columns)
        conditions = [f"{column} IS NOT NULL" for column in columns]
        if where:
            conditions.append(where)
        present = " AND ".join(conditions)
        # Most folders have no duplicates: one hash aggregate says so (no sort of millions of
        # keys), and only then are the lines looked up.
        if not self.rows(
            f"SELECT 1 FROM {stage(file)} WHERE {present} GROUP BY {keys}"
            " HAVING COUNT(*) > 1 LIMIT 1"
        ):
            return
        self.report_lines(
            file,
            columns[0],
            f"SELECT line, {columns[0]}, first FROM (SELECT line, {keys},"
            f" MIN(line) OVER (PARTITION BY {keys}) AS first FROM {stage(file)}"
            f" WHERE {present}) AS d WHERE line > first",
            message,
        )

    def references(self, file: str, column: str, parent: str, key: str) -> None:
        self.report_lines(
            file,
            column,
            f"SELECT s.line, s.{column} FROM {stage(file)} AS s WHERE s.{column} IS NOT NULL"
            f" AND NOT EXISTS (SELECT 1 FROM {stage(parent)} AS p WHERE p.{key} = s.{column})",
            _("No row in %(parent)s.csv has %(key)s “%%(value)s”.")
            % {"parent": parent, "key": key},
        )

    def _check_across_rows(self) -> None:
        same_key = _("The same key is already on line %(other)s.")
        for file, key in [
            ("organisations", "org_key"),
            ("staff", "staff_key"),
            ("participants", "participant_key"),
            ("employers", "employer_key"),
            ("followup_periods", "period_key"),
            ("placements", "placement_key"),
            ("referrals", "referral_key"),
        ]:
            self.duplicates(file, [key], same_key)
        self.duplicates(
            "staff", ["email"], _("The same e-mail address is already on line %(other)s.")
        )
        same_row = _("The same row is already on line %(other)s.")
        self.duplicates("assignments", ["period_key", "staff_key", "start_date"], same_row)
        self.duplicates("belief_checkins", ["period_key", "staff_key", "date"], same_row)
        self.duplicates(
            "outcomes",
            ["period_key", "date"],
            _("The period has an outcome on this date already, on line %(other)s."),
        )
        self.duplicates(
            "statuses",
            ["period_key", "months"],
            _("The period has this status already, on line %(other)s."),
        )
        for file in ("staff", "participants", "referrals"):
            self.references(file, "org_key", "organisations", "org_key")
        self.references("followup_periods", "participant_key", "participants", "participant_key")
        # Each period's organisation, for the checks that staff work where their participant is.
        self.fill("followup_periods", "org_key = p.org_key", "ix_participants", "participant_key")
        for file in ("assignments", "belief_checkins", "activities"):
            self._check_period_rows(file)
        self.references("placements", "employer_key", "employers", "employer_key")
        for file in ("placements", "outcomes", "statuses"):
            self.references(file, "period_key", "followup_periods", "period_key")
        self.references("referrals", "participant_key", "participants", "participant_key")
        self._check_periods()
        self._check_organisations()
        self._check_database()

    def _check_period_rows(self, file: str) -> None:
        """A file of rows below a period (with a staff member, and for activities perhaps an
        employer): unknown periods, staff and employers, and staff of another organisation than
        the participant's, in one pass over the file. One row per line: a key duplicated in the
        parent file (reported on its own) would otherwise match a line twice."""
        employer = file == "activities"
        missing = _("No row in %(parent)s.csv has %(key)s “%%(value)s”.")
        checks = [
            (
                "period_key",
                "per.period_key IS NULL",
                missing % {"parent": "followup_periods", "key": "period_key"},
            ),
            (
                "staff_key",
                "st.staff_key IS NULL",
                missing % {"parent": "staff", "key": "staff_key"},
            ),
            (
                "staff_key",
                "per.org_key <> st.org_key",
                _("Staff member “%(value)s” works in another organisation than the participant."),
            ),
        ]
        joins = (
            f" FROM {stage(file)} AS s LEFT JOIN ix_followup_periods AS per ON per.period_key ="
            " s.period_key LEFT JOIN ix_staff AS st ON st.staff_key = s.staff_key"
        )
        if employer:
            checks.append(
                (
                    "employer_key",
                    "e.employer_key IS NULL",
                    missing % {"parent": "employers", "key": "employer_key"},
                )
            )
            joins += " LEFT JOIN ix_employers AS e ON e.employer_key = s.employer_key"
        # A NULL key (reported when its row was read) is not also an unknown one.
        conditions = [
            f"s.{column} IS NOT NULL AND {condition}" for column, condition, _message in checks
        ]
        flags = ", ".join(f"MAX(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in conditions)
        columns = ["period_key", "staff_key", *(["employer_key"] if employer else [])]
        keys = ", ".join(f"s.{column}" for column in columns)
        found = self.rows(
            f"SELECT s.line, {keys}, {flags}{joins}"
            f" WHERE {' OR '.join(f'({c})' for c in conditions)} GROUP BY s.line, {keys} ORDER BY 1"
        )
        for line, *rest in found:
            values = dict(zip(columns, rest[: len(columns)], strict=True))
            for (column, _sql, message), flag in zip(checks, rest[len(columns) :], strict=True):
                if flag:
                    self.error(f"{file}.csv", line, column, message % {"value": values[column]})

    def _check_periods(self) -> None:
        self.duplicates(
            "followup_periods",
            ["participant_key"],
            _("A participant has one open period at a time; another is open on line %(other)s."),
            where="end_date IS NULL",
        )
        self.report_lines(
            "assignments",
            "end_date",
            "SELECT s.line, s.period_key FROM ix_assignments AS s WHERE s.end_date IS NULL"
            " AND EXISTS (SELECT 1 FROM ix_followup_periods AS p"
            " WHERE p.period_key = s.period_key AND p.end_date IS NOT NULL)",
            _("The period has ended, so the assignment needs an end date too."),
        )
        self.duplicates(
            "assignments",
            ["period_key"],
            _("A period has one current counselor; another is open on line %(other)s."),
            where="end_date IS NULL",
        )
        self.report_lines(
            "placements",
            "start_date",
            "SELECT s.line, s.start_date FROM ix_placements AS s WHERE EXISTS (SELECT 1"
            " FROM ix_followup_periods AS p WHERE p.period_key = s.period_key AND"
            " (s.start_date < p.start_date OR s.start_date > p.end_date))",
            _("The placement starts outside its follow-up period."),
        )
        # Format 1 had no statuses: where a person was after the period came as outcomes
        # dated after its end, and the reports still read them for such periods.
        after_end = "" if self.version == 1 else " OR s.date > p.end_date"
        self.report_lines(
            "outcomes",
            "date",
            "SELECT s.line, s.date FROM ix_outcomes AS s WHERE EXISTS (SELECT 1"
            " FROM ix_followup_periods AS p WHERE p.period_key = s.period_key AND"
            f" (s.date < p.start_date{after_end}))",
            _("The outcome is dated outside its follow-up period."),
        )
        self.report_lines(
            "statuses",
            "period_key",
            "SELECT s.line, s.period_key FROM ix_statuses AS s WHERE EXISTS (SELECT 1"
            " FROM ix_followup_periods AS p WHERE p.period_key = s.period_key AND"
            " p.end_date IS NULL)",
            _("Statuses after follow-up belong to a period that has ended; this one is open."),
        )
        self.report_lines(
            "statuses",
            "as_of",
            "SELECT s.line, p.end_date FROM ix_statuses AS s JOIN ix_followup_periods AS p"
            " ON p.period_key = s.period_key WHERE s.as_of <= p.end_date",
            _("The status must be dated after the period ended (%(value)s)."),
        )
        if self.by is None:
            self.report_lines(
                "placements",
                "period_key",
                "SELECT s.line, s.period_key FROM ix_placements AS s WHERE NOT EXISTS"
                " (SELECT 1 FROM ix_assignments AS a WHERE a.period_key = s.period_key)",
                _(
                    "The period has no counselor to record as the placement's creator; "
                    "import as a named user (--by)."
                ),
            )

    def _check_organisations(self) -> None:
        """Participants of referrals in the referral's organisation; each employer in one
        (staff and their participants: _check_period_rows)."""
        self.report_lines(
            "referrals",
            "participant_key",
            "SELECT s.line, s.participant_key FROM ix_referrals AS s WHERE EXISTS (SELECT 1"
            " FROM ix_participants AS p WHERE p.participant_key = s.participant_key"
            " AND p.org_key <> s.org_key)",
            _("Participant “%(value)s” belongs to another organisation."),
        )
        uses = (
            "SELECT a.employer_key, p.org_key FROM ix_activities AS a JOIN ix_followup_periods"
            " AS p ON p.period_key = a.period_key WHERE a.employer_key IS NOT NULL"
            " UNION SELECT a.employer_key, p.org_key FROM ix_placements AS a JOIN"
            " ix_followup_periods AS p ON p.period_key = a.period_key"
        )
        if self.rows("SELECT COUNT(DISTINCT org_key) FROM ix_organisations")[0][0] <= 1:
            self.sql(
                "UPDATE ix_employers SET org_key = (SELECT MIN(org_key) FROM ix_organisations)"
            )
        else:
            # One row per employer: its organisation, and how many it appears with.
            self.sql(
                "CREATE TEMPORARY TABLE ix_employer_uses AS SELECT employer_key,"
                " MIN(org_key) AS org_key, COUNT(DISTINCT org_key) AS orgs"
                f" FROM ({uses}) AS u GROUP BY employer_key"
            )
            self.fill("employers", "org_key = p.org_key", "ix_employer_uses", "employer_key")
            self.report_lines(
                "employers",
                "employer_key",
                "SELECT e.line, e.employer_key FROM ix_employers AS e JOIN ix_employer_uses"
                " AS u ON u.employer_key = e.employer_key WHERE u.orgs > 1",
                _("Participants of two organisations use this employer; give each its own key."),
            )
            self.report_lines(
                "employers",
                "employer_key",
                "SELECT line, employer_key FROM ix_employers WHERE org_key IS NULL",
                _(
                    "With several organisations in the folder, an employer belongs to the one "
                    "whose participants it appears with; this one appears with none."
                ),
            )
            self.sql("DROP TABLE ix_employer_uses")
        self.duplicates(
            "employers",
            ["org_number", "org_key"],
            _("The same organisation number is already on line %(other)s."),
        )

    def _check_database(self) -> None:
        """Clashes with what Samspill already holds."""
        if self.scope is not None:
            self.sql("UPDATE ix_organisations SET id = %s", [self.scope.pk])
        else:
            self.sql(
                "UPDATE ix_organisations SET id = (SELECT o.id FROM organisations_organisation"
                " AS o WHERE o.external_key = ix_organisations.org_key)"
            )
        self._fill_org_ids()
        self.report_lines(
            "staff",
            "email",
            "SELECT s.line, s.email FROM ix_staff AS s JOIN accounts_user AS u ON u.email ="
            " s.email JOIN organisations_membership AS m ON m.user_id = u.id AND m.is_active"
            " = %s WHERE m.organisation_id <> s.org_id OR s.org_id IS NULL"
            " OR (m.external_key <> '' AND m.external_key <> s.staff_key)",
            _(
                "%(value)s already works in Samspill in another organisation or under another "
                "staff key."
            ),
            (True,),
        )
        self.report_lines(
            "staff",
            "staff_key",
            "SELECT s.line, s.staff_key, u.email FROM ix_staff AS s JOIN organisations_membership"
            " AS m ON m.organisation_id = s.org_id AND m.external_key = s.staff_key"
            " JOIN accounts_user AS u ON u.id = m.user_id WHERE u.email <> s.email",
            _("In Samspill, staff key “%(value)s” is %(other)s."),
        )
        self.report_lines(
            "participants",
            "national_id",
            "SELECT s.line, s.national_id FROM ix_participants AS s JOIN participants_participant"
            " AS p ON p.organisation_id = s.org_id AND p.national_id = s.national_id"
            " WHERE s.national_id <> '' AND p.external_key <> s.participant_key",
            _("Another participant in this organisation has this identity number."),
        )
        self.duplicates(
            "participants",
            ["national_id", "org_key"],
            _("The same identity number is already on line %(other)s."),
            where="national_id <> ''",
        )
        self.report_lines(
            "employers",
            "org_number",
            "SELECT s.line, s.org_number FROM ix_employers AS s JOIN employers_employer AS e"
            " ON e.organisation_id = s.org_id AND e.org_number = s.org_number"
            " WHERE e.external_key <> s.employer_key",
            _("Another employer in this organisation has organisation number %(value)s."),
        )

    def _check_bulk(self) -> None:
        # _check_database has found the organisations already in Samspill by their key.
        for (key,) in self.rows("SELECT org_key FROM ix_organisations WHERE id IS NOT NULL"):
            self.error(
                "organisations.csv",
                0,
                "org_key",
                _(
                    "Bulk mode is for the first import of an organisation, and “%(key)s” is "
                    "already in Samspill: import without it."
                )
                % {"key": key},
            )
