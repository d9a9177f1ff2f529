// One token estimator for prompts, answers and embeddings, deliberately conservative (it counts
// more tokens than GLM's tokenizer usually does, so a client that fits under the fake's limits
// fits under the real ones): every CJK / other non-ASCII character is 1 token, ASCII is 1 token
// per 4 characters. The same rule drives truncation for finish_reason "length".

function cost(ch: string): number {
  return ch.charCodeAt(0) < 0x80 ? 0.25 : 1;
}

export function estimateTokens(text: string): number {
  let sum = 0;
  for (const ch of text) sum += cost(ch);
  return Math.ceil(sum);
}

/** The longest prefix of `text` whose estimate is <= budget tokens. */
export function truncateToTokens(text: string, budget: number): string {
  let sum = 0;
  let out = "";
  for (const ch of text) {
    if (Math.ceil(sum + cost(ch)) > budget) break;
    sum += cost(ch);
    out += ch;
  }
  return out;
}
