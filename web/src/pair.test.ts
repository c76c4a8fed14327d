import { describe, expect, it } from "vitest";
import type { Turn } from "./chat/turns";
import { normalisePair, pairOfConversation, universeOf } from "./pair";

// As GET /desk/panel/pairs answers (a few of the demo's pairs).
const UNIVERSE = universeOf({
  pairs: ["EURUSD", "USDJPY", "GBPUSD", "USDTRY", "USDCAD", "EURJPY"].map((pair) => ({ pair })),
  currencies: ["CAD", "EUR", "GBP", "JPY", "TRY", "USD"],
  nicknames: { cable: "GBPUSD", loonie: "USDCAD", "euro yen": "EURJPY", euro: "EURUSD" },
});

const turn = (question: string, pairs: (string | undefined)[] = []): Turn => ({
  key: question,
  question,
  desks: [],
  toolCalls: pairs.map((p, i) => ({ id: `${i}`, name: "t", agent: null, args: p ? { pair: p } : {}, result: undefined, done: false })),
  answer: "",
  answerId: null,
  final: false,
  model: null,
});

describe("normalisePair", () => {
  it.each([
    ["What's my EUR/USD exposure today?", "EURUSD"],
    ["usd-jpy please", "USDJPY"],
    ["JPY/USD?", "USDJPY"],
    ["and cable?", "GBPUSD"],
    ["how is euro yen doing", "EURJPY"],
    ["buy 40m USDTRY for Cust310", "USDTRY"],
    ["what is my VaR?", null],
    ["USD USD", null],
    ["GBP/JPY", null], // not a pair the desk trades
    ["USD/RUB", null], // RUB is not in this universe
  ])("%s -> %s", (text, pair) => {
    expect(normalisePair(text, UNIVERSE)).toBe(pair);
  });

  it("knows nothing before the server's universe arrives", () => {
    expect(normalisePair("EUR/USD", { pairs: [], currencies: [], nicknames: {} })).toBeNull();
  });
});

describe("pairOfConversation", () => {
  it("follows the latest turn that names a pair, preferring its tool call's argument", () => {
    expect(pairOfConversation([turn("EUR/USD?"), turn("and the loonie?", ["USDCAD"])], UNIVERSE)).toBe("USDCAD");
    expect(pairOfConversation([turn("EUR/USD?"), turn("what is my VaR?")], UNIVERSE)).toBe("EURUSD");
    expect(pairOfConversation([turn("hello")], UNIVERSE)).toBeNull();
  });
});
