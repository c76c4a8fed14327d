from decimal import Decimal

from llm.prices import Price, PriceTable


def test_cost_in_nanodollars_matches_hand_calculation():
    # gpt-4o-mini: $0.15 / 1M input, $0.60 / 1M output.
    # 1234 input -> 1234 * 0.15e-6 = 0.0001851 USD = 185100 nano; 567 output -> 567 * 0.6e-6 = 340200 nano.
    assert PriceTable().cost_nanos("gpt-4o-mini", 1234, 567) == 185_100 + 340_200


def test_override_replaces_a_default_and_unknown_models_are_free():
    table = PriceTable({"gpt-4o-mini": Price(input=Decimal("1"), output=Decimal("2"))})
    assert table.cost_nanos("gpt-4o-mini", 10, 10) == 10 * 1000 + 10 * 2000
    assert table.cost_nanos("llama3.1:8b-local", 10_000, 10_000) == 0
