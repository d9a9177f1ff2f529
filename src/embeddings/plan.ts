// What one embed_text call will send: the model's limits, the inputs (the query rides along as the
// last one), each fitted to the per-text token limit. Input the agent must fix is refused here,
// before any request, naming the inputs by index.
import { ToolInputError } from "../errors.js";
import { EMBEDDING_LIMITS, type EmbeddingModel, type EmbeddingModelLimits } from "../glm/models.js";
import type { EmbeddingBatchError } from "./embed.js";
import { formatIndexRanges, prepareInputs, type PreparedInputs } from "./prepare.js";

export interface EmbedCallArgs {
  texts: string | string[];
  model?: EmbeddingModel | undefined;
  dimensions?: number | undefined;
  query?: string | undefined;
  truncate?: boolean | undefined;
}

export interface EmbedCallPlan {
  model: EmbeddingModel;
  limits: EmbeddingModelLimits;
  dimensions: number;
  /** The caller's texts (without the query). */
  texts: string[];
  /** texts, plus the query last when there is one. */
  all: string[];
  /** Index of the query in `all`, or -1. */
  queryAt: number;
  prepared: PreparedInputs;
  /** Said to the caller with the result (a string argument read as a list). */
  note?: string;
}

/**
 * The texts argument as a list. A string that is a JSON array of strings is that list: some clients
 * (MCP Inspector 0.15) send an array argument typed into a form as its JSON text.
 */
function textList(texts: string | string[]): { texts: string[]; note?: string } {
  if (typeof texts !== "string") return { texts };
  if (/^\s*\[[\s\S]*\]\s*$/.test(texts)) {
    try {
      const list: unknown = JSON.parse(texts);
      if (Array.isArray(list) && list.length > 0 && list.every((t) => typeof t === "string"))
        return {
          texts: list,
          note: `texts was a string holding a JSON array, so it was read as ${list.length} texts (pass a real array to avoid this reading).`,
        };
    } catch {
      // not JSON: one text that happens to start with "["
    }
  }
  return { texts: [texts] };
}

export function planEmbedCall(args: EmbedCallArgs, maxTotalChars: number): EmbedCallPlan {
  const model = args.model ?? "embedding-3";
  const limits = EMBEDDING_LIMITS[model];
  if (args.dimensions !== undefined && !limits.dimensions.includes(args.dimensions)) {
    throw new ToolInputError(
      `${model} only produces ${limits.dimensions.join("/")}-dimension vectors: omit dimensions, or use embedding-3 for 256/512/1024/2048.`,
    );
  }
  const dimensions = args.dimensions ?? limits.defaultDimensions;
  const { texts, note } = textList(args.texts);
  const totalChars = texts.reduce((n, t) => n + t.length, args.query?.length ?? 0);
  if (totalChars > maxTotalChars) {
    throw new ToolInputError(
      `The texts hold ${totalChars.toLocaleString("en-US")} characters, over the ${maxTotalChars.toLocaleString("en-US")} a call accepts: split them over several calls (the cache makes repeats free).`,
    );
  }
  // The query rides along as one more input (last position), so it is batched and cached too.
  const all = args.query !== undefined ? [...texts, args.query] : texts;
  const queryAt = args.query !== undefined ? texts.length : -1;
  const prepared = prepareInputs(all, limits.maxItemTokens, args.truncate ?? false);
  refuseUnfit(prepared, model, limits.maxItemTokens, queryAt);
  return { model, limits, dimensions, texts, all, queryAt, prepared, ...(note ? { note } : {}) };
}

function refuseUnfit(prepared: PreparedInputs, model: string, maxItemTokens: number, queryAt: number): void {
  const label = (indices: number[]) => describeInputs(indices, queryAt);
  if (prepared.empty.length > 0) {
    const one = prepared.empty.length === 1;
    throw new ToolInputError(
      `${label(prepared.empty)} ${one ? "is" : "are"} empty or whitespace only, which GLM rejects: remove ${one ? "it" : "them"} and call again.`,
    );
  }
  if (prepared.tooLong.length > 0) {
    const one = prepared.tooLong.length === 1;
    const worst = prepared.tooLong
      .slice(0, 3)
      .map((t) => `${t.index === queryAt ? "the query" : `input ${t.index}`} ≈${t.tokens} tokens`)
      .join(", ");
    throw new ToolInputError(
      `${label(prepared.tooLong.map((t) => t.index))} exceed${one ? "s" : ""} ${model}'s limit of ${maxItemTokens} tokens per text (conservative estimate: ${worst}): split or shorten ${one ? "it" : "them"}, or pass truncate: true to cut ${one ? "it" : "them"} to fit.`,
    );
  }
}

/** "Inputs 3, 7–12 and the query" (the query is the extra last input when there is one). */
export function describeInputs(indices: number[], queryAt: number): string {
  const plain = indices.filter((i) => i !== queryAt);
  const parts: string[] = [];
  if (plain.length > 0) parts.push(`${plain.length === 1 ? "Input" : "Inputs"} ${formatIndexRanges(plain)}`);
  if (indices.includes(queryAt)) parts.push(parts.length ? "the query" : "The query");
  return parts.join(" and ");
}

export function batchFailureMessage(err: EmbeddingBatchError, queryAt: number): string {
  const missing = [...err.failed, ...err.notSent];
  const why = err.message.replace(/\.$/, "");
  const unsent =
    err.notSent.length > 0 ? ` (${err.notSent.length} of them never sent after the failure)` : "";
  const kept =
    err.embedded > 0
      ? `; the other ${err.embedded} are cached, so calling again with the same arguments sends only the missing ones`
      : "";
  return `${describeInputs(missing, queryAt)} (${missing.length} of ${err.total} inputs) ${missing.length === 1 ? "was" : "were"} not embedded${unsent} because a batch failed: ${why}${kept}.`;
}
