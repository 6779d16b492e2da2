"""The one small-cell rule: counts of 1-4 hidden, and a second cell wherever a total would give
a hidden one away."""

from samspill.core import smallcells


def test_counts_of_one_to_four_are_hidden_and_zero_and_five_are_shown():
    assert [smallcells.count(n) for n in range(7)] == [0, None, None, None, None, 5, 6]


def test_a_lone_hidden_cell_in_a_row_takes_the_smallest_other_non_zero_cell_with_it():
    table = smallcells.table([[3, 0, 9, 7]], 4)

    assert table.cells == [[None, 0, 9, None]]  # 7 < 9
    assert table.row_totals == [19]


def test_no_row_or_column_is_left_with_exactly_one_hidden_cell():
    body = [[6, 3, 0], [5, 7, 0], [0, 0, 8]]

    table = smallcells.table(body, 3)

    full = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    full.append([*table.column_totals, table.total])
    for line in [*full, *zip(*full, strict=True)]:
        assert sum(cell is None for cell in line) != 1
    assert table.cells[2][2] == 8
    assert table.total == 29
    assert table.suppressed


def test_a_table_of_large_counts_hides_nothing():
    table = smallcells.table([[5, 0], [6, 7]], 2)

    assert table.cells == [[5, 0], [6, 7]]
    assert not table.suppressed


def test_a_share_of_a_hidden_count_or_total_is_hidden():
    assert smallcells.share(None, 10) is None
    assert smallcells.share(5, None) is None
    assert smallcells.share(5, 0) is None
    assert smallcells.share(5, 20) == 0.25


def test_a_small_count_in_a_sentence_says_fewer_than_five(settings):
    settings.LANGUAGE_CODE = "en"

    assert smallcells.text(3) == "fewer than 5"
    assert smallcells.text(0) == "0"
    assert smallcells.text(12) == "12"
    assert smallcells.csv_value(None) == "suppressed"
