// POST /chat/completions request validation (CN-OAS 2026 ChatCompletion{Text,Vision,Audio}Request,
// REFERENCE §2). Every rejection uses the platform's business code: 1213 missing field, 1214 illegal
// field value (named), 1211 unknown model, 1210 parameters that do not fit the model (media).
import { badParams, invalidField, missingField, unknownModel } from "./errors.js";
import { MODELS, type FakeModel, type ModelKind } from "./models.js";
import { checkCodingPlan, checkMaxTokens, checkThinkingSwitch, checkTwoDecimals } from "./rules.js";
import { checkAgainstSpec, type SpecSchema } from "./spec.js";
import {
  absent,
  isObject,
  optBoolean,
  optEnum,
  optInteger,
  optNumberInRange,
  optString,
} from "./validate.js";
import { newTally, validateVisionParts, type MediaTally } from "./vision.js";
import { validateVoiceParts, type AudioRegistry } from "./voice.js";
import { checkToolMessages, type IssuedCalls } from "./function-calling.js";

/** What the answer generator needs to know about one message. */
export interface MessageSummary {
  role: "system" | "user" | "assistant" | "tool";
  /** Text of the message (string content, or its text parts joined by a space). */
  text: string;
  images: number;
  videos: number;
  files: number;
  audios: number;
  audioSec: number;
}

export interface ValidChat {
  modelName: string;
  model: FakeModel;
  stream: boolean;
  thinking: boolean;
  jsonObject: boolean;
  maxTokens: number | undefined;
  stop: string | undefined;
  requestId: string | undefined;
  messages: MessageSummary[];
  tally: MediaTally;
}

const ROLES = ["system", "user", "assistant", "tool"] as const;
const MEDIA_TYPES = new Set(["image_url", "video_url", "file_url", "input_audio"]);
/**
 * `stop`: the text says "目前仅支持单个停止词"; the Z.AI schema has maxItems 1 and the CN 2026 schema
 * maxItems 4. The fake enforces 1 so a client that passes here passes on both platforms.
 */
export const MAX_STOP_WORDS = 1;
export const MAX_TOOLS = 128;

/** The openapi requestBody schema (oneOf branch of POST /paas/v4/chat/completions) per model kind. */
const SCHEMA_FOR_KIND: Record<ModelKind, SpecSchema> = {
  text: "chatText",
  vision: "chatVision",
  voice: "chatAudio",
};

export async function validateChat(
  body: Record<string, unknown>,
  audio: AudioRegistry,
  opts: { coding?: boolean; issued?: IssuedCalls; models?: Record<string, FakeModel> } = {},
): Promise<ValidChat> {
  if (absent(body.model)) throw missingField("model");
  if (typeof body.model !== "string") throw invalidField("model", "必须是字符串");
  const modelName = body.model;
  // Model codes are matched exactly as GLM spells them: `GLM-4.6V` is a 1211 like any unknown name.
  const model =
    opts.models && Object.hasOwn(opts.models, modelName) ? opts.models[modelName] : MODELS[modelName];
  checkCodingPlan(opts.coding ?? false, modelName, model);
  if (!model) throw unknownModel(modelName);
  // Before the schema: over the model's ceiling is GLM's 1210 wording even above the schema maximum.
  checkMaxTokens(model, body.max_tokens);
  if (model.kind === "text") refuseMediaForTextModel(modelName, body.messages);
  checkAgainstSpec(SCHEMA_FOR_KIND[model.kind], body);
  checkTwoDecimals(body, "temperature");
  checkTwoDecimals(body, "top_p");
  checkThinkingSwitch(modelName, model, body);
  if (absent(body.messages)) throw missingField("messages");
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw invalidField("messages", "必须是非空数组");

  const stream = optBoolean(body, "stream") ?? false;
  optBoolean(body, "do_sample");
  optNumberInRange(body, "temperature", 0, 1);
  optNumberInRange(body, "top_p", 0.01, 1);
  const maxTokens = optInteger(body, "max_tokens", 1, model.maxTokens);
  optBoolean(body, "tool_stream");
  optBoolean(body, "watermark_enabled");
  const requestId = optString(body, "request_id", 6, 64);
  optString(body, "user_id", 6, 128);

  let thinkingType: string | undefined;
  if (!absent(body.thinking)) {
    if (!isObject(body.thinking)) throw invalidField("thinking", "必须是对象");
    thinkingType = optEnum(body.thinking, "type", ["enabled", "disabled"], "thinking.type");
    optBoolean(body.thinking, "clear_thinking", "thinking.clear_thinking");
  }
  const effort = optEnum(body, "reasoning_effort", [
    "max",
    "xhigh",
    "high",
    "medium",
    "low",
    "minimal",
    "none",
  ]);

  let jsonObject = false;
  if (!absent(body.response_format)) {
    if (model.kind !== "text") throw invalidField("response_format", "仅文本模型支持此字段");
    if (!isObject(body.response_format) || absent(body.response_format.type))
      throw invalidField("response_format", "需要 type 字段");
    jsonObject =
      optEnum(body.response_format, "type", ["text", "json_object"], "response_format.type") ===
      "json_object";
  }

  let stop: string | undefined;
  if (!absent(body.stop)) {
    if (!Array.isArray(body.stop) || body.stop.some((s) => typeof s !== "string"))
      throw invalidField("stop", "必须是字符串数组");
    if (body.stop.length > MAX_STOP_WORDS)
      throw invalidField("stop", `目前仅支持 ${MAX_STOP_WORDS} 个停止词`);
    stop = body.stop[0] as string | undefined;
  }

  validateTools(body, model);

  const tally = newTally();
  const messages: MessageSummary[] = [];
  for (const [i, m] of (body.messages as unknown[]).entries()) {
    messages.push(await validateMessage(m, i, modelName, model, tally, audio));
  }
  if (!messages.some((m) => m.role === "user" || m.role === "tool")) {
    throw invalidField("messages", "不能只包含系统消息或助手消息");
  }
  if (opts.issued) checkToolMessages(body.messages, opts.issued);

  const thinking =
    model.thinking === "always" ||
    (model.thinking === "auto" && thinkingType !== "disabled" && effort !== "none" && effort !== "minimal");
  return { modelName, model, stream, thinking, jsonObject, maxTokens, stop, requestId, messages, tally };
}

/**
 * Media parts sent to a text model: 1210 (the schema alone would say 1214 "content must be string";
 * the platform answers a parameter error, e.g. "1210 messages.content.type is invalid, allowed
 * values: ['text']" quoted in NousResearch/hermes-agent#106022).
 */
function refuseMediaForTextModel(modelName: string, messages: unknown): void {
  if (!Array.isArray(messages)) return;
  for (const m of messages) {
    const content = isObject(m) ? m.content : undefined;
    if (!Array.isArray(content)) continue;
    if (content.some((p) => isObject(p) && typeof p.type === "string" && MEDIA_TYPES.has(p.type)))
      throw badParams(
        `${modelName} 是文本模型，不支持图片、视频、文件或音频输入，请使用视觉模型（如 glm-4.6v）`,
      );
  }
}

function validateTools(body: Record<string, unknown>, model: FakeModel): void {
  if (!absent(body.tool_choice) && body.tool_choice !== "auto")
    throw invalidField("tool_choice", "仅支持 auto");
  if (absent(body.tools)) return;
  if (!Array.isArray(body.tools)) throw invalidField("tools", "必须是数组");
  if (!model.tools) throw invalidField("tools", "当前模型不支持工具调用");
  if (body.tools.length > MAX_TOOLS) throw invalidField("tools", `最多支持 ${MAX_TOOLS} 个函数`);
  for (const [k, tool] of body.tools.entries()) {
    const at = `tools[${k}]`;
    if (!isObject(tool)) throw invalidField(at);
    if (tool.type === "function") {
      const fn = tool.function;
      if (!isObject(fn)) throw invalidField(`${at}.function`);
      if (typeof fn.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name))
        throw invalidField(`${at}.function.name`, "只能包含 a-z、A-Z、0-9、下划线和中横线，最长 64");
      if (!absent(fn.parameters) && !isObject(fn.parameters)) throw invalidField(`${at}.function.parameters`);
    } else if (tool.type === "retrieval" || tool.type === "web_search" || tool.type === "mcp") {
      if (model.kind !== "text") throw invalidField(`${at}.type`, "视觉模型仅支持 function");
      if (!isObject(tool[tool.type])) throw invalidField(`${at}.${tool.type}`);
    } else {
      throw invalidField(`${at}.type`, "取值为 function、retrieval、web_search、mcp");
    }
  }
}

async function validateMessage(
  m: unknown,
  i: number,
  modelName: string,
  model: FakeModel,
  tally: MediaTally,
  audio: AudioRegistry,
): Promise<MessageSummary> {
  const at = `messages[${i}]`;
  if (!isObject(m)) throw invalidField(at, "必须是对象");
  const role = m.role;
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role))
    throw invalidField(`${at}.role`, "取值为 system、user、assistant、tool");
  const summary: MessageSummary = {
    role: role as MessageSummary["role"],
    text: "",
    images: 0,
    videos: 0,
    files: 0,
    audios: 0,
    audioSec: 0,
  };
  const content = m.content;

  switch (role) {
    case "system":
      if (typeof content !== "string")
        throw invalidField(`${at}.content`, "system 消息的 content 必须是字符串");
      summary.text = content;
      break;
    case "user": {
      if (absent(content)) throw invalidField(`${at}.content`, "user 消息需要 content");
      if (typeof content === "string") {
        if (content.length === 0) throw invalidField(`${at}.content`, "content 不能为空");
        summary.text = content;
        break;
      }
      if (!Array.isArray(content)) throw invalidField(`${at}.content`, "content 必须是字符串或内容数组");
      if (content.length === 0) throw invalidField(`${at}.content`, "content 不能为空");
      if (model.kind === "text") {
        if (content.some((p) => isObject(p) && typeof p.type === "string" && MEDIA_TYPES.has(p.type))) {
          throw badParams(
            `${modelName} 是文本模型，不支持图片、视频、文件或音频输入，请使用视觉模型（如 glm-4.6v）`,
          );
        }
        throw invalidField(`${at}.content`, "文本模型的 content 必须是字符串");
      }
      const before = { ...tally };
      const texts =
        model.kind === "vision"
          ? await validateVisionParts(modelName, model, content, `${at}.content`, tally)
          : validateVoiceParts(modelName, content, `${at}.content`, tally);
      summary.text = texts.join(" ");
      summary.images = tally.images - before.images;
      summary.videos = tally.videos - before.videos;
      summary.files = tally.files - before.files;
      summary.audios = tally.audios - before.audios;
      summary.audioSec = tally.audioSec - before.audioSec;
      break;
    }
    case "assistant": {
      if (!absent(content) && typeof content !== "string")
        throw invalidField(`${at}.content`, "assistant 消息的 content 必须是字符串");
      if (!absent(m.reasoning_content) && typeof m.reasoning_content !== "string")
        throw invalidField(`${at}.reasoning_content`);
      const hasToolCalls = validateToolCalls(m.tool_calls, at);
      let hasAudio = false;
      if (!absent(m.audio)) {
        if (model.kind !== "voice") throw invalidField(`${at}.audio`, "仅 glm-4-voice 支持");
        const id = isObject(m.audio) ? m.audio.id : undefined;
        if (typeof id !== "string" || !audio.has(id))
          throw invalidField(`${at}.audio.id`, "语音消息 id 不存在或已过期");
        hasAudio = true;
      }
      if (absent(content) && !hasToolCalls && !hasAudio)
        throw invalidField(`${at}.content`, "assistant 消息需要 content 或 tool_calls");
      summary.text = typeof content === "string" ? content : "";
      break;
    }
    case "tool":
      if (model.kind === "voice") throw invalidField(`${at}.role`, "glm-4-voice 不支持 tool 消息");
      if (typeof content !== "string")
        throw invalidField(`${at}.content`, "tool 消息的 content 必须是字符串");
      if (typeof m.tool_call_id !== "string" || m.tool_call_id.length === 0)
        throw invalidField(`${at}.tool_call_id`, "tool 消息需要 tool_call_id");
      summary.text = content;
      break;
  }
  return summary;
}

function validateToolCalls(calls: unknown, at: string): boolean {
  if (absent(calls)) return false;
  if (!Array.isArray(calls)) throw invalidField(`${at}.tool_calls`, "必须是数组");
  for (const [k, c] of calls.entries()) {
    const where = `${at}.tool_calls[${k}]`;
    if (!isObject(c) || typeof c.id !== "string") throw invalidField(`${where}.id`);
    if (c.type !== "function" && c.type !== "web_search" && c.type !== "retrieval")
      throw invalidField(`${where}.type`, "取值为 function、web_search、retrieval");
    if (c.type === "function") {
      const fn = c.function;
      if (!isObject(fn) || typeof fn.name !== "string" || typeof fn.arguments !== "string")
        throw invalidField(`${where}.function`, "需要 name 和字符串形式的 arguments");
    }
  }
  return calls.length > 0;
}
