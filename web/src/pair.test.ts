import { describe, expect, it } from "vitest";
import type { Turn } from "./chat/turns";
import { normalisePair, pairOfConversation } from "./pair";

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
    ["and cable?", "GBPUSD"],
    ["buy 40m USDTRY for Cust310", "USDTRY"],
    ["what is my VaR?", null],
    ["USD USD", null],
  ])("%s -> %s", (text, pair) => {
    expect(normalisePair(text)).toBe(pair);
  });
});

describe("pairOfConversation", () => {
  it("follows the latest turn that names a pair, preferring its tool call's argument", () => {
    expect(pairOfConversation([turn("EUR/USD?"), turn("and the loonie?", ["USDCAD"])])).toBe("USDCAD");
    expect(pairOfConversation([turn("EUR/USD?"), turn("what is my VaR?")])).toBe("EURUSD");
    expect(pairOfConversation([turn("hello")])).toBeNull();
  });
});
