"""Reading a large folder with every core (PostgreSQL).

Checking each row in Python is most of an import's loading time, and one process uses one core.
For a large folder the files are read by worker processes instead: each streams its file
through the same checks (`Importer._read`), writes the rows in COPY's text format to a
scratch file and hands back the count and the errors; the importer COPYs the scratch files into
its staging tables in the files' order while the workers go on with the next files. Only the
importer's process talks to the database (the staging tables are its session's).

The workers are forked after organisations.csv is read, so they know each organisation's
country. Memory stays flat: rows go to disk in blocks, never all at once.
"""

import concurrent.futures
import datetime
import multiprocessing
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from samspill.interchange import format as fmt
from samspill.interchange.report import ImportReport, RowError


class Reader(Protocol):
    """What the workers need of the importer (importing.Importer): its row reader, and a
    report to gather the errors in."""

    report: ImportReport

    def _read(self, spec: fmt.FileSpec) -> Iterator[tuple[Any, ...]]: ...

    def error(self, file: str, line: int, column: str, message: str) -> None: ...


# Folders of at least this many bytes (all files together) are read in parallel, when the
# caller allows it: the `import` command does; the upload page does not, as a web server's
# process must not fork.
PARALLEL_BYTES = 32 * 1024 * 1024
BLOCK = 5000  # rows per write to the scratch file

_importer: Reader | None = None  # the forked workers' view of the importer


def folder_bytes(folder: Path, specs: Iterable[fmt.FileSpec]) -> int:
    return sum((folder / spec.filename).stat().st_size for spec in specs)


def _escape(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t")
        value = value.replace("\n", "\\n").replace("\r", "\\r")
    return value


def copy_line(row: tuple[Any, ...]) -> str:
    """One row in COPY's text format: tab-separated, \\N for NULL, backslash escapes."""
    cells = []
    for value in row:
        if value is None:
            cells.append("\\N")
        elif isinstance(value, str):
            cells.append(_escape(value))
        elif isinstance(value, datetime.date):  # dates, and datetimes with their offset
            cells.append(value.isoformat())
        else:
            cells.append(str(value))
    return "\t".join(cells) + "\n"


def _read_to_file(spec: fmt.FileSpec, path: str) -> tuple[int, list[RowError], int]:
    """In a worker: check the file's rows and write them to `path` for COPY."""
    importer = _importer
    assert importer is not None, "workers are forked from an importer"
    importer.report = ImportReport()  # this worker's own errors
    count, lines = 0, []
    with open(path, "w", encoding="utf-8") as out:
        for row in importer._read(spec):
            lines.append(copy_line(row))
            count += 1
            if len(lines) == BLOCK:
                out.write("".join(lines))
                lines = []
        out.write("".join(lines))
    return count, importer.report.errors, importer.report.error_count


def read_in_workers(
    importer: Reader, specs: list[fmt.FileSpec]
) -> Iterator[tuple[fmt.FileSpec, Path, int]]:
    """Yield each file's (spec, scratch file, row count) in the given order, once read; its
    errors are already added to the importer's report. The scratch files are removed after."""
    global _importer
    _importer = importer
    workers = max(1, min(len(specs), len(os.sched_getaffinity(0))))
    context = multiprocessing.get_context("fork")
    with (
        tempfile.TemporaryDirectory(prefix="samspill-import-") as scratch,
        concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool,
    ):
        paths = [Path(scratch) / f"{spec.name}.copy" for spec in specs]
        # Submitted in order: the first files are read first.
        running = [
            pool.submit(_read_to_file, spec, str(path))
            for spec, path in zip(specs, paths, strict=True)
        ]
        try:
            for spec, path, future in zip(specs, paths, running, strict=True):
                count, errors, error_count = future.result()
                for error in errors:
                    importer.error(error.file, error.line, error.column, error.message)
                # error() counted the listed ones; the rest of the worker's count adds on.
                importer.report.error_count += error_count - len(errors)
                yield spec, path, count
                path.unlink()
        finally:
            _importer = None
            # On an error here (the COPY refused), the files not yet read are not read at all.
            pool.shutdown(wait=True, cancel_futures=True)
