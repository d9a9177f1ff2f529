// Fits each input under the model's per-item token limit before anything is sent: an input that
// cannot fit is either reported (default) or cut and flagged (truncate) — never silently dropped.
import { estimateTokens, truncateToTokens } from "./tokens.js";

export interface PreparedInputs {
  /** The texts to embed, in input order (cut where `truncated` says so). */
  texts: string[];
  /** Estimated tokens of each text as sent. */
  tokens: number[];
  /** Indices that were cut to fit (truncate: true). */
  truncated: number[];
  /** Indices over the limit (truncate: false), with their estimate. */
  tooLong: { index: number; tokens: number }[];
  /** Indices that are empty or whitespace only (GLM rejects empty inputs). */
  empty: number[];
}

export function prepareInputs(
  texts: readonly string[],
  maxItemTokens: number,
  truncate: boolean,
): PreparedInputs {
  const out: PreparedInputs = { texts: [], tokens: [], truncated: [], tooLong: [], empty: [] };
  texts.forEach((text, index) => {
    if (text.trim() === "") out.empty.push(index);
    let sent = text;
    let tokens = estimateTokens(text);
    if (tokens > maxItemTokens) {
      if (truncate) {
        sent = truncateToTokens(text, maxItemTokens);
        tokens = estimateTokens(sent);
        out.truncated.push(index);
      } else {
        out.tooLong.push({ index, tokens });
      }
    }
    out.texts.push(sent);
    out.tokens.push(tokens);
  });
  return out;
}

/** "3, 7–12, 40" — compact enough to name thousands of contiguous indices in one sentence. */
export function formatIndexRanges(indices: readonly number[], maxRanges = 12): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const ranges: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i]!;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) end = sorted[++i]!;
    ranges.push(start === end ? `${start}` : `${start}–${end}`);
    i++;
  }
  if (ranges.length <= maxRanges) return ranges.join(", ");
  return `${ranges.slice(0, maxRanges).join(", ")} and ${ranges.length - maxRanges} more ranges`;
}
