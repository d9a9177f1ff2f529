// embed_text's result schema (structuredContent): the summary counts, the ranking with both scores,
// inline vectors or the vectors file, and the rerank stage's report.
import { z } from "zod";
import { MAX_LISTED_INDICES } from "./embeddings.js";
import { usageSchema } from "./schemas.js";

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
