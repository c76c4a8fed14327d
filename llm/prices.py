"""Model prices (USD per million tokens) and exact cost arithmetic in integer nano-dollars."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from pydantic import BaseModel, Field

NANOS_PER_USD = 1_000_000_000


class Price(BaseModel):
    """What one model costs, in USD per million input and output tokens."""

    input: Decimal = Field(Decimal(0), ge=0)
    output: Decimal = Field(Decimal(0), ge=0)

    def cost_nanos(self, input_tokens: int, output_tokens: int) -> int:
        """Return the cost of one call in nano-dollars (integer, so totals add up exactly)."""
        # USD per 1e6 tokens == 1e3 nano-USD per token.
        nanos = self.input * 1000 * input_tokens + self.output * 1000 * output_tokens
        return int(nanos.to_integral_value())


# List prices as published by the providers (November 2025); override in the config file.
DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(input=Decimal("0.15"), output=Decimal("0.60")),
    "gpt-4o": Price(input=Decimal("2.50"), output=Decimal("10.00")),
    "gpt-4.1-mini": Price(input=Decimal("0.40"), output=Decimal("1.60")),
    "gpt-4.1": Price(input=Decimal("2.00"), output=Decimal("8.00")),
    "llama-3.3-70b-versatile": Price(input=Decimal("0.59"), output=Decimal("0.79")),
    "llama-3.1-8b-instant": Price(input=Decimal("0.05"), output=Decimal("0.08")),
    "anthropic.claude-3-5-sonnet-20240620-v1:0": Price(input=Decimal("3.00"), output=Decimal("15.00")),
    "anthropic.claude-3-5-sonnet": Price(input=Decimal("3.00"), output=Decimal("15.00")),
    "anthropic.claude-3-haiku-20240307-v1:0": Price(input=Decimal("0.25"), output=Decimal("1.25")),
    "amazon.titan-text-express-v1": Price(input=Decimal("0.20"), output=Decimal("0.60")),
    "amazon.titan-text-lite-v1": Price(input=Decimal("0.15"), output=Decimal("0.20")),
}


class PriceTable:
    """Prices by model name: the defaults, overridden entry by entry from configuration."""

    def __init__(self, overrides: Mapping[str, Price] | None = None) -> None:
        self._prices = {**DEFAULT_PRICES, **(overrides or {})}

    def price(self, model: str) -> Price:
        """Return the price of ``model`` (exact name, else free: local models cost nothing)."""
        return self._prices.get(model, Price())

    def cost_nanos(self, model: str, input_tokens: int, output_tokens: int) -> int:
        """Return the cost of one call of ``model`` in nano-dollars."""
        return self.price(model).cost_nanos(input_tokens, output_tokens)
