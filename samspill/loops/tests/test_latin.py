"""Rotation squares stay Latin through generation, drop-outs, refills, replacements and swaps:
property tests over every size from 2 to 6."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samspill.loops import latin

sizes = st.integers(min_value=latin.MIN_SIZE, max_value=latin.MAX_SIZE)


@st.composite
def squares(draw: st.DrawFn) -> latin.Square:
    """A random Latin square: the cyclic one with rows, periods and employers shuffled, then
    a few a/b cycle switches (these reach squares that are not isotopic to the cyclic one)."""
    k = draw(sizes)
    square = latin.cyclic_square(k)
    rows = draw(st.permutations(range(k)))
    periods = draw(st.permutations(range(k)))
    employers = draw(st.permutations(range(k)))
    full = tuple(tuple(employers[square[r][p]] for p in periods) for r in rows)
    indices = st.integers(min_value=0, max_value=k - 1)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        row, a, b = draw(indices), draw(indices), draw(indices)
        if a != b:
            full = latin.swap_in_row(full, row, a, b)
    return full


@st.composite
def partial_squares(draw: st.DrawFn) -> latin.PartialSquare:
    square = draw(squares())
    empty = draw(st.sets(st.integers(min_value=0, max_value=len(square) - 1)))
    return tuple(None if r in empty else row for r, row in enumerate(square))


@given(sizes)
def test_the_cyclic_square_is_latin(k):
    square = latin.cyclic_square(k)
    assert len(square) == k and latin.is_latin(square)


@given(squares())
def test_generated_squares_are_latin(square):
    assert latin.is_latin(square)


@pytest.mark.parametrize("k", [1, 7])
def test_it_refuses_sizes_outside_two_to_six(k):
    with pytest.raises(ValueError, match="2 to 6"):
        latin.cyclic_square(k)


def test_it_says_why_a_square_is_not_latin():
    assert latin.latin_problems([(0, 1), (0, 1)])[0] == "period 0 hosts an employer twice: [0, 0]"
    assert "does not visit each" in latin.latin_problems([(0, 0), (1, 0)])[0]
    assert not latin.is_latin([(0, 1), None])
    assert latin.is_partial_latin([(0, 1), None])
    with pytest.raises(latin.NotLatinError, match="period 1"):
        latin.check_partial([(0, 1, 2), (1, 2, 0), (2, 1, 0)])


@given(squares(), st.data())
def test_a_drop_out_leaves_a_partial_square_that_only_its_row_completes(square, data):
    row = data.draw(st.integers(min_value=0, max_value=len(square) - 1))
    partial = latin.drop_out(square, row)
    assert partial[row] is None and latin.is_partial_latin(partial)
    assert latin.missing_row(partial) == square[row]


@given(partial_squares())
def test_any_partial_square_completes_keeping_its_rows(partial):
    full = latin.complete(partial)
    assert latin.is_latin(full)
    assert all(row is None or full[r] == row for r, row in enumerate(partial))


def test_missing_row_needs_exactly_one_empty_seat():
    with pytest.raises(ValueError, match="exactly one"):
        latin.missing_row([None, None, (0, 1, 2)])


@given(squares(), st.data())
def test_a_replaced_employer_takes_over_every_cell(square, data):
    k = len(square)
    employers = [f"E{i}" for i in range(k)]
    old = data.draw(st.sampled_from(employers))
    replaced = latin.replace_employer(employers, old, "NEW")
    before, after = latin.orders(square, employers), latin.orders(square, replaced)
    for row_before, row_after in zip(before, after, strict=True):
        assert row_before is not None and row_after is not None
        assert [("NEW" if e == old else e) for e in row_before] == list(row_after)
        assert sorted(row_after) == sorted(replaced)
    for p in range(k):
        assert len({row[p] for row in after if row is not None}) == k


def test_replacing_needs_an_employer_in_the_loop_and_a_new_one():
    with pytest.raises(ValueError, match="not in the loop"):
        latin.replace_employer(["A", "B"], "C", "D")
    with pytest.raises(ValueError, match="already"):
        latin.replace_employer(["A", "B"], "A", "B")


@given(partial_squares(), st.data())
def test_swaps_by_hand_keep_the_square_latin(partial, data):
    k = len(partial)
    index = st.integers(min_value=0, max_value=k - 1)
    a, b = data.draw(index), data.draw(index)
    rows = latin.swap_rows(partial, a, b)
    assert latin.is_partial_latin(rows) and rows[a] == partial[b] and rows[b] == partial[a]
    assert latin.is_partial_latin(latin.swap_periods(partial, a, b))
    swapped = latin.swap_employers(partial, a, b)
    assert latin.is_partial_latin(swapped)
    assert latin.swap_employers(swapped, a, b) == partial


@given(squares(), st.data())
def test_swapping_two_employers_in_one_row_keeps_the_square_latin(square, data):
    k = len(square)
    index = st.integers(min_value=0, max_value=k - 1)
    row, a = data.draw(index), data.draw(index)
    b = data.draw(index.filter(lambda e: e != a))
    swapped = latin.swap_in_row(square, row, a, b)
    assert latin.is_latin(swapped)
    assert swapped[row].index(a) == square[row].index(b)
    assert swapped[row].index(b) == square[row].index(a)
    # Only rows on the a/b cycle change, and only in their a and b cells.
    for before, after in zip(square, swapped, strict=True):
        assert [e for e in before if e not in (a, b)] == [e for e in after if e not in (a, b)]


def test_for_three_employers_a_swap_in_one_row_moves_them_in_every_row():
    square = latin.cyclic_square(3)
    assert latin.swap_in_row(square, 0, 0, 1) == latin.swap_employers(square, 0, 1)


def test_swap_in_row_needs_a_full_square():
    with pytest.raises(latin.NotLatinError):
        latin.swap_in_row([(0, 1), None], 0, 0, 1)  # type: ignore[list-item]


@given(sizes, st.data())
def test_given_columns_complete_to_a_square(k, data):
    """Two periods fixed (as the seating fixes the first and the last) always complete."""
    base = data.draw(squares().filter(lambda s: len(s) == k))
    periods = data.draw(st.sets(st.integers(min_value=0, max_value=k - 1), max_size=2))
    columns = {p: [row[p] for row in base] for p in periods}
    full = latin.complete_columns(columns, k)
    assert latin.is_latin(full)
    assert all([row[p] for row in full] == column for p, column in columns.items())


def test_fill_column_avoids_what_each_row_already_has():
    assert latin.fill_column([None, 2, None], [{0}, set(), set()]) == (1, 2, 0)
    with pytest.raises(latin.NotLatinError):
        latin.fill_column([None, 1, 0], [{2}, set(), set()])


def test_every_square_of_size_three_is_reached_by_the_generator_moves():
    """The 12 Latin squares of order 3 are all row/period/employer shuffles of the cyclic one."""
    found = set()
    for rows, periods in itertools.product(itertools.permutations(range(3)), repeat=2):
        cyclic = latin.cyclic_square(3)
        found.add(tuple(tuple(cyclic[r][p] for p in periods) for r in rows))
    assert len(found) == 12 and all(latin.is_latin(s) for s in found)
