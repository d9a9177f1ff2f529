// Function calling in the fake: tool-call ids it issued, the check that every `tool` message
// answers one of them, and tool-call streaming.
//
// - A `tool` message must answer a call of an earlier assistant turn in the same request and one
//   this upstream issued. GLM's answer to a broken tool sequence is 400 / 1214 "messages 参数非法。
//   请检查文档。" (reported in lobehub/lobehub#11408 after multi-step tool calls, and
//   MetaGLM/zhipuai-sdk-python-v4#14 for reused call ids).
// - tool_stream (openapi: GLM-4.6/4.7/5.x) streams function arguments: the call's index, id, type
//   and name come first with empty arguments, then the arguments in pieces under the same index
//   (docs.bigmodel.cn/cn/guide/tools/stream-tool: the sample joins `function.arguments` per index).
//   Without tool_stream each call arrives whole in one delta.
import { invalidField } from "./errors.js";
import { isObject } from "./validate.js";

/** Ids of the tool calls this fake has handed out (kept for its lifetime, as GLM keeps call ids valid). */
export class IssuedCalls {
  private readonly ids = new Set<string>();

  record(calls: readonly { id: string }[] | undefined): void {
    for (const c of calls ?? []) this.ids.add(c.id);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}

/** Throws GLM's 1214 when a `tool` message answers no call of an earlier assistant turn, or one never issued. */
export function checkToolMessages(messages: unknown, issued: IssuedCalls): void {
  if (!Array.isArray(messages)) return;
  const asked = new Set<string>();
  for (const [i, m] of messages.entries()) {
    if (!isObject(m)) continue;
    if (m.role === "assistant" && Array.isArray(m.tool_calls))
      for (const c of m.tool_calls) if (isObject(c) && typeof c.id === "string") asked.add(c.id);
    if (m.role !== "tool") continue;
    const id = m.tool_call_id;
    if (typeof id !== "string" || !asked.has(id) || !issued.has(id))
      throw invalidField("messages", `messages[${i}].tool_call_id 不对应任何工具调用`);
  }
}

/** The chunk list with each whole tool-call delta split into head + argument pieces (tool_stream). */
export function streamToolCalls(
  chunks: Record<string, unknown>[],
  toolStream: boolean,
): Record<string, unknown>[] {
  if (!toolStream) return chunks;
  const out: Record<string, unknown>[] = [];
  for (const chunk of chunks) {
    const choice = (chunk.choices as { delta?: Record<string, unknown> }[] | undefined)?.[0];
    const calls = choice?.delta?.tool_calls as
      | { index: number; id: string; type: string; function: { name: string; arguments: string } }[]
      | undefined;
    if (!calls) {
      out.push(chunk);
      continue;
    }
    for (const c of calls) {
      const piece = (tc: Record<string, unknown>) => ({
        ...chunk,
        choices: [{ ...choice, delta: { ...choice!.delta, tool_calls: [tc] } }],
      });
      out.push(
        piece({ index: c.index, id: c.id, type: c.type, function: { name: c.function.name, arguments: "" } }),
      );
      for (const part of argumentPieces(c.function.arguments))
        out.push(piece({ index: c.index, function: { arguments: part } }));
    }
  }
  return out;
}

/** Arguments cut in 3 pieces, at least one character each, cutting inside strings and keys on purpose. */
function argumentPieces(args: string): string[] {
  if (args.length < 3) return args ? [args] : [];
  const a = Math.floor(args.length / 3);
  const b = Math.floor((2 * args.length) / 3);
  return [args.slice(0, a), args.slice(a, b), args.slice(b)];
}
