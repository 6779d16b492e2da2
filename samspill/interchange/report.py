"""What an import reports: its counts, timings and the errors found, each with its file, line
and column. A module of its own, below importing, checking, writing and parallel, which all
use it without importing each other."""

from dataclasses import dataclass, field

# Errors kept for the report; the count goes on beyond it (a file of a million bad rows must
# not fill the memory with messages).
MAX_ERRORS = 1000


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)  # periods and assignments ended
    organisations: list[int] = field(default_factory=list)
    # Seconds per phase, in the order run (for bench.import and the logs).
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, error: RowError) -> None:
        """Count an error, and keep it while the report holds fewer than MAX_ERRORS."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)


class ImportRejected(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{report.error_count} errors")
        self.report = report


def stage(name: str) -> str:
    """The staging table of a file of the format (a temporary table of the import's session)."""
    return f"ix_{name}"
