// The answer part of a result: the text (cut to fit, the rest saved to a file), reasoning when
// asked for, notes on why an answer stopped early, and usage. Every chat-based tool shapes here.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { CollectedAnswer } from "../glm/collect.js";
import type { Usage } from "../glm/types.js";
import { fitText, fittedLink, type FittedText } from "./size.js";

/**
 * Strips GLM vision box markers and any <think>…</think> block that GLM-4.5V/4.1V sometimes leave
 * in the answer text (the reasoning is returned separately when asked for), and unwraps the
 * <answer>…</answer> GLM-4.1V-Thinking puts around its answer (its model card, THUDM/GLM-4.1V-Thinking).
 */
export function cleanAnswer(text: string): string {
  const stripped = text
    .replace(/<think>[\s\S]*?<\/think>/g, "")
    .replace(/<\/?think>/g, "")
    .replace(/<\|begin_of_box\|>|<\|end_of_box\|>/g, "")
    .trim();
  const wrapped = /^<answer>([\s\S]*?)(?:<\/answer>)?$/.exec(stripped);
  return (wrapped ? wrapped[1]! : stripped).trim();
}

export function usageSummary(usage: Usage | undefined) {
  return {
    prompt_tokens: usage?.prompt_tokens ?? 0,
    completion_tokens: usage?.completion_tokens ?? 0,
    total_tokens: usage?.total_tokens ?? 0,
    cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    ...(usage?.completion_tokens_details?.reasoning_tokens !== undefined
      ? { reasoning_tokens: usage.completion_tokens_details.reasoning_tokens }
      : {}),
  };
}

/** Why an answer stopped early, as notes the agent can act on. */
export function finishNotes(
  finishReason: string,
  contextFull = "The input filled the model's context window: send fewer or smaller items.",
): string[] {
  if (finishReason === "length")
    return ["[The answer was cut at max_tokens: raise max_tokens or ask for less.]"];
  if (finishReason === "model_context_window_exceeded") return [`[${contextFull}]`];
  return [];
}

export interface AnswerOptions {
  /** File name prefix for an answer or reasoning too long to return whole. */
  prefix: string;
  model: string;
  answer: CollectedAnswer;
  includeReasoning?: boolean | undefined;
  /** Notes after the answer (default: finishNotes of the answer). */
  notes?: string[];
  /** What the request builder adjusted to fit the model (e.g. max_tokens lowered), noted first. */
  adjusted?: string[];
  /** A line after the answer saying what was sent (images, files…). */
  intakeLine?: string;
}

export interface ShapedAnswer {
  content: CallToolResult["content"];
  /** model, answer, reasoning?, finish_reason, usage: the fields every answer's schema shares. */
  structured: Record<string, unknown>;
  /** The full answer's file when it was too long for one result. */
  file: FittedText["file"];
}

export async function answerResult(outputDir: string, o: AnswerOptions): Promise<ShapedAnswer> {
  const fitted = await fitText(outputDir, cleanAnswer(o.answer.content), `${o.prefix}-answer`);
  const reasoning =
    o.includeReasoning && o.answer.reasoning
      ? await fitText(outputDir, o.answer.reasoning, `${o.prefix}-reasoning`, 20_000)
      : undefined;
  const notes = [...(o.adjusted ?? []), ...(o.notes ?? finishNotes(o.answer.finishReason))];
  const content: CallToolResult["content"] = [];
  if (reasoning) content.push({ type: "text", text: `Reasoning:\n${reasoning.text}` });
  content.push(
    { type: "text", text: [fitted.text || "(empty answer)", ...notes].join("\n\n") },
    ...fittedLink(fitted),
  );
  if (o.intakeLine) content.push({ type: "text", text: o.intakeLine });
  return {
    content,
    file: fitted.file,
    structured: {
      model: o.answer.model ?? o.model,
      answer: fitted.text,
      ...(reasoning ? { reasoning: reasoning.text } : {}),
      finish_reason: o.answer.finishReason || "stop",
      usage: usageSummary(o.answer.usage),
    },
  };
}
