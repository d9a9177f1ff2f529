// Embeds many texts: cache lookup, de-duplication, batches of ≤ 64 run concurrently (each retried
// by GlmClient's own rules), results put back in input order.
import { CancelledError, GlmError, InvalidResponseError } from "../glm/errors.js";
import type { GlmClient, CallOptions } from "../glm/client.js";
import type { EmbeddingRequest, EmbeddingResponse } from "../glm/types.js";
import { planBatches } from "./batching.js";
import { cacheKey, type EmbeddingCache } from "./cache.js";
import { EMBEDDING_LIMITS, type EmbeddingModel } from "../glm/models.js";
import { runPool } from "../util/pool.js";

export interface EmbedOptions {
  glm: GlmClient;
  model: EmbeddingModel;
  dimensions: number;
  /** Texts as they will be sent (already fitted to the token limit). */
  texts: readonly string[];
  /** Estimated tokens per text (drives embedding-2's per-request token budget). */
  tokens: readonly number[];
  concurrency: number;
  cache?: EmbeddingCache;
  /** Inputs per request; GLM's limit (64) unless a benchmark wants a naive client. */
  batchSize?: number;
  signal?: AbortSignal;
  onRetry?: CallOptions["onRetry"];
  /** After each request: inputs resolved so far (cache hits included) out of texts.length. */
  onProgress?: (done: number, total: number, requests: number) => void;
  /** Per successful request, e.g. ctx.usage.record. */
  onUsage?: (usage: EmbeddingResponse["usage"]) => void;
}

export interface EmbedResult {
  vectors: Float32Array[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Distinct texts answered from the cache (memory or disk) instead of GLM. */
  cacheHits: number;
  /** Inputs that repeat an earlier input of the same call (embedded once, copied). */
  duplicates: number;
}

/** A batch failed for good: names the inputs (positions in `texts`) left without a vector. */
export class EmbeddingBatchError extends Error {
  override name = "EmbeddingBatchError";
  constructor(
    /** Inputs of the batch that failed. */
    readonly failed: number[],
    /** Inputs of batches never sent because of the failure. */
    readonly notSent: number[],
    readonly embedded: number,
    readonly total: number,
    override readonly cause: unknown,
  ) {
    super(
      cause instanceof GlmError
        ? cause.toolMessage()
        : String((cause as Error | undefined)?.message ?? cause),
    );
  }
}

export async function embedTexts(opts: EmbedOptions): Promise<EmbedResult> {
  const { glm, model, dimensions, texts, cache, signal } = opts;
  const limits = EMBEDDING_LIMITS[model];
  const vectors: (Float32Array | undefined)[] = new Array(texts.length);
  const result: EmbedResult = {
    vectors: [],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    requests: 0,
    cacheHits: 0,
    duplicates: 0,
  };

  // Identical texts are embedded once: one entry per distinct text, with every position it fills.
  const positionsByText = new Map<string, number[]>();
  texts.forEach((t, i) => {
    const list = positionsByText.get(t);
    if (list) {
      list.push(i);
      result.duplicates++;
    } else positionsByText.set(t, [i]);
  });
  const unique = [...positionsByText].map(([text, positions]) => ({
    text,
    positions,
    key: cacheKey(model, dimensions, text),
  }));
  type Unique = (typeof unique)[number];

  let done = 0;
  const assign = (u: Unique, vec: Float32Array) => {
    for (const p of u.positions) vectors[p] = vec;
    done += u.positions.length;
  };

  const pending: Unique[] = [];
  for (let i = 0; i < unique.length; i += 64) {
    const slice = unique.slice(i, i + 64);
    const hits = cache ? await Promise.all(slice.map((u) => cache.get(model, dimensions, u.key))) : [];
    slice.forEach((u, k) => {
      const hit = hits[k];
      if (hit && hit.length === dimensions) {
        assign(u, hit);
        result.cacheHits++;
      } else pending.push(u);
    });
  }
  if (done > 0) opts.onProgress?.(done, texts.length, 0);

  const batches = planBatches(
    pending.map((u) => opts.tokens[u.positions[0]!] ?? 0),
    Math.min(opts.batchSize ?? limits.maxBatchItems, limits.maxBatchItems),
    limits.maxBatchTokens,
  );

  const runBatch = async (b: number) => {
    const batch = batches[b]!.map((k) => pending[k]!);
    const body: EmbeddingRequest = {
      model,
      input: batch.map((u) => u.text),
      ...(limits.sendDimensions ? { dimensions } : {}),
    };
    result.requests++;
    const res = await glm.embeddings(body, {
      signal,
      onRetry: (info) => {
        result.requests++;
        opts.onRetry?.(info);
      },
    });
    const got = readVectors(res, batch.length, dimensions);
    opts.onUsage?.(res.usage);
    result.usage.prompt_tokens += res.usage?.prompt_tokens ?? 0;
    result.usage.completion_tokens += res.usage?.completion_tokens ?? 0;
    result.usage.total_tokens += res.usage?.total_tokens ?? 0;
    await Promise.all(
      batch.map((u, k) => {
        assign(u, got[k]!);
        return cache?.set(model, dimensions, u.key, got[k]!);
      }),
    );
    opts.onProgress?.(done, texts.length, result.requests);
  };

  const { failure, notStarted } = await runPool(batches.length, opts.concurrency, runBatch, signal);
  if (failure) {
    if (failure.error instanceof CancelledError) throw failure.error;
    const positionsOf = (bs: number[]) =>
      bs.flatMap((b) => batches[b]!.flatMap((k) => pending[k]!.positions));
    throw new EmbeddingBatchError(
      positionsOf([failure.task]),
      positionsOf(notStarted),
      done,
      texts.length,
      failure.error,
    );
  }
  if (signal?.aborted) throw new CancelledError();

  result.vectors = vectors.map((v, i) => {
    if (!v) throw new Error(`internal error: input ${i} has no vector`);
    return v;
  });
  return result;
}

/** Checks GLM's answer covers the batch with vectors of the asked size, and orders it by index. */
function readVectors(res: EmbeddingResponse, count: number, dimensions: number): Float32Array[] {
  const data = Array.isArray(res?.data) ? res.data : [];
  const out: (Float32Array | undefined)[] = new Array(count);
  for (const item of data) {
    if (
      !Number.isInteger(item?.index) ||
      item.index < 0 ||
      item.index >= count ||
      !Array.isArray(item.embedding)
    )
      continue;
    if (item.embedding.length !== dimensions) {
      throw new InvalidResponseError(
        `a vector of ${item.embedding.length} dimensions where ${dimensions} were asked`,
      );
    }
    out[item.index] = Float32Array.from(item.embedding);
  }
  const missing = out.findIndex((v) => !v);
  if (missing >= 0 || out.length !== count)
    throw new InvalidResponseError(`no vector for item ${missing} of a batch of ${count}`);
  return out as Float32Array[];
}
