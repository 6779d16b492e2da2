"""Import an interchange folder: validate everything, then write all of it or nothing.

How, so that a million participants fit in minutes and in flat memory:

1. Each CSV file is streamed once. Every row is checked on its own (types, dates, choices,
   national ids, organisation numbers, 1-5) and copied, normalised and with its line number,
   into a temporary staging table (COPY on PostgreSQL, batched inserts on SQLite). Python holds
   one row at a time, never a set of keys.
2. Everything that involves more than one row (duplicate keys, unknown references, one open
   period per participant, staff and participant in the same organisation, clashes with what is
   already in the database) is one SQL query over the staging tables, which reports the lines
   (checking.py).
3. With no errors, set-based INSERT ... SELECT statements write what is not there yet (found by
   external key, or for the keyless files by their natural identity), new participants with
   their denormalised counselor, team and active period in place (writing.py); in bulk mode
   with the indexes built afterwards (bulk.py).

The caller runs it in one transaction (services.interchange_import): an error anywhere rolls it
all back, staging tables included.
"""

import contextlib
import csv
import datetime
import json
import time
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.employers import industries
from samspill.employers.identity import parse_org_number
from samspill.interchange import bulk, parallel
from samspill.interchange import format as fmt
from samspill.interchange.checking import Checks
from samspill.interchange.report import ImportRejected, ImportReport, RowError, stage
from samspill.organisations.models import Organisation
from samspill.participants.identity import parse_identity_number
from samspill.participants.models import Outcome
from samspill.participants.outcomes import MAX_HOURS
from samspill.placements.models import Placement
from samspill.plans.models import Activity

BATCH = 5000


# Staging columns computed in Python besides the file's own, and columns filled by SQL.
_TS = "timestamp"
EXTRA: dict[str, list[tuple[str, str]]] = {
    "organisations": [("country", "text")],
    "staff": [],
    "participants": [("national_id_kind", "text")],
    "employers": [("nace_section", "text")],
    "followup_periods": [],
    "assignments": [("started_at", _TS), ("ended_at", _TS)],
    "belief_checkins": [],
    "activities": [("title", "text"), ("status", "text")],
    "placements": [("title", "text")],
    "outcomes": [],
    "statuses": [],
    "referrals": [],
}
_ID = "bigint"
FILLED: dict[str, list[tuple[str, str]]] = {
    "organisations": [("id", _ID)],
    "staff": [("org_id", _ID), ("user_id", _ID), ("team_id", _ID)],
    "participants": [("org_id", _ID), ("id", _ID), ("existed", "integer")],
    "employers": [("org_key", "text"), ("org_id", _ID), ("id", _ID)],
    "followup_periods": [
        ("org_key", "text"),
        ("participant_id", _ID),
        ("id", _ID),
        ("existed", "integer"),
    ],
    "assignments": [],
    "belief_checkins": [],
    "activities": [("rn", "integer")],
    "placements": [("period_id", _ID), ("participant_id", _ID), ("employer_id", _ID), ("id", _ID)],
    "outcomes": [],
    "statuses": [],
    "referrals": [("org_id", _ID), ("participant_id", _ID), ("id", _ID)],
}
# Staging tables that the import UPDATEs row by row, with how full COPY leaves their pages
# (PostgreSQL): room on the page for each new version of a row (as many as there are UPDATEs,
# since none of them can be pruned before the import commits) makes every UPDATE a heap-only
# one, which writes no index entries and takes no new pages; twice as fast for a million rows.
FILLFACTOR = {"participants": 50, "followup_periods": 34, "placements": 34, "referrals": 34}
# Parent staging tables get an index on their key (the references are checked against it).
STAGE_INDEXES = {
    "organisations": ["org_key"],
    "staff": ["staff_key"],
    "participants": ["participant_key"],
    "employers": ["employer_key"],
    "followup_periods": ["period_key"],
    "assignments": ["period_key"],
}


def _sql_type(kind: str) -> str:
    if kind == fmt.DATE:
        return "date"
    if kind == fmt.BELIEF:
        return "integer"
    if kind == fmt.HOURS:
        return "numeric(4, 1)"
    if kind == fmt.BOOLEAN:
        return "boolean"
    if kind == _TS:
        return "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    return kind if kind in ("bigint", "integer") else "text"


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Each kind's label in the default language: the title of an imported activity or
    placement (looked up once, not per row)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {str(value): str(label) for value, label in choices.choices}


class Importer(Checks):
    def __init__(
        self,
        folder: Path,
        *,
        by: User | None,
        organisation: Organisation | None = None,
        bulk: bool = False,
        parallel: bool = False,
    ) -> None:
        self.folder = folder
        self.by = by
        # Bulk mode (PostgreSQL, a new organisation only): see bulk.py.
        self.bulk = bulk and connection.vendor == "postgresql"
        # Reading in worker processes (PostgreSQL, a large folder): see parallel.py.
        self.parallel = parallel and connection.vendor == "postgresql"
        self.scope = organisation  # the upload page imports into the admin's organisation only
        self.report = ImportReport()
        self.version = fmt.FORMAT_VERSION  # the folder's, from its manifest
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.tz = timezone.get_default_timezone()
        self.countries: dict[str, str] = {}  # org_key -> country, for ids and org numbers
        self.dates: dict[str, datetime.date | None] = {}
        self.eights: dict[datetime.date, str] = {}  # see _at_eight
        self.activity_titles = _labels(Activity.Kind)
        self.placement_titles = _labels(Placement.Kind)
        self.cursor: Any = None
        # Organisations already in Samspill by key: (id, country). Read before the files, as
        # no query may run while a COPY streams rows.
        self.known_orgs = {
            key: (pk, country)
            for key, pk, country in Organisation.objects.exclude(external_key="").values_list(
                "external_key", "pk", "country"
            )
        }

    # -- errors ---------------------------------------------------------------------------

    def error(self, file: str, line: int, column: str, message: str) -> None:
        self.report.add(RowError(file, line, column, message))

    # -- the run --------------------------------------------------------------------------

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            took = time.perf_counter() - started
            self.report.timings[name] = self.report.timings.get(name, 0.0) + took

    def run(self) -> ImportReport:
        with connection.cursor() as cursor:
            self.cursor = cursor
            self._tune()
            self._check_manifest()
            if self.report.ok:
                present = [spec for spec in fmt.FILES if (self.folder / spec.filename).exists()]
                if fmt.ORGANISATIONS not in present:
                    self.error(
                        "organisations.csv", 0, "", _("The folder has no organisations.csv.")
                    )
                for spec in fmt.FILES:
                    self._createstage(spec)
                self._load_all(present)
                with self.phase("check across rows"):
                    self._check_across_rows()
            if self.bulk and self.report.ok:
                self._check_bulk()
            if not self.report.ok:
                self._sort_errors()
                raise ImportRejected(self.report)
            if self.bulk:
                with self.phase("bulk: drop indexes and foreign keys"):
                    dropped = bulk.drop(cursor)
            self._write()
            if self.bulk:
                with self.phase("bulk: build indexes, check foreign keys"):
                    bulk.rebuild(cursor, dropped)
            for spec in fmt.FILES:
                self.sql(f"DROP TABLE {stage(spec.name)}")
        return self.report

    def _tune(self) -> None:
        """Memory for the sorts and hash joins over millions of staging rows (this transaction
        only), and for the staging tables themselves, which PostgreSQL keeps in the session's
        own buffers (8 MB by default; settable only before the session's first temporary
        table, hence the savepoint)."""
        if connection.vendor != "postgresql":
            return
        self.sql("SET LOCAL work_mem = '256MB'")
        with contextlib.suppress(DatabaseError), transaction.atomic():
            self.sql("SET LOCAL temp_buffers = '1GB'")

    def _sort_errors(self) -> None:
        order = {spec.filename: index for index, spec in enumerate(fmt.FILES)}
        self.report.errors.sort(key=lambda e: (order.get(e.file, -1), e.line, e.column))

    def _check_manifest(self) -> None:
        path = self.folder / fmt.MANIFEST
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.error(fmt.MANIFEST, 0, "", _("The folder has no interchange.json."))
            return
        except (ValueError, UnicodeDecodeError):
            self.error(fmt.MANIFEST, 1, "", _("interchange.json is not valid JSON."))
            return
        if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT_NAME:
            self.error(
                fmt.MANIFEST,
                1,
                "format",
                _("This is not a Samspill interchange folder (format must be “%(name)s”).")
                % {"name": fmt.FORMAT_NAME},
            )
        elif manifest.get("version") not in fmt.VERSIONS:
            self.error(
                fmt.MANIFEST,
                1,
                "version",
                _(
                    "Format version %(found)s is not supported; this Samspill reads versions "
                    "%(versions)s."
                )
                % {
                    "found": manifest.get("version"),
                    "versions": ", ".join(str(version) for version in fmt.VERSIONS),
                },
            )
        else:
            self.version = manifest["version"]

    # -- staging --------------------------------------------------------------------------

    def _stage_columns(self, spec: fmt.FileSpec) -> list[tuple[str, str]]:
        own = [(column.name, column.type) for column in spec.columns]
        return [("line", "integer"), *own, *EXTRA[spec.name]]

    def _createstage(self, spec: fmt.FileSpec) -> None:
        table = stage(spec.name)
        columns = [*self._stage_columns(spec), *FILLED[spec.name]]
        ddl = ", ".join(f"{name} {_sql_type(kind)}" for name, kind in columns)
        self.sql(f"DROP TABLE IF EXISTS {table}")
        storage = ""
        if connection.vendor == "postgresql" and spec.name in FILLFACTOR:
            storage = f" WITH (fillfactor = {FILLFACTOR[spec.name]})"
        self.sql(f"CREATE TEMPORARY TABLE {table} ({ddl}){storage}")

    def _load_all(self, present: list[fmt.FileSpec]) -> None:
        """Read and stage every file: organisations.csv first (the other files' checks need
        each organisation's country), then the rest, in worker processes for a large folder
        on PostgreSQL (parallel.py)."""
        rest = [spec for spec in present if spec is not fmt.ORGANISATIONS]
        if fmt.ORGANISATIONS in present:
            with self.phase("load organisations"):
                self._load(fmt.ORGANISATIONS)
        if not self.parallel or parallel.folder_bytes(self.folder, rest) < parallel.PARALLEL_BYTES:
            for spec in rest:
                with self.phase(f"load {spec.name}"):
                    self._load(spec)
            return
        started = time.perf_counter()
        for spec, path, count in parallel.read_in_workers(self, rest):
            with self.phase(f"load {spec.name}"):
                table, names = stage(spec.name), self._stage_names(spec)
                with (
                    self.cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
                    open(path, "rb") as scratch,
                ):
                    while block := scratch.read(1 << 20):
                        copy.write(block)
                self._loaded(spec, count)
        self.report.timings["load in workers, all files"] = time.perf_counter() - started

    def _stage_names(self, spec: fmt.FileSpec) -> str:
        return ", ".join(name for name, _kind in self._stage_columns(spec))

    def _load(self, spec: fmt.FileSpec) -> None:
        table, names = stage(spec.name), self._stage_names(spec)
        rows = self._read(spec)
        count = 0
        if connection.vendor == "postgresql":
            with self.cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(self._stage_columns(spec)))
            insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(self._adapt(row))
                count += 1
                if len(batch) == BATCH:
                    self.cursor.executemany(insert, batch)
                    batch = []
            if batch:
                self.cursor.executemany(insert, batch)
        self._loaded(spec, count)

    def _loaded(self, spec: fmt.FileSpec, count: int) -> None:
        """After a file's rows are staged: its count, its key index, its statistics."""
        table = stage(spec.name)
        self.report.rows[spec.name] = count
        for column in STAGE_INDEXES.get(spec.name, []):
            self.sql(f"CREATE INDEX {table}_{column} ON {table} ({column})")
        if connection.vendor == "postgresql":
            # Autovacuum never analyses temporary tables; the checks' plans need the statistics.
            self.sql(f"ANALYZE {table}")

    @staticmethod
    def _adapt(row: tuple[Any, ...]) -> tuple[Any, ...]:
        # SQLite stores dates and datetimes as text, the way Django writes them.
        return tuple(
            connection.ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime.datetime)
            else value.isoformat()
            if isinstance(value, datetime.date)
            else value
            for value in row
        )

    def _read(self, spec: fmt.FileSpec) -> Iterator[tuple[Any, ...]]:
        """Stream the file's rows, checked one by one and normalised for the staging table."""
        filename = spec.filename
        check_row = getattr(self, f"_row_{spec.name}")
        with open(self.folder / filename, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                header = [name.strip() for name in next(reader)]
            except StopIteration:
                self.error(filename, 1, "", _("The file is empty; it needs at least a header row."))
                return
            except (UnicodeDecodeError, csv.Error):
                self.error(filename, 1, "", _("The file is not UTF-8 CSV."))
                return
            positions = self._positions(spec, header)
            if positions is None:
                return
            width = len(header)
            plan = [
                (column, position, column.name, column.type, column.max_length)
                for column, position in zip(spec.columns, positions, strict=True)
            ]
            try:
                for cells in reader:
                    line = reader.line_num
                    if not "".join(cells).strip():
                        continue  # a blank line
                    if len(cells) != width:
                        self.error(
                            filename,
                            line,
                            "",
                            _("The row has %(found)d cells; the header has %(width)d.")
                            % {"found": len(cells), "width": width},
                        )
                        continue
                    values = self._cells(spec, plan, cells, line)
                    extra = check_row(values, line)
                    yield (line, *values.values(), *extra)
            except UnicodeDecodeError:
                self.error(filename, reader.line_num + 1, "", _("The file is not UTF-8."))
            except csv.Error as error:
                self.error(filename, reader.line_num, "", str(error))

    def _positions(self, spec: fmt.FileSpec, header: list[str]) -> list[int | None] | None:
        positions: list[int | None] = []
        missing = False
        for column in spec.columns:
            if column.name in header:
                positions.append(header.index(column.name))
            elif column.required:
                self.error(spec.filename, 1, column.name, _("The column is missing."))
                missing = True
            else:
                positions.append(None)  # an optional column may be left out
        for name in {name for name in header if header.count(name) > 1}:
            self.error(spec.filename, 1, name, _("The column appears more than once."))
            missing = True
        return None if missing else positions

    def _cells(
        self,
        spec: fmt.FileSpec,
        plan: list[tuple[fmt.Column, int | None, str, str, int]],
        cells: list[str],
        line: int,
    ) -> dict[str, Any]:
        """The row's values by column, parsed; a bad cell is reported and becomes None. `plan`
        is each column with its position in the row (None: an optional column left out), name,
        type and maximum length: looked up once per file, as this runs for every row."""
        values: dict[str, Any] = {}
        for column, position, name, kind, max_length in plan:
            raw = cells[position].strip() if position is not None else ""
            if not raw:
                values[name] = None
                if column.required:
                    self.error(spec.filename, line, name, _("A value is required."))
                continue
            message = None
            value: Any = raw
            if len(raw) > max_length:
                message = _("At most %(n)d characters.") % {"n": max_length}
            elif kind == fmt.KEY or kind == fmt.TEXT:  # most cells: nothing more to check
                pass
            elif kind == fmt.DATE:
                # Dates repeat: a few thousand distinct days over millions of rows.
                value = self.dates.get(raw) or self.dates.setdefault(raw, _parse_date(raw))
                if value is None:
                    message = _("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": raw}
            elif kind == fmt.CHOICE and raw not in column.choices:
                message = _("“%(value)s” is not one of: %(choices)s.") % {
                    "value": raw,
                    "choices": ", ".join(column.choices),
                }
            elif kind == fmt.BELIEF:
                value = int(raw) if raw in ("1", "2", "3", "4", "5") else None
                if value is None:
                    message = _("“%(value)s” is not a whole number from 1 to 5.") % {"value": raw}
            elif kind == fmt.OUTCOME:
                # Version 1 wrote outcomes in earlier vocabularies: read through the aliases.
                codes = column.legacy if self.version == 1 else column.choices
                if raw not in codes:
                    message = _("“%(value)s” is not one of: %(choices)s.") % {
                        "value": raw,
                        "choices": ", ".join(codes),
                    }
                elif self.version == 1:
                    value = fmt.outcome_of(raw) or None  # "in_process": no outcome yet
            elif kind == fmt.HOURS:
                value = _parse_hours(raw)
                if value is None:
                    message = _(
                        "“%(value)s” is not a number of hours a week (for example 37.5)."
                    ) % {"value": raw}
            elif kind == fmt.BOOLEAN:
                value = {fmt.TRUE: True, fmt.FALSE: False}.get(raw)
                if value is None:
                    message = _("“%(value)s” is not true or false.") % {"value": raw}
            elif kind == fmt.EMAIL:
                value = User.objects.normalize_email(raw)
                try:
                    validate_email(value)
                except ValidationError:
                    message = _("“%(value)s” is not an e-mail address.") % {"value": raw}
            if message is None:
                values[name] = value
            else:
                values[name] = None
                self.error(spec.filename, line, name, message)
        return values

    def _end_not_before_start(
        self, spec: fmt.FileSpec, values: dict[str, Any], line: int, start: str = "start_date"
    ) -> None:
        if values["end_date"] and values[start] and values["end_date"] < values[start]:
            values["end_date"] = None
            self.error(spec.filename, line, "end_date", _("The end is before the start."))

    # -- one row of each file: extra checks and the Python-computed staging columns ---------

    def _row_organisations(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        key = values["org_key"]
        country: str = (
            Organisation.Country.DENMARK
            if values["kind"] == Organisation.Kind.JOBCENTER
            else Organisation.Country.NORWAY
        )
        if self.scope is not None:
            country = self.scope.country
            if self.countries:
                self.error(
                    "organisations.csv",
                    line,
                    "org_key",
                    _("An upload holds your own organisation only: one row in this file."),
                )
            elif key and key != (self.scope.external_key or key):
                self.error(
                    "organisations.csv",
                    line,
                    "org_key",
                    _("Your organisation's key is “%(ours)s”, not “%(key)s”.")
                    % {"ours": self.scope.external_key, "key": key},
                )
            elif key and self.known_orgs.get(key, (self.scope.pk,))[0] != self.scope.pk:
                self.error(
                    "organisations.csv",
                    line,
                    "org_key",
                    _("Another organisation in Samspill has the key “%(key)s”.") % {"key": key},
                )
        if key:
            if key in self.known_orgs and self.scope is None:
                country = self.known_orgs[key][1]
            self.countries.setdefault(key, country)
        return (country,)

    def _row_staff(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        return ()

    def _row_participants(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        raw = values["national_id"]
        country = self.countries.get(values["org_key"] or "")
        if not raw or country is None:
            values["national_id"] = ""
            return ("",)
        try:
            parsed = parse_identity_number(raw, country=country)
        except ValidationError as error:
            values["national_id"] = ""
            self.error("participants.csv", line, "national_id", " ".join(error.messages))
            return ("",)
        if values["birth_date"] and values["birth_date"] != parsed.birth_date:
            self.error(
                "participants.csv",
                line,
                "birth_date",
                _("The birth date does not match the national identity number (%(date)s).")
                % {"date": parsed.birth_date.isoformat()},
            )
        values["national_id"] = parsed.number
        return (parsed.kind,)

    def _row_employers(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        raw = values["org_number"]
        if raw:
            countries = set(self.countries.values())
            if len(countries) == 1:
                country = countries.pop()
            else:  # organisations of both countries: tell orgnr (9) from CVR (8) by length
                digits = sum(ch.isdigit() for ch in raw)
                country = Organisation.Country.DENMARK if digits == 8 else "NO"
            try:
                values["org_number"] = parse_org_number(raw, country=country)
            except ValidationError as error:
                values["org_number"] = None
                self.error("employers.csv", line, "org_number", " ".join(error.messages))
        nace = values["nace"]
        if not nace:
            return ("",)
        try:
            return (industries.section_of(nace),)
        except KeyError:
            values["nace"] = None
            self.error(
                "employers.csv",
                line,
                "nace",
                _("“%(value)s” is not an SN2007/NACE division (two digits).") % {"value": nace},
            )
            return ("",)

    def _row_followup_periods(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        self._end_not_before_start(fmt.PERIODS, values, line)
        if values["end_reason"] and not values["end_date"]:
            self.error(
                "followup_periods.csv",
                line,
                "end_reason",
                _("An end reason needs an end date."),
            )
        return ()

    def _at_eight(self, date: datetime.date | None) -> str | None:
        """08:00 on the day, as period_start does (a counselor follows from then), in the form
        the staging table takes: worked out once per day, as days repeat over a million rows."""
        if date is None:
            return None
        stamp = self.eights.get(date)
        if stamp is None:
            moment = datetime.datetime.combine(date, datetime.time(8), tzinfo=self.tz)
            if connection.vendor == "postgresql":
                stamp = moment.isoformat()
            else:
                stamp = str(connection.ops.adapt_datetimefield_value(moment))
            self.eights[date] = stamp
        return stamp

    def _row_assignments(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        self._end_not_before_start(fmt.ASSIGNMENTS, values, line)
        return (self._at_eight(values["start_date"]), self._at_eight(values["end_date"]))

    def _row_belief_checkins(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        return ()

    def _row_activities(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        kind, date = values["kind"], values["date"]
        title = self.activity_titles.get(kind, "") if kind else ""
        done = date is not None and date <= self.today
        status = Activity.Status.DONE if done else Activity.Status.PLANNED
        return (title, str(status))

    def _row_placements(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        self._end_not_before_start(fmt.PLACEMENTS, values, line)
        return (self.placement_titles.get(values["kind"], "") if values["kind"] else "",)

    def _work_details(self, spec: fmt.FileSpec, values: dict[str, Any], line: int) -> None:
        """Hours per week and a wage subsidy go with ordinary work only, as in
        participants.outcomes; an empty wage subsidy is none."""
        if values["wage_subsidy"] is None:
            values["wage_subsidy"] = False
        if values["outcome"] == Outcome.ORDINARY_WORK:
            return
        if values["hours_per_week"] is not None:
            values["hours_per_week"] = None
            self.error(
                spec.filename,
                line,
                "hours_per_week",
                _("Hours per week are given with ordinary_work only."),
            )
        if values["wage_subsidy"]:
            values["wage_subsidy"] = False
            self.error(
                spec.filename,
                line,
                "wage_subsidy",
                _("A wage subsidy is given with ordinary_work only."),
            )

    def _row_outcomes(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        if values["date"] and values["date"] > self.today:
            self.error("outcomes.csv", line, "date", _("The date is in the future."))
        self._work_details(fmt.OUTCOMES, values, line)
        return ()

    def _row_statuses(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        if values["outcome"] and not values["as_of"]:
            self.error(
                "statuses.csv", line, "as_of", _("A recorded status needs its date (as_of).")
            )
        elif values["as_of"] and not values["outcome"]:
            self.error(
                "statuses.csv",
                line,
                "outcome",
                _("Give the status of that date, or leave as_of empty."),
            )
        elif values["as_of"] and values["as_of"] > self.today:
            self.error("statuses.csv", line, "as_of", _("The date is in the future."))
        self._work_details(fmt.STATUSES, values, line)
        return ()

    def _row_referrals(self, values: dict[str, Any], line: int) -> tuple[Any, ...]:
        return ()


def _parse_hours(raw: str) -> Decimal | None:
    """Hours a week: more than 0 and at most participants.outcomes.MAX_HOURS, with at most one
    decimal, written with a point."""
    try:
        hours = Decimal(raw)
    except InvalidOperation:
        return None
    if not hours.is_finite() or not (0 < hours <= MAX_HOURS) or hours != round(hours, 1):
        return None
    return hours


def _parse_date(raw: str) -> datetime.date | None:
    if len(raw) != 10 or raw[4] != "-" or raw[7] != "-":
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None
