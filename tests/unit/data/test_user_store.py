"""The user store: demo users, their entitlements, unknown users and the runtime Context built from them."""

from __future__ import annotations

import pytest

from data.users import UnknownUser, abbreviate_customers, list_users, load_user, role_grants
from tools.context import Context
from tools.users import context_for


def test_list_users_returns_the_five_demo_users_with_their_scope(desk_db):
    users = {u.user_id: u for u in list_users(desk_db)}
    assert sorted(users) == ["analyst_maya", "compliance_omar", "onboarding_sam", "trader_aruna", "trader_li"]
    assert users["trader_aruna"].books == ("FX-G10",)
    assert users["trader_aruna"].customers == tuple(f"Cust{i}" for i in range(201, 216))
    assert "Cust310" in users["trader_li"].customers and users["trader_li"].books == ("FX-EM",)
    assert users["analyst_maya"].books == ("FX-G10", "FX-EM") and len(users["analyst_maya"].customers) == 61
    assert users["onboarding_sam"].books == ()


def test_load_user_of_an_unknown_id_lists_the_known_users(desk_db):
    with pytest.raises(UnknownUser) as err:
        load_user(desk_db, "trader_bob")
    assert "trader_bob" in str(err.value) and "trader_aruna" in str(err.value) and "onboarding_sam" in str(err.value)


def test_context_for_builds_a_frozen_context_with_the_users_scope(desk_db):
    ctx = context_for(desk_db, "trader_aruna")
    assert isinstance(ctx, Context)
    assert ctx.role == "trader" and ctx.books == ("FX-G10",) and "Cust203" in ctx.customers and ctx.as_of is None
    with pytest.raises(UnknownUser):
        context_for(desk_db, "nobody")


def test_role_grants_map_roles_to_desks(desk_db):
    grants = role_grants(desk_db)
    assert set(grants["trader"]) == {"position_risk", "trade_journal", "psychology", "compliance"}
    assert grants["onboarding"] == {"compliance": "get_kyc_status,screen_restricted"}


@pytest.mark.parametrize(("codes", "text"), [
    (("Cust203", "Cust201", "Cust202"), "Cust201-Cust203 (3)"),
    (("Cust201", "Cust203", "Cust999"), "Cust201, Cust203, Cust999 (3)"),
    ((), "-"),
])
def test_abbreviate_customers_compresses_runs(codes, text):
    assert abbreviate_customers(codes) == text
