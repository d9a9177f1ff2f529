// The model catalog: what each GLM model takes and gives, and which tool uses it.
// Figures from shared/glm-api (seed model pages, REFERENCE.md §2, §3, §7).

export type Modality = "text" | "image" | "video" | "file" | "audio" | "embedding";

export interface ModelInfo {
  name: string;
  family: string;
  input: Modality[];
  output: Modality[];
  /** Context window in tokens (undefined when the platform does not state it). */
  contextTokens?: number;
  maxOutputTokens?: number;
  /** "always" = thinks on every call, "toggle" = thinking.type honoured, "none" = no thinking. */
  thinking: "always" | "toggle" | "none";
  tool: string;
  free: boolean;
  /** Images per request, where the platform limits it. */
  maxImages?: number;
  acceptsBase64Images?: boolean;
  /** Embedding models: what a request may carry (see EMBEDDING_LIMITS). */
  embedding?: EmbeddingModelLimits;
  /** List price as the platform's model page states it (CNY), where it states one. */
  pricing?: string;
  notes?: string;
}

const text = (
  name: string,
  family: string,
  ctx: number,
  out: number,
  free = false,
  notes?: string,
): ModelInfo => ({
  name,
  family,
  input: ["text"],
  output: ["text"],
  contextTokens: ctx,
  maxOutputTokens: out,
  thinking: "toggle",
  tool: "glm_reason",
  free,
  ...(notes ? { notes } : {}),
});

const vision = (
  name: string,
  family: string,
  ctx: number,
  out: number,
  thinking: ModelInfo["thinking"],
  free: boolean,
  extra: Partial<ModelInfo> = {},
): ModelInfo => ({
  name,
  family,
  input: ["text", "image", "video", "file"],
  output: ["text"],
  contextTokens: ctx,
  maxOutputTokens: out,
  thinking,
  tool: "vision_analyze, video_understand, document_analyze",
  free,
  maxImages: 50,
  acceptsBase64Images: true,
  ...extra,
});

// Embedding models: what each accepts (REFERENCE.md §3, CN-OAS EmbeddingCreateRequest).
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

export const MODELS: readonly ModelInfo[] = [
  text(
    "glm-4.7",
    "GLM-4.7",
    200_000,
    131_072,
    false,
    "flagship coding/reasoning model; always thinks when thinking is enabled; preserved thinking across turns",
  ),
  text("glm-4.7-flash", "GLM-4.7", 200_000, 131_072, true),
  text("glm-4.7-flashx", "GLM-4.7", 200_000, 131_072),
  text("glm-4.6", "GLM-4.6", 200_000, 131_072, false, "decides per request whether to think"),
  {
    ...text(
      "glm-4.5",
      "GLM-4.5",
      128_000,
      98_304,
      false,
      "retiring soon per the platform docs; prefer glm-4.7",
    ),
    pricing: "GLM-4.5 series from 0.8 CNY/M input, 2 CNY/M output tokens",
  },
  text(
    "glm-4.5-x",
    "GLM-4.5",
    128_000,
    98_304,
    false,
    "fast variant of glm-4.5; retiring soon per the platform docs",
  ),
  text("glm-4.5-air", "GLM-4.5", 128_000, 98_304, false, "cost-effective"),
  text("glm-4.5-airx", "GLM-4.5", 128_000, 98_304, false, "fast variant of glm-4.5-air"),
  text("glm-4.5-flash", "GLM-4.5", 128_000, 98_304, true, "free; retiring soon per the platform docs"),
  vision("glm-4.6v", "GLM-4.6V", 128_000, 32_768, "toggle", false),
  vision("glm-4.6v-flashx", "GLM-4.6V", 128_000, 32_768, "toggle", false),
  vision("glm-4.6v-flash", "GLM-4.6V", 128_000, 32_768, "toggle", true, { notes: "free" }),
  vision("glm-4.5v", "GLM-4.5V", 64_000, 16_384, "toggle", false),
  // GLM-4.1V-Thinking takes video, image and text, but no files (file_url is GLM-4.6V/4.5V only).
  vision("glm-4.1v-thinking-flashx", "GLM-4.1V-Thinking", 64_000, 16_384, "always", false, {
    input: ["text", "image", "video"],
    tool: "vision_analyze, video_understand",
    pricing: "2 CNY/M tokens",
  }),
  vision("glm-4.1v-thinking-flash", "GLM-4.1V-Thinking", 64_000, 16_384, "always", true, {
    input: ["text", "image", "video"],
    tool: "vision_analyze, video_understand",
    notes: "free",
  }),
  vision("glm-4v-flash", "GLM-4V-Flash", 8_000, 1_024, "none", true, {
    input: ["text", "image"],
    maxImages: 1,
    acceptsBase64Images: false,
    notes: "free; one image per request and URLs only (no base64)",
  }),
  {
    name: "glm-4-voice",
    family: "GLM-4-Voice",
    input: ["text", "audio"],
    output: ["text", "audio"],
    contextTokens: 8_000,
    maxOutputTokens: 4_096,
    thinking: "none",
    tool: "voice_reply",
    free: false,
    pricing: "80 CNY/M tokens",
    notes: "audio in: wav/mp3 ≤ 10 min; audio out as base64",
  },
  {
    name: "glm-realtime-flash",
    family: "GLM-Realtime",
    input: ["text", "audio", "video"],
    output: ["text", "audio"],
    contextTokens: 8_000,
    maxOutputTokens: 1_024,
    thinking: "none",
    tool: "realtime_chat",
    free: false,
    pricing: "audio 0.18 CNY/min, video 1.2 CNY/min",
    notes: "WebSocket; 24 kHz mono PCM out; context 8K for audio calls (~20 turns), 32K for video calls",
  },
  {
    name: "glm-realtime-air",
    family: "GLM-Realtime",
    input: ["text", "audio", "video"],
    output: ["text", "audio"],
    contextTokens: 8_000,
    maxOutputTokens: 1_024,
    thinking: "none",
    tool: "realtime_chat",
    free: false,
    pricing: "audio 0.3 CNY/min, video 2.1 CNY/min",
    notes: "WebSocket; context 8K for audio calls, 32K for video calls",
  },
  {
    name: "embedding-3",
    family: "Embedding",
    input: ["text"],
    output: ["embedding"],
    contextTokens: 8_000,
    thinking: "none",
    tool: "embed_text",
    free: false,
    pricing: "0.5 CNY/M tokens",
    notes: "≤ 64 inputs per request, ≤ 3072 tokens each; dimensions 256/512/1024/2048 (default 2048)",
    embedding: EMBEDDING_LIMITS["embedding-3"],
  },
  {
    name: "embedding-2",
    family: "Embedding",
    input: ["text"],
    output: ["embedding"],
    contextTokens: 512,
    thinking: "none",
    tool: "embed_text",
    free: false,
    notes: "fixed 1024 dimensions",
    embedding: EMBEDDING_LIMITS["embedding-2"],
  },
];

export const TEXT_MODELS = MODELS.filter((m) => m.tool === "glm_reason").map((m) => m.name);

export function findModel(name: string): ModelInfo | undefined {
  return MODELS.find((m) => m.name === name.toLowerCase());
}

/** file_url is documented for GLM-5V-Turbo, GLM-4.6V and GLM-4.5V only. */
const FILE_URL_FAMILIES = /^glm-(4\.6v|4\.5v|5v)/i;

/** What a vision request may carry for one model (unknown glm-* names get permissive defaults). */
export interface VisionRules {
  name: string;
  maxImages: number;
  base64Images: boolean;
  video: boolean;
  files: boolean;
  thinking: ModelInfo["thinking"];
}

export function visionRules(name: string): VisionRules {
  const info = findModel(name);
  return {
    name,
    maxImages: info?.maxImages ?? 50,
    base64Images: info?.acceptsBase64Images ?? true,
    video: info ? info.input.includes("video") : true,
    files: FILE_URL_FAMILIES.test(name),
    thinking: info?.thinking ?? "toggle",
  };
}
