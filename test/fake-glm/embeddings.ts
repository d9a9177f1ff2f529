// POST /embeddings (CN-OAS 2026 EmbeddingCreateRequest, REFERENCE §3).
//
// Choices where the docs leave room (all documented here so tests can rely on them):
// - > 64 items: 1214 on `input`. The docs only state the limit ("数组最大不得超过 64 条"); an illegal
//   field value is 1214 in the error table. Applied to embedding-2 as well (its docs give only an 8K
//   total, 64 keeps one rule for both and is never looser than a client should be).
// - `dimensions`: embedding-3 accepts 256/512/1024/2048 (schema enum), default 2048. embedding-2 is
//   "固定 1024": 1024 is accepted, any other value is a 1214 rather than silently ignored, so a client
//   can never believe it got a vector size it did not get.
// - Token limits (3072 per item for embedding-3; 512 per item and 8K total for embedding-2) use the
//   conservative estimator in tokens.ts and answer 1261 "Prompt 超长", the table's code for an over-long
//   prompt, which the client maps to a specific "shorten the input" error.
// - Empty strings (alone or as an item): 1214 on `input`.
import { invalidField, missingField, promptTooLong, unknownModel } from "./errors.js";
import { EMBEDDING_MODELS, type EmbeddingModelName } from "./models.js";
import { estimateTokens } from "./tokens.js";
import { checkAgainstSpec } from "./spec.js";
import { absent } from "./validate.js";

export const MAX_EMBEDDING_ITEMS = 64;

export function embeddingsResponse(
  body: Record<string, unknown>,
  opts: { coding?: boolean } = {},
): Record<string, unknown> {
  if (absent(body.model)) throw missingField("model");
  if (typeof body.model !== "string" || !(body.model in EMBEDDING_MODELS))
    throw unknownModel(String(body.model));
  // Not a coding-plan model (issue #12: embeddings fail on /api/coding/paas/v4 with 1211).
  if (opts.coding) throw unknownModel(body.model);
  checkAgainstSpec("embeddings", body);
  const modelName = body.model as EmbeddingModelName;
  const spec = EMBEDDING_MODELS[modelName];

  if (absent(body.input)) throw missingField("input");
  const items = typeof body.input === "string" ? [body.input] : body.input;
  if (!Array.isArray(items) || items.some((s) => typeof s !== "string"))
    throw invalidField("input", "必须是字符串或字符串数组");
  if (items.length === 0) throw invalidField("input", "不能为空数组");
  if (items.length > MAX_EMBEDDING_ITEMS)
    throw invalidField("input", `数组最大不得超过 ${MAX_EMBEDDING_ITEMS} 条，本次 ${items.length} 条`);
  const texts = items as string[];
  const emptyAt = texts.findIndex((s) => s.length === 0);
  if (emptyAt >= 0) throw invalidField("input", `第 ${emptyAt} 条为空字符串`);

  let dimensions: number = spec.defaultDimensions;
  if (!absent(body.dimensions)) {
    if (
      typeof body.dimensions !== "number" ||
      !(spec.dimensions as readonly number[]).includes(body.dimensions)
    ) {
      throw invalidField("dimensions", `${modelName} 可选值：${spec.dimensions.join("、")}`);
    }
    dimensions = body.dimensions;
  }

  const tokens = texts.map(estimateTokens);
  const tooLong = tokens.findIndex((t) => t > spec.maxItemTokens);
  if (tooLong >= 0)
    throw promptTooLong(
      `${modelName} 单条最多 ${spec.maxItemTokens} 个 Tokens，第 ${tooLong} 条约 ${tokens[tooLong]} 个`,
    );
  const total = tokens.reduce((a, b) => a + b, 0);
  if (total > spec.maxTotalTokens)
    throw promptTooLong(`${modelName} 数组总长度不得超过 ${spec.maxTotalTokens} 个 Tokens（约 ${total} 个）`);

  return {
    model: modelName,
    object: "list",
    data: texts.map((t, index) => ({ index, object: "embedding", embedding: embedText(t, dimensions) })),
    usage: { prompt_tokens: total, completion_tokens: 0, total_tokens: total },
  };
}

/** Lowercased word tokens (CJK characters count as words) and character trigrams of each word. */
function features(text: string): [string, number][] {
  const out: [string, number][] = [];
  const words =
    text
      .toLowerCase()
      .match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}_]+/gu) ??
    [];
  for (const w of words) {
    out.push([`w:${w}`, 1]);
    const padded = `#${w}#`;
    if (padded.length > 3)
      for (let i = 0; i + 3 <= padded.length; i++) out.push([`t:${padded.slice(i, i + 3)}`, 0.4]);
  }
  // Neighbouring words (each CJK character is a word) as bigrams, so phrases weigh more than loose words.
  for (let i = 0; i + 1 < words.length; i++) out.push([`b:${words[i]}${words[i + 1]}`, 0.6]);
  if (out.length === 0) out.push([`raw:${text}`, 1]);
  return out;
}

/**
 * A deterministic, L2-normalised hashed bag of features (signed feature hashing): equal texts give
 * equal vectors, and texts that share words have a higher cosine similarity than unrelated ones.
 */
export function embedText(text: string, dimensions: number): number[] {
  const v = new Float64Array(dimensions);
  for (const [feature, weight] of features(text)) {
    const bucket = fnv1a(feature, 0x811c9dc5) % dimensions;
    const sign = fnv1a(feature, 0x01000193) & 1 ? 1 : -1;
    v[bucket] = (v[bucket] ?? 0) + sign * weight;
  }
  // Real embeddings are dense: add a small text-seeded noise vector (about a quarter of the feature
  // norm). Noise of different texts is near-orthogonal, so it barely moves cosine similarities.
  const featureNorm = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  const random = mulberry32(fnv1a(text, 0x9e3779b9));
  const noiseScale = (0.25 * featureNorm) / Math.sqrt(dimensions / 3); // uniform(-1,1) has variance 1/3
  for (let i = 0; i < dimensions; i++) v[i] = (v[i] ?? 0) + (random() * 2 - 1) * noiseScale;
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return Array.from(v, (x) => Math.round((x / norm) * 1e7) / 1e7);
}

/** 32-bit FNV-1a over UTF-16 code units (fast, deterministic, good enough spread for hashing features). */
function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche so nearby strings land in unrelated buckets.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
