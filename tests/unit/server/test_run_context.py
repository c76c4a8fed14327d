import pytest

from server.runs.caller import Caller, Forbidden, InvalidContext, run_context
from tools.context import Context

ARUNA = Caller("trader_aruna", Context(user_id="trader_aruna", role="trader", books=("FX-G10",),
                                       customers=("Cust203", "Cust204")))


def test_no_requested_context_gives_the_full_entitlements():
    assert run_context(ARUNA, None) == ARUNA.entitlements


def test_requested_subset_narrows_books_and_customers():
    ctx = run_context(ARUNA, {"user_id": "trader_aruna", "books": [], "customers": ["Cust204"]})
    assert ctx.books == () and ctx.customers == ("Cust204",) and ctx.role == "trader"


def test_as_of_may_be_chosen_by_the_caller():
    assert str(run_context(ARUNA, {"as_of": "2026-01-02"}).as_of) == "2026-01-02"


@pytest.mark.parametrize("requested,needle", [
    ({"user_id": "trader_li"}, "trader_li"),
    ({"role": "compliance"}, "compliance"),
    ({"books": ["FX-G10", "FX-EM"]}, "FX-EM"),
    ({"customers": "Cust203,Cust310"}, "Cust310"),
])
def test_naming_another_user_or_role_or_widening_scope_is_forbidden(requested, needle):
    with pytest.raises(Forbidden) as excinfo:
        run_context(ARUNA, requested)
    assert needle in excinfo.value.detail


def test_unknown_context_fields_are_invalid_not_forbidden():
    with pytest.raises(InvalidContext, match="desk"):
        run_context(ARUNA, {"desk": "fx"})
