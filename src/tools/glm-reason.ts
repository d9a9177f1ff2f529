// glm_reason: a second opinion from GLM's reasoning models (GLM-4.7 family) with thinking mode.
import { z } from "zod";
import { resolveModel, TEXT_MODELS } from "../glm/models.js";
import { reasonRequest } from "../glm/requests.js";
import type { CollectedAnswer } from "../glm/collect.js";
import type { ChatMessage } from "../glm/types.js";
import { nameString, promptString } from "./limits.js";
import { jsonObjectAnswer, usageSchema } from "../output/schemas.js";
import { answerResult, cleanAnswer, finishNotes } from "../output/answer.js";
import { glmReasonAliases } from "./aliases/glm-reason.js";
import { defineTool } from "./define-tool.js";
import { reasonTurn, workspaceInput, workspaceOutput } from "./reason-workspace.js";

export const GLM_REASON = "glm_reason";

export const glmReasonInput = {
  prompt: promptString("prompt")
    .min(1)
    .describe("The question or task for GLM, with all the context it needs (code, logs, constraints)."),
  system: promptString("system")
    .optional()
    .describe(
      "Optional system instructions (role, style, output rules). Ignored when continuing a conversation that already has one.",
    ),
  model: nameString("model")
    .regex(/^glm-[a-z0-9.-]+$/i, "model must be a GLM text model name such as glm-4.7")
    .optional()
    .describe(
      `GLM text model. Default glm-4.7 (strongest). Known: ${TEXT_MODELS.join(", ")}; other glm-* names are sent as given, with a note; max_tokens above a known model's limit is lowered to it.`,
    ),
  thinking: z
    .boolean()
    .optional()
    .describe(
      "Thinking mode (default true): the model reasons before answering. Set false for quick, cheap answers.",
    ),
  include_reasoning: z
    .boolean()
    .optional()
    .describe("Return the model's reasoning text too (default false: only the answer)."),
  response_format: z
    .enum(["text", "json_object"])
    .optional()
    .describe(
      "json_object makes the model answer with one JSON object, returned parsed in structuredContent.data.",
    ),
  max_tokens: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      "Upper bound of output tokens (reasoning + answer); lowered to the model's limit (GLM-4.6/4.7/5: 131072, GLM-4.5: 98304).",
    ),
  temperature: z.number().min(0).max(1).optional().describe("Sampling temperature 0–1 (model default 1.0)."),
  top_p: z.number().min(0.01).max(1).optional().describe("Nucleus sampling 0.01–1 (model default 0.95)."),
  conversation_id: nameString("conversation_id")
    .optional()
    .describe(
      "Continue an earlier glm_reason call: pass the conversation_id it returned. The server keeps the turns (and GLM-4.7's preserved thinking).",
    ),
  ...workspaceInput,
};

export const glmReasonOutput = {
  model: z.string(),
  answer: z.string(),
  reasoning: z.string().optional(),
  finish_reason: z.string(),
  usage: usageSchema,
  conversation_id: z
    .string()
    .optional()
    .describe("Pass it back to continue; absent only when the shared state store could not keep the turn."),
  answer_file: z
    .string()
    .optional()
    .describe("Set when the answer was too long for one result: the full answer is in this file."),
  data: jsonObjectAnswer,
  ...workspaceOutput,
};

const glmReasonConfig = {
  title: "Reason with GLM",
  description: [
    "Ask a GLM reasoning model (default GLM-4.7, thinking mode on) to think through a hard problem and answer in text or JSON.",
    "Use when: you want a second opinion on a design or bug, a long chain of reasoning, code review, a plan, or a structured (json_object) answer from another strong model; continue the same thread with conversation_id.",
    "For code, pass paths instead of pasting it: files (paths, folders, globs) are read by the server; explore: true lets GLM open, list and search the workspace itself (read-only, inside the client's roots / --allow-dir).",
    "Do not use for: images, video or documents (use vision_analyze, video_understand, document_analyze), embeddings (embed_text), or simple lookups you can answer yourself.",
    "Cost/latency: paid per token; thinking answers can take 10 s to several minutes — the call streams and sends progress notifications so clients that honour progress do not time out. Set thinking=false for speed.",
  ].join("\n"),
  inputSchema: glmReasonInput,
  outputSchema: glmReasonOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: false, destructiveHint: false },
};

export const glmReasonTool = defineTool({
  name: GLM_REASON,
  calls: ["chat"],
  config: glmReasonConfig,
  aliases: glmReasonAliases,
  usageModel: (args, ctx) => args.model ?? ctx.config.defaultModel,
  async run(args, call) {
    const { ctx } = call;
    const previous = await ctx.conversations.resume(args.conversation_id, GLM_REASON);
    const wanted = args.model ?? previous?.model ?? ctx.config.defaultModel;
    const info = resolveModel(wanted, ["chat"], ctx.config.region);
    const model = info.name;
    const messages = startMessages(previous?.messages, args.system);
    let adjusted: string[] = [];
    const build = (m: ChatMessage[]) => {
      const req = reasonRequest({ ...args, info, messages: m });
      adjusted = req.notes;
      return req.body;
    };
    const turn = await reasonTurn(call, args, model, messages, build);
    const answer = turn.answer;
    const kept = await ctx.conversations.keep(previous?.id, GLM_REASON, model, messages);

    const { data, notes } = jsonAndNotes(args.response_format, answer, adjusted);
    notes.push(...turn.notes, ...(kept.note ? [kept.note] : []));
    const shaped = await answerResult(ctx.config.outputDir, {
      prefix: "glm-reason",
      model,
      answer,
      includeReasoning: args.include_reasoning,
      notes,
    });
    return {
      content: shaped.content,
      structuredContent: {
        ...shaped.structured,
        ...(shaped.file ? { answer_file: shaped.file.path } : {}),
        ...(kept.id ? { conversation_id: kept.id } : {}),
        ...(data !== undefined ? { data } : {}),
        ...turn.structured,
      },
    };
  },
});

/** A new conversation starts with the system message, if any; a continued one with its turns. */
function startMessages(earlier: ChatMessage[] | undefined, system: string | undefined): ChatMessage[] {
  if (earlier) return [...earlier];
  return system ? [{ role: "system", content: system }] : [];
}

/** The parsed JSON answer (json_object) and the notes on how the answer came out. */
function jsonAndNotes(
  format: string | undefined,
  answer: CollectedAnswer,
  adjusted: string[],
): { data: unknown; notes: string[] } {
  const data = format === "json_object" ? parseJsonAnswer(cleanAnswer(answer.content)) : undefined;
  const full = "The conversation filled the model's context window: start a new conversation.";
  const notes = [...adjusted, ...finishNotes(answer.finishReason, full)];
  if (format === "json_object" && data === undefined)
    notes.push("[GLM did not return a valid JSON object; the raw text is above.]");
  return { data, notes };
}

/** Parses a JSON object answer, tolerating a ```json fence; anything but an object stays text. */
export function parseJsonAnswer(text: string): object | undefined {
  const unfenced = text.replace(/^```(?:json)?\s*|\s*```$/g, "").trim();
  try {
    const value: unknown = JSON.parse(unfenced);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
