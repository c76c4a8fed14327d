"""The same graph driven asynchronously (as the server does) on our AsyncRedisSaver."""

from __future__ import annotations

import json

from langchain_core.messages import HumanMessage, ToolMessage
from langgraph.types import Command

from tools.users import context_for


async def test_async_turns_and_confirmation_resume_on_async_redis_saver(offline_builder, desk_db, redis_url,
                                                                        redis_prefix):
    from checkpoint import AsyncRedisSaver

    ctx = context_for(desk_db, "trader_aruna")
    cfg = {"configurable": {"thread_id": "async-1"}}
    async with AsyncRedisSaver.from_conn_string(redis_url, prefix=redis_prefix) as saver:
        graph = offline_builder.compile(checkpointer=saver)
        state = await graph.ainvoke({"messages": [HumanMessage("What's my EUR/USD exposure today?")]}, cfg,
                                    context=ctx)
        assert state["route"] == ["position_risk"]
        paused = await graph.ainvoke({"messages": [HumanMessage("pre-trade check: buy 300m cable for Cust203")]},
                                     cfg, context=ctx)
        assert paused["__interrupt__"][0].value["check"]["verdict"] == "breach"
        chunks = [c async for c in graph.astream(Command(resume={"confirm": True}), cfg, context=ctx,
                                                 stream_mode="values")]
        final = chunks[-1]
        [result] = [json.loads(m.content) for m in final["messages"]
                    if isinstance(m, ToolMessage) and m.name == "pre_trade_check"]
        assert result["decision"] == "confirmed"
        assert sum(isinstance(m, HumanMessage) for m in final["messages"]) == 2
