// glm_reason's other argument names, and OpenAI-style `messages`.
import { ToolInputError } from "../../errors.js";
import type { AliasTable } from "./normalize.js";
import { REASONING_NAMES, GENERATION_NAMES } from "./common.js";

export const glmReasonAliases: AliasTable = {
  names: {
    ...GENERATION_NAMES,
    ...REASONING_NAMES,
    question: "prompt",
    query: "prompt",
    task: "prompt",
    text: "prompt",
    input: "prompt",
    message: "prompt",
    content: "prompt",
    user_prompt: "prompt",
    system_prompt: "system",
    system_message: "system",
    instructions: "system",
    format: "response_format",
    output_format: "response_format",
    thread_id: "conversation_id",
    session_id: "conversation_id",
    conversation: "conversation_id",
    file: "files",
    paths: "files",
    path: "files",
    file_paths: "files",
    context_files: "files",
    tools: "explore",
    use_tools: "explore",
    max_iterations: "max_steps",
    max_turns: "max_steps",
  },
  expand: { messages: messagesToPrompt },
};

type Turn = { role: string; text: string };

/**
 * OpenAI-style chat messages -> `system` + `prompt`. System (and developer) turns become `system`.
 * A lone user turn is the prompt as-is. Earlier user/assistant/tool turns are kept, not dropped: they
 * go into the prompt as a labelled transcript before the last user turn (glm_reason continues its own
 * conversations by conversation_id, so foreign history can only travel as text).
 */
export function messagesToPrompt(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return { prompt: value };
  if (!Array.isArray(value) || value.length === 0)
    throw new ToolInputError(
      'glm_reason `messages` must be a list of {"role", "content"} turns ending with the user\'s question; or pass `prompt` (and `system`) instead.',
    );
  const system: string[] = [];
  const turns: Turn[] = [];
  for (const m of value) {
    const role = typeof m === "object" && m !== null ? String((m as { role?: unknown }).role ?? "user") : "";
    const text = messageText(m);
    if (role === "system" || role === "developer") system.push(text);
    else turns.push({ role, text });
  }
  const last = turns.at(-1);
  if (!last || last.role !== "user")
    throw new ToolInputError(
      "glm_reason `messages` must end with a user turn (the question to answer): add it, or pass `prompt` instead.",
    );
  const earlier = turns.slice(0, -1);
  const prompt = earlier.length
    ? [
        "Earlier turns of this conversation:",
        ...earlier.map((t) => `${label(t.role)}: ${t.text}`),
        "Now answer this:",
        last.text,
      ].join("\n\n")
    : last.text;
  return { prompt, ...(system.length ? { system: system.join("\n\n") } : {}) };
}

function label(role: string): string {
  return role === "assistant" ? "Assistant" : role === "tool" ? "Tool result" : "User";
}

/** A message's text: a string, or the text parts of a content list; images are refused, not dropped. */
function messageText(m: unknown): string {
  const content = typeof m === "string" ? m : (m as { content?: unknown } | null)?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (typeof part === "string") return part;
        const p = part as { type?: unknown; text?: unknown } | null;
        if (p && typeof p.text === "string") return p.text;
        throw new ToolInputError(
          `glm_reason reads text only and a message holds a ${String(p?.type ?? "non-text")} part: send images with vision_analyze, documents with document_analyze.`,
        );
      })
      .join("\n");
  }
  throw new ToolInputError(
    'each glm_reason message needs "content" as a string or a list of {"type": "text", "text": …} parts.',
  );
}
