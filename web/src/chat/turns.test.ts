import { describe, expect, it } from "vitest";
import { buildTurns, resultView, type Msg } from "./turns";

const human = (id: string, content: string): Msg => ({ id, type: "human", content });
const handoff = (id: string, desk: string): Msg => ({
  id,
  type: "ai",
  name: "supervisor",
  content: "",
  tool_calls: [{ id: `h-${id}`, name: `transfer_to_${desk}`, args: {} }],
});
const toolCall = (id: string, callId: string, name: string, args: Record<string, unknown>): Msg => ({
  id,
  type: "ai",
  name: "position_risk",
  content: "",
  tool_calls: [{ id: callId, name, args }],
});
const toolResult = (callId: string, result: unknown): Msg => ({ id: `t-${callId}`, type: "tool", tool_call_id: callId, content: JSON.stringify(result) });

describe("buildTurns", () => {
  it("shows a partial answer while streaming, with desks from hand-offs and the tool call running", () => {
    const turns = buildTurns([
      human("u1", "What's my EUR/USD exposure today?"),
      handoff("a1", "position_risk"),
      toolCall("a2", "c1", "get_net_open_position", { pair: "EURUSD" }),
      { id: "a3", type: "AIMessageChunk", content: "**Net open", response_metadata: { model_provider: "offline" } },
    ]);
    expect(turns).toHaveLength(1);
    const [t] = turns;
    expect(t.desks).toEqual(["position_risk"]);
    expect(t.toolCalls.map((c) => [c.name, c.done, c.agent])).toEqual([["get_net_open_position", false, "position_risk"]]);
    expect(t.answer).toBe("**Net open");
    expect(t.final).toBe(false);
    expect(t.model?.offline).toBe(true);
  });

  it("takes route and model from the final message and pairs tool results by call id", () => {
    const final: Msg = {
      id: "a3",
      type: "ai",
      content: "Net open position in EURUSD ...",
      response_metadata: { fxdesk_final: true, fxdesk_route: ["position_risk", "compliance"] },
      additional_kwargs: { fxdesk_turn: { model_provider: "groq", model_name: "llama", fallbacks: ["openai"] } },
    };
    const turns = buildTurns([
      human("u1", "q1"),
      handoff("a1", "position_risk"),
      toolCall("a2", "c1", "get_net_open_position", {}),
      toolResult("c1", { status: "ok", currencies: [] }),
      final,
      human("u2", "and GBP?"),
    ]);
    expect(turns).toHaveLength(2);
    expect(turns[0].desks).toEqual(["position_risk", "compliance"]);
    expect(turns[0].final).toBe(true);
    expect(turns[0].toolCalls[0].done).toBe(true);
    expect(turns[0].toolCalls[0].result).toEqual({ status: "ok", currencies: [] });
    expect(turns[0].model).toEqual({ provider: "groq", name: "llama", fallbacks: ["openai"], offline: false });
    expect(turns[1].question).toBe("and GBP?");
    expect(turns[1].answer).toBe("");
  });

  it("does not let a later non-final message replace the final answer", () => {
    const turns = buildTurns([
      human("u1", "q"),
      { id: "f", type: "ai", content: "final", response_metadata: { fxdesk_final: true } },
      { id: "x", type: "ai", content: "late chatter" },
    ]);
    expect(turns[0].answer).toBe("final");
  });

  it("reads content given as a list of text blocks", () => {
    const turns = buildTurns([human("u1", "q"), { id: "a", type: "ai", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }]);
    expect(turns[0].answer).toBe("ab");
  });
});

describe("resultView", () => {
  it("lays lists of rows out as tables and flattens one level of objects into fields", () => {
    const view = resultView({
      status: "ok",
      scope: { books: ["FX-G10"], customers: 15 },
      currencies: [
        { book: "FX-G10", currency: "EUR", position: 1000000 },
        { book: "FX-G10", currency: "USD", position: -1080000, usd_rate: 1 },
      ],
    });
    expect(view.fields).toEqual([
      ["status", "ok"],
      ["scope.books", "FX-G10"],
      ["scope.customers", "15"],
    ]);
    expect(view.tables).toHaveLength(1);
    expect(view.tables[0].title).toBe("currencies");
    expect(view.tables[0].columns).toEqual(["book", "currency", "position", "usd_rate"]);
    expect(view.tables[0].rows[1].position).toBe(-1080000);
  });

  it("shows a text result as one field", () => {
    expect(resultView("boom").fields).toEqual([["result", "boom"]]);
  });
});
