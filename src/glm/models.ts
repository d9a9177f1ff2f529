// The model catalog: what each GLM model takes and gives and where it is served (which tools use it
// comes from the tool registry: each tool declares the kinds it calls). Every request is built
// through it (src/glm/requests.ts). Sources, short names used below:
//   OAS     = test/fake-glm/spec/openapi-2026-07-11.json, with line numbers: the CN platform's spec
//             (docs.bigmodel.cn openapi.json frozen 2026-07-11; public copy in github.com/AnlangA/zai-rs
//             spec/upstream/), the same file the fake validates every request against
//   AAS     = the CN platform's AsyncAPI spec for GLM-Realtime, same snapshot and repository
//             (spec/upstream/asyncapi-2026-07-11.json)
//   PAGE X  = the platform's page for model X, https://docs.bigmodel.cn/cn/guide/models/ + text/glm-4.7,
//             text/glm-4.6, text/glm-4.5, vlm/glm-4.6v, vlm/glm-4.1v-thinking, free/glm-4v-flash,
//             sound-and-video/glm-4-voice, sound-and-video/glm-realtime, embedding/embedding-3
//   ZAI-OAS = the Z.AI platform's chat completion reference as of Dec 2025 (its model enum),
//             https://docs.z.ai/api-reference/llm/chat-completion
//   CODING  = the coding plan's endpoints, https://docs.bigmodel.cn/cn/coding-plan/tool
//   I22     = issue #22 (public model tables, Dec 2026: GLM-5 to 5.4, 5.3-Flash, GLM-5V-Turbo)
//   ZAI     = the official server @z_ai/mcp-server 0.1.5 (npm, build/core/environment.js)
// The catalog informs, it never gates (DESIGN v0.3): a name it does not know is sent as given with
// its family's safe rules (inferModel) and one note; only GLM's own 1211/1210 answer refuses it.
import type { Region } from "../config.js";
import { ToolInputError } from "../errors.js";
import type { ChatMessage } from "./types.js";

export type Modality = "text" | "image" | "video" | "file" | "audio" | "embedding";

/** Which request a model takes: the endpoint it is called on and the shape of its body. */
export type EndpointKind =
  | "chat"
  | "vision"
  | "voice"
  | "realtime"
  | "embeddings"
  | "web"
  | "image"
  | "transcription"
  | "ocr"
  | "rerank";

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
  /** The GLM Coding Plan endpoint serves it (chat models only: CODING and the public reports). */
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
  out: number | undefined,
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
  ...(out !== undefined ? { maxOutputTokens: out } : {}),
  thinking: "toggle",
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
  ctx: number | undefined,
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
  ...(ctx !== undefined ? { contextTokens: ctx } : {}),
  maxOutputTokens: out,
  thinking,
  free,
  maxImages: 50,
  acceptsBase64Images: true,
  regions: BOTH,
  codingPlan: false,
  source: VISION_SOURCE,
  ...extra,
});

const IMAGE_SOURCE =
  "OAS L797 (path), L11220 (CreateImageRequest: model enum, quality, size rules), L11318 (ImageGenerationResponse)";

const image = (name: string, family: string, notes: string, free = false): ModelInfo => ({
  name,
  family,
  kind: "image",
  input: ["text"],
  output: ["image"],
  thinking: "none",
  free,
  notes,
  regions: BOTH,
  codingPlan: false,
  source: IMAGE_SOURCE,
});

// Embedding models: what each accepts (OAS EmbeddingCreateRequest, L7989–L8011).
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

// GLM-5.3 and later are newer than the 2026-07 spec: each figure names its source; a figure no source
// states stays undefined (no max_tokens clamp, context unknown).
const GLM_53_SOURCE =
  "context: not stated; max output: not stated (no clamp); thinking: always, GLM answers 1210 to thinking disabled (issue #22, public model tables Dec 2026); modalities: text (issue #22, public model tables Dec 2026)";
const GLM_53_FLASH_SOURCE =
  "context: not stated; max output: 131072 (@z_ai/mcp-server 0.1.5 getVisionConfig: Z_AI_VISION_MODEL default glm-5.3-flash, max_tokens default 131072); thinking: always, cannot be disabled (issue #22; @z_ai/mcp-server sends thinking enabled); modalities: text, image, video (issue #22: natively multimodal)";
const GLM_54_SOURCE =
  "context: not stated; max output: not stated (no clamp); thinking: always by the GLM-5 family rule (issue #22 lists it; no switch documented); modalities: text (issue #22, public model tables Dec 2026)";
const GLM_5_SOURCE =
  "context: not stated; max output: 131072 (OAS L3943: GLM-5.2/5.1/5 128K); thinking: toggle (OAS L5910: GLM-4.5 and later); modalities: text (OAS L3728 text enum)";

export const MODELS: readonly ModelInfo[] = [
  // GLM-5.x: newer than the Z.AI Dec-2025 enum, so its intl availability is unknown: not refused there.
  text("glm-5.4", "GLM-5", undefined, undefined, false, "newest GLM-5 text model (issue #22)", {
    thinking: "always",
    source: GLM_54_SOURCE,
  }),
  text(
    "glm-5.3",
    "GLM-5",
    undefined,
    undefined,
    false,
    "always reasons; thinking cannot be turned off (issue #22)",
    {
      thinking: "always",
      source: GLM_53_SOURCE,
    },
  ),
  text("glm-5.2", "GLM-5", undefined, 131_072, false, "flagship of the 2026-07 spec (OAS L3728)", {
    source: GLM_5_SOURCE,
  }),
  text("glm-5.1", "GLM-5", undefined, 131_072, false, undefined, { source: GLM_5_SOURCE }),
  text("glm-5-turbo", "GLM-5", undefined, 131_072, false, undefined, { source: GLM_5_SOURCE }),
  text("glm-5", "GLM-5", undefined, 131_072, false, undefined, { source: GLM_5_SOURCE }),
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
  // glm-4.5 / glm-4.5-x: not in the 2026 CN enum (OAS L3728), still in the Dec-2025 Z.AI enum (ZAI-OAS).
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
  // "即将下线" (retiring soon): PAGE GLM-4.5 says it of GLM-4.5 and 4.5-X; of 4.5-Flash, the platform's
  // model list (no page kept here) [I].
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
  // GLM-5.3-Flash: the official vision server's default model (ZAI), natively multimodal (I22).
  vision("glm-5.3-flash", "GLM-5", undefined, 131_072, "always", false, {
    input: ["text", "image", "video"],
    notes: "default vision model of the official Z.AI MCP server; always reasons (issue #22)",
    source: GLM_53_FLASH_SOURCE,
  }),
  vision("glm-5v-turbo", "GLM-5V", 128_000, 131_072, "toggle", false, {
    regions: CN_ONLY,
    source:
      "context: 128K (PAGE); max output: 131072 (OAS L4490: GLM-5V-Turbo 128K); thinking: toggle (OAS L5910); modalities: text, image, video, file (OAS L5671: file_url GLM-5V-Turbo/4.6V/4.5V); listed by issue #22",
  }),
  vision("glm-4.6v", "GLM-4.6V", 128_000, 32_768, "toggle", false),
  vision("glm-4.6v-flashx", "GLM-4.6V", 128_000, 32_768, "toggle", false),
  vision("glm-4.6v-flash", "GLM-4.6V", 128_000, 32_768, "toggle", true, { notes: "free" }),
  // GLM-4.5V: in the Dec-2025 Z.AI enum only (ZAI-OAS); on CN it answers 1211 [I].
  vision("glm-4.5v", "GLM-4.5V", 64_000, 16_384, "toggle", false, { regions: INTL_ONLY }),
  // GLM-4.1V-Thinking takes video, image and text, but no files (file_url is GLM-5V/4.6V/4.5V only,
  // OAS L5671); CN enum only (ZAI-OAS lacks it).
  vision("glm-4.1v-thinking-flashx", "GLM-4.1V-Thinking", 64_000, 16_384, "always", false, {
    input: ["text", "image", "video"],
    pricing: "2 CNY/M tokens",
    regions: CN_ONLY,
  }),
  vision("glm-4.1v-thinking-flash", "GLM-4.1V-Thinking", 64_000, 16_384, "always", true, {
    input: ["text", "image", "video"],
    notes: "free",
    regions: CN_ONLY,
  }),
  // GLM-4V-Flash: max_tokens [1,1024] (its HTTP 400 message, the issue), 1 image, URLs only (OAS L5671).
  vision("glm-4v-flash", "GLM-4V-Flash", 8_000, 1_024, "none", true, {
    input: ["text", "image"],
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
    free: false,
    pricing: "audio 0.18 CNY/min, video 1.2 CNY/min",
    notes: "WebSocket; 24 kHz mono PCM out; context 8K for audio calls (~20 turns), 32K for video calls",
    regions: BOTH,
    codingPlan: false,
    source: "AAS (session.model enum, max_response_output_tokens 0–1024); PAGE GLM-Realtime",
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
    free: false,
    pricing: "audio 0.3 CNY/min, video 2.1 CNY/min",
    notes: "WebSocket; context 8K for audio calls, 32K for video calls",
    regions: BOTH,
    codingPlan: false,
    source: "AAS; PAGE GLM-Realtime",
  },
  {
    name: "embedding-3",
    family: "Embedding",
    kind: "embeddings",
    input: ["text"],
    output: ["embedding"],
    contextTokens: 8_000,
    thinking: "none",
    free: false,
    pricing: "0.5 CNY/M tokens",
    notes: "≤ 64 inputs per request, ≤ 3072 tokens each; dimensions 256/512/1024/2048 (default 2048)",
    embedding: EMBEDDING_LIMITS["embedding-3"],
    regions: BOTH,
    codingPlan: false,
    source: "OAS L7989 (enum), L8011 (dimensions); PAGE Embedding-3",
  },
  {
    name: "embedding-2",
    family: "Embedding",
    kind: "embeddings",
    input: ["text"],
    output: ["embedding"],
    contextTokens: 512,
    thinking: "none",
    free: false,
    notes: "fixed 1024 dimensions",
    embedding: EMBEDDING_LIMITS["embedding-2"],
    regions: BOTH,
    codingPlan: false,
    source: "OAS L7989, L8011 (fixed 1024)",
  },
  // Image generation (POST /images/generations, image_generate). Intl availability is not stated
  // in a source kept here (only OAS, the CN spec, lists them), so no region is refused.
  image("glm-image", "GLM-Image", "newest; quality hd only; sizes 1024–2048 px, multiples of 32, ≤ 2^22 px"),
  image("cogview-4-250304", "CogView-4", "sizes 512–2048 px, multiples of 16, ≤ 2^21 px"),
  image("cogview-4", "CogView-4", "sizes 512–2048 px, multiples of 16, ≤ 2^21 px"),
  // Free: the platform's "flash" tier (as glm-4.7-flash, glm-4.6v-flash); a public model table
  // lists it as 免费 (skills.sh, full-aigc-skills/zhipu-skills "zhipu-image-generation"); no price
  // page is kept in the repo.
  image("cogview-3-flash", "CogView-3", "free; sizes as CogView-4", true),
  {
    name: "glm-asr-2512",
    family: "GLM-ASR",
    kind: "transcription",
    input: ["audio"],
    output: ["text"],
    thinking: "none",
    free: false,
    notes: "speech to text; wav/mp3 ≤ 25 MB and ≤ 30 s per request",
    regions: BOTH,
    codingPlan: false,
    source:
      "OAS L847 (path), L7711 (AudioTranscriptionRequest: enum, file ≤ 25 MB / ≤ 30 s), L7764 (response)",
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
    free: false,
    notes:
      "POST /rerank; ≤ 128 documents of ≤ 4096 characters, query ≤ 4096 characters; relevance_score per document",
    regions: BOTH,
    codingPlan: false,
    source: "OAS L1136 (/paas/v4/rerank), L8219 (RerankRequest: model enum, limits), L8275 (RerankResponse)",
  },
];

export const TEXT_MODELS = MODELS.filter((m) => m.kind === "chat").map((m) => m.name);

/** Case-insensitive lookup: `GLM-4.6V` finds glm-4.6v (the platform's enums are lower case). */
export function findModel(name: string): ModelInfo | undefined {
  const wanted = name.trim().toLowerCase();
  return MODELS.find((m) => m.name === wanted);
}

const VISION_PARTS = new Set(["image_url", "video_url", "file_url"]);

/**
 * The kind of a chat body: the catalog's for a known model; for a name it does not know, what the
 * body carries (media parts: vision, audio: voice, else chat) — so an unknown vision model is never
 * routed to the coding-plan endpoint, which serves chat models only.
 */
export function requestKind(model: string | undefined, messages?: readonly ChatMessage[]): EndpointKind {
  const known = model ? findModel(model)?.kind : undefined;
  if (known) return known;
  const parts = (messages ?? []).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
  if (parts.some((p) => VISION_PARTS.has(p.type))) return "vision";
  if (parts.some((p) => p.type === "input_audio")) return "voice";
  return "chat";
}

/** file_url is documented for GLM-5V-Turbo, GLM-4.6V and GLM-4.5V only. */
const FILE_URL_FAMILIES = /^glm-(4\.6v|4\.5v|5v)/i;

/** What a vision request may carry for one model (names not in the catalog: inferModel's rules). */
export interface VisionRules {
  name: string;
  maxImages: number;
  base64Images: boolean;
  video: boolean;
  files: boolean;
  thinking: ModelInfo["thinking"];
}

export function visionRules(name: string): VisionRules {
  const known = findModel(name);
  const info = known ?? inferModel(name, "vision");
  return {
    name: info.name,
    maxImages: info.maxImages ?? 50,
    base64Images: info.acceptsBase64Images ?? true,
    video: info.input.includes("video"),
    // Unknown names: GLM decides (its 1210 says so), not a guess of ours.
    files: known ? FILE_URL_FAMILIES.test(name) : true,
    thinking: info.thinking,
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

/** "glm-4.7, glm-4.6, …, glm-4.5-flash (retiring)": the catalog's models of these kinds in the region. */
export function offer(kinds: readonly EndpointKind[], region: Region): string {
  return availableModels(kinds, region)
    .map((m) => m.name + (m.retiring ? " (retiring)" : ""))
    .join(", ");
}

export const REGION_HOSTS: Readonly<Record<Region, string>> = { cn: "open.bigmodel.cn", intl: "api.z.ai" };

/** A model a tool will call: the catalog's entry, or one inferred from the name. */
export interface ResolvedModel extends ModelInfo {
  /** True when the name is not in the catalog and its rules come from inferModel. */
  inferred?: boolean;
  /** Why the catalog was not applied as-is (unknown name, other region), for the result's notes. */
  catalogNote?: string;
}

const VERSION = /^glm-(\d+)/;

/**
 * Rules for a name the catalog does not know, from its family: GLM-5 and later always reason (GLM-5.3
 * and 5.3-Flash answer 1210 to thinking disabled, I22), so no thinking field is sent and none can be
 * refused; older glm-4.x names keep the switch (OAS L5910: GLM-4.5 and later). The calling tool picks
 * the request shape (kind): a vision tool sends media with vision rules (no image cap but GLM's 50,
 * base64 allowed, video allowed), glm_reason sends text as chat (the coding endpoint with the plan).
 * No max_tokens clamp and no context figure: nothing is known, so GLM's own limit applies.
 */
export function inferModel(name: string, kind: EndpointKind): ModelInfo {
  const wanted = name.trim().toLowerCase();
  const major = Number(VERSION.exec(wanted)?.[1] ?? 0);
  const vision = kind === "vision";
  return {
    name: wanted,
    family: major > 0 ? `GLM-${major}` : "GLM",
    kind,
    input: vision ? ["text", "image", "video", "file"] : ["text"],
    output: ["text"],
    thinking: major >= 5 ? "always" : "toggle",
    free: false,
    regions: BOTH,
    codingPlan: kind === "chat",
    source: "inferred from the name's family: not in glm-mcp's catalog",
  };
}

const KIND_LABEL: Readonly<Record<EndpointKind, string>> = {
  chat: "a text",
  vision: "a vision",
  voice: "a voice",
  realtime: "a realtime",
  embeddings: "an embedding",
  web: "a web search",
  image: "an image generation",
  transcription: "a speech-to-text",
  ocr: "an OCR",
  rerank: "a rerank",
};

/**
 * A known model of a kind the calling tool cannot send. The catalog does not know the tools: the tool
 * frame, which does, names those that take the model (`naming`).
 */
export class ModelKindError extends ToolInputError {
  override name = "ModelKindError";
  constructor(
    readonly model: ModelInfo,
    private readonly alternatives: string,
    tools: readonly string[] = [],
  ) {
    const useWith = tools.length ? `use it with ${tools.join(", ")}, or ` : "";
    super(
      `${model.name} is ${KIND_LABEL[model.kind]} model, which this tool cannot call: ${useWith}pick one of ${alternatives} here.`,
    );
  }

  /** The same refusal, naming the tools that take the model. */
  naming(tools: readonly string[]): ModelKindError {
    return new ModelKindError(this.model, this.alternatives, tools);
  }
}

/**
 * The model a tool was asked to use. The catalog informs, it does not gate: an unknown name is sent
 * as given (lower-cased) with its family's rules and a note; a known model the catalog lists for the
 * other region is sent with a note (the catalog may be stale); GLM's own 1211/1210 is the only
 * refusal (model-refusal.ts turns it into a sentence). The one refusal here is knowledge, not a
 * guess: a known model of another kind (embedding-3 asked of vision_analyze) cannot take the
 * request this tool builds, so it is named with the tool that can use it.
 */
export function resolveModel(name: string, kinds: readonly EndpointKind[], region: Region): ResolvedModel {
  const info = findModel(name);
  if (!info) {
    const guess = inferModel(name, kinds[0] ?? "chat");
    const rules = guess.thinking === "always" ? "thinking always on, " : "";
    return {
      ...guess,
      inferred: true,
      catalogNote: `[${guess.name} is not in glm-mcp's catalog; sent with ${guess.family} defaults (${rules}no max_tokens cap).]`,
    };
  }
  if (!kinds.includes(info.kind)) throw new ModelKindError(info, offer(kinds, region));
  if (!info.regions.includes(region)) {
    const other = region === "cn" ? "intl" : "cn";
    return {
      ...info,
      catalogNote: `[glm-mcp's catalog does not list ${info.name} for region ${region} (${REGION_HOSTS[region]})${info.retiring ? " and it is being retired" : ""}; sent anyway, as the catalog may be stale. If GLM refuses it, use one of ${offer(kinds, region)}, or set GLM_REGION=${other} with a key for that platform.]`,
    };
  }
  return info;
}

/**
 * What `size` may be for an image model (OAS L11252, CreateImageRequest.size): glm-image takes
 * sides that are multiples of 32 with at most 2^22 pixels, the others multiples of 16 within
 * 512–2048 px with at most 2^21 pixels. glm-image's "1024–2048" is only a recommendation (its own
 * listed 1728×960 is below it), so 512 is its floor here [I]. Unknown names get the stricter rule.
 */
export interface ImageSizeRules {
  multiple: number;
  minSide: number;
  maxSide: number;
  maxPixels: number;
  defaultSize: string;
  /** glm-image: "仅支持 hd" (OAS L11243). */
  qualities: readonly ("hd" | "standard")[];
}

export function imageSizeRules(model: string): ImageSizeRules {
  if (/^glm-image/i.test(model))
    return {
      multiple: 32,
      minSide: 512,
      maxSide: 2048,
      maxPixels: 2 ** 22,
      defaultSize: "1280x1280",
      qualities: ["hd"],
    };
  return {
    multiple: 16,
    minSide: 512,
    maxSide: 2048,
    maxPixels: 2 ** 21,
    defaultSize: "1024x1024",
    qualities: ["hd", "standard"],
  };
}

/** "1280x1280" (also "1280×1280", "1280*1280") -> [1280, 1280], or a sentence saying what is wrong. */
export function checkImageSize(size: string, model: string): { width: number; height: number } | string {
  const m = /^\s*(\d{2,5})\s*[x×X*]\s*(\d{2,5})\s*$/.exec(size);
  const r = imageSizeRules(model);
  if (!m) return `size "${size}" is not WIDTHxHEIGHT (e.g. ${r.defaultSize})`;
  const width = Number(m[1]);
  const height = Number(m[2]);
  const bad: string[] = [];
  if ([width, height].some((v) => v % r.multiple !== 0))
    bad.push(`both sides must be multiples of ${r.multiple}`);
  if ([width, height].some((v) => v < r.minSide || v > r.maxSide))
    bad.push(`each side must be ${r.minSide}–${r.maxSide} px`);
  if (width * height > r.maxPixels) bad.push(`at most ${r.maxPixels.toLocaleString("en-US")} pixels`);
  if (bad.length)
    return `size ${width}x${height} does not fit ${model}: ${bad.join(", ")} (e.g. ${r.defaultSize})`;
  return { width, height };
}
