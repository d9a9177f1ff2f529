// Folds a chat completion stream into one answer, reporting growth as it goes.
import { ContentFilteredError, StreamInterruptedError } from "./errors.js";
import { ToolCallFolder } from "./tool-calls.js";
import type { AudioOut, ChatChunk, MessageContent, ToolCall, Usage } from "./types.js";

export interface CollectedAnswer {
  id: string | undefined;
  model: string | undefined;
  content: string;
  reasoning: string;
  finishReason: string;
  usage: Usage | undefined;
  audio: AudioOut | undefined;
  /** Function calls GLM asked for (finish_reason "tool_calls"), arguments joined across chunks. */
  toolCalls?: ToolCall[];
}

export type StreamPhase = "thinking" | "answering";

export async function collectChatStream(
  stream: AsyncIterable<ChatChunk>,
  onDelta?: (state: { phase: StreamPhase; contentChars: number; reasoningChars: number }) => void,
): Promise<CollectedAnswer> {
  const out: CollectedAnswer = {
    id: undefined,
    model: undefined,
    content: "",
    reasoning: "",
    finishReason: "",
    usage: undefined,
    audio: undefined,
  };
  const audioParts: string[] = [];
  const toolCalls = new ToolCallFolder();
  for await (const chunk of stream) {
    out.id ??= chunk.id;
    out.model ??= chunk.model;
    if (chunk.usage) out.usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      const d = choice.delta;
      const reasoning = textOf(d?.reasoning_content);
      const content = textOf(d?.content);
      if (reasoning) out.reasoning += reasoning;
      if (content) out.content += content;
      if (d?.audio) {
        out.audio = {
          id: d.audio.id ?? out.audio?.id,
          expires_at: d.audio.expires_at ?? out.audio?.expires_at,
          data: "",
        };
        if (d.audio.data) audioParts.push(d.audio.data);
      }
      if (d?.tool_calls) toolCalls.add(d.tool_calls);
      if (choice.finish_reason) out.finishReason = choice.finish_reason;
      if (reasoning || content) {
        onDelta?.({
          phase: out.content ? "answering" : "thinking",
          contentChars: out.content.length,
          reasoningChars: out.reasoning.length,
        });
      }
    }
  }
  // Pieces may be independently padded base64 or arbitrary cuts of one string: keep them joined and
  // let the consumer decode with decodeJoinedBase64 (src/audio/base64.ts), which handles both.
  if (out.audio) out.audio.data = audioParts.join("");
  const calls = toolCalls.calls();
  if (calls) out.toolCalls = calls;
  return checkFinish(out);
}

/**
 * Message text as GLM sends it: a string, or for the GLM-4V series an array of content parts
 * `[{type:"text", text}]` (OAS L6236, ChatCompletionResponseMessage.content: "适用于GLM-4V系列模型"). Non-text
 * parts carry no answer text and are skipped.
 */
export function textOf(content: MessageContent | null | undefined): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((p) => (p && typeof p === "object" && p.type === "text" && typeof p.text === "string" ? p.text : ""))
    .join("");
}

/** finish_reason values that mean the answer is unusable become typed errors. */
export function checkFinish<T extends { finishReason: string }>(answer: T): T {
  if (answer.finishReason === "sensitive") throw new ContentFilteredError({ code: "1301" });
  if (answer.finishReason === "network_error")
    throw new StreamInterruptedError("GLM reported a network error during inference");
  return answer;
}
