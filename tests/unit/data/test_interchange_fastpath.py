"""The compiled fast path accepts exactly what the per-cell parsers accept, with the same values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.interchange.cells import CellError, build_parser
from data.interchange.fastpath import build_fast_check
from data.interchange.format import FORMATS

TRICKY = ["", " ", "0", "-0", "1", "-1", "1e6", "1_000", "1,000", "nan", "inf", "-inf", "0.5", " 7 ", "abc",
          "BUY", "buy", " sell ", "SPOT", "approved", "trader", "2026-11-20", "20261120", "2026-02-30",
          "1899-12-31", "2026-11-20 09:00:00", "2026-11-20T09:00:00Z", "2026-11-20 09:00:00+05:30",
          "2101-01-01 00:00:00", "EURUSD", "T" * 17, "Cust203", "x" * 40]


def _slow(parsers, cells):
    try:
        return tuple(parse(text) for parse, text in zip(parsers, cells, strict=True))
    except CellError:
        return "rejected"


def _fast(check, cells):
    try:
        return check(cells)
    except Exception:  # noqa: BLE001
        return "rejected"


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_fast_path_matches_the_cell_parsers_cell_by_cell(fmt):
    parsers = [build_parser(c) for c in fmt.columns]
    check = build_fast_check(fmt)
    example = [c.example for c in fmt.columns]
    assert _fast(check, example) == _slow(parsers, example) != "rejected"
    for i in range(len(fmt.columns)):
        for text in TRICKY:
            cells = [*example[:i], text, *example[i + 1:]]
            assert _fast(check, cells) == _slow(parsers, cells), (fmt.columns[i].name, text)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fast_path_matches_on_random_text(data):
    fmt = data.draw(st.sampled_from(FORMATS))
    cells = [c.example for c in fmt.columns]
    i = data.draw(st.integers(0, len(cells) - 1))
    cells[i] = data.draw(st.one_of(st.text(max_size=30), st.sampled_from(TRICKY),
                                   st.floats(allow_nan=True).map(repr), st.integers().map(str)))
    assert _fast(build_fast_check(fmt), cells) == _slow([build_parser(c) for c in fmt.columns], cells)
