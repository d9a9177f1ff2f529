// A streamed GLM chat call inside a tool: progress while GLM thinks and answers, retry notices,
// usage recorded. Every chat-based tool goes through here.
import { collectChatStream, type CollectedAnswer } from "../glm/collect.js";
import { explainModelRefusal } from "../glm/model-refusal.js";
import type { ChatChunk, ChatRequest } from "../glm/types.js";
import type { ToolCall } from "./define-tool.js";
import { chatStreamProgress } from "./progress.js";

export interface StreamChatOptions {
  /** The progress message sent before the request (default "waiting for <model>"). */
  waiting?: string;
  /** Sees each chunk before it is folded in (voice_reply counts audio chunks). */
  onChunk?: (chunk: ChatChunk) => void;
  /** Replaces the default "thinking…/answering… N chars" progress. */
  onDelta?: Parameters<typeof collectChatStream>[1];
}

export async function streamChat(
  call: ToolCall,
  body: ChatRequest,
  opts: StreamChatOptions = {},
): Promise<CollectedAnswer> {
  const { ctx, progress, signal } = call;
  progress.now(opts.waiting ?? `waiting for ${body.model}`);
  const stream = ctx.glm.chatStream(body, { signal, onRetry: call.onRetry });
  let answer: CollectedAnswer;
  try {
    answer = await collectChatStream(
      opts.onChunk ? tap(stream, opts.onChunk) : stream,
      opts.onDelta ?? chatStreamProgress(progress),
    );
  } catch (err) {
    // GLM's 1211 (or a thinking 1210) is the only refusal of a model name: say which ones would work.
    throw explainModelRefusal(err, body, ctx.config.region);
  }
  ctx.usage.record(body.model, answer.usage);
  return answer;
}

async function* tap<T>(source: AsyncIterable<T>, see: (item: T) => void): AsyncIterable<T> {
  for await (const item of source) {
    see(item);
    yield item;
  }
}
