// glm_reason: a second opinion from GLM's reasoning models (GLM-4.7 family) with thinking mode.
// GLM can read code itself: `files` (the server reads them and sends them ahead of the prompt) and
// `explore` (GLM asks for them through read-only function calls: explore-loop.ts).
import { z } from "zod";
import { estimateTokens } from "../embeddings/tokens.js";
import type { CollectedAnswer } from "../glm/collect.js";
import { findModel, resolveModel, TEXT_MODELS } from "../glm/models.js";
import { reasonRequest } from "../glm/requests.js";
import type { ChatMessage } from "../glm/types.js";
import { usageSchema } from "../output/schemas.js";
import { answerResult, cleanAnswer, finishNotes } from "../output/answer.js";
import { filesContext, filesNote, MAX_CONTEXT_FILES, type FilesReport } from "../workspace/file-context.js";
import { TokenBudget } from "../workspace/text-blocks.js";
import { Workspace } from "../workspace/workspace.js";
import { glmReasonAliases } from "./aliases/glm-reason.js";
import { streamChat } from "./chat.js";
import { defineTool } from "./define-tool.js";
import {
  DEFAULT_MAX_STEPS,
  exploreLoop,
  exploreNote,
  MAX_STEPS_CAP,
  type ExploreReport,
} from "./explore-loop.js";
import { nameString, promptString } from "./limits.js";

export const GLM_REASON = "glm_reason";

/** Answer room kept free of file text when max_tokens is not given (reasoning + answer). */
const DEFAULT_ANSWER_RESERVE = 32_768;
/** Models the catalog does not know: assume the smallest current text context. */
const FALLBACK_CONTEXT = 128_000;

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
  files: z
    .array(z.string().min(1).max(4096))
    .min(1)
    .max(MAX_CONTEXT_FILES)
    .optional()
    .describe(
      'Files for GLM to read, as paths, folders or globs ("src/server.ts", "src/glm", "src/**/*.ts") inside the client\'s roots / --allow-dir. The server reads them and sends them with line numbers ahead of the prompt, so pass paths, not contents. Text only; hidden and .gitignore\'d files are skipped unless named exactly; what does not fit the model\'s context is cut, and the result says so.',
    ),
  explore: z
    .boolean()
    .optional()
    .describe(
      'Let GLM read the workspace itself: it gets read-only tools (list a directory, read a file or line range, search text) inside the client\'s roots / --allow-dir and decides what to open. Use for "review X and whatever it imports". Off over HTTP unless the server has --allow-dir.',
    ),
  max_steps: z
    .number()
    .int()
    .min(1)
    .max(MAX_STEPS_CAP)
    .optional()
    .describe(`With explore: most rounds of tool calls GLM may make (default ${DEFAULT_MAX_STEPS}).`),
};

/** What `files` sent: workspace/file-context.ts's FilesReport. */
const filesSchema = z.object({
  sent: z.array(
    z.object({ path: z.string(), lines: z.string(), of: z.number(), cut: z.boolean().optional() }),
  ),
  left_out: z.array(z.object({ path: z.string(), reason: z.string() })),
  tokens: z.number(),
  budget: z.number(),
});

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
  // Typed (an object, any members): strict checkers (Inspector --strict) warn on a schema without a type.
  data: z
    .looseObject({})
    .meta({ additionalProperties: true })
    .optional()
    .describe("The parsed JSON object answer when response_format is json_object."),
  files: filesSchema
    .optional()
    .describe("With files: which files went in (line ranges), what was cut or left out."),
  exploration: z
    .object({
      steps: z.array(
        z.object({
          summary: z.string(),
          tool: z.string(),
          ok: z.boolean(),
          error: z.string().optional(),
          file: z.string().optional(),
        }),
      ),
      files_read: z.array(z.string()),
      tool_rounds: z.number(),
      stopped: z.string().optional(),
    })
    .optional()
    .describe("With explore: the steps GLM took and the files it read."),
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

    // The workspace, when GLM reads code: a conversation that explored keeps exploring.
    const explore = args.explore ?? messages.some((m) => m.role === "tool");
    const ws = args.files || explore ? await Workspace.open(await call.mediaPolicy()) : undefined;
    const budget = new TokenBudget(
      fileBudget(model, args.max_tokens, [...messages, { role: "user", content: args.prompt }]),
    );
    const turnNotes: string[] = [];
    const reading: { files?: FilesReport; exploration?: ExploreReport } = {};
    let prompt = args.prompt;
    if (ws && args.files) {
      const files = await filesContext(ws, args.files, budget.total);
      budget.spend(files.text);
      prompt = files.text ? `${files.text}\n\n${args.prompt}` : args.prompt;
      reading.files = files.report;
      turnNotes.push(filesNote(files.report));
    }
    messages.push({ role: "user", content: prompt });

    // One turn: GLM's answer, after as many rounds of workspace tools as it asks for when exploring.
    let answer: CollectedAnswer;
    if (ws && explore) {
      const maxSteps = args.max_steps ?? DEFAULT_MAX_STEPS;
      const explored = await exploreLoop(call, ws, messages, build, { maxSteps, budget });
      answer = explored.answer;
      reading.exploration = explored.report;
      turnNotes.push(exploreNote(explored.report));
    } else {
      answer = await streamChat(call, build(messages));
      messages.push({
        role: "assistant",
        content: answer.content,
        ...(answer.reasoning ? { reasoning_content: answer.reasoning } : {}),
      });
    }
    const kept = await ctx.conversations.keep(previous?.id, GLM_REASON, model, messages);

    const { data, notes } = jsonAndNotes(args.response_format, answer, adjusted);
    notes.push(...turnNotes, ...(kept.note ? [kept.note] : []));
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
        ...reading,
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

/** Tokens of file text one call may send: the model's context minus the answer's room and the conversation so far. */
function fileBudget(model: string, maxTokens: number | undefined, messages: ChatMessage[]): number {
  const context = findModel(model)?.contextTokens ?? FALLBACK_CONTEXT;
  const reserve =
    maxTokens ??
    Math.min(DEFAULT_ANSWER_RESERVE, findModel(model)?.maxOutputTokens ?? DEFAULT_ANSWER_RESERVE);
  const conversation = messages.reduce(
    (n, m) =>
      n +
      estimateTokens(typeof m.content === "string" ? m.content : "") +
      estimateTokens(m.reasoning_content ?? ""),
    0,
  );
  // 2k of slack for tool definitions, message framing and the estimate's own error.
  return Math.max(0, context - reserve - conversation - 2_048);
}
