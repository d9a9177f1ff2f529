// Sizing embed_text results for an agent's context: vectors inline only when small, ranking lines
// bounded by top_k × a short snippet, long index lists capped — never near a client's ~25k-token cap.
import { inlineNumber } from "./float32.js";

/**
 * Inline vectors are capped at 2,048 numbers in total (one 2048-d vector, or e.g. 8 × 256-d):
 * ~11 characters each at 7 significant digits ≈ 23k characters ≈ 6–7k tokens, and the result
 * carries them twice (text + structuredContent), staying well under the ~20k-token budget.
 */
export const INLINE_MAX_NUMBERS = 2048;
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
        : { inline: false, file: true, note: `${count} × ${dims} numbers exceed the inline cap of ${INLINE_MAX_NUMBERS}, so the vectors were written to a file instead.` };
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
