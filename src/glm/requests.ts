// Chat request bodies built from the model catalog: which fields a model takes, and in what range,
// is decided here, not in each tool. Builders return the body and notes on anything they changed.
import type { ModelInfo, ResolvedModel, VisionRules } from "./models.js";
import type { ChatMessage, ChatRequest, ContentPart } from "./types.js";

export interface BuiltRequest {
  body: ChatRequest;
  /** What was adjusted to fit the model (e.g. max_tokens lowered), for the result's notes. */
  notes: string[];
}

export interface SamplingArgs {
  max_tokens?: number | undefined;
  temperature?: number | undefined;
  top_p?: number | undefined;
}

/** "限两位小数" (OAS L3925 temperature, L3934 top_p): at most two decimals. */
const twoDecimals = (v: number) => Math.round(v * 100) / 100;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * max_tokens capped at the model's output limit (OAS L3943, L4490, L4890), temperature in [0, 1] and
 * top_p in [0.01, 1] with two decimals (OAS L3925, L3934 and the same fields of the vision and audio
 * requests).
 */
export function samplingFor(
  info: Pick<ModelInfo, "name" | "maxOutputTokens">,
  a: SamplingArgs,
  notes: string[],
): Pick<ChatRequest, "max_tokens" | "temperature" | "top_p"> {
  const out: Pick<ChatRequest, "max_tokens" | "temperature" | "top_p"> = {};
  if (a.max_tokens !== undefined) {
    const limit = info.maxOutputTokens;
    if (limit !== undefined && a.max_tokens > limit) {
      notes.push(`[max_tokens ${a.max_tokens} is above ${info.name}'s limit of ${limit}: sent ${limit}.]`);
      out.max_tokens = limit;
    } else out.max_tokens = a.max_tokens;
  }
  if (a.temperature !== undefined) out.temperature = clamp(twoDecimals(a.temperature), 0, 1);
  if (a.top_p !== undefined) out.top_p = clamp(twoDecimals(a.top_p), 0.01, 1);
  return out;
}

/**
 * The thinking field to send: only for models with the switch ("仅 GLM-4.5 及以上模型支持此参数",
 * OAS L5912); omitted for models that always think or never do. `thinking: disabled` never goes to a
 * model that always thinks (GLM-5.3 answers it with 1210, I22): a false is dropped with a note.
 */
export function thinkingFor(
  rules: Pick<VisionRules, "thinking" | "name">,
  thinking: boolean | undefined,
  preserve = false,
  notes: string[] = [],
): Pick<ChatRequest, "thinking"> {
  if (rules.thinking === "always" && thinking === false)
    notes.push(
      `[${rules.name} always reasons: thinking=false was not sent, as GLM refuses it for this model.]`,
    );
  if (rules.thinking !== "toggle") return {};
  if (thinking !== false && preserve) return { thinking: { type: "enabled", clear_thinking: false } };
  return { thinking: { type: thinking === false ? "disabled" : "enabled" } };
}

export interface VisionRequestArgs extends SamplingArgs {
  info: ResolvedModel;
  parts: ContentPart[];
  thinking?: boolean | undefined;
  /** A system instruction before the user turn (vision_analyze's `task`). */
  system?: string | undefined;
}

/** One user turn of media parts plus the prompt, for a GLM vision model. */
export function visionRequest(a: VisionRequestArgs): BuiltRequest {
  const notes = catalogNotes(a.info);
  const body: ChatRequest = {
    model: a.info.name,
    messages: [
      ...(a.system ? [{ role: "system" as const, content: a.system }] : []),
      { role: "user", content: a.parts },
    ],
    ...thinkingFor(a.info, a.thinking, false, notes),
    ...samplingFor(a.info, a, notes),
  };
  return { body, notes };
}

export interface ReasonRequestArgs extends SamplingArgs {
  info: ResolvedModel;
  messages: ChatMessage[];
  thinking?: boolean | undefined;
  response_format?: "text" | "json_object" | undefined;
}

/** glm_reason's body: thinking on by default, earlier reasoning kept when it is sent back. */
export function reasonRequest(a: ReasonRequestArgs): BuiltRequest {
  const notes = catalogNotes(a.info);
  // Preserved thinking: earlier reasoning is sent back and must not be cleared by GLM (OAS L5920).
  const carriesReasoning = a.messages.some((m) => m.role === "assistant" && m.reasoning_content);
  const body: ChatRequest = {
    model: a.info.name,
    messages: a.messages,
    ...thinkingFor(a.info, a.thinking ?? true, carriesReasoning, notes),
    ...(a.response_format ? { response_format: { type: a.response_format } } : {}),
    ...samplingFor(a.info, a, notes),
  };
  return { body, notes };
}

/** The note on a model sent without the catalog's full knowledge (unknown name, other region). */
function catalogNotes(info: ResolvedModel): string[] {
  return info.catalogNote ? [info.catalogNote] : [];
}

/** glm-4-voice's body: no thinking switch, output capped at 4K (OAS L4890). */
export function voiceRequest(info: ModelInfo, messages: ChatMessage[], a: SamplingArgs): BuiltRequest {
  const notes: string[] = [];
  return { body: { model: info.name, messages, ...samplingFor(info, a, notes) }, notes };
}
