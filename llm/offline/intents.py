"""Intent rules: which desks a message needs (routing) and which desk tools answer it (specialist).

Rules are keyword patterns over the typo-repaired, lower-case message. A desk is needed when one of
its patterns matches; desks run in the order they are first mentioned, except that a hypothetical
trade checked against limits ("would buying 20m cable breach my limits?") runs the position-risk
what-if first and compliance second. A message with no desk words falls back on its entities: a
customer alone is a compliance question, a pair or currency alone a position question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from llm.offline.entities import Entities

__all__ = ["DESK_DEFAULT_TOOL", "DESK_LABELS", "desks_by_entities", "desks_for", "mentions_desk",
           "supervisor_intent", "tools_for"]

DESK_LABELS = {
    "position_risk": "position risk (net open positions, P&L, VaR, limit utilisation, what-if trades)",
    "trade_journal": "the trade journal (entries, tags, win rate and other statistics)",
    "psychology": "trading psychology (overtrading, revenge trading, loss-chasing, time of day, streaks)",
    "compliance": "compliance (limit breaches, credit, restricted list, pre-trade checks, off-market "
                  "rates, late bookings, KYC)",
}
DESK_DEFAULT_TOOL = {"position_risk": "get_net_open_position", "trade_journal": "list_journal_entries",
                     "psychology": "get_behaviour_report", "compliance": "get_limit_breaches"}


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


# "give me a summary" / "morning briefing": the book at a glance (positions, today's P&L, limits).
_SUMMARY = r"\bsummar\w*|\boverview\b|\bbriefing\b|\bsnapshot\b|\bdashboard\b|\bat a glance\b"


_DESK_WORDS: dict[str, re.Pattern[str]] = {
    "position_risk": _rx(
        r"\bexpos\w*", r"\bnet open\b", r"\bnop\b", r"\bpositions?\b", r"\bpositioned\b", r"\bhow (?:long|short)\b",
        r"\bam i (?:long|short|flat)\b", r"\bnet (?:long|short)\b", r"\bp ?& ?l\b", r"\bpnl\b", r"\bp/l\b",
        r"\bprofit and loss\b", r"\bmark[\s-]to[\s-]market\b", r"\bmtm\b", r"\bmake money\b", r"\bup or down\b",
        r"\bvar\b", r"\bvalue[\s-]at[\s-]risk\b", r"\brisk\b", r"\bdownside\b", r"\bworst[\s-]case\b",
        r"(?<!credit )\butili[sz]\w*", r"\bheadroom\b", r"\bwhat[\s-]if\b", r"\bhypothetical\w*",
        r"\bhow much room\b", r"\blimits?\b(?!\s+breach)",
        r"\bhow much (?:did|have) (?:i|we) (?:make|made|lose|lost)\b",
        r"\b(?:made|lost|earned) (?:today|this|so far)\b", r"\bholdings?\b", r"\bsimulat\w*",
        _SUMMARY,
    ),
    "trade_journal": _rx(
        r"\bjournal\w*", r"\bentr(?:y|ies)\b", r"\bnotes?\b", r"\blog (?:a|an|this|that|my)\b", r"\bwin[\s-]?rate\b",
        r"\bhit[\s-]rate\b", r"\bexpectancy\b", r"\bprofit factor\b", r"\baverage (?:win|loss|winner|loser)\w*",
        r"\bavg (?:win|loss)\w*", r"\bsetups?\b", r"\btag(?:s|ged)?\b", r"\bstats\b", r"\bstatistics\b",
        r"#[a-z]\w*", r"\bwinning streak\b", r"\blongest streak\b", r"\bhow (?:am i|have i been) doing\b",
        r"\bmy edge\b", r"\bwinners and losers\b",
    ),
    "psychology": _rx(
        r"\bpsycholog\w*", r"\bbehaviou?r\w*", r"\bover[\s-]?trad\w*", r"\brevenge\w*", r"\btilt\w*",
        r"\bdisciplin\w*", r"\bemotional\w*", r"\bchas\w* (?:my )?loss\w*", r"\bloss[\s-]chas\w*", r"\bhabits?\b",
        r"\bbias\w*", r"\bmindset\b", r"(?<!winning )(?<!longest )\bstreaks?\b", r"\btime[\s-]of[\s-]day\b",
        r"\btoo many trades\b", r"\btrading too much\b", r"\btrade too much\b", r"\bimpulsiv\w*", r"\bcoach\w*",
        r"\bdoubl\w* down\b", r"\bafter (?:a |my )?loss\w*", r"\bwhat time of day\b", r"\bpatterns? in my trading\b",
        r"\bhow many trades\b", r"\bthan usual\b", r"\bvs\.? (?:normal|usual)\b", r"\bbaseline\b",
    ),
    "compliance": _rx(
        r"\bcomplian\w*", r"\bbreach\w*", r"\brestrict\w*", r"\bsanction\w*", r"\bscreen\w*", r"\bblack ?list\w*",
        r"\bpre[\s-]?trade\b", r"\ballowed\b", r"\bpermitted\b", r"\bkyc\b", r"\bonboard\w*",
        r"\bknow your (?:customer|client)\b", r"\bcredit\b", r"\bcounterpart(?:y|ies)\b", r"\bcpty\b",
        r"\boff[\s-]?market\b", r"\boff[\s-]rate\b", r"\blate\b", r"\bbooking delays?\b", r"\bregulat\w*",
        r"\bcan (?:i|we) (?:trade|buy|sell|do|deal|lift|hit|face)\b", r"\bok(?:ay)? to (?:trade|buy|sell|deal)\b",
        r"\bover (?:the|my|a) limit\b", r"\bover limit\b", r"\bfat[\s-]finger\w*", r"\bdue diligence\b",
        r"\boutside (?:the )?(?:day'?s |daily )?(?:high[\s/-]low )?range\b",
        r"\bcan (?:\w+\s+){1,3}(?:trade|buy|sell|deal)\b",
    ),
}
_HYPOTHETICAL = _rx(r"\bwhat[\s-]if\b", r"\bwould\b", r"\bif (?:i|we)\b", r"\bhypothetical\w*", r"\bsimulat\w*",
                    r"\bimpact of\b", r"\bcould (?:i|we)\b", r"\bcan (?:i|we)\b", r"\bshould (?:i|we)\b")
_LIMIT_CHECK = _rx(r"\bbreach\w*", r"\bover (?:the |my |a )?limits?\b", r"\ballowed\b", r"\bpermitted\b",
                   r"\bcomplian\w*", r"\bok(?:ay)? to\b", r"\bwithin (?:my )?limits?\b", r"\bexceed\w*",
                   r"\bpre[\s-]?trade\b", r"\blimits?\b")
_TOOL_WORDS: dict[str, re.Pattern[str]] = {
    "what_if_trade": _rx(r"\bwhat[\s-]if\b", r"\bhypothetical\w*", r"\bwould\b", r"\bsimulat\w*", r"\bimpact of\b",
                         r"\bif (?:i|we) (?:buy|sell|bought|sold|lift|hit|pay|give|go|add|do|put)\w*"),
    "get_var": _rx(r"\bvar\b", r"\bvalue[\s-]at[\s-]risk\b", r"\bdownside\b", r"\bworst[\s-]case\b", r"\btail\b",
                   r"\bhow much (?:could|can|might) (?:i|we) lose\b", r"\bewma\b", r"\bparametric\b",
                   r"\bhistorical\b", r"\bhistoric\b", r"\bvolatil\w*"),
    "get_pnl": _rx(_SUMMARY, r"\bp ?& ?l\b", r"\bpnl\b", r"\bp/l\b", r"\bprofit\w*", r"\blos(?:s|ses|ing|t)\b",
                   r"\bmtm\b",
                   r"\bmark[\s-]to[\s-]market\b", r"\bmade\b", r"\bmake\b", r"\bup or down\b", r"\bperformance\b",
                   r"\bearn\w*", r"\bgains?\b"),
    "get_limit_utilisation": _rx(_SUMMARY, r"\blimits?\b", r"\butili[sz]\w*", r"\bheadroom\b", r"\broom\b",
                                 r"\busage\b"),
    "get_net_open_position": _rx(_SUMMARY, r"\bexpos\w*", r"\bpositions?\b", r"\bnet open\b", r"\bnop\b", r"\blong\b",
                                 r"\bshort\b", r"\bholdings?\b", r"\bflat\b"),
    "add_journal_entry": _rx(r"\b(?:add|log|record|write|create|save|jot|make|new)\b.{0,30}\b(?:entry|note|journal)",
                             r"\bjournal (?:this|that|it)\b", r"\bnote (?:that|down)\b", r"\bnote:", r"^log\b"),
    "update_journal_entry": _rx(r"\b(?:update|change|edit|amend|modify|fix|retag|re-tag|correct|rename)\b",
                                r"\b(?:add|set|put)\s+(?:the\s+|a\s+)?(?:tags?|emotions?)\b", r"\btag it\b",
                                r"\bmark it\b"),
    "get_journal_stats": _rx(r"\bstats\b", r"\bstatistic\w*", r"\bwin[\s-]?rate\b", r"\bhit[\s-]rate\b",
                             r"\bexpectancy\b", r"\bprofit factor\b", r"\baverage\b", r"\bavg\b", r"\bstreak\w*",
                             r"\bperformance\b", r"\bhow (?:am i|have i been) doing\b", r"\bedge\b",
                             r"\bwinners?\b", r"\blosers?\b", r"\bby (?:tag|pair|setup)s?\b", r"\bper (?:tag|pair)\b"),
    "list_journal_entries": _rx(r"\bentr(?:y|ies)\b", r"\bnotes\b", r"\bjournal\b", r"\bshow\b", r"\blist\b"),
    "get_kyc_status": _rx(r"\bkyc\b", r"\bonboard\w*", r"\bknow your\b", r"\bdue diligence\b", r"\bapproved\b",
                          r"\bpending\b", r"\bexpired\b", r"\bexpiring\b", r"\brejected\b", r"\bdocuments?\b"),
    "screen_restricted": _rx(r"\brestrict\w*", r"\bsanction\w*", r"\bscreen\w*", r"\bblack ?list\w*",
                             r"\bwatch ?list\w*", r"\bprohibited\b"),
    "pre_trade_check": _rx(r"\bpre[\s-]?trade\b", r"\bcan (?:\w+\s+){1,3}(?:trade|buy|sell|do|deal|lift|hit|face)\b",
                           r"\ballowed\b", r"\bpermitted\b", r"\bok(?:ay)? to\b", r"\bwould\b.*\b(?:breach|exceed)\w*",
                           r"\bcheck (?:a|this|the|my) (?:trade|deal|ticket)\b", r"\bapprove\b"),
    "get_credit_utilisation": _rx(r"\bcredit\b", r"\bcounterparty (?:line|limit|exposure)s?\b", r"\blines?\b"),
    "get_off_market_trades": _rx(r"\boff[\s-]?market\b", r"\boff[\s-]rate\b", r"\boutside (?:the )?(?:day'?s )?range\b",
                                 r"\bmispric\w*", r"\bfat[\s-]finger\w*", r"\bbad rates?\b"),
    "get_late_bookings": _rx(r"\blate\b", r"\bbooking delays?\b", r"\bbooked late\b", r"\bdelayed booking\w*",
                             r"\btimel\w*"),
    "get_behaviour_report": _DESK_WORDS["psychology"],
    "get_limit_breaches": _rx(r"\bbreach\w*", r"\blimits?\b", r"\bover (?:the )?limit\b", r"\bexcess\w*"),
}
_DESK_TOOLS = {
    "position_risk": ("what_if_trade", "get_net_open_position", "get_pnl", "get_var", "get_limit_utilisation"),
    "trade_journal": ("add_journal_entry", "update_journal_entry", "get_journal_stats", "list_journal_entries"),
    "psychology": ("get_behaviour_report",),
    "compliance": ("get_kyc_status", "pre_trade_check", "screen_restricted", "get_credit_utilisation",
                   "get_off_market_trades", "get_late_bookings", "get_limit_breaches"),
}
# A tool that, when it matches, answers the message alone within its desk.
_EXCLUSIVE = ("what_if_trade", "pre_trade_check", "add_journal_entry", "update_journal_entry")

_GREETING = re.compile(r"^\W*(?:hi|hello|hey|hiya|yo|howdy|greetings|gm|good (?:morning|afternoon|evening|day)|"
                       r"morning|afternoon|evening)\b")
_THANKS = re.compile(r"\b(?:thanks|thank you|thx|cheers|ta|appreciated|much obliged)\b")
_HELP = re.compile(r"\bhelp\b|\bwhat can (?:you|i)\b|\bwhat do you do\b|\bhow (?:do|does) (?:this|it|you) work\b|"
                   r"\bwho are you\b|\bcapabilit\w*|\bwhat can i ask\b|\bwhat are you\b|\bwhat (?:else )?do you know\b|"
                   r"\binstructions\b|\bget started\b")
_BYE = re.compile(r"^\W*(?:bye|goodbye|see you|later|cya|ciao)\b")


def mentions_desk(text: str) -> bool:
    """Return True when any desk's keywords appear in the (typo-repaired, lower-case) message."""
    return any(pattern.search(text) for pattern in _DESK_WORDS.values())


def desks_for(text: str, entities: Entities) -> list[str]:
    """Return the desks a message's words ask for, in the order they should run (empty when none).

    Args:
        text: The typo-repaired, lower-case message (``Entities.text``).
        entities: What the message names.

    """
    hits = sorted((match.start(), desk) for desk, pattern in _DESK_WORDS.items()
                  for match in [pattern.search(text)] if match)
    desks = [desk for _, desk in hits]
    if _is_trade_limit_check(text, entities):
        compliance_words = [d for d in desks if d not in ("position_risk", "compliance")]
        return ["position_risk", "compliance", *compliance_words]
    return desks


def desks_by_entities(entities: Entities) -> list[str]:
    """Return the desk a message with no desk words most likely means, from what it names.

    Args:
        entities: What the message names.

    """
    if entities.customers or entities.kyc_status:
        return ["compliance"]
    if entities.pairs or entities.currencies or entities.books:
        return ["position_risk"]
    return []


def supervisor_intent(text: str) -> str | None:
    """Return ``greeting``, ``thanks``, ``goodbye`` or ``help`` when the supervisor answers it itself.

    Args:
        text: The typo-repaired, lower-case message.

    """
    if any(pattern.search(text) for pattern in _DESK_WORDS.values()):
        return None
    if _HELP.search(text):
        return "help"
    if _GREETING.search(text):
        return "greeting"
    if _THANKS.search(text):
        return "thanks"
    if _BYE.search(text):
        return "goodbye"
    return None


def tools_for(text: str, entities: Entities, bound: Sequence[str], *, default: bool = True) -> list[str]:
    """Return the bound tools that answer a message, in the order the message asks for them.

    Args:
        text: The typo-repaired, lower-case message.
        entities: What the message names.
        bound: Names of the tools bound to the model.
        default: Fall back on the desk's default tool when no tool's words appear.

    Returns:
        Tool names; empty when no bound tool fits (or none is named and ``default`` is False).

    """
    bound_set = set(bound)
    chosen: list[tuple[int, str]] = []
    for tools in _DESK_TOOLS.values():
        available = [t for t in tools if t in bound_set]
        if not available:
            continue
        chosen.extend(_pick(text, entities, available))
    # Stable on ties: tools matched at the same words keep the desk's order (positions, P&L, VaR, limits).
    ordered = [tool for _, tool in sorted(chosen, key=lambda hit: hit[0])]
    if not ordered and default and entities.customers and not entities.pairs:
        # A customer on its own: who they are for compliance (KYC and restricted-list screening).
        ordered = [tool for tool in ("get_kyc_status", "screen_restricted") if tool in bound_set]
    if not ordered and default:
        ordered = [DESK_DEFAULT_TOOL[d] for d in _DESK_TOOLS if DESK_DEFAULT_TOOL[d] in bound_set][:1]
    if not ordered and default and bound:
        ordered = [bound[0]]
    return ordered


def _pick(text: str, entities: Entities, available: list[str]) -> list[tuple[int, str]]:
    trade = entities.side is not None and entities.notional is not None
    for tool in _EXCLUSIVE:
        if tool not in available:
            continue
        match = _TOOL_WORDS[tool].search(text)
        if tool == "update_journal_entry" and entities.entry_id is None:
            continue
        if match or (trade and tool in ("what_if_trade", "pre_trade_check")):
            return [(match.start() if match else 0, tool)]
    found = []
    for tool in available:
        if tool in _EXCLUSIVE:
            continue
        match = _TOOL_WORDS[tool].search(text)
        if match:
            found.append((match.start(), tool))
    return found


def _is_trade_limit_check(text: str, entities: Entities) -> bool:
    if entities.side is None or not (entities.notional or entities.pairs):
        return False
    return bool(_HYPOTHETICAL.search(text) and _LIMIT_CHECK.search(text))
