// The model catalog the fake knows (CN-OAS 2026-07 enums plus glm-4.5/glm-4.5-x/glm-4.5v from the
// Z.AI Dec-2025 enum) with the per-model limits that the validation enforces.

export type ModelKind = "text" | "vision" | "voice";

export interface FakeModel {
  kind: ModelKind;
  /** Schema maximum for max_tokens. */
  maxTokens: number;
  /** "auto": thinking follows thinking.type (default enabled); "always": reasons even when disabled; "never". */
  thinking: "auto" | "always" | "never";
  /** Vision: images allowed per request (undefined = no documented per-model cap). */
  maxImages?: number;
  /** Vision: base64 images accepted. */
  base64Images?: boolean;
  /** Vision: video_url accepted. */
  video?: boolean;
  /** Vision: file_url accepted ("仅GLM-5V-Turbo GLM-4.6V GLM-4.5V支持"). */
  files?: boolean;
  /** Tools accepted (text models; vision: GLM-4.6V family and GLM-5V-Turbo). */
  tools?: boolean;
  /**
   * `thinking` may be sent. openapi ChatThinking: "仅 `GLM-4.5` 及以上模型支持此参数配置"; the audio
   * request schema has no `thinking` at all. GLM-4 and GLM-4.1V/4V-Flash models get a 1214.
   */
  thinkingSwitch: boolean;
  /**
   * Served on the coding-plan endpoint /api/coding/paas/v4. Z.AI's Coding Plan docs list only the
   * GLM-4.5-and-later chat models (quoted in stefandevo/glm-acp-agent#24 and #34); vision models
   * there answer 400 / 1211 "Unknown Model" (same issue #24 for glm-4v-plus; NousResearch/hermes-agent
   * #112316 for glm-5v-turbo), and issue #12 reports embeddings and voice failing the same way.
   * (typeclaw/typeclaw#1105 reports glm-4.6v working there; the fake stays on the strict side, so
   * a client that passes here routes vision to the standard endpoint as the official server does.)
   */
  coding: boolean;
  /**
   * `thinking: {type: "disabled"}` is a 1210: GLM-5.3 always reasons and 5.3-Flash's thinking "cannot
   * be disabled" (issue #22, public model tables Dec 2026). GLM-5.4 gets the same (no switch is
   * documented: the strict side).
   */
  refusesThinkingOff?: boolean;
}

const text = (maxTokens: number, thinking: FakeModel["thinking"] = "auto"): FakeModel => ({
  kind: "text",
  maxTokens,
  thinking,
  tools: true,
  thinkingSwitch: thinking !== "never",
  coding: thinking !== "never",
});
const bigVision = (maxTokens: number, tools: boolean): FakeModel => ({
  kind: "vision",
  maxTokens,
  thinking: "auto",
  maxImages: 50,
  base64Images: true,
  video: true,
  files: true,
  tools,
  thinkingSwitch: true,
  coding: false,
});

export const MODELS: Record<string, FakeModel> = {
  // GLM-5.3 / 5.4 / 5.3-Flash (issue #22): newer than the 2026-07 spec, so the schema maximum applies;
  // 5.3-Flash is natively multimodal (text, image, video; file_url is not documented for it), and
  // the official @z_ai/mcp-server 0.1.5 sends it max_tokens 131072.
  "glm-5.4": { ...text(131072, "always"), refusesThinkingOff: true },
  "glm-5.3": { ...text(131072, "always"), refusesThinkingOff: true },
  "glm-5.3-flash": { ...bigVision(131072, true), thinking: "always", files: false, refusesThinkingOff: true },
  // GLM-4.6/4.7/5.x: 128K output (schema maximum 131072).
  "glm-5.2": text(131072),
  "glm-5.1": text(131072),
  "glm-5-turbo": text(131072),
  "glm-5": text(131072),
  "glm-4.7": text(131072),
  "glm-4.7-flash": text(131072),
  "glm-4.7-flashx": text(131072),
  "glm-4.6": text(131072),
  // GLM-4.5 series: 96K output.
  "glm-4.5": text(98304),
  "glm-4.5-air": text(98304),
  "glm-4.5-airx": text(98304),
  "glm-4.5-flash": text(98304),
  "glm-4.5-x": text(98304),
  // GLM-4 series: no per-model output maximum is documented, so the schema maximum applies; no thinking.
  "glm-4-flash-250414": text(131072, "never"),
  "glm-4-flashx-250414": text(131072, "never"),
  // Vision.
  "glm-5v-turbo": bigVision(131072, true),
  "glm-4.6v": bigVision(32768, true),
  "glm-4.6v-flash": bigVision(32768, true),
  "glm-4.6v-flashx": bigVision(32768, true),
  "glm-4.5v": bigVision(16384, false),
  // GLM-4V-Flash: images only, 1 image, no base64 (openapi VisionMultimodalContentItem image_url.url),
  // max_tokens [1,1024] (the platform's 400 "max_tokens参数非法：限制数值范围[1,1024]" quoted in
  // ysr666/dsh-vision-router#374 and langgenius/dify#7880).
  "glm-4v-flash": {
    kind: "vision",
    maxTokens: 1024,
    thinking: "never",
    maxImages: 1,
    base64Images: false,
    video: false,
    files: false,
    thinkingSwitch: false,
    coding: false,
  },
  // GLM-4.1V-Thinking: always reasons; no per-model image cap documented (general limits only).
  "glm-4.1v-thinking-flashx": {
    kind: "vision",
    maxTokens: 16384,
    thinking: "always",
    base64Images: true,
    video: true,
    files: false,
    thinkingSwitch: false,
    coding: false,
  },
  "glm-4.1v-thinking-flash": {
    kind: "vision",
    maxTokens: 16384,
    thinking: "always",
    base64Images: true,
    video: true,
    files: false,
    thinkingSwitch: false,
    coding: false,
  },
  // Voice.
  "glm-4-voice": { kind: "voice", maxTokens: 4096, thinking: "never", thinkingSwitch: false, coding: false },
};

export const EMBEDDING_MODELS = {
  "embedding-3": {
    dimensions: [256, 512, 1024, 2048],
    defaultDimensions: 2048,
    maxItemTokens: 3072,
    maxTotalTokens: Infinity,
  },
  "embedding-2": { dimensions: [1024], defaultDimensions: 1024, maxItemTokens: 512, maxTotalTokens: 8192 },
} as const;

export type EmbeddingModelName = keyof typeof EMBEDDING_MODELS;
