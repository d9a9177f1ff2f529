// Conservative token estimates for embedding inputs. GLM's tokenizer is not published, so we
// over-count on purpose: an input we accept must never come back as "prompt too long" (1261).
// Letters/digits ≈ 3.3 chars per token (real English is ~4), other ASCII (punctuation, spaces)
// 2 per token, every other character 1 token, and characters outside the BMP (emoji…) 2 tokens.

function cost(codePoint: number): number {
  if (codePoint < 0x80) {
    const isWordChar =
      (codePoint >= 0x30 && codePoint <= 0x39) ||
      (codePoint >= 0x41 && codePoint <= 0x5a) ||
      (codePoint >= 0x61 && codePoint <= 0x7a);
    return isWordChar ? 0.3 : 0.5;
  }
  return codePoint > 0xffff ? 2 : 1;
}

export function estimateTokens(text: string): number {
  let sum = 0;
  for (const ch of text) sum += cost(ch.codePointAt(0)!);
  return Math.ceil(sum);
}

/** The longest prefix of `text` whose estimate is <= `budget` tokens (never splits a code point). */
export function truncateToTokens(text: string, budget: number): string {
  let sum = 0;
  let end = 0;
  for (const ch of text) {
    const c = cost(ch.codePointAt(0)!);
    if (Math.ceil(sum + c) > budget) break;
    sum += c;
    end += ch.length;
  }
  return text.slice(0, end);
}
