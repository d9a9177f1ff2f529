// The model catalog: what each GLM model takes and gives, where it is served, and which tool uses
// it. Every request is built through it (src/glm/requests.ts). Sources, short names used below:
//   OAS  = shared/glm-api/openapi-2026-07-11.json (the CN platform spec, 2026-07), with line numbers
//   PAGE = shared/glm-api/000_6cc6deeb32774523.txt (the platform's model pages)
//   REF  = shared/glm-api/REFERENCE.md (section numbers)
import type { Region } from "../config.js";
import { ToolInputError } from "../errors.js";

export type Modality = "text" | "image" | "video" | "file" | "audio" | "embedding";

/** Which request a model takes: the endpoint it is called on and the shape of its body. */
export type EndpointKind = "chat" | "vision" | "voice" | "realtime" | "embeddings" | "ocr" | "rerank";

export interface ModelInfo {
  name: string;
  family: string;
  kind: EndpointKind;
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
  /** Regions whose platform serves the model (cn: the 2026 CN enums; intl: the Dec-2025 Z.AI enum). */
  regions: readonly Region[];
  /** The platform says it is being retired ("即将下线"). */
  retiring?: boolean;
  /** The GLM Coding Plan endpoint serves it (chat models only, REF §1 and the public reports). */
  codingPlan: boolean;
  /** Where the figures above come from. */
  source: string;
}

const BOTH: readonly Region[] = ["cn", "intl"];
const CN_ONLY: readonly Region[] = ["cn"];
const INTL_ONLY: readonly Region[] = ["intl"];

const TEXT_SOURCE =
  "OAS L3728 (model enum), L3943 (max_tokens: GLM-4.6/4.7/5.x 128K, GLM-4.5 96K), L5910 (thinking: GLM-4.5 and later); PAGE (context windows)";
const VISION_SOURCE =
  "OAS L4348 (model enum), L4490 (max_tokens: GLM-4.6V 32K, GLM-4.5V/4.1V 16K), L5671 (images: 50 for GLM-4.6V/4.5V, 1 and no base64 for GLM-4V-Flash, jpg/png/jpeg, < 5 MB, ≤ 6000×6000)";

const text = (
  name: string,
  family: string,
  ctx: number | undefined,
  out: number,
  free = false,
  notes?: string,
  extra: Partial<ModelInfo> = {},
): ModelInfo => ({
  name,
  family,
  kind: "chat",
  input: ["text"],
  output: ["text"],
  ...(ctx !== undefined ? { contextTokens: ctx } : {}),
  maxOutputTokens: out,
  thinking: "toggle",
  tool: "glm_reason",
  free,
  ...(notes ? { notes } : {}),
  regions: BOTH,
  codingPlan: true,
  source: TEXT_SOURCE,
  ...extra,
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
  kind: "vision",
  input: ["text", "image", "video", "file"],
  output: ["text"],
  contextTokens: ctx,
  maxOutputTokens: out,
  thinking,
  tool: "vision_analyze, video_understand, document_analyze",
  free,
  maxImages: 50,
  acceptsBase64Images: true,
  regions: BOTH,
  codingPlan: false,
  source: VISION_SOURCE,
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
  // GLM-5.x: newer than the Z.AI Dec-2025 enum, so its intl availability is unknown: not refused there.
  text("glm-5.2", "GLM-5", undefined, 131_072, false, "newest flagship (OAS L3728)"),
  text("glm-5.1", "GLM-5", undefined, 131_072),
  text("glm-5-turbo", "GLM-5", undefined, 131_072),
  text("glm-5", "GLM-5", undefined, 131_072),
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
  // glm-4.5 / glm-4.5-x: not in the 2026 CN enum (OAS L3728), still in the Dec-2025 Z.AI enum (REF §7).
  text("glm-4.5", "GLM-4.5", 128_000, 98_304, false, "retiring per the platform docs; prefer glm-4.7", {
    pricing: "GLM-4.5 series from 0.8 CNY/M input, 2 CNY/M output tokens",
    regions: INTL_ONLY,
    retiring: true,
  }),
  text("glm-4.5-x", "GLM-4.5", 128_000, 98_304, false, "fast variant of glm-4.5; retiring", {
    regions: INTL_ONLY,
    retiring: true,
  }),
  text("glm-4.5-air", "GLM-4.5", 128_000, 98_304, false, "cost-effective"),
  text("glm-4.5-airx", "GLM-4.5", 128_000, 98_304, false, "fast variant of glm-4.5-air"),
  // "即将下线" (retiring soon): REF §7.
  text("glm-4.5-flash", "GLM-4.5", 128_000, 98_304, true, "free; retiring soon per the platform docs", {
    retiring: true,
  }),
  // GLM-4 series: no thinking switch ("仅 GLM-4.5 及以上模型支持", OAS L5912); no per-model output
  // maximum stated, so the schema's own bound applies. CN enum only.
  text("glm-4-flash-250414", "GLM-4", 128_000, 131_072, true, "free; no thinking mode", {
    thinking: "none",
    regions: CN_ONLY,
  }),
  text("glm-4-flashx-250414", "GLM-4", 128_000, 131_072, false, "no thinking mode", {
    thinking: "none",
    regions: CN_ONLY,
  }),
  vision("glm-5v-turbo", "GLM-5V", 128_000, 131_072, "toggle", false, { regions: CN_ONLY }),
  vision("glm-4.6v", "GLM-4.6V", 128_000, 32_768, "toggle", false),
  vision("glm-4.6v-flashx", "GLM-4.6V", 128_000, 32_768, "toggle", false),
  vision("glm-4.6v-flash", "GLM-4.6V", 128_000, 32_768, "toggle", true, { notes: "free" }),
  // GLM-4.5V: in the Dec-2025 Z.AI enum only (REF §7); on CN it answers 1211 [I].
  vision("glm-4.5v", "GLM-4.5V", 64_000, 16_384, "toggle", false, { regions: INTL_ONLY }),
  // GLM-4.1V-Thinking takes video, image and text, but no files (file_url is GLM-5V/4.6V/4.5V only,
  // OAS L5671); CN enum only (the Z.AI enum lacks it, REF §7).
  vision("glm-4.1v-thinking-flashx", "GLM-4.1V-Thinking", 64_000, 16_384, "always", false, {
    input: ["text", "image", "video"],
    tool: "vision_analyze, video_understand",
    pricing: "2 CNY/M tokens",
    regions: CN_ONLY,
  }),
  vision("glm-4.1v-thinking-flash", "GLM-4.1V-Thinking", 64_000, 16_384, "always", true, {
    input: ["text", "image", "video"],
    tool: "vision_analyze, video_understand",
    notes: "free",
    regions: CN_ONLY,
  }),
  // GLM-4V-Flash: max_tokens [1,1024] (its HTTP 400 message, the issue), 1 image, URLs only (OAS L5671).
  vision("glm-4v-flash", "GLM-4V-Flash", 8_000, 1_024, "none", true, {
    input: ["text", "image"],
    tool: "vision_analyze",
    maxImages: 1,
    acceptsBase64Images: false,
    notes: "free; one image per request and URLs only (no base64)",
    regions: CN_ONLY,
  }),
  {
    name: "glm-4-voice",
    family: "GLM-4-Voice",
    kind: "voice",
    input: ["text", "audio"],
    output: ["text", "audio"],
    contextTokens: 8_000,
    maxOutputTokens: 4_096,
    thinking: "none",
    tool: "voice_reply",
    free: false,
    pricing: "80 CNY/M tokens",
    notes: "audio in: wav/mp3 ≤ 10 min; audio out as base64",
    regions: BOTH,
    codingPlan: false,
    source: "OAS L4751 (enum), L4890 (max_tokens 4K, default 1024); PAGE GLM-4-Voice",
  },
  {
    name: "glm-realtime-flash",
    family: "GLM-Realtime",
    kind: "realtime",
    input: ["text", "audio", "video"],
    output: ["text", "audio"],
    contextTokens: 8_000,
    maxOutputTokens: 1_024,
    thinking: "none",
    tool: "realtime_chat",
    free: false,
    pricing: "audio 0.18 CNY/min, video 1.2 CNY/min",
    notes: "WebSocket; 24 kHz mono PCM out; context 8K for audio calls (~20 turns), 32K for video calls",
    regions: BOTH,
    codingPlan: false,
    source: "REF §6 (session.model enum, max_response_output_tokens 0–1024); PAGE GLM-Realtime",
  },
  {
    name: "glm-realtime-air",
    family: "GLM-Realtime",
    kind: "realtime",
    input: ["text", "audio", "video"],
    output: ["text", "audio"],
    contextTokens: 8_000,
    maxOutputTokens: 1_024,
    thinking: "none",
    tool: "realtime_chat",
    free: false,
    pricing: "audio 0.3 CNY/min, video 2.1 CNY/min",
    notes: "WebSocket; context 8K for audio calls, 32K for video calls",
    regions: BOTH,
    codingPlan: false,
    source: "REF §6; PAGE GLM-Realtime",
  },
  {
    name: "embedding-3",
    family: "Embedding",
    kind: "embeddings",
    input: ["text"],
    output: ["embedding"],
    contextTokens: 8_000,
    thinking: "none",
    tool: "embed_text",
    free: false,
    pricing: "0.5 CNY/M tokens",
    notes: "≤ 64 inputs per request, ≤ 3072 tokens each; dimensions 256/512/1024/2048 (default 2048)",
    embedding: EMBEDDING_LIMITS["embedding-3"],
    regions: BOTH,
    codingPlan: false,
    source: "OAS L7989 (enum), L8011 (dimensions); REF §3",
  },
  {
    name: "embedding-2",
    family: "Embedding",
    kind: "embeddings",
    input: ["text"],
    output: ["embedding"],
    contextTokens: 512,
    thinking: "none",
    tool: "embed_text",
    free: false,
    notes: "fixed 1024 dimensions",
    embedding: EMBEDDING_LIMITS["embedding-2"],
    regions: BOTH,
    codingPlan: false,
    source: "OAS L7989, L8011 (fixed 1024); REF §3",
  },
  // GLM-OCR: layout parsing of PDFs and page images into Markdown (tables as HTML/Markdown, formulas
  // as LaTeX); the spec states no price, so none is claimed here.
  {
    name: "glm-ocr",
    family: "GLM-OCR",
    kind: "ocr",
    input: ["image", "file"],
    output: ["text"],
    thinking: "none",
    tool: "document_analyze",
    free: false,
    notes:
      "POST /layout_parsing; file as URL or base64; PDF/JPG/PNG, image ≤ 10 MB, PDF ≤ 50 MB and ≤ 100 pages",
    regions: BOTH,
    codingPlan: false,
    source:
      "OAS L1244 (/paas/v4/layout_parsing), L8537 (LayoutParsingRequest: model enum, file limits), L8592 (response)",
  },
  {
    name: "rerank",
    family: "Rerank",
    kind: "rerank",
    input: ["text"],
    output: ["text"],
    thinking: "none",
    tool: "embed_text",
    free: false,
    notes:
      "POST /rerank; ≤ 128 documents of ≤ 4096 characters, query ≤ 4096 characters; relevance_score per document",
    regions: BOTH,
    codingPlan: false,
    source: "OAS L1136 (/paas/v4/rerank), L8219 (RerankRequest: model enum, limits), L8275 (RerankResponse)",
  },
];

export const TEXT_MODELS = MODELS.filter((m) => m.tool === "glm_reason").map((m) => m.name);

/** Case-insensitive lookup: `GLM-4.6V` finds glm-4.6v (the platform's enums are lower case). */
export function findModel(name: string): ModelInfo | undefined {
  const wanted = name.trim().toLowerCase();
  return MODELS.find((m) => m.name === wanted);
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
    name: info?.name ?? name,
    maxImages: info?.maxImages ?? 50,
    base64Images: info?.acceptsBase64Images ?? true,
    video: info ? info.input.includes("video") : true,
    files: FILE_URL_FAMILIES.test(name),
    thinking: info?.thinking ?? "toggle",
  };
}

/**
 * What GLM takes as an image URL (OAS L5671: "支持jpg、png、jpeg格式", "每张图像5M以下", "像素不超过
 * 6000*6000"); anything else is fetched and converted here first.
 */
export const IMAGE_URL_RULES = {
  extensions: ["jpg", "jpeg", "png"] as const,
  maxBytes: 5 * 1024 * 1024,
  maxSide: 6000,
};

/** Models of these kinds that the region serves, retiring ones last. */
export function availableModels(kinds: readonly EndpointKind[], region: Region): ModelInfo[] {
  const served = MODELS.filter((m) => kinds.includes(m.kind) && m.regions.includes(region));
  return [...served.filter((m) => !m.retiring), ...served.filter((m) => m.retiring)];
}

function offer(kinds: readonly EndpointKind[], region: Region): string {
  return availableModels(kinds, region)
    .map((m) => m.name + (m.retiring ? " (retiring)" : ""))
    .join(", ");
}

/**
 * The catalog entry for a model a tool was asked to use, or a ToolInputError naming the models that
 * would work: unknown names, models of another kind and models the region does not serve are
 * refused before any request (GLM would answer 1211 "模型不存在").
 */
export function resolveModel(name: string, kinds: readonly EndpointKind[], region: Region): ModelInfo {
  const info = findModel(name);
  const host = region === "cn" ? "open.bigmodel.cn" : "api.z.ai";
  if (!info || !kinds.includes(info.kind)) {
    throw new ToolInputError(
      `Unknown model "${name}" for this tool: use one of ${offer(kinds, region)} (region ${region}, ${host}).`,
    );
  }
  if (!info.regions.includes(region)) {
    const other = region === "cn" ? "intl" : "cn";
    throw new ToolInputError(
      `${info.name} is not served in region ${region} (${host})${info.retiring ? " and is being retired" : ""}: use one of ${offer(kinds, region)}, or set GLM_REGION=${other} with a key for that platform.`,
    );
  }
  return info;
}
