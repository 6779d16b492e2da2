"""Import and export of the interchange format (STYLE.md 2): one transaction, an audit event
naming the acting user. The work is in importing.py and exporting.py."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.interchange.exporting import export_folder
from samspill.interchange.importing import Importer
from samspill.interchange.report import ImportRejected, ImportReport, RowError
from samspill.organisations.models import Membership, Organisation


def interchange_import(
    *,
    folder: Path,
    by: User | None,
    organisation: Organisation | None = None,
    bulk: bool = False,
    parallel: bool = False,
) -> ImportReport:
    """Validate the folder, then write all of it or nothing. Raises ImportRejected with every
    error found. With `organisation`, the folder must hold that organisation only (an upload by
    its administrator). `bulk` (PostgreSQL, new organisations only) rebuilds the written
    tables' indexes and foreign keys after the writing instead of keeping them up to date row by
    row; it locks those tables and the ones they refer to (users, organisations, teams), so
    Samspill is unavailable until the import commits (bulk.py). `parallel` lets a large folder
    be read by worker processes (parallel.py): for the command line, not a web server."""
    try:
        with transaction.atomic():
            report = Importer(
                folder, by=by, organisation=organisation, bulk=bulk, parallel=parallel
            ).run()
            for org in Organisation.objects.filter(pk__in=report.organisations):
                audit_record(
                    actor=by,
                    organisation_id=org.pk,
                    action="interchange.imported",
                    obj=org,
                    data={
                        "rows": report.rows,
                        "created": report.created,
                        "updated": report.updated,
                    },
                )
    except DatabaseError as error:
        # Anything the checks did not foresee: the database refused, and nothing was written.
        failed = ImportReport(error_count=1)
        failed.errors.append(
            RowError("", 0, "", _("The database refused the import: %(error)s") % {"error": error})
        )
        raise ImportRejected(failed) from error
    return report


def interchange_export(*, folder: Path, organisations: QuerySet[Organisation]) -> dict[str, int]:
    """Write the organisations' data to `folder` in the interchange format."""
    return export_folder(folder, organisations=organisations)


@transaction.atomic
def interchange_research_export(
    *, folder: Path, organisation: Organisation, by: User
) -> dict[str, int]:
    """The pseudonymised research export of one organisation, for its administrators only;
    written to the audit trail."""
    if not Membership.objects.filter(
        user=by, organisation=organisation, is_active=True, role=Membership.Role.ADMIN
    ).exists():
        raise ValidationError(
            _("Only the organisation's administrators may make a research export.")
        )
    counts = export_folder(
        folder, organisations=Organisation.objects.filter(pk=organisation.pk), research=True
    )
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="interchange.research_exported",
        obj=organisation,
        data={"rows": counts},
    )
    return counts
