// embed_text: GLM Embedding-3/2 vectors an agent can use — batched, cached, ranked, and sized so
// the result fits in a chat (small sets inline, large ones as a file in the output dir).
import { z } from "zod";
import { embedTexts, EmbeddingBatchError } from "../embeddings/embed.js";
import { batchFailureMessage, planEmbedCall } from "../embeddings/plan.js";
import { checkRerankArgs, rerankStage, type RerankHooks } from "../embeddings/rerank.js";
import { EMBEDDING_MODEL_NAMES } from "../glm/models.js";
import { embeddingsResult, INLINE_MAX_NUMBERS, MAX_LISTED_INDICES } from "../output/embeddings.js";
import { usageSchema } from "../output/schemas.js";
import { embedTextAliases } from "./aliases/embed-text.js";
import { defineTool, type ToolCall } from "./define-tool.js";

export const EMBED_TEXT = "embed_text";
/** Documented caps on one call's input (memory and request volume stay bounded). */
export const MAX_TEXTS = 10_000;
export const MAX_TOTAL_CHARS = 20_000_000;
export const MAX_TOP_K = 100;
const EMBEDDING_DIMENSIONS = [256, 512, 1024, 2048];

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
  // An integer with a check, not a union of literals: Gemini refuses `const` and number enums.
  dimensions: z
    .number()
    .int()
    .min(256)
    .max(2048)
    .refine((d) => EMBEDDING_DIMENSIONS.includes(d), "dimensions must be 256, 512, 1024 or 2048")
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
  rerank: z
    .boolean()
    .optional()
    .describe(
      "With query: send the best 3 × top_k (at least 30, at most 128) cosine candidates to GLM's rerank model and order the top_k by its relevance score (default false; one extra paid call).",
    ),
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

// The result (structuredContent): the summary counts, the ranking with both scores, inline vectors
// or the vectors file, and the rerank stage's report.
const rankingItem = z.object({
  index: z.number().int(),
  score: z.number().describe("Cosine similarity of the embeddings."),
  rerank_score: z.number().optional().describe("With rerank: GLM rerank's relevance score (the order)."),
  snippet: z.string(),
});

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
  rerank: z
    .object({ model: z.string(), candidates: z.number().int(), usage: usageSchema.partial().optional() })
    .extend({ error: z.string().optional() })
    .optional()
    .describe("With rerank: the model, how many candidates it scored, its usage, or why it failed."),
  note: z.string().optional(),
};

const embedTextConfig = {
  title: "Embed and rank text with GLM",
  description: [
    "Turn texts into GLM Embedding-3 vectors, or rank texts against a query by semantic similarity in one call.",
    `Use when: you need semantic search over snippets/files/issues you already hold (pass query + top_k: returns indices, scores and snippets), near-duplicate detection, clustering, or vectors to store (large sets are written to a .jsonl or .npy file in the output directory and returned as a resource_link). Takes up to ${MAX_TEXTS} texts per call; identical texts are cached and never embedded twice.`,
    "Do not use for: answering questions about text (use glm_reason), keyword search (grep is cheaper), images or audio.",
    "Cost/latency: paid per input token; about 1 request per 64 texts, run a few at a time — 10,000 short texts take seconds to a minute. rerank: true adds one call to GLM's rerank model (billed per call by the platform, see its pricing; usage reported); if it fails the cosine ranking is kept with a note. Progress notifications are sent.",
  ].join("\n"),
  inputSchema: embedTextInput,
  outputSchema: embedTextOutput,
  // Not read-only: it adds a new file to the output directory; never overwrites or deletes (so not destructive).
  annotations: { readOnlyHint: false, openWorldHint: true, idempotentHint: false, destructiveHint: false },
};

export const embedTextTool = defineTool({
  name: EMBED_TEXT,
  calls: ["embeddings", "rerank"],
  config: embedTextConfig,
  aliases: embedTextAliases,
  usageModel: (args) => args.model ?? "embedding-3",
  async run(args, call) {
    const { ctx, progress } = call;
    if (args.rerank) checkRerankArgs(args.query);
    const plan = planEmbedCall(args, MAX_TOTAL_CHARS);
    const { model, dimensions, all } = plan;
    progress.now(`embedding ${all.length} input${all.length === 1 ? "" : "s"} with ${model}`);
    const result = await embedTexts({
      glm: ctx.glm,
      model,
      dimensions,
      texts: plan.prepared.texts,
      tokens: plan.prepared.tokens,
      concurrency: ctx.config.embedConcurrency,
      cache: ctx.embeddingCache,
      signal: call.signal,
      onRetry: ({ attempt, delayMs, error }) =>
        progress.now(
          `GLM ${error.code ?? error.name}; retrying a batch (attempt ${attempt}) in ${Math.round(delayMs / 100) / 10} s`,
        ),
      onProgress: (done, total, requests) =>
        progress.update(done, `embedded ${done}/${total} inputs (${requests} requests)`, total),
      onUsage: (usage) => ctx.usage.record(model, usage),
    }).catch((err: unknown) => {
      if (err instanceof EmbeddingBatchError)
        throw new Error(batchFailureMessage(err, plan.queryAt), { cause: err });
      throw err;
    });
    const topK = args.top_k ?? 10;
    const stage = { glm: ctx.glm, plan, vectors: result.vectors, topK, query: args.query! };
    const rerank = args.rerank ? await rerankStage(stage, rerankHooks(call)) : undefined;
    return embeddingsResult(ctx.config.outputDir, {
      plan,
      result,
      output: args.output ?? "auto",
      topK,
      rerank,
      fileFormat: args.file_format ?? "jsonl",
      onWriting: (what) => progress.now(what),
    });
  },
});

/** The rerank request shares the call's cancellation and retry notices; its usage counts as "rerank". */
function rerankHooks(call: ToolCall): RerankHooks {
  return {
    call: { ...(call.signal ? { signal: call.signal } : {}), onRetry: call.onRetry },
    onStart: (what) => call.progress.now(what),
    onUsage: (usage) => call.ctx.usage.record("rerank", usage),
  };
}
