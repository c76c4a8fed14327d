// Which currency pair the conversation is about: the latest tool call's pair, else the latest message's.
// The pairs, currencies and nicknames come from the server (GET /desk/panel/pairs: the `pairs` table
// and the offline model's nicknames), never from a list of our own.
import type { Turn } from "./chat/turns";

export interface PairUniverse {
  pairs: string[];
  currencies: string[];
  nicknames: Record<string, string>;
}

interface PairsResponse {
  pairs: { pair: string }[];
  currencies: string[];
  nicknames?: Record<string, string>;
}

/** The universe from the server's /desk/panel/pairs answer. */
export function universeOf(body: PairsResponse): PairUniverse {
  return { pairs: body.pairs.map((p) => p.pair), currencies: body.currencies, nicknames: body.nicknames ?? {} };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function normalisePair(text: string, universe: PairUniverse): string | null {
  if (universe.currencies.length) {
    const ccy = universe.currencies.map(escape).join("|");
    const m = new RegExp(`\\b(${ccy})\\s*[/\\-_ ]?\\s*(${ccy})\\b`, "i").exec(text);
    if (m) {
      const [a, b] = [m[1].toUpperCase(), m[2].toUpperCase()];
      if (universe.pairs.includes(a + b)) return a + b;
      if (universe.pairs.includes(b + a)) return b + a; // "JPY/USD" is the desk's USDJPY
    }
  }
  const lower = text.toLowerCase();
  const words = Object.keys(universe.nicknames).sort((x, y) => y.length - x.length); // "euro yen" before "euro"
  for (const word of words) if (new RegExp(`\\b${escape(word)}\\b`).test(lower)) return universe.nicknames[word];
  return null;
}

/** The pair of the most recent turn that names one, or null. */
export function pairOfConversation(turns: Turn[], universe: PairUniverse): string | null {
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i];
    for (let j = turn.toolCalls.length - 1; j >= 0; j--) {
      const arg = turn.toolCalls[j].args.pair;
      if (typeof arg === "string") {
        const pair = normalisePair(arg, universe);
        if (pair) return pair;
      }
    }
    const fromText = normalisePair(turn.question, universe);
    if (fromText) return fromText;
  }
  return null;
}
