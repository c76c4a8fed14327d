"""data.queries.compliance over the tiny hand-made database."""

from datetime import date

from data.queries import compliance as q


def test_customer_profile_joins_kyc_and_restriction(tiny_db):
    p = q.customer_profile(tiny_db.engine, "Cust999")
    assert (p["kyc_status"], p["restricted_reason"]) == ("rejected", "Sanctions screening hit.")
    p = q.customer_profile(tiny_db.engine, "Cust203")
    assert (p["kyc_status"], p["kyc_expires_on"], p["restricted_reason"]) == ("approved", date(2026, 12, 20), None)
    assert q.customer_profile(tiny_db.engine, "Cust555") is None


def test_kyc_records_read_only_the_given_customers(tiny_db):
    rows = q.kyc_records(tiny_db.engine, ("Cust207", "Cust201"))
    assert [r["customer"] for r in rows] == ["Cust201", "Cust207"]
    assert q.kyc_records(tiny_db.engine, ()) == []
    assert [r["customer"] for r in q.kyc_records(tiny_db.engine, ("Cust201", "Cust207"), "pending")] == ["Cust207"]


def test_restriction_distinguishes_kinds(tiny_db):
    assert q.restriction(tiny_db.engine, "pair", "USDRUB") == "Sanctioned currency."
    assert q.restriction(tiny_db.engine, "customer", "USDRUB") is None
    assert q.credit_limits(tiny_db.engine, ("Cust201", "Cust555")) == {"Cust201": 60_000.0}
