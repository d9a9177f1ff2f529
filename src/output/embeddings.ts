// Sizing embed_text results for an agent's context: vectors inline only when small, ranking lines
// bounded by top_k × a short snippet, long index lists capped — never near a client's ~25k-token cap.
import { inlineNumber } from "../embeddings/float32.js";

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

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
