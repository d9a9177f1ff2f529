// Chat request bodies built from the model catalog: which fields a model takes is decided here,
// not in each tool.
import type { VisionRules } from "./models.js";
import type { ChatRequest, ContentPart } from "./types.js";

/** The thinking field to send: omitted for models that always think or never do. */
export function thinkingFor(
  rules: Pick<VisionRules, "thinking">,
  thinking: boolean | undefined,
): Pick<ChatRequest, "thinking"> {
  if (rules.thinking !== "toggle") return {};
  return { thinking: { type: thinking === false ? "disabled" : "enabled" } };
}

export interface VisionRequestArgs {
  model: string;
  rules: VisionRules;
  parts: ContentPart[];
  thinking?: boolean | undefined;
  max_tokens?: number | undefined;
  temperature?: number | undefined;
}

/** One user turn of media parts plus the prompt, for a GLM vision model. */
export function visionRequest(a: VisionRequestArgs): ChatRequest {
  return {
    model: a.model,
    messages: [{ role: "user", content: a.parts }],
    ...thinkingFor(a.rules, a.thinking),
    ...(a.max_tokens !== undefined ? { max_tokens: a.max_tokens } : {}),
    ...(a.temperature !== undefined ? { temperature: a.temperature } : {}),
  };
}
