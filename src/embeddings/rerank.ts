// embed_text's optional second stage: the best candidates of the cosine ranking go to GLM's rerank
// model, which reads query and text together and orders them by relevance_score. A rerank failure
// keeps the cosine ranking (the embeddings are already paid for) and says why in a note.
import { ToolInputError } from "../errors.js";
import type { CallOptions, GlmClient } from "../glm/client.js";
import { CancelledError, GlmError } from "../glm/errors.js";
import { rerank, RERANK_LIMITS, RERANK_MODEL } from "../glm/rerank.js";
import { rankBySimilarity } from "./rank.js";

/** Candidates sent to rerank: 3 × top_k, at least 30, never more than the 128 GLM takes. */
export function rerankCandidates(topK: number, count: number): number {
  return Math.min(count, RERANK_LIMITS.documents, Math.max(3 * topK, 30));
}

export interface RerankedItem {
  index: number;
  /** Cosine similarity of the embeddings. */
  score: number;
  rerank_score: number;
}

export type RerankOutcome =
  | { ok: true; model: string; candidates: number; ranking: RerankedItem[]; usage: RerankUsage }
  | { ok: false; model: string; candidates: number; error: string };
type RerankUsage = { prompt_tokens: number; total_tokens: number };

/** Refused before any embedding is paid for: rerank needs a query GLM's rerank accepts. */
export function checkRerankArgs(query: string | undefined): void {
  if (query === undefined)
    throw new ToolInputError("rerank: true needs a query: pass query (and top_k), or drop rerank.");
  const chars = [...query].length;
  if (chars > RERANK_LIMITS.chars)
    throw new ToolInputError(
      `The query is ${chars} characters, over the ${RERANK_LIMITS.chars} GLM's rerank takes: shorten it, or drop rerank to rank by embeddings only.`,
    );
}

export interface RerankStageInput {
  glm: GlmClient;
  query: string;
  queryVector: Float32Array;
  vectors: readonly Float32Array[];
  texts: readonly string[];
  topK: number;
  call: CallOptions;
  onUsage: (usage: RerankUsage) => void;
}

export async function rerankStage(o: RerankStageInput): Promise<RerankOutcome> {
  const n = rerankCandidates(o.topK, o.vectors.length);
  const cosine = rankBySimilarity(o.queryVector, o.vectors, n);
  // GLM counts characters (code points); longer texts are cut to the first 4096 for scoring only.
  const documents = cosine.map(({ index }) => [...o.texts[index]!].slice(0, RERANK_LIMITS.chars).join(""));
  try {
    const scored = await rerank(o.glm, o.query, documents, o.call);
    o.onUsage(scored.usage);
    const ranking = scored.results.slice(0, o.topK).map(({ index, score }) => ({
      index: cosine[index]!.index,
      score: cosine[index]!.score,
      rerank_score: score,
    }));
    return { ok: true, model: RERANK_MODEL, candidates: n, ranking, usage: scored.usage };
  } catch (e) {
    if (!(e instanceof GlmError) || e instanceof CancelledError) throw e;
    return { ok: false, model: RERANK_MODEL, candidates: n, error: e.toolMessage() };
  }
}
