// OpenAI-style `messages` for a text tool: system (and developer) turns become the system text, the
// last user turn the prompt; earlier user/assistant turns are folded into the prompt as a labelled
// transcript, because the tool takes one prompt (use conversation_id for real multi-turn state).

export type Turns = { ok: true; prompt: string; system?: string } | { ok: false; message: string };

const SYSTEM_ROLES = new Set(["system", "developer"]);
const LABELS: Record<string, string> = { user: "User", assistant: "Assistant", tool: "Tool" };

export function messagesToPrompt(value: unknown): Turns {
  const fail = (message: string): Turns => ({ ok: false, message });
  if (!Array.isArray(value) || value.length === 0)
    return fail(
      '`messages` must be a non-empty list of {"role", "content"} turns; or pass `prompt` (and `system`).',
    );
  const system: string[] = [];
  const turns: { role: string; text: string }[] = [];
  for (const [i, m] of value.entries()) {
    if (typeof m !== "object" || m === null || typeof (m as { role?: unknown }).role !== "string")
      return fail(`messages[${i}] must be an object with a string \`role\` and \`content\`.`);
    const { role, content } = m as { role: string; content?: unknown };
    const text = contentText(content);
    if (typeof text !== "string") return fail(`messages[${i}]: ${text.error}`);
    if (SYSTEM_ROLES.has(role)) system.push(text);
    else if (LABELS[role]) turns.push({ role, text });
    else return fail(`messages[${i}] has role "${role}": use system, user or assistant.`);
  }
  const last = turns.at(-1);
  if (!last || last.role !== "user")
    return fail("`messages` must end with a user turn: the last user message is the prompt.");
  const earlier = turns.slice(0, -1);
  const prompt = earlier.length
    ? [
        "Earlier turns of this conversation (transcript):",
        ...earlier.map((t) => `${LABELS[t.role]}: ${t.text}`),
        "",
        `Current message:\n${last.text}`,
      ].join("\n\n")
    : last.text;
  return { ok: true, prompt, ...(system.length ? { system: system.join("\n\n") } : {}) };
}

/** A turn's text: a string, or a list of text parts; anything else (images, audio) is refused. */
function contentText(content: unknown): string | { error: string } {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return { error: "`content` must be a string or a list of text parts." };
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === "string") texts.push(part);
    else if (typeof part === "object" && part && typeof (part as { text?: unknown }).text === "string")
      texts.push((part as { text: string }).text);
    else
      return {
        error: `a ${(part as { type?: string })?.type ?? "non-text"} part: this tool takes text only (images go to vision_analyze).`,
      };
  }
  return texts.join("\n");
}
