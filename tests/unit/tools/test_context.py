from datetime import date

import pytest
from pydantic import ValidationError

from tools.context import Context, ScopeWidening


def test_context_coerces_json_lists_and_csv_into_tuples():
    ctx = Context(user_id="trader_aruna", role="trader", books=["FX-G10"], customers="Cust201, Cust203")
    assert ctx.books == ("FX-G10",)
    assert ctx.customers == ("Cust201", "Cust203")


def test_context_rejects_unknown_role_and_unknown_fields():
    with pytest.raises(ValidationError):
        Context(user_id="x", role="superuser")
    with pytest.raises(ValidationError):
        Context(user_id="x", role="trader", admin=True)


def test_context_is_frozen_so_nodes_cannot_widen_it():
    ctx = Context(user_id="trader_aruna", role="trader", books=("FX-G10",))
    with pytest.raises(ValidationError):
        ctx.books = ("FX-G10", "FX-EM")


def test_narrowing_to_a_subset_keeps_only_that_subset():
    ctx = Context(user_id="u", role="analyst", books=("FX-G10", "FX-EM"), customers=("Cust1", "Cust2"),
                  as_of=date(2026, 11, 20))
    narrowed = ctx.narrowed(books=("FX-EM",))
    assert narrowed.books == ("FX-EM",)
    assert narrowed.customers == ("Cust1", "Cust2")
    assert narrowed.as_of == date(2026, 11, 20)


def test_narrowing_cannot_widen_scope():
    ctx = Context(user_id="trader_aruna", role="trader", books=("FX-G10",), customers=("Cust203",))
    with pytest.raises(ScopeWidening, match="FX-EM.*Cust310"):
        ctx.narrowed(books=("FX-G10", "FX-EM"), customers=("Cust310",))
