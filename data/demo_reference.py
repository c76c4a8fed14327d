"""Demo reference data: customers and KYC, restricted list, users, entitlements and role grants."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

BOOKS = {
    "FX-G10": "G10 spot and forwards: majors and the EUR crosses.",
    "FX-EM": "Emerging-market spot and forwards against USD (MXN, ZAR, TRY, BRL, INR, RUB).",
}

ALL_CUSTOMERS = tuple(f"Cust{i}" for i in (*range(201, 231), *range(301, 331), 999))

# KYC exceptions; every other customer is approved (Cust203 and Cust310 must stay approved).
KYC_EXCEPTIONS = {
    "Cust207": "pending", "Cust219": "pending", "Cust305": "pending", "Cust322": "pending",
    "Cust212": "expired", "Cust226": "expired", "Cust314": "expired", "Cust327": "expired",
    "Cust229": "rejected", "Cust318": "rejected", "Cust999": "rejected",
}

RESTRICTED = (
    ("customer", "Cust999", "Sanctions screening hit: trading prohibited."),
    ("pair", "USDRUB", "Sanctioned currency: new RUB trades are prohibited."),
)

USERS = (
    ("trader_aruna", "Aruna Raman", "trader", ("FX-G10",), tuple(f"Cust{i}" for i in range(201, 216))),
    ("trader_li", "Li Wei", "trader", ("FX-EM",), tuple(f"Cust{i}" for i in range(301, 316))),
    ("analyst_maya", "Maya Cohen", "analyst", ("FX-G10", "FX-EM"), ALL_CUSTOMERS),
    ("compliance_omar", "Omar Haddad", "compliance", ("FX-G10", "FX-EM"), ALL_CUSTOMERS),
    ("onboarding_sam", "Sam Okafor", "onboarding", (), ALL_CUSTOMERS),
)

_COMPLIANCE_READ = ("get_limit_breaches,get_credit_utilisation,screen_restricted,get_off_market_trades,"
                    "get_late_bookings,get_kyc_status")
ROLE_GRANTS = (
    *(("trader", desk, "*") for desk in ("position_risk", "trade_journal", "psychology", "compliance")),
    ("analyst", "position_risk", "*"), ("analyst", "compliance", _COMPLIANCE_READ),
    ("risk_manager", "position_risk", "*"), ("risk_manager", "compliance", _COMPLIANCE_READ),
    ("compliance", "compliance", "*"), ("compliance", "position_risk", "*"),
    ("onboarding", "compliance", "get_kyc_status,screen_restricted"),
)

_NAME_A = ("Aldgate", "Harbour", "Meridian", "Northwind", "Sable", "Kestrel", "Blue Fjord", "Cobalt",
           "Ironbridge", "Lumen", "Pioneer", "Quayside", "Redwood", "Silverline", "Tamarind")
_NAME_B = ("Capital", "Trading", "Industries", "Foods", "Shipping", "Partners", "Holdings", "Energy",
           "Logistics", "Metals")
_NAME_C = ("Ltd", "plc", "AG", "SA", "LLC", "GmbH", "Pte", "BV")


def customer_rows(rng: np.random.Generator, as_of: date,
                  credit_exposure_usd: dict[str, float]) -> list[dict]:
    """Return the customers with KYC dates and credit limits.

    Credit exposure is the customer's pre-settlement exposure (`domain.credit`: positive MTM plus
    an add-on by residual tenor over its unsettled, not exited trades at the as-of close). Limits
    are a multiple of it (1.4-4x, at least 1m), except Cust208 and Cust321 (over: ~0.9x) and
    Cust306 (near: ~1.05x), so compliance has findings.
    """
    rows = []
    for k, cust in enumerate(ALL_CUSTOMERS):
        status = KYC_EXCEPTIONS.get(cust, "approved")
        reviewed = as_of - timedelta(days=int(rng.integers(30, 700)))
        expires: date | None = reviewed + timedelta(days=730)
        if status == "expired":
            reviewed = as_of - timedelta(days=int(rng.integers(740, 900)))
            expires = reviewed + timedelta(days=730)
        elif status == "pending":
            reviewed, expires = None, None
        elif status == "rejected":
            expires = None
        exposure = credit_exposure_usd.get(cust, 0.0)
        factor = {"Cust208": 0.9, "Cust321": 0.92, "Cust306": 1.05}.get(cust, float(rng.uniform(1.4, 4.0)))
        floor = 10_000 if cust in ("Cust208", "Cust321", "Cust306") else 1_000_000
        limit = max(exposure * factor, floor)
        name = f"{_NAME_A[k % len(_NAME_A)]} {_NAME_B[(k * 7) % len(_NAME_B)]} {_NAME_C[(k * 3) % len(_NAME_C)]}"
        rows.append({
            "customer": cust, "name": name, "kyc_status": status, "kyc_reviewed_on": reviewed,
            "kyc_expires_on": expires, "credit_limit_usd": round_sig(limit, 3),
        })
    return rows


def round_sig(value: float, digits: int) -> float:
    """Round ``value`` to ``digits`` significant figures (0 stays 0)."""
    if value == 0:
        return 0.0
    return float(round(value, -int(np.floor(np.log10(abs(value)))) + digits - 1))
