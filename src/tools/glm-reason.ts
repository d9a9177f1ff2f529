// glm_reason: a second opinion from GLM's reasoning models (GLM-4.7 family) with thinking mode.
import { z } from "zod";
import { TEXT_MODELS } from "../glm/models.js";
import type { ChatMessage, ChatRequest } from "../glm/types.js";
import { nameString, promptString } from "./limits.js";
import { usageSchema } from "../output/schemas.js";
import { answerResult, cleanAnswer, finishNotes } from "../output/answer.js";
import { streamChat } from "./chat.js";
import { glmReasonAliases } from "./aliases/glm-reason.js";
import { defineTool } from "./define-tool.js";

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
      `GLM text model. Default glm-4.7 (strongest). Known: ${TEXT_MODELS.join(", ")}; other glm-* names are passed through.`,
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
    .max(131072)
    .optional()
    .describe("Upper bound of output tokens (reasoning + answer)."),
  temperature: z.number().min(0).max(1).optional().describe("Sampling temperature 0–1 (model default 1.0)."),
  top_p: z.number().min(0.01).max(1).optional().describe("Nucleus sampling 0.01–1 (model default 0.95)."),
  conversation_id: nameString("conversation_id")
    .optional()
    .describe(
      "Continue an earlier glm_reason call: pass the conversation_id it returned. The server keeps the turns (and GLM-4.7's preserved thinking).",
    ),
};

export const glmReasonOutput = {
  model: z.string(),
  answer: z.string(),
  reasoning: z.string().optional(),
  finish_reason: z.string(),
  usage: usageSchema,
  conversation_id: z.string(),
  answer_file: z
    .string()
    .optional()
    .describe("Set when the answer was too long for one result: the full answer is in this file."),
  data: z.unknown().optional().describe("The parsed JSON answer when response_format is json_object."),
};

const glmReasonConfig = {
  title: "Reason with GLM",
  description: [
    "Ask a GLM reasoning model (default GLM-4.7, thinking mode on) to think through a hard problem and answer in text or JSON.",
    "Use when: you want a second opinion on a design or bug, a long chain of reasoning, code review, a plan, or a structured (json_object) answer from another strong model; continue the same thread with conversation_id.",
    "Do not use for: images, video or documents (use vision_analyze, video_understand, document_analyze), embeddings (embed_text), or simple lookups you can answer yourself.",
    "Cost/latency: paid per token; thinking answers can take 10 s to several minutes — the call streams and sends progress notifications so clients that honour progress do not time out. Set thinking=false for speed.",
  ].join("\n"),
  inputSchema: glmReasonInput,
  outputSchema: glmReasonOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: false, destructiveHint: false },
};

type Args = z.infer<z.ZodObject<typeof glmReasonInput>>;

export const glmReasonTool = defineTool({
  name: GLM_REASON,
  config: glmReasonConfig,
  aliases: glmReasonAliases,
  usageModel: (args, ctx) => args.model ?? ctx.config.defaultModel,
  async run(args, call) {
    const { ctx } = call;
    const previous = ctx.conversations.resume(args.conversation_id, GLM_REASON);
    const model = args.model ?? previous?.model ?? ctx.config.defaultModel;
    const messages: ChatMessage[] = previous
      ? [...previous.messages]
      : args.system
        ? [{ role: "system", content: args.system }]
        : [];
    messages.push({ role: "user", content: args.prompt });
    const answer = await streamChat(call, reasonRequest(model, messages, args));
    messages.push({
      role: "assistant",
      content: answer.content,
      ...(answer.reasoning ? { reasoning_content: answer.reasoning } : {}),
    });
    const conversationId = ctx.conversations.save(previous?.id, GLM_REASON, model, messages);

    const wantsJson = args.response_format === "json_object";
    const data = wantsJson ? parseJsonAnswer(cleanAnswer(answer.content)) : undefined;
    const notes = finishNotes(
      answer.finishReason,
      "The conversation filled the model's context window: start a new conversation.",
    );
    if (wantsJson && data === undefined)
      notes.push("[GLM did not return valid JSON; the raw text is above.]");
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
        conversation_id: conversationId,
        ...(data !== undefined ? { data } : {}),
      },
    };
  },
});

function reasonRequest(model: string, messages: ChatMessage[], args: Args): ChatRequest {
  const thinking = args.thinking ?? true;
  const carriesReasoning = messages.some((m) => m.role === "assistant" && m.reasoning_content);
  return {
    model,
    messages,
    // Preserved thinking: earlier reasoning is sent back and must not be cleared by GLM.
    thinking:
      thinking && carriesReasoning
        ? { type: "enabled", clear_thinking: false }
        : { type: thinking ? "enabled" : "disabled" },
    ...(args.response_format ? { response_format: { type: args.response_format } } : {}),
    ...(args.max_tokens !== undefined ? { max_tokens: args.max_tokens } : {}),
    ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
    ...(args.top_p !== undefined ? { top_p: args.top_p } : {}),
  };
}

/** Parses a JSON answer, tolerating a ```json fence around it. */
export function parseJsonAnswer(text: string): unknown {
  const unfenced = text.replace(/^```(?:json)?\s*|\s*```$/g, "").trim();
  try {
    return JSON.parse(unfenced);
  } catch {
    return undefined;
  }
}
