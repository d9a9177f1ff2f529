// What each GLM embedding model accepts (REFERENCE.md §3, CN-OAS EmbeddingCreateRequest).
export const EMBEDDING_MODEL_NAMES = ["embedding-3", "embedding-2"] as const;
export type EmbeddingModel = (typeof EMBEDDING_MODEL_NAMES)[number];

export interface EmbeddingModelLimits {
  dimensions: readonly number[];
  defaultDimensions: number;
  maxItemTokens: number;
  /** Inputs per request. */
  maxBatchItems: number;
  /** Summed tokens per request (embedding-2: "数组总长度不得超过 8K"). */
  maxBatchTokens: number;
  /** embedding-2 is fixed at 1024: we never send `dimensions` for it, so no API reading can reject it. */
  sendDimensions: boolean;
}

export const EMBEDDING_LIMITS: Record<EmbeddingModel, EmbeddingModelLimits> = {
  "embedding-3": {
    dimensions: [256, 512, 1024, 2048],
    defaultDimensions: 2048,
    maxItemTokens: 3072,
    maxBatchItems: 64,
    maxBatchTokens: Infinity,
    sendDimensions: true,
  },
  "embedding-2": {
    dimensions: [1024],
    defaultDimensions: 1024,
    maxItemTokens: 512,
    maxBatchItems: 64,
    maxBatchTokens: 8192,
    sendDimensions: false,
  },
};
