"""Specialist mode: a desk's model with desk tools bound calls them, then answers from their results.

Before any ToolMessage of this turn: pick the tools the message asks for, fill their arguments from
the message (and, for a follow-up or a missing required argument, from earlier turns), fit them to
each tool's JSON schema and emit the calls. After ToolMessages: write the answer from them alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from llm.offline.answers import answer_from_results, parse_result
from llm.offline.brain import Brain, brain_for
from llm.offline.entities import Entities, extract
from llm.offline.features import STOPWORDS
from llm.offline.feelings import feeling_in
from llm.offline.followups import (
    SCOPE,
    carry_over,
    is_followup,
    latest_human_index,
    own_words,
    previous_questions,
    previous_tool_calls,
    previous_window_start,
    reads_as_new_ask,
    referred_instruments,
    refers_back,
    strip_opener,
)
from llm.offline.lexicon import CURRENCY_WORDS, Lexicon
from llm.offline.reply import Reply, call_id, message_text
from llm.offline.schedules import asks_to_schedule, without_when_words
from llm.offline.schemas import fit_args, missing_required, tool_parameters
from llm.offline.tables import OfflineTables
from llm.offline.understand import CONFIDENT, read_message
from llm.offline.windows import RELATIVE, shift_window

__all__ = ["specialise"]

# Examples in words: no tool has run, so the reply quotes no numbers.
_EXAMPLES = {"pair": "a pair such as EURUSD or cable", "side": "buy or sell",
             "notional": "an amount such as ten million or a yard", "entry_id": "the entry's number ('entry N')",
             "customer": "a customer such as Cust203"}


# A hypothetical trade has one pair; several pairs in one message are not several trades of one size.
_SINGLE_TRADE = ("what_if_trade", "pre_trade_check", "add_journal_entry", "log_journal_trade")
_MAX_FAN_OUT = 4
_ASK_SPECIFIC = ("pair", "currency", "notional", "side", "rate", "trade_id")
_URL = re.compile(r"https?://\S+")
# A bare number in a short follow-up about a trade's size is the new size in millions, as traders talk
# ("and if it's 20 instead" after a 40m what-if).
_BARE_SIZE = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d+)?)(?![\d.,])(?!\s*(?:%|bps?|pips?|k\b|th\b|st\b|nd\b|rd\b))")
_BARE_SIZE_WORDS = 8
_CANCELS = re.compile(r"\b(?:cancel|kill|remove|delete|drop|turn off|unsubscribe|stop sending|stop)\b"
                      r"(?!\s+(?:loss|out|at|@|\d)).*\b(?:one|report|reports|schedule|schedules|email|emails|alert|alerts)\b")
_CHECK_IN_LABEL = re.compile(r"^\s*(?:check[\s-]?in|mood|feeling|feelings|emotions?)\s*[:\-\u2013]")
_CONNECTIVE = re.compile(r"^\s*(?:and|also|plus|then|what about|how about)\b[\s,]*", re.IGNORECASE)
_CURRENCY_WORD = "|".join(sorted(map(re.escape, CURRENCY_WORDS), key=len, reverse=True))
# "how much sterling are we long", "exposure to the yen": the amount of one currency ("rand position" is the pair).
_HOW_MUCH = re.compile(rf"\b(?:how (?:much|many)|expos(?:ure|ed) to|long|short) (?:the )?(?:{_CURRENCY_WORD})\b")


def specialise(messages: Sequence[BaseMessage], tools: Sequence[Mapping[str, Any]], tables: OfflineTables) -> Reply:
    """Return the desk model's reply: tool calls for a new question, or the answer from tool results.

    Args:
        messages: The conversation as the desk sees it.
        tools: The bound desk tools (OpenAI format).
        tables: What the model learnt from (intents and the answer templates).

    """
    index = latest_human_index(messages)
    turn = list(messages[index + 1:]) if index >= 0 else list(messages)
    results = _results(turn)
    if results:
        return Reply(answer_from_results(results, tables.templates), "specialist")
    if index < 0:
        return Reply("Ask me a question about this desk and I'll look it up.", "specialist")
    return _call_tools(messages, message_text(messages[index]), tools, brain_for(tables))


def _call_tools(messages: Sequence[BaseMessage], raw: str, tools: Sequence[Mapping[str, Any]], brain: Brain) -> Reply:
    schemas = {_name(t): tool_parameters(t) for t in tools}
    bound = list(schemas)
    entities = extract(raw, brain.lexicon)
    text = entities.text
    asks = brain.asks_in(own_words(entities.rest))  # desk words beyond the argument values ("parametric only": none)
    followup = is_followup(text, entities, has_desk_words=asks)
    several = referred_instruments(text, messages)
    if several and not (entities.pairs or entities.customers):
        entities.pairs, entities.customers = several.get("pair", []), several.get("customer", [])
    previous = [call for call in previous_tool_calls(messages) if call["name"] in schemas]
    # The scope of this desk's previous call, not of any earlier turn: "any late bookings" after a P&L today
    # on another desk is not today's.
    scope = {key: value for call in previous for key, value in call["args"].items() if key in SCOPE}
    carried = carry_over(entities, messages, _left_out(previous, schemas), brain.lexicon)
    if followup and entities.notional is None and "notional" in carried and len(text.split()) <= _BARE_SIZE_WORDS:
        if bare := _BARE_SIZE.search(entities.rest):
            entities.notional = float(bare[1]) * 1e6
            carried.pop("notional")
    if entities.entry_id is None and "entry_id" in carried and "update_journal_entry" in schemas:
        # "tag it as news" right after an entry was saved or listed: that entry.
        entities.entry_id = carried["entry_id"]
    calls, missing = [], {}
    schedulers = [name for name in bound if _is_schedule(schemas[name])]
    check_in = "check_in_feeling" in bound and _CHECK_IN_LABEL.search(text)
    cancellers = [name for name in bound if _cancels_schedules(schemas[name])]
    if schedulers and asks_to_schedule(entities.text):
        names, why = schedulers[:1], {"intent": "schedule", "tools": schedulers[:1]}
    elif cancellers and _CANCELS.search(text):  # "kill the pnl one", "stop the 7am var email"
        names, why = cancellers[:1], {"intent": "cancel_schedule", "tools": cancellers[:1]}
    elif check_in:  # "check in: sad, lost a big one on the rand", "mood - tired"
        names, why = ["check_in_feeling"], {"intent": "check_in_feeling", "label": check_in.group(0).strip()}
    else:
        trade_tools = frozenset(n for n in bound if "notional" in (schemas[n].get("properties") or {}))
        names, why = _pick_tools(messages, strip_opener(raw), entities, bound, followup, asks, brain, trade_tools)
    # "cool, and my win rate this week" after cable's P&L: a new ask on another desk keeps the conversation's
    # scope, not the instrument or trade of the last one (unless the new tool cannot run without them). On the
    # same desk the instrument stays: "and the P&L this week?" after EUR/USD's exposure is EUR/USD's.
    refers = refers_back(entities.rest)
    fresh_ask = followup and why.get("intent") != "follow_up" and not refers and not previous
    scheduling = [n for n in names if _is_schedule(schemas[n])]
    if scheduling:  # "every weekday at 17:00 send me the breaches" schedules the report; it does not also run it
        names = scheduling[:1]
    for name in names:
        schema = schemas[name]
        candidates = _candidates(name, entities, raw, schema)
        if _is_schedule(schema):
            candidates = _schedule_candidates(candidates, raw, schema, brain, messages)
        required = schema.get("required") or ()
        for key, value in carried.items():
            if key in candidates or (fresh_ask and key in _ASK_SPECIFIC and key not in required):
                continue
            if followup or key in required or (refers and key in SCOPE):
                # "can you pretrade it" keeps the customer the conversation is about.
                candidates[key] = value
        for key, value in scope.items():
            candidates.setdefault(key, value)
        if candidates.get("window") in RELATIVE:
            candidates["window"] = _relative_window(candidates["window"], messages)
        for variant in _fan_out(name, candidates, entities, schema):
            variant = _adapt(variant, schema, brain.lexicon)
            args = fit_args(variant, schema)
            if args is None:
                missing[name] = missing_required(fit_args(variant, {**schema, "required": []}) or {}, schema)
                continue
            calls.append({"name": name, "args": args, "id": call_id(len(messages), len(calls), name),
                          "type": "tool_call"})
    if not calls and "pre_trade_check" in missing and "screen_restricted" in schemas:
        # "is USDRUB ok to trade for Cust310?" names no side or size: screen what it does name.
        named = {**(carried if followup else {}), **entities.as_args()}
        args = fit_args(_adapt(named, schemas["screen_restricted"], brain.lexicon), schemas["screen_restricted"])
        if args:
            calls.append({"name": "screen_restricted", "args": args,
                          "id": call_id(len(messages), 0, "screen_restricted"), "type": "tool_call"})
    if calls:
        return Reply("", "specialist", calls, why=why)
    return Reply(_ask_for(missing), "specialist", why=why)


def _pick_tools(messages: Sequence[BaseMessage], raw: str, entities: Entities, bound: list[str], followup: bool,
                asks: bool, brain: Brain,
                trade_tools: frozenset[str] = frozenset()) -> tuple[list[str], dict[str, Any]]:
    """Return the tools to call and why: a follow-up re-calls the previous turn's, unless it confidently asks another.

    Args:
        messages: The conversation.
        raw: The latest message without its opener ("ok", "no, i meant").
        entities: What it names.
        bound: The desk's tools.
        followup: Whether it leans on the previous turn.
        asks: Whether it holds desk words beyond its argument values ("historical only" holds none).
        brain: The intent model.
        trade_tools: The bound tools that take a trade (a side and a size).

    """
    if followup:
        names = [call["name"] for call in previous_tool_calls(messages) if call["name"] in bound]
        if not names and not reads_as_new_ask(raw, entities) and (questions := previous_questions(messages)):
            # The previous turn made no call here (we asked for a missing size, or another desk answered): what
            # it asked, as this desk's tools would answer it ("would that be ok for Cust210" after a what-if).
            names = _tools_asked(brain, questions[0], bound)[0]
        if names and (entities.side or entities.notional) and not set(names) & trade_tools:
            # "what if i buy 10m here" after a rate history: a trade the previous tool cannot take is a new ask.
            names = []
        if names and asks:
            # "and what if i sold 15m of it" after a NOP: its own words ask for another tool, and surely.
            # Its own words: the connective that makes it a follow-up ("and the rupee's nop") asks nothing.
            asked, why = _tools_asked(brain, _CONNECTIVE.sub("", raw), bound, sure=True)
            if asked:
                return asked, why
        if names:
            return list(dict.fromkeys(names)), {"intent": "follow_up", "tools": names}
    if entities.customers and not entities.pairs and not brain.has_desk_words(brain.score(raw)):
        # A customer on its own: who they are for compliance (KYC and restricted-list screening).
        names = [t for t in ("get_kyc_status", "screen_restricted") if t in bound]
        if names:
            return names, {"intent": "customer", "tools": names}
    names, why = _tools_asked(brain, raw, bound)
    return (names or bound[:1]), why


def _tools_asked(brain: Brain, message: str, bound: list[str], sure: bool = False) -> tuple[list[str], dict[str, Any]]:
    allowed = [i.name for i in brain.intents if set(i.tools) & set(bound)]
    readings = read_message(brain, message, allowed)
    if sure:
        readings = [r for r in readings if r.confidence >= CONFIDENT]
    names = [t for r in readings for t in r.tools if t in bound]
    why = readings[0].explanation() | {"asks": [r.intent for r in readings]} if readings else {}
    return list(dict.fromkeys(names)), why


def _left_out(previous: list[dict[str, Any]], schemas: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """Return the arguments the previous call could take and left out: an older turn's value for them is dropped.

    "add a note on fibre", "show me all my ecb notes", "last 3 months": the listing named no pair, so the
    note's pair is not carried into it.
    """
    left: set[str] = set()
    for call in previous:
        left |= {key for key in (schemas[call["name"]].get("properties") or {}) if key not in call["args"]}
    for call in previous:
        left -= set(call["args"])
    return left


def _relative_window(relative: str, messages: Sequence[BaseMessage]) -> str:
    """Return "the week before" as dates before the window the previous answer covered (else the last one)."""
    start = previous_window_start(messages)
    shifted = shift_window(relative, start) if start else None
    return shifted or {"the day before": "yesterday", "the week before": "last week"}.get(relative, "last month")


def _fan_out(name: str, candidates: dict[str, Any], entities: Entities,
             schema: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return one candidate set per pair (or customer) when a message names several ("cable and aussie")."""
    properties = schema.get("properties") or {}
    if name in _SINGLE_TRADE:
        return [candidates]
    for key, values in (("pair", entities.pairs), ("customer", entities.customers)):
        if key in properties and len(values) > 1:
            return [{**candidates, key: value} for value in values[:_MAX_FAN_OUT]]
    return [candidates]


def _candidates(name: str, entities: Entities, raw: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    candidates = entities.as_args()
    if name == "add_journal_entry":
        candidates["notes"] = entities.notes or raw.strip()
    elif name != "update_journal_entry":
        candidates.pop("notes", None)
    if name == "get_behaviour_report" and not entities.checks:
        candidates.pop("checks", None)
    if name == "cancel_scheduled_report":
        return {"which": raw.strip()}  # the tool matches the time and report words against the caller's schedules
    if name == "log_journal_trade":
        # The tool parses the shorthand itself (tools.trade_journal.shorthand); typed fields would only echo it.
        return {"text": raw.strip()}
    if name == "check_in_feeling":
        feeling = feeling_in(entities.text) or (entities.emotions[0] if entities.emotions else None)
        return {"feeling": feeling, "note": raw.strip()} if feeling else {}
    if ("currency" in schema.get("properties", {}) and len(entities.named_currencies) == 1 == len(entities.pairs)
            and _HOW_MUCH.search(entities.text)):
        # "how much sterling are we long", "exposure to the yen": the currency, not its USD pair.
        candidates.pop("pair", None)
        candidates["currency"] = entities.named_currencies[0]
    if name == "get_journal_breakdown" and entities.group_by:
        candidates["by"] = entities.group_by
    if name == "get_discipline_report":
        if entities.notional:
            candidates["daily_loss_limit_usd"] = entities.notional
        if "today" not in entities.text and candidates.get("window") == "today":
            candidates.pop("window")  # "daily loss limit" names the limit, not a one-day window
    return candidates


def _cancels_schedules(schema: Mapping[str, Any]) -> bool:
    """Return True for the tool that cancels a schedule (it takes the schedule in words, ``which``)."""
    properties = schema.get("properties") or {}
    return "which" in properties and "schedule_id" in properties


def _is_schedule(schema: Mapping[str, Any]) -> bool:
    """Return True for a report-schedule tool (it takes the schedule in words, ``when``, and a ``report``)."""
    properties = schema.get("properties") or {}
    return "when" in properties and "report" in properties


def _schedule_candidates(candidates: dict[str, Any], raw: str, schema: Mapping[str, Any],
                         brain: Brain, messages: Sequence[BaseMessage]) -> dict[str, Any]:
    """Fill a schedule tool: the message as ``when`` (the tool parses it), the report the message asks for."""
    enum = list((schema.get("properties") or {}).get("report", {}).get("enum") or ())
    # What to send is what is left once the when-words and filler are gone ("ok schedule the var report daily
    # 7am" → "var"); "send me this every monday" sends the report the previous turn ran.
    what = " ".join(w for w in without_when_words(raw).split() if w not in STOPWORDS)
    asked = _tools_asked(brain, what, enum)[0] if enum and what and brain.asks_in(what) else []
    before = previous_tool_calls(messages)
    asked = asked or [call["name"] for call in before if call["name"] in enum]
    asked = asked or [call["args"]["report"] for call in before if call["args"].get("report") in enum]
    asked = asked or (_tools_asked(brain, raw, enum)[0] if enum else [])
    report = next((n for n in asked if n in enum), None)
    webhook = _URL.search(raw)
    return {"when": raw.strip(), "report": report, "book": candidates.get("book"),
            "webhook": webhook.group(0).rstrip(".,;)") if webhook else None}


def _adapt(candidates: dict[str, Any], schema: Mapping[str, Any], lexicon: Lexicon) -> dict[str, Any]:
    """Reshape entities the tool cannot take as they are (a currency for a tool that takes only a pair)."""
    properties = schema.get("properties") or {}
    if "currency" in candidates and "currency" not in properties and "pair" not in candidates:
        pair = lexicon.pair_for_currency(candidates["currency"])
        if pair:
            candidates["pair"] = pair
    if "pair" in candidates and "pair" not in properties and "book" in properties and "book" not in candidates:
        # "headroom on the chunnel": the tool has no pair filter, but the pair's book narrows it.
        book = lexicon.book_of_pair.get(candidates["pair"])
        if book:
            candidates["book"] = book
    if "tag" in candidates and "tag" not in properties and "group_by" in properties and "group_by" not in candidates:
        candidates["group_by"] = "tag"
    if "currency" in candidates and "pair" in candidates and "currency" in properties:
        # "EUR/USD exposure" names a pair; its two currencies are not a filter of their own.
        candidates.pop("currency")
    return candidates


def _results(turn: Sequence[BaseMessage]) -> list[tuple[str, dict[str, Any]]]:
    names = {call["id"]: call["name"] for m in turn if isinstance(m, AIMessage) for call in m.tool_calls}
    return [(m.name or names.get(m.tool_call_id, "tool"), parse_result(m.content))
            for m in turn if isinstance(m, ToolMessage)]


def _ask_for(missing: Mapping[str, list[str]]) -> str:
    if not missing:
        return "I couldn't tell which of this desk's tools fits the question; could you rephrase it?"
    name, fields = next(iter(missing.items()))
    wanted = ", ".join(_EXAMPLES.get(f, f) for f in fields)
    return f"To run {name.replace('_', ' ')} I need {wanted}. Could you add that?"


def _name(tool: Mapping[str, Any]) -> str:
    return str(tool.get("function", tool).get("name", ""))
