// Deterministic chat answers derived from the request (or scripted with fake.answer()), and the two
// wire shapes they are sent in: the non-stream completion and the SSE chunk sequence (REFERENCE §2).
import { randomBytes } from "node:crypto";
import type { MessageSummary, ValidChat } from "./chat.js";
import { estimateTokens, truncateToTokens } from "./tokens.js";
import type { ScriptedAnswer, Usage } from "./types.js";
import { AUDIO_TOKENS_PER_SEC, defaultReplyAudioBase64, type AudioRegistry } from "./voice.js";
import { makeToneWav, wavFromPcm } from "./wav.js";

/** Rough per-item prompt cost of media (the real counts depend on resolution / duration). */
export const MEDIA_TOKENS = { image: 256, video: 1024, file: 512 } as const;
const MESSAGE_OVERHEAD_TOKENS = 4;
/** How long the reply audio stays downloadable (expires_at = created + this). */
const AUDIO_TTL_SEC = 3600;

export interface ToolCallOut {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatPlan {
  id: string;
  requestId: string;
  created: number;
  model: string;
  reasoning: string | undefined;
  content: string | null;
  toolCalls: ToolCallOut[] | undefined;
  audio: { id: string; data: string; expires_at: number } | undefined;
  /** Stream pieces of the audio (base64 each) when scripted; default: `data` cut in 3. */
  audioPieces?: string[];
  /** Content goes out as `[{type:"text", text}]` parts. */
  contentParts: boolean;
  finishReason: string;
  usage: Usage;
  contentFilter?: { role: string; level: number }[];
}

/** An id shaped like GLM's: yyyyMMddHHmmssSSS + 13 hex chars. */
export function newId(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}${p(d.getMilliseconds(), 3)}`;
  return stamp + randomBytes(7).toString("hex").slice(0, 13);
}

function mediaNote(m: MessageSummary): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many: string) => n > 0 && parts.push(`[${n} ${n === 1 ? one : many}]`);
  add(m.images, "image", "images");
  add(m.videos, "video", "videos");
  add(m.files, "file", "files");
  add(m.audios, "audio", "audios");
  return parts.join(" ");
}

function messageTokens(m: MessageSummary): number {
  return (
    MESSAGE_OVERHEAD_TOKENS +
    estimateTokens(m.text) +
    m.images * MEDIA_TOKENS.image +
    m.videos * MEDIA_TOKENS.video +
    m.files * MEDIA_TOKENS.file +
    Math.ceil(m.audioSec * AUDIO_TOKENS_PER_SEC)
  );
}

export function planChat(
  req: ValidChat,
  scripted: ScriptedAnswer | undefined,
  audio: AudioRegistry,
): ChatPlan {
  const id = newId();
  const created = Math.floor(Date.now() / 1000);
  const userIdx = req.messages.map((m) => m.role).lastIndexOf("user");
  const last = req.messages[userIdx] ?? req.messages[req.messages.length - 1]!;
  const note = mediaNote(last);
  const echo = [last.text, note].filter(Boolean).join(" ");

  let reasoning = req.thinking
    ? `Reasoning about: ${Array.from(last.text || note)
        .slice(0, 40)
        .join("")}`
    : undefined;
  let content: string | null = req.jsonObject ? JSON.stringify({ echo }) : `Echo: ${echo}`;
  let toolCalls: ToolCallOut[] | undefined;
  let finishReason = "stop";

  if (scripted) {
    if (scripted.reasoning_content !== undefined) reasoning = scripted.reasoning_content || undefined;
    if (scripted.content !== undefined) content = scripted.content;
    if (scripted.tool_calls) {
      toolCalls = scripted.tool_calls.map((c, k) => ({
        id: c.id ?? `call_${id.slice(-8)}${k}`,
        type: "function",
        function: { name: c.function.name, arguments: c.function.arguments },
      }));
      if (scripted.content === undefined) content = null;
      finishReason = "tool_calls";
    }
  }

  if (scripted?.answer_tags && content) content = `<answer>${content}</answer>`;

  if (req.stop && content) {
    const at = content.indexOf(req.stop);
    if (at >= 0) content = content.slice(0, at);
  }

  // max_tokens covers reasoning and content: reasoning is spent first, then the visible answer.
  if (req.maxTokens !== undefined) {
    const reasoningTokens = reasoning ? estimateTokens(reasoning) : 0;
    const contentTokens = content ? estimateTokens(content) : 0;
    if (reasoningTokens + contentTokens > req.maxTokens) {
      if (reasoning && reasoningTokens >= req.maxTokens) {
        reasoning = truncateToTokens(reasoning, req.maxTokens);
        content = "";
      } else if (content) {
        content = truncateToTokens(content, req.maxTokens - reasoningTokens);
      }
      finishReason = "length";
    }
  }
  if (scripted?.finish_reason) finishReason = scripted.finish_reason;

  let audioOut: ChatPlan["audio"];
  let audioPieces: string[] | undefined;
  if (req.model.kind === "voice" && scripted?.audio !== false) {
    const s = scripted?.audio || {};
    const audioId = s.id ?? audio.issue();
    audio.add(audioId);
    const chunked = scripted?.audio_stream ? chunkedAudio(scripted.audio_stream) : undefined;
    audioPieces = chunked?.pieces;
    audioOut = {
      id: audioId,
      data: s.data ?? chunked?.whole ?? defaultReplyAudioBase64(),
      expires_at: s.expires_at ?? created + AUDIO_TTL_SEC,
    };
  }

  const promptTokens = req.messages.reduce((n, m) => n + messageTokens(m), 0);
  const userCount = req.messages.filter((m) => m.role === "user").length;
  // Continuations: everything before the last user turn counts as served from the prompt cache.
  const cached = userCount > 1 ? req.messages.slice(0, userIdx).reduce((n, m) => n + messageTokens(m), 0) : 0;
  const reasoningTokens = reasoning ? estimateTokens(reasoning) : 0;
  const completionTokens =
    reasoningTokens +
    (content ? estimateTokens(content) : 0) +
    (toolCalls ? estimateTokens(JSON.stringify(toolCalls)) : 0) +
    (audioOut ? Math.ceil(0.5 * AUDIO_TOKENS_PER_SEC) : 0);
  const usage: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cached },
    ...(reasoningTokens ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}),
  };
  if (scripted?.usage) {
    Object.assign(usage, scripted.usage);
    if (scripted.usage.total_tokens === undefined)
      usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  }

  return {
    id,
    requestId: req.requestId ?? id,
    created,
    model: req.modelName,
    reasoning,
    content,
    toolCalls,
    audio: audioOut,
    audioPieces,
    contentParts: scripted?.content_parts ?? false,
    finishReason,
    usage,
  };
}

/** The scripted voice stream: its pieces (base64 each) and the whole reply as one WAV. */
function chunkedAudio(opts: NonNullable<ScriptedAnswer["audio_stream"]>): {
  pieces: string[];
  whole: string;
} {
  const n = Math.max(1, opts.chunks ?? 3);
  const tones = Array.from({ length: n }, (_, i) =>
    makeToneWav({ durationMs: opts.chunkMs ?? 1000, frequencyHz: 440 + 110 * i }),
  );
  const whole = wavFromPcm(Buffer.concat(tones.map((t) => t.subarray(WAV_HEADER_BYTES))), TONE_FORMAT);
  if (opts.mode === "wav-per-chunk")
    return { pieces: tones.map((t) => t.toString("base64")), whole: b64(whole) };
  // split-header: the first piece ends 21 bytes in, inside the fmt chunk (21 is a multiple of 3, so
  // the base64 pieces also concatenate into valid base64); the rest is cut in n-1 pieces.
  const pieces = [whole.subarray(0, 21)];
  const rest = whole.subarray(21);
  const size = Math.ceil(rest.length / Math.max(1, n - 1) / 3) * 3;
  for (let i = 0; i < rest.length; i += size) pieces.push(rest.subarray(i, i + size));
  return { pieces: pieces.map(b64), whole: b64(whole) };
}

const b64 = (b: Buffer) => b.toString("base64");
const WAV_HEADER_BYTES = 44;
const TONE_FORMAT = { sampleRate: 44100, channels: 1, bitsPerSample: 16 };

export function markSensitive(plan: ChatPlan): void {
  plan.finishReason = "sensitive";
  plan.contentFilter = [{ role: "assistant", level: 1 }];
}

/** The non-stream response body. */
export function completionBody(plan: ChatPlan): Record<string, unknown> {
  const content = plan.contentParts && plan.content !== null ? textParts(plan.content) : plan.content;
  const message: Record<string, unknown> = { role: "assistant", content };
  if (plan.reasoning !== undefined) message.reasoning_content = plan.reasoning;
  if (plan.toolCalls) message.tool_calls = plan.toolCalls;
  if (plan.audio) message.audio = plan.audio;
  return {
    id: plan.id,
    request_id: plan.requestId,
    created: plan.created,
    model: plan.model,
    object: "chat.completion",
    choices: [{ index: 0, finish_reason: plan.finishReason, message }],
    usage: plan.usage,
    ...(plan.contentFilter ? { content_filter: plan.contentFilter } : {}),
  };
}

/** The openapi response's part-array content: `[{type:"text", text}]`. */
function textParts(text: string): { type: "text"; text: string }[] {
  return [{ type: "text", text }];
}

/** Splits into up to n non-empty pieces of roughly equal length (by code point). */
export function splitPieces(text: string, n = 3): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [];
  const size = Math.ceil(chars.length / Math.min(n, chars.length));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
}

/** Splits base64 at byte boundaries that are multiples of 3, so every piece is valid base64 on its own. */
function splitBase64(data: string, n = 3): string[] {
  const bytes = Buffer.from(data, "base64");
  const size = Math.max(3, Math.ceil(bytes.length / n / 3) * 3);
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size).toString("base64"));
  return out.length ? out : [data];
}

/**
 * SSE chunk objects in order: reasoning deltas, content deltas, tool-call / audio deltas, then the
 * last chunk with an empty delta + finish_reason + usage together. [DONE] is added by the writer.
 */
export function streamChunks(plan: ChatPlan): Record<string, unknown>[] {
  const base = { id: plan.id, created: plan.created, model: plan.model };
  const chunk = (delta: Record<string, unknown>) => ({
    ...base,
    choices: [{ index: 0, delta: { role: "assistant", ...delta } }],
  });
  const chunks: Record<string, unknown>[] = [];
  for (const piece of splitPieces(plan.reasoning ?? "")) chunks.push(chunk({ reasoning_content: piece }));
  for (const piece of splitPieces(plan.content ?? ""))
    chunks.push(chunk({ content: plan.contentParts ? textParts(piece) : piece }));
  for (const [index, call] of (plan.toolCalls ?? []).entries())
    chunks.push(chunk({ tool_calls: [{ index, ...call }] }));
  if (plan.audio) {
    const { id, expires_at } = plan.audio;
    for (const piece of plan.audioPieces ?? splitBase64(plan.audio.data))
      chunks.push(chunk({ audio: { id, data: piece, expires_at } }));
  }
  chunks.push({
    ...base,
    choices: [
      {
        index: 0,
        finish_reason: plan.finishReason,
        delta: { role: "assistant", content: plan.contentParts ? [] : "" },
      },
    ],
    usage: plan.usage,
    ...(plan.contentFilter ? { content_filter: plan.contentFilter } : {}),
  });
  return chunks;
}
