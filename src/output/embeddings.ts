// Sizing embed_text results for an agent's context: vectors inline only when small, ranking lines
// bounded by top_k × a short snippet, long index lists capped — never near a client's ~25k-token cap.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { EmbedResult } from "../embeddings/embed.js";
import { inlineNumber } from "../embeddings/float32.js";
import type { EmbedCallPlan } from "../embeddings/plan.js";
import { formatIndexRanges } from "../embeddings/prepare.js";
import { rankBySimilarity, snippet } from "../embeddings/rank.js";
import type { RerankOutcome } from "../embeddings/rerank.js";
import { formatBytes } from "../util/format.js";
import { encodeEmbeddingFile } from "./embedding-files.js";
import { resourceLink, saveOutputFile } from "./files.js";

/**
 * Inline vectors are capped at 1,024 numbers in total (one 1024-d vector, or 4 × 256-d). A number
 * at 7 significant digits is ~11 characters and up to ~7 tokens (tokenizers split digit runs), and
 * the result carries it twice (text + structuredContent): ≤ ~14k tokens, leaving room for a ranking
 * within the ~20k-token budget. A single default 2048-d vector therefore goes to a file.
 */
export const INLINE_MAX_NUMBERS = 1024;
/** Ranking snippets share ~3,200 estimated tokens (48 each up to top_k 66, never under 16). */
export function snippetTokens(topK: number): number {
  return Math.max(16, Math.min(48, Math.floor(3200 / Math.max(1, topK))));
}
/** Indices listed in `truncated.indices` (the count is always exact). */
export const MAX_LISTED_INDICES = 100;

export type OutputMode = "auto" | "inline" | "file" | "none";

export interface OutputPlan {
  inline: boolean;
  file: boolean;
  /** Why a request for inline vectors went to a file instead. */
  note?: string;
}

export function planOutput(mode: OutputMode, count: number, dims: number, hasQuery: boolean): OutputPlan {
  const fits = count * dims <= INLINE_MAX_NUMBERS;
  switch (mode) {
    case "none":
      return { inline: false, file: false };
    case "file":
      return { inline: false, file: true };
    case "inline":
      return fits
        ? { inline: true, file: false }
        : {
            inline: false,
            file: true,
            note: `${count} × ${dims} numbers exceed the inline cap of ${INLINE_MAX_NUMBERS}, so the vectors were written to a file instead.`,
          };
    case "auto":
      if (hasQuery) return { inline: false, file: false }; // the ranking is the answer
      return fits ? { inline: true, file: false } : { inline: false, file: true };
  }
}

export function inlineVectors(vectors: readonly Float32Array[]): number[][] {
  return vectors.map((v) => Array.from(v, inlineNumber));
}

export interface EmbeddingsResultInput {
  plan: EmbedCallPlan;
  result: EmbedResult;
  output: OutputMode;
  topK: number;
  fileFormat: "jsonl" | "npy";
  /** Told before a vectors file is written (it can take a moment for large sets). */
  onWriting?: (what: string) => void;
  /** The rerank stage's answer, when rerank was asked for. */
  rerank?: RerankOutcome | undefined;
}

/** The embed_text result: a summary line, the ranking, inline vectors or a file — sized for a chat. */
export async function embeddingsResult(outputDir: string, o: EmbeddingsResultInput): Promise<CallToolResult> {
  const { plan, result } = o;
  const { model, dimensions, queryAt, texts } = plan;
  const vectors = queryAt >= 0 ? result.vectors.slice(0, queryAt) : result.vectors;
  const truncated = plan.prepared.truncated.filter((i) => i !== queryAt);
  const outputPlan = planOutput(o.output, vectors.length, dimensions, queryAt >= 0);
  const structured: Record<string, unknown> = {
    model,
    dimensions,
    count: vectors.length,
    usage: { ...result.usage, cached_tokens: 0 },
    requests: result.requests,
    cache_hits: result.cacheHits,
    duplicates: result.duplicates,
    ...(truncated.length > 0
      ? { truncated: { count: truncated.length, indices: truncated.slice(0, MAX_LISTED_INDICES) } }
      : {}),
  };
  const s = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const lines = [
    `Embedded ${s(vectors.length, "text")}${queryAt >= 0 ? " and the query" : ""} with ${model} (${dimensions} dimensions): ${s(result.requests, "request")}, ${s(result.cacheHits, "cache hit")}, ${result.usage.total_tokens} tokens.`,
  ];
  if (truncated.length > 0)
    lines.push(
      `Truncated to fit the ${plan.limits.maxItemTokens}-token limit: ${formatIndexRanges(truncated)}.`,
    );
  if (plan.prepared.truncated.includes(queryAt))
    lines.push("The query was truncated to fit the token limit.");
  const links: CallToolResult["content"] = [];

  if (queryAt >= 0) {
    const rr = o.rerank;
    const ranked: { index: number; score: number; rerank_score?: number }[] = rr?.ok
      ? rr.ranking
      : rankBySimilarity(result.vectors[queryAt]!, vectors, o.topK);
    const round = (x: number) => Math.round(x * 10_000) / 10_000;
    const ranking = ranked.map((r) => ({
      index: r.index,
      score: round(r.score),
      ...(r.rerank_score !== undefined ? { rerank_score: round(r.rerank_score) } : {}),
      snippet: snippet(texts[r.index]!, snippetTokens(o.topK)),
    }));
    structured.ranking = ranking;
    if (rr) structured.rerank = rerankSummary(rr);
    lines.push(
      rr?.ok
        ? `Top ${ranking.length} of ${rr.candidates} cosine candidates, reranked by ${rr.model} (${rr.usage.total_tokens} tokens; rerank score, cosine):`
        : `Top ${ranking.length} by cosine similarity to the query:`,
      ...ranking.map(
        (r, k) =>
          `${k + 1}. [${r.index}] ${r.rerank_score !== undefined ? `${r.rerank_score.toFixed(4)} ` : ""}${r.score.toFixed(4)}  ${r.snippet}`,
      ),
    );
    if (rr && !rr.ok) lines.push(`Rerank failed, so this ranking is by cosine similarity only: ${rr.error}`);
  }
  if (outputPlan.inline) {
    structured.embeddings = inlineVectors(vectors);
    lines.push(`Vectors (embeddings[i] for texts[i]):`, JSON.stringify(structured.embeddings));
  }
  if (outputPlan.file) {
    const format = o.fileFormat;
    o.onWriting?.(`writing ${vectors.length} vectors as ${format}`);
    const encoded = encodeEmbeddingFile(format, texts, vectors, dimensions, new Set(truncated));
    const file = await saveOutputFile(outputDir, "embeddings", encoded.ext, encoded.data, encoded.mimeType);
    const { uri, path, name, bytes, mimeType } = file;
    structured.file = { uri, path, name, format, bytes, mime_type: mimeType };
    const shape =
      format === "npy"
        ? `float32 .npy of shape (${vectors.length}, ${dimensions}), row i = texts[i]`
        : "JSONL, one {index, text_sha256, embedding} per line";
    lines.push(`Vectors saved to ${path} (${formatBytes(bytes)}, ${shape}).`);
    links.push(resourceLink(file, `${vectors.length} × ${dimensions} ${model} embeddings (${format})`));
  }
  const notes = [o.plan.note, outputPlan.note].filter((n): n is string => n !== undefined);
  if (notes.length > 0) {
    structured.note = notes.join(" ");
    lines.push(...notes);
  }
  return { content: [{ type: "text", text: lines.join("\n") }, ...links], structuredContent: structured };
}

/** structuredContent.rerank: what the second stage did (or why it did not). */
function rerankSummary(rr: RerankOutcome): Record<string, unknown> {
  return rr.ok
    ? { model: rr.model, candidates: rr.candidates, usage: rr.usage }
    : { model: rr.model, candidates: rr.candidates, error: rr.error };
}
