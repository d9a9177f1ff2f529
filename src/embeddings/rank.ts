// Semantic search in one call: rank texts by cosine similarity to the query.
import { truncateToTokens } from "./tokens.js";

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The `topK` most similar vectors, best first; equal scores keep input order. */
export function rankBySimilarity(
  query: Float32Array,
  vectors: readonly Float32Array[],
  topK: number,
): { index: number; score: number }[] {
  return vectors
    .map((v, index) => ({ index, score: cosine(query, v) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, topK);
}

/** A one-line preview bounded in (estimated) tokens, so top_k snippets stay small in any script. */
export function snippet(text: string, maxTokens = 48): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const cut = truncateToTokens(flat, maxTokens);
  return cut.length < flat.length ? `${cut.trimEnd()}…` : cut;
}
