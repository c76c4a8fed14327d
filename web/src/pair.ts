// Which currency pair the conversation is about: the latest tool call's pair, else the latest message's.
import type { Turn } from "./chat/turns";

const CCY = "EUR|USD|GBP|JPY|AUD|CHF|CAD|NZD|MXN|ZAR|TRY|BRL|INR|RUB";
const PAIR_RX = new RegExp(`\\b(${CCY})\\s*[/\\-_ ]?\\s*(${CCY})\\b`, "i");
const NICKNAMES: Record<string, string> = {
  cable: "GBPUSD",
  fibre: "EURUSD",
  fiber: "EURUSD",
  loonie: "USDCAD",
  aussie: "AUDUSD",
  kiwi: "NZDUSD",
  swissie: "USDCHF",
  chunnel: "EURGBP",
  lira: "USDTRY",
  rand: "USDZAR",
  peso: "USDMXN",
  rupee: "USDINR",
};

export function normalisePair(text: string): string | null {
  const m = PAIR_RX.exec(text);
  if (m && m[1].toUpperCase() !== m[2].toUpperCase()) return (m[1] + m[2]).toUpperCase();
  const lower = text.toLowerCase();
  for (const [word, pair] of Object.entries(NICKNAMES)) if (new RegExp(`\\b${word}\\b`).test(lower)) return pair;
  return null;
}

/** The pair of the most recent turn that names one, or null. */
export function pairOfConversation(turns: Turn[]): string | null {
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i];
    for (let j = turn.toolCalls.length - 1; j >= 0; j--) {
      const arg = turn.toolCalls[j].args.pair;
      if (typeof arg === "string") {
        const pair = normalisePair(arg);
        if (pair) return pair;
      }
    }
    const fromText = normalisePair(turn.question);
    if (fromText) return fromText;
  }
  return null;
}
