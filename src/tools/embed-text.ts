// embed_text: GLM Embedding-3/2 vectors an agent can use — batched, cached, ranked, and sized so
// the result fits in a chat (small sets inline, large ones as a file in the output dir).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AppContext } from "../state/context.js";
import { embedTexts, EmbeddingBatchError } from "../embeddings/embed.js";
import { encodeEmbeddingFile } from "../output/embedding-files.js";
import { EMBEDDING_LIMITS, EMBEDDING_MODEL_NAMES } from "../embeddings/models.js";
import {
  formatBytes,
  inlineVectors,
  INLINE_MAX_NUMBERS,
  MAX_LISTED_INDICES,
  planOutput,
  snippetTokens,
} from "../output/embeddings.js";
import { formatIndexRanges, prepareInputs } from "../embeddings/prepare.js";
import { rankBySimilarity, snippet } from "../embeddings/rank.js";
import { resourceLink, saveOutputFile } from "../output/files.js";
import { createProgress, type ToolExtra } from "./progress.js";
import { guard, ToolInputError } from "./result.js";
import { usageSchema } from "../output/schemas.js";

export const EMBED_TEXT = "embed_text";
/** Documented caps on one call's input (memory and request volume stay bounded). */
export const MAX_TEXTS = 10_000;
export const MAX_TOTAL_CHARS = 20_000_000;
export const MAX_TOP_K = 100;

export const embedTextInput = {
  texts: z
    .union([z.string(), z.array(z.string()).min(1).max(MAX_TEXTS)])
    .describe(
      `One text or an array of up to ${MAX_TEXTS} texts to embed (or to rank against query). Results keep this order; index i refers to texts[i].`,
    ),
  model: z
    .enum(EMBEDDING_MODEL_NAMES)
    .optional()
    .describe(
      "embedding-3 (default: up to 3072 tokens per text, selectable dimensions) or embedding-2 (older: 512 tokens per text, fixed 1024 dimensions).",
    ),
  dimensions: z
    .union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048)])
    .optional()
    .describe(
      "Vector size for embedding-3: 256, 512, 1024 or 2048 (default 2048). embedding-2 is always 1024.",
    ),
  query: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Semantic search: embed this query with the texts and return the top_k texts ranked by cosine similarity (index, score, snippet) instead of vectors.",
    ),
  top_k: z
    .number()
    .int()
    .min(1)
    .max(MAX_TOP_K)
    .optional()
    .describe(`How many ranked texts to return with query (default 10, at most ${MAX_TOP_K}).`),
  truncate: z
    .boolean()
    .optional()
    .describe(
      "Cut texts over the model's token limit to fit, and list them in `truncated` (default false: such texts make the call fail, naming their indices).",
    ),
  output: z
    .enum(["auto", "inline", "file", "none"])
    .optional()
    .describe(
      `Where vectors go. auto (default): inline when count × dimensions <= ${INLINE_MAX_NUMBERS}, else a file; with query, only the ranking. inline: inline if under that cap, else a file. file: always a file in the output directory. none: no vectors (ranking/usage only, or to warm the cache).`,
    ),
  file_format: z
    .enum(["jsonl", "npy"])
    .optional()
    .describe(
      "File format: jsonl (default; one {index, text_sha256, embedding} object per line) or npy (float32 matrix of shape (count, dimensions), row i = texts[i]; 3× smaller, numpy.load reads it).",
    ),
};

const rankingItem = z.object({ index: z.number().int(), score: z.number(), snippet: z.string() });

export const embedTextOutput = {
  model: z.string(),
  dimensions: z.number().int(),
  count: z.number().int().describe("Number of texts embedded (the query not included)."),
  usage: usageSchema,
  requests: z.number().int().describe("HTTP requests sent to GLM, retries included."),
  cache_hits: z.number().int().describe("Distinct texts answered from the cache instead of GLM."),
  duplicates: z.number().int().describe("Texts that repeated an earlier text in this call (embedded once)."),
  truncated: z
    .object({
      count: z.number().int(),
      indices: z.array(z.number().int()).describe(`The first ${MAX_LISTED_INDICES} truncated indices.`),
    })
    .optional(),
  embeddings: z
    .array(z.array(z.number()))
    .optional()
    .describe("Inline vectors, embeddings[i] for texts[i] (7 significant digits)."),
  ranking: z.array(rankingItem).optional().describe("With query: the top_k texts, most similar first."),
  file: z
    .object({
      uri: z.string(),
      path: z.string(),
      name: z.string(),
      format: z.enum(["jsonl", "npy"]),
      bytes: z.number().int(),
      mime_type: z.string(),
    })
    .optional()
    .describe("The vectors file in the output directory."),
  note: z.string().optional(),
};

export const embedTextConfig = {
  title: "Embed and rank text with GLM",
  description: [
    "Turn texts into GLM Embedding-3 vectors, or rank texts against a query by semantic similarity in one call.",
    `Use when: you need semantic search over snippets/files/issues you already hold (pass query + top_k: returns indices, scores and snippets), near-duplicate detection, clustering, or vectors to store (large sets are written to a .jsonl or .npy file in the output directory and returned as a resource_link). Takes up to ${MAX_TEXTS} texts per call; identical texts are cached and never embedded twice.`,
    "Do not use for: answering questions about text (use glm_reason), keyword search (grep is cheaper), images or audio.",
    "Cost/latency: paid per input token; about 1 request per 64 texts, run a few at a time — 10,000 short texts take seconds to a minute. Progress notifications are sent.",
  ].join("\n"),
  inputSchema: embedTextInput,
  outputSchema: embedTextOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true, destructiveHint: false },
};

type Args = z.infer<z.ZodObject<typeof embedTextInput>>;

export async function embedTextHandler(
  ctx: AppContext,
  args: Args,
  extra?: ToolExtra,
): Promise<CallToolResult> {
  const progress = createProgress(extra);
  const model = args.model ?? "embedding-3";
  try {
    const limits = EMBEDDING_LIMITS[model];
    if (args.dimensions !== undefined && !limits.dimensions.includes(args.dimensions)) {
      throw new ToolInputError(
        `${model} only produces ${limits.dimensions.join("/")}-dimension vectors: omit dimensions, or use embedding-3 for 256/512/1024/2048.`,
      );
    }
    const dimensions = args.dimensions ?? limits.defaultDimensions;
    const texts = typeof args.texts === "string" ? [args.texts] : args.texts;
    const totalChars = texts.reduce((n, t) => n + t.length, args.query?.length ?? 0);
    if (totalChars > MAX_TOTAL_CHARS) {
      throw new ToolInputError(
        `The texts hold ${totalChars.toLocaleString("en-US")} characters, over the ${MAX_TOTAL_CHARS.toLocaleString("en-US")} a call accepts: split them over several calls (the cache makes repeats free).`,
      );
    }

    // The query rides along as one more input (last position), so it is batched and cached too.
    const all = args.query !== undefined ? [...texts, args.query] : texts;
    const queryAt = args.query !== undefined ? texts.length : -1;
    const label = (indices: number[]) => describeInputs(indices, queryAt);
    const prepared = prepareInputs(all, limits.maxItemTokens, args.truncate ?? false);
    if (prepared.empty.length > 0) {
      throw new ToolInputError(
        `${label(prepared.empty)} ${prepared.empty.length === 1 ? "is" : "are"} empty or whitespace only, which GLM rejects: remove ${prepared.empty.length === 1 ? "it" : "them"} and call again.`,
      );
    }
    if (prepared.tooLong.length > 0) {
      const worst = prepared.tooLong
        .slice(0, 3)
        .map((t) => `${t.index === queryAt ? "the query" : `input ${t.index}`} ≈${t.tokens} tokens`)
        .join(", ");
      throw new ToolInputError(
        `${label(prepared.tooLong.map((t) => t.index))} exceed${prepared.tooLong.length === 1 ? "s" : ""} ${model}'s limit of ${limits.maxItemTokens} tokens per text (conservative estimate: ${worst}): split or shorten ${prepared.tooLong.length === 1 ? "it" : "them"}, or pass truncate: true to cut ${prepared.tooLong.length === 1 ? "it" : "them"} to fit.`,
      );
    }

    progress.now(`embedding ${all.length} input${all.length === 1 ? "" : "s"} with ${model}`);
    const result = await embedTexts({
      glm: ctx.glm,
      model,
      dimensions,
      texts: prepared.texts,
      tokens: prepared.tokens,
      concurrency: ctx.config.embedConcurrency,
      cache: ctx.embeddingCache,
      signal: extra?.signal,
      onRetry: ({ attempt, delayMs, error }) =>
        progress.now(
          `GLM ${error.code ?? error.name}; retrying a batch (attempt ${attempt}) in ${Math.round(delayMs / 100) / 10} s`,
        ),
      onProgress: (done, total, requests) =>
        progress.update(done, `embedded ${done}/${total} inputs (${requests} requests)`, total),
      onUsage: (usage) => ctx.usage.record(model, usage),
    });

    const vectors = queryAt >= 0 ? result.vectors.slice(0, queryAt) : result.vectors;
    const truncated = prepared.truncated.filter((i) => i !== queryAt);
    const plan = planOutput(args.output ?? "auto", vectors.length, dimensions, queryAt >= 0);
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
    const lines = [
      `Embedded ${vectors.length} text${vectors.length === 1 ? "" : "s"}${queryAt >= 0 ? " and the query" : ""} with ${model} (${dimensions} dimensions): ${result.requests} request${result.requests === 1 ? "" : "s"}, ${result.cacheHits} cache hit${result.cacheHits === 1 ? "" : "s"}, ${result.usage.total_tokens} tokens.`,
    ];
    if (truncated.length > 0)
      lines.push(
        `Truncated to fit the ${limits.maxItemTokens}-token limit: ${formatIndexRanges(truncated)}.`,
      );
    if (prepared.truncated.includes(queryAt)) lines.push("The query was truncated to fit the token limit.");
    const links: CallToolResult["content"] = [];

    if (queryAt >= 0) {
      const queryVec = result.vectors[queryAt]!;
      const topK = args.top_k ?? 10;
      const ranking = rankBySimilarity(queryVec, vectors, topK).map(({ index, score }) => ({
        index,
        score: Math.round(score * 10_000) / 10_000,
        snippet: snippet(texts[index]!, snippetTokens(topK)),
      }));
      structured.ranking = ranking;
      lines.push(
        `Top ${ranking.length} by cosine similarity to the query:`,
        ...ranking.map((r, k) => `${k + 1}. [${r.index}] ${r.score.toFixed(4)}  ${r.snippet}`),
      );
    }

    if (plan.inline) {
      structured.embeddings = inlineVectors(vectors);
      lines.push(`Vectors (embeddings[i] for texts[i]):`, JSON.stringify(structured.embeddings));
    }
    if (plan.file) {
      const format = args.file_format ?? "jsonl";
      progress.now(`writing ${vectors.length} vectors as ${format}`);
      const encoded = encodeEmbeddingFile(format, texts, vectors, dimensions, new Set(truncated));
      const file = await saveOutputFile(
        ctx.config.outputDir,
        "embeddings",
        encoded.ext,
        encoded.data,
        encoded.mimeType,
      );
      structured.file = {
        uri: file.uri,
        path: file.path,
        name: file.name,
        format,
        bytes: file.bytes,
        mime_type: file.mimeType,
      };
      lines.push(
        `Vectors saved to ${file.path} (${formatBytes(file.bytes)}, ${format === "npy" ? `float32 .npy of shape (${vectors.length}, ${dimensions}), row i = texts[i]` : "JSONL, one {index, text_sha256, embedding} per line"}).`,
      );
      links.push(resourceLink(file, `${vectors.length} × ${dimensions} ${model} embeddings (${format})`));
    }
    if (plan.note) {
      structured.note = plan.note;
      lines.push(plan.note);
    }
    return { content: [{ type: "text", text: lines.join("\n") }, ...links], structuredContent: structured };
  } catch (err) {
    if (!(err instanceof ToolInputError)) ctx.usage.recordError(model);
    if (err instanceof EmbeddingBatchError) {
      const queryAt = args.query === undefined ? -1 : typeof args.texts === "string" ? 1 : args.texts.length;
      throw new Error(batchFailureMessage(err, queryAt), { cause: err });
    }
    throw err;
  } finally {
    progress.stop();
  }
}

/** "Inputs 3, 7–12 and the query" (the query is the extra last input when there is one). */
function describeInputs(indices: number[], queryAt: number): string {
  const plain = indices.filter((i) => i !== queryAt);
  const parts: string[] = [];
  if (plain.length > 0) parts.push(`${plain.length === 1 ? "Input" : "Inputs"} ${formatIndexRanges(plain)}`);
  if (indices.includes(queryAt)) parts.push(parts.length ? "the query" : "The query");
  return parts.join(" and ");
}

function batchFailureMessage(err: EmbeddingBatchError, queryAt: number): string {
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

export function registerEmbedTextTool(server: McpServer, ctx: AppContext): void {
  server.registerTool(EMBED_TEXT, embedTextConfig, (args, extra) =>
    guard(ctx, EMBED_TEXT, () => embedTextHandler(ctx, args, extra)),
  );
}
