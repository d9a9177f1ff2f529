// embed_text's optional second stage: the best candidates of the cosine ranking go to GLM's rerank
// model, which reads query and text together and orders them by relevance_score. A rerank failure
// keeps the cosine ranking (the embeddings are already paid for) and says why in a note.
import { ToolInputError } from "../errors.js";
import type { CallOptions, GlmClient } from "../glm/client.js";
import { CancelledError, GlmError } from "../glm/errors.js";
import { rerank, RERANK_LIMITS, RERANK_MODEL } from "../glm/rerank.js";
import type { EmbedCallPlan } from "./plan.js";
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
  /** The call's plan: the caller's texts, and the query's position among the vectors. */
  plan: Pick<EmbedCallPlan, "texts" | "queryAt">;
  /** Every vector of the call, the query's included. */
  vectors: readonly Float32Array[];
  topK: number;
}

export interface RerankHooks {
  call: CallOptions;
  onStart: (what: string) => void;
  onUsage: (usage: RerankUsage) => void;
}

export async function rerankStage(o: RerankStageInput, hooks: RerankHooks): Promise<RerankOutcome> {
  const { texts, queryAt } = o.plan;
  const vectors = o.vectors.slice(0, queryAt);
  const n = rerankCandidates(o.topK, vectors.length);
  const cosine = rankBySimilarity(o.vectors[queryAt]!, vectors, n);
  // GLM counts characters (code points); longer texts are cut to the first 4096 for scoring only.
  const documents = cosine.map(({ index }) => [...texts[index]!].slice(0, RERANK_LIMITS.chars).join(""));
  hooks.onStart(`reranking the best ${n} candidates with GLM's ${RERANK_MODEL} model`);
  try {
    const scored = await rerank(o.glm, o.query, documents, hooks.call);
    hooks.onUsage(scored.usage);
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
