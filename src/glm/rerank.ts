// The rerank model: scores candidate texts against a query. Wire shape from the platform's OpenAPI
// spec (openapi-2026-07-11.json): POST /paas/v4/rerank (line 1136), RerankRequest (line 8219:
// `model: "rerank"`, query ≤ 4096 characters, documents ≤ 128 of ≤ 4096 characters each, top_n 0 =
// all, return_documents), RerankResponse (line 8275: results[{index, relevance_score, document}],
// usage {prompt_tokens, total_tokens}). Standard endpoint only.
import { InvalidResponseError } from "./errors.js";
import type { CallOptions, GlmClient } from "./client.js";

export const RERANK_MODEL = "rerank";
export const RERANK_LIMITS = { documents: 128, chars: 4096 } as const;

interface RerankResponse {
  id: string;
  results: { index: number; relevance_score: number; document?: string }[];
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface RerankScores {
  /** relevance_score per document position, best first. */
  results: { index: number; score: number }[];
  usage: { prompt_tokens: number; total_tokens: number };
}

/** Scores every document (top_n 0 = all, no texts echoed back: the caller holds them). */
export async function rerank(
  client: GlmClient,
  query: string,
  documents: readonly string[],
  opts: CallOptions = {},
): Promise<RerankScores> {
  const body = { model: RERANK_MODEL, query, documents, top_n: 0, return_documents: false };
  const answer = await client.postJson<RerankResponse>("/rerank", body, opts);
  if (!Array.isArray(answer.results))
    throw new InvalidResponseError("the rerank answer has no results list", {});
  const results = answer.results
    .filter((r) => Number.isInteger(r.index) && r.index >= 0 && r.index < documents.length)
    .map((r) => ({ index: r.index, score: Number(r.relevance_score) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  return { results, usage: answer.usage ?? { prompt_tokens: 0, total_tokens: 0 } };
}
