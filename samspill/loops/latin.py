"""Rotation squares of a jobbLOOP: Latin squares of size 2 to 6, as plain functions.

A square has one row per seat (a participant's visiting order) and one column per period; a
cell holds the index of the employer visited. It is valid (Latin) when every row visits each
employer once and every column hosts each employer once. A partial square has empty rows
(`None`): seats left by drop-outs. Every function returns a new square and leaves its input
alone.
"""

from collections.abc import Mapping, Sequence

MIN_SIZE = 2
MAX_SIZE = 6

Row = tuple[int, ...]
Square = tuple[Row, ...]
PartialSquare = tuple[Row | None, ...]


class NotLatinError(ValueError):
    """The square (or partial square) breaks the rotation rule."""


def _check_size(k: int) -> None:
    if not MIN_SIZE <= k <= MAX_SIZE:
        raise ValueError(f"a rotation square has {MIN_SIZE} to {MAX_SIZE} employers, not {k}")


def cyclic_square(k: int) -> Square:
    """The plain rotation: seat r visits employer (r + p) mod k in period p."""
    _check_size(k)
    return tuple(tuple((r + p) % k for p in range(k)) for r in range(k))


def latin_problems(rows: Sequence[Sequence[int] | None]) -> list[str]:
    """Why `rows` is not a (partial) Latin square; empty when it is one. Rows may be None."""
    k = len(rows)
    problems = []
    if not MIN_SIZE <= k <= MAX_SIZE:
        problems.append(f"{k} rows: a rotation square has {MIN_SIZE} to {MAX_SIZE}")
    symbols = set(range(k))
    for r, row in enumerate(rows):
        if row is not None and (len(row) != k or set(row) != symbols):
            problems.append(f"row {r} {tuple(row)} does not visit each of 0..{k - 1} once")
    if problems:
        return problems
    for p in range(k):
        column = [row[p] for row in rows if row is not None]
        if len(set(column)) != len(column):
            problems.append(f"period {p} hosts an employer twice: {column}")
    return problems


def is_latin(rows: Sequence[Sequence[int] | None]) -> bool:
    """Whether `rows` is a Latin square (no empty rows)."""
    return all(row is not None for row in rows) and not latin_problems(rows)


def is_partial_latin(rows: Sequence[Sequence[int] | None]) -> bool:
    """Whether the filled rows of `rows` can stand together (they always complete)."""
    return not latin_problems(rows)


def check_partial(rows: Sequence[Sequence[int] | None]) -> PartialSquare:
    """`rows` as a partial square, or NotLatinError saying what is wrong."""
    problems = latin_problems(rows)
    if problems:
        raise NotLatinError("; ".join(problems))
    return tuple(None if row is None else tuple(row) for row in rows)


def drop_out(square: Sequence[Sequence[int] | None], row: int) -> PartialSquare:
    """The square with seat `row` emptied (the participant dropped out)."""
    partial = check_partial(square)
    return tuple(None if r == row else cells for r, cells in enumerate(partial))


def missing_row(rows: Sequence[Sequence[int] | None]) -> Row:
    """The only row that fills the one empty seat of `rows`: per period, the employer no one
    else visits then."""
    partial = check_partial(rows)
    empty = [r for r, row in enumerate(partial) if row is None]
    if len(empty) != 1:
        raise ValueError(f"exactly one seat must be empty, not {len(empty)}")
    k = len(partial)
    filled = [row for row in partial if row is not None]
    return tuple(next(iter(set(range(k)) - {row[p] for row in filled})) for p in range(k))


def _matching(options: Sequence[Sequence[int]]) -> list[int] | None:
    """A perfect matching of left vertex i to one of options[i] (Kuhn's augmenting paths), in
    a deterministic way: each vertex tries its options in the order given; None if none."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for option in options[i]:
            if option in seen:
                continue
            seen.add(option)
            if option not in owner or augment(owner[option], seen):
                owner[option] = i
                return True
        return False

    if not all(augment(i, set()) for i in range(len(options))):
        return None
    chosen = [0] * len(options)
    for option, i in owner.items():
        chosen[i] = option
    return chosen


def complete(rows: Sequence[Sequence[int] | None]) -> Square:
    """A Latin square that keeps every filled row of `rows` and fills the empty ones.

    Always possible (Hall): what the empty rows still need forms a regular bipartite graph of
    periods and employers, so it has a perfect matching, and taking one out keeps it regular.
    """
    partial = check_partial(rows)
    k = len(partial)
    result = [list(row) if row is not None else None for row in partial]
    for r in range(k):
        if result[r] is not None:
            continue
        used = [{row[p] for row in result if row is not None} for p in range(k)]
        options = [[e for e in range(k) if e not in used[p]] for p in range(k)]
        row = _matching(options)
        if row is None:  # pragma: no cover - ruled out by the theorem above
            raise NotLatinError("no completion")
        result[r] = row
    return tuple(tuple(row) for row in result if row is not None)


def transpose(rows: Sequence[Sequence[int]]) -> Square:
    return tuple(zip(*rows, strict=True))


def complete_columns(columns: Mapping[int, Sequence[int]], k: int) -> Square:
    """A k x k Latin square with the given full columns (period -> employer per row).

    The given columns must form a Latin rectangle (each a permutation of 0..k-1, no row
    visiting an employer twice); as its transpose is a partial square with full rows, it
    always completes.
    """
    _check_size(k)
    by_period = [tuple(columns[p]) if p in columns else None for p in range(k)]
    return transpose(complete(by_period))


def fill_column(column: Sequence[int | None], avoid: Sequence[set[int]]) -> Row:
    """Fill the empty cells of one period with the employers no one visits then yet, such
    that row r gets none of avoid[r]; NotLatinError when that is impossible."""
    k = len(column)
    free = [e for e in range(k) if e not in column]
    empty = [r for r, cell in enumerate(column) if cell is None]
    chosen = _matching([[e for e in free if e not in avoid[r]] for r in empty])
    if chosen is None:
        raise NotLatinError(f"period cannot be filled: {tuple(column)}")
    filled = list(column)
    for r, e in zip(empty, chosen, strict=True):
        filled[r] = e
    return tuple(e for e in filled if e is not None)


def swap_rows(square: Sequence[Sequence[int] | None], a: int, b: int) -> PartialSquare:
    """Two seats exchange their visiting orders."""
    partial = list(check_partial(square))
    partial[a], partial[b] = partial[b], partial[a]
    return tuple(partial)


def swap_periods(square: Sequence[Sequence[int] | None], p: int, q: int) -> PartialSquare:
    """Everyone exchanges what they do in periods p and q."""

    def swapped(row: Row) -> Row:
        cells = list(row)
        cells[p], cells[q] = cells[q], cells[p]
        return tuple(cells)

    return tuple(None if row is None else swapped(row) for row in check_partial(square))


def swap_employers(square: Sequence[Sequence[int] | None], a: int, b: int) -> PartialSquare:
    """Employers a and b exchange every cell: whoever visited a then visits b, and back."""
    relabel = {a: b, b: a}
    return tuple(
        None if row is None else tuple(relabel.get(e, e) for e in row)
        for row in check_partial(square)
    )


def swap_in_row(square: Sequence[Sequence[int]], row: int, a: int, b: int) -> Square:
    """Seat `row` visits employers a and b in each other's periods; the square stays Latin by
    doing the same in as few other rows as possible (the a/b cycle through `row`).

    The cells holding a or b form cycles that alternate between rows and periods; swapping a
    and b along one whole cycle keeps every row and period complete. For k = 3 the cycle
    always covers every row, which is the same as `swap_employers`.
    """
    if not is_latin(square):
        raise NotLatinError("swap_in_row needs a full Latin square")
    full = tuple(tuple(cells) for cells in square)
    rows = {row}
    current = row
    while True:
        # After the swap, `current` has a where it had b: the row with a in that period
        # must take b there, and so on until the cycle closes.
        period = full[current].index(b)
        current = next(r for r, cells in enumerate(full) if cells[period] == a)
        if current in rows:
            break
        rows.add(current)
    relabel = {a: b, b: a}
    return tuple(
        tuple(relabel.get(e, e) for e in cells) if r in rows else cells
        for r, cells in enumerate(full)
    )


def replace_employer(employers: Sequence[str], old: str, new: str) -> tuple[str, ...]:
    """The loop's employers with `new` in the column of `old`: the new employer takes over
    every cell of the old one, so the square itself does not change and stays Latin."""
    if old not in employers:
        raise ValueError(f"{old!r} is not in the loop")
    if new in employers:
        raise ValueError(f"{new!r} is already in the loop")
    return tuple(new if e == old else e for e in employers)


def orders(
    square: Sequence[Sequence[int] | None], employers: Sequence[str]
) -> list[tuple[str, ...] | None]:
    """Each seat's visiting order as employer keys (None for an empty seat)."""
    return [None if row is None else tuple(employers[e] for e in row) for row in square]
