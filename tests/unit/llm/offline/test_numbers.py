"""numbers_in / unsupported_numbers: the mechanical "numbers only from tools" check."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from langchain_core.messages import ToolMessage

from llm.offline.numbers import format_number, numbers_in, unsupported_numbers


def test_numbers_in_reads_separators_signs_percent_and_shorthand():
    text = "long 1,080,000.50 USD at 1.08, change -5.5%, size 20m, half a yard is 0.5bn, 500k, \u22123"
    assert numbers_in(text) == [Decimal("1080000.50"), Decimal("1.08"), Decimal("-5.5"), Decimal("2E+7"),
                                Decimal("5E+8"), Decimal("5E+5"), Decimal("-3")]


def test_numbers_in_skips_identifiers_dates_and_times():
    text = "Cust203 traded T004211 in FX-G10 (USDJPY) on 2026-11-02 at 14:30, entry #12, 2026-11-20T09:15:00"
    assert numbers_in(text) == []


def test_currency_code_glued_to_an_amount_is_read_as_the_amount():
    assert numbers_in("USD1,000.5 and EUR-250") == [Decimal("1000.5"), Decimal("-250")]


def test_rounded_to_displayed_precision_is_supported():
    result = {"usd_equivalent": 1080000.456, "rate": 1.082345, "utilisation_pct": 45.2}
    assert unsupported_numbers("1,080,000.46 USD, 1,080,000 USD, rate 1.08, 45.20%, 45%", [result]) == []


def test_shorthand_is_checked_to_the_precision_it_shows():
    result = {"var_usd": 2279244.85, "notional": 20000000.0}
    assert unsupported_numbers("VaR 2.28m on 20m", [result]) == []
    assert unsupported_numbers("VaR 2.3m, 2m and 25m", [result]) == ["25m"]


def test_a_number_no_result_holds_is_reported_as_written():
    result = {"usd_equivalent": 1080000.0}
    assert unsupported_numbers("exposure 1,080,000 USD, limit 2,000,000 USD", [result]) == ["2,000,000"]


def test_sign_is_ignored_because_answers_say_long_and_short():
    assert unsupported_numbers("short 216,390,382 USD", [{"position": -216390382.0}]) == []


def test_numbers_inside_result_strings_are_supported():
    result = {"reasons": [{"message": "NOP would be 14,286,476.06 USD against 8,930,000.00 USD."}]}
    assert unsupported_numbers("14,286,476.06 USD vs 8,930,000 USD", [result]) == []


def test_row_counts_and_capped_table_remainder_are_supported():
    rows = [{"i": 100 + i} for i in range(18)]
    assert unsupported_numbers("18 rows; … and 3 more rows", [{"rows": rows}]) == []
    assert unsupported_numbers("… and 4 more rows", [{"rows": rows}]) == ["4"]


def test_tool_messages_and_json_strings_are_accepted_as_results():
    payload = json.dumps({"net_base": 203300000.0})
    message = ToolMessage(payload, tool_call_id="c1")
    assert unsupported_numbers("long 203,300,000 EUR", [message]) == []
    assert unsupported_numbers("long 203,300,000 EUR", [payload]) == []


def test_format_number_keeps_precision_and_adds_separators():
    assert format_number(1080000.5) == "1,080,000.5"
    assert format_number(1080000.0) == "1,080,000"
    assert format_number(-2300440.0) == "-2,300,440"
    assert format_number(1.06439) == "1.06439"
    assert format_number(30735.3, 2) == "30,735.30"


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_anything_format_number_prints_is_supported_by_its_source(value):
    number = float(value)
    assert unsupported_numbers(f"value {format_number(number)} and {format_number(number, 2)}", [{"v": number}]) == []
