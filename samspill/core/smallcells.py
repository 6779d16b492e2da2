"""Small cells: the one rule for every aggregate that counts people.

A count of 1 to 4 people is never shown in a table, chart, CSV or API answer that is not a
list of the user's own participants: in a small organisation a "2" beside a team, an age band
and an outcome is two people one can name. Zero is shown (it names nobody). Where a row or a
column has a total, one hidden cell could be worked out by subtraction, so a second cell of
the same line is hidden too (the smallest non-zero one: complementary suppression), until no
line has exactly one hidden cell. A share is hidden when its count or its total is.

Hidden cells are `None` in the data this module returns. Every output shows them the same way,
whatever the reason they were hidden (telling "under 5" from "hidden to protect another cell"
would itself narrow the value down):
- pages: the `cell` filter of the `samspill` template tags shows "hidden", with
  `{% small_cells_legend %}` beneath the table; a bar or chart segment is not drawn;
- CSV: `SUPPRESSED_CSV` ("suppressed");
- JSON: `null`, with `"suppressed": true` on the object that holds it.

Ground floor: imports nothing of the apps.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext as _

THRESHOLD = 5  # counts from 1 to THRESHOLD - 1 are hidden
SUPPRESSED_CSV = "suppressed"

K = TypeVar("K", bound=Hashable)
Cell = int | None  # None: hidden


def is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


def count(n: int) -> Cell:
    """A count that stands alone (no total beside it to subtract from)."""
    return None if is_small(n) else n


def hidden_cells(
    values: Mapping[K, int],
    lines: Iterable[tuple[K, Sequence[K]]],
    also_hide: Iterable[K] = (),
) -> set[K]:
    """The keys of `values` to hide: the small ones (and `also_hide`, cells a caller hides for
    its own reason), and enough others that no line (a total and the parts that add up to it)
    has exactly one hidden cell."""
    lines = list(lines)
    order = {key: index for index, key in enumerate(values)}
    hidden = {key for key, n in values.items() if is_small(n)} | set(also_hide)
    changed = bool(hidden)
    while changed:
        changed = False
        for total, parts in lines:
            if sum(key in hidden for key in (total, *parts)) != 1:
                continue
            candidates = [key for key in parts if key not in hidden and values[key] > 0]
            if not candidates:  # cannot happen when the parts add up to the total
                candidates = [key for key in (total, *parts) if key not in hidden]
            if candidates:
                hidden.add(min(candidates, key=lambda key: (values[key], order[key])))
                changed = True
    return hidden


def apply(
    values: Mapping[K, int],
    lines: Iterable[tuple[K, Sequence[K]]] = (),
    also_hide: Iterable[K] = (),
) -> dict[K, Cell]:
    """`values` with the hidden cells (see `hidden_cells`) replaced by None."""
    hidden = hidden_cells(values, lines, also_hide)
    return {key: None if key in hidden else n for key, n in values.items()}


@dataclass(frozen=True)
class Table:
    """A table of counts with row totals, column totals and a grand total, cells hidden."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell

    @property
    def suppressed(self) -> bool:
        return (
            None in self.row_totals
            or None in self.column_totals
            or self.total is None
            or any(None in row for row in self.cells)
        )


def table(body: Sequence[Sequence[int]], columns: int) -> Table:
    """Totals for `body` (rows of `columns` counts), and the cells to hide in it."""
    values: dict[tuple[int, int], int] = {}
    rows = len(body)
    for i, row in enumerate(body):
        for j in range(columns):
            values[(i, j)] = row[j]
        values[(i, columns)] = sum(row)
    for j in range(columns + 1):
        values[(rows, j)] = sum(values[(i, j)] for i in range(rows))
    lines = [((i, columns), [(i, j) for j in range(columns)]) for i in range(rows + 1)]
    lines += [((rows, j), [(i, j) for i in range(rows)]) for j in range(columns + 1)]
    shown = apply(values, lines)
    return Table(
        cells=[[shown[(i, j)] for j in range(columns)] for i in range(rows)],
        row_totals=[shown[(i, columns)] for i in range(rows)],
        column_totals=[shown[(rows, j)] for j in range(columns)],
        total=shown[(rows, columns)],
    )


def share(n: Cell, total: Cell, digits: int = 3) -> float | None:
    """n / total, or None when either is hidden or the total is zero."""
    if n is None or not total:
        return None
    return round(n / total, digits)


def csv_value(n: object) -> object:
    return SUPPRESSED_CSV if n is None else n


def text(n: int) -> str:
    """A count inside a sentence: "fewer than 5" when it is small."""
    if is_small(n):
        return _("fewer than %(threshold)d") % {"threshold": THRESHOLD}
    return str(n)
