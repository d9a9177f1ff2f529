// glm_reason `explore`: GLM reads the workspace itself through read-only function tools, and the
// server runs the loop: stream a turn, run each tool call inside the sandbox, send the results
// back as `tool` messages, until GLM answers or the step or token budget is spent.
// GLM rules relied on (the vendored spec's chat schemas, test/fake-glm/spec/openapi-2026-07-11.json): assistant turns carry `tool_calls`, each
// result is a `tool` message with its `tool_call_id`; interleaved thinking requires the turn's
// `reasoning_content` to be sent back with the tool results (kept on the assistant message); the
// openapi assistant message types `content` as a string, so a tool-call turn sends "" not null.
import type { CollectedAnswer } from "../glm/collect.js";
import type { ChatMessage, ChatRequest, Usage } from "../glm/types.js";
import type { TokenBudget } from "../workspace/text-blocks.js";
import { EXPLORE_TOOLS, runWorkspaceTool, type StepReport } from "../workspace/function-tools.js";
import type { Workspace } from "../workspace/workspace.js";
import { streamChat } from "./chat.js";
import type { ToolCall } from "./define-tool.js";

export const DEFAULT_MAX_STEPS = 8;
export const MAX_STEPS_CAP = 25;

export interface ExploreReport {
  steps: StepReport[];
  files_read: string[];
  /** Rounds of tool calls run (each is one GLM turn that asked for tools). */
  tool_rounds: number;
  /** Set when the loop ended without a final answer from GLM. */
  stopped?: "max_steps";
}

/**
 * tool_stream streams function arguments; openapi `tool_stream`: "仅限 GLM-5.2 GLM-5.1 GLM-5 GLM-5-Turbo
 * GLM-4.7 GLM-4.6 系列支持此参数". Other models get whole calls (folded the same way).
 */
export function supportsToolStream(model: string): boolean {
  return /^glm-(4\.[67]|5)(\b|[.-])/i.test(model);
}

const LAST_ROUND =
  "\n\n[That was the last tool round of this call: no more tool calls will be run. Answer now with what you have read.]";

export async function exploreLoop(
  call: ToolCall,
  ws: Workspace,
  messages: ChatMessage[],
  build: (messages: ChatMessage[]) => ChatRequest,
  opts: { maxSteps: number; budget: TokenBudget },
): Promise<{ answer: CollectedAnswer; report: ExploreReport }> {
  const report: ExploreReport = { steps: [], files_read: [], tool_rounds: 0 };
  const reasoning: string[] = [];
  let usage: Usage | undefined;
  for (;;) {
    const base = build(messages);
    const body: ChatRequest = {
      ...base,
      tools: EXPLORE_TOOLS,
      ...(supportsToolStream(base.model) ? { tool_stream: true } : {}),
    };
    const waiting = report.tool_rounds ? `GLM step ${report.tool_rounds + 1}` : undefined;
    const answer = await streamChat(call, body, waiting ? { waiting } : {});
    usage = addUsage(usage, answer.usage);
    if (answer.reasoning) reasoning.push(answer.reasoning);
    const calls = answer.toolCalls?.filter((c) => c.id) ?? [];
    messages.push({
      role: "assistant",
      content: answer.content,
      ...(answer.reasoning ? { reasoning_content: answer.reasoning } : {}),
      ...(calls.length ? { tool_calls: calls } : {}),
    });
    const done = () => ({ answer: { ...answer, reasoning: reasoning.join("\n\n"), usage }, report });
    if (calls.length === 0) return done();
    if (report.tool_rounds >= opts.maxSteps) {
      // The calls GLM asked for still get answers, so the stored conversation stays valid.
      for (const c of calls)
        messages.push({ role: "tool", tool_call_id: c.id, content: "Error: the step budget is spent." });
      report.stopped = "max_steps";
      return done();
    }
    report.tool_rounds++;
    const last = report.tool_rounds >= opts.maxSteps;
    for (const [k, c] of calls.entries()) {
      const { content, step } = await runWorkspaceTool(ws, c, opts.budget);
      call.progress.now(`step ${report.tool_rounds}: ${step.summary}`);
      report.steps.push(step);
      if (step.file && !report.files_read.includes(step.file)) report.files_read.push(step.file);
      const tail = last && k === calls.length - 1 ? LAST_ROUND : "";
      messages.push({ role: "tool", tool_call_id: c.id, content: content + tail });
    }
  }
}

function addUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a || !b) return a ?? b;
  return {
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}

/** One line for the agent: the steps GLM took. */
export function exploreNote(r: ExploreReport): string {
  const steps = r.steps.map((s) => s.summary).join("; ");
  const head = `[GLM explored the workspace in ${r.tool_rounds} tool round${r.tool_rounds === 1 ? "" : "s"}: ${steps || "no tool calls"}.`;
  const stop = r.stopped
    ? ` It was still exploring when max_steps ran out: raise max_steps or narrow the question.`
    : "";
  return head + stop + "]";
}
