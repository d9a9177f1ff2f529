// What glm_reason adds so GLM reads code itself: `files` (the server sends them) and `explore`
// (GLM asks for them through function calls). One turn of the conversation is run here so the
// tool file stays thin.
import { z } from "zod";
import { estimateTokens } from "../embeddings/tokens.js";
import type { CollectedAnswer } from "../glm/collect.js";
import { findModel } from "../glm/models.js";
import type { ChatMessage, ChatRequest } from "../glm/types.js";
import { TokenBudget } from "../media/text-blocks.js";
import { Workspace } from "../media/workspace.js";
import { streamChat } from "./chat.js";
import type { ToolCall } from "./define-tool.js";
import { DEFAULT_MAX_STEPS, exploreLoop, exploreNote, MAX_STEPS_CAP, type ExploreReport } from "./explore.js";
import { filesContext, filesNote, MAX_CONTEXT_FILES, type FilesReport } from "./reason-files.js";

export const workspaceInput = {
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

const filesSchema = z.object({
  sent: z.array(
    z.object({ path: z.string(), lines: z.string(), of: z.number(), cut: z.boolean().optional() }),
  ),
  left_out: z.array(z.object({ path: z.string(), reason: z.string() })),
  tokens: z.number(),
  budget: z.number(),
});

export const workspaceOutput = {
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

type WorkspaceArgs = { prompt: string; max_tokens?: number | undefined } & {
  [K in keyof typeof workspaceInput]?: z.infer<(typeof workspaceInput)[K]>;
};

/** Answer room kept free of file text when max_tokens is not given (reasoning + answer). */
const DEFAULT_ANSWER_RESERVE = 32_768;
/** Models the catalog does not know: assume the smallest current text context. */
const FALLBACK_CONTEXT = 128_000;

export interface ReasonTurn {
  answer: CollectedAnswer;
  notes: string[];
  structured: { files?: FilesReport; exploration?: ExploreReport };
}

/**
 * Appends the user turn (with file blocks when `files` is given) and GLM's answer to `messages`,
 * running the explore loop when asked for (or when continuing a conversation that explored).
 */
export async function reasonTurn(
  call: ToolCall,
  args: WorkspaceArgs,
  model: string,
  messages: ChatMessage[],
  build: (messages: ChatMessage[]) => ChatRequest,
): Promise<ReasonTurn> {
  const explore = args.explore ?? messages.some((m) => m.role === "tool");
  const ws = args.files || explore ? await Workspace.open(await call.mediaPolicy()) : undefined;
  const budget = new TokenBudget(
    fileBudget(model, args.max_tokens, [...messages, { role: "user", content: args.prompt }]),
  );
  const out: ReasonTurn = { answer: undefined as never, notes: [], structured: {} };
  let prompt = args.prompt;
  if (ws && args.files) {
    const ctx = await filesContext(ws, args.files, budget.total);
    budget.spend(ctx.text);
    prompt = ctx.text ? `${ctx.text}\n\n${args.prompt}` : args.prompt;
    out.structured.files = ctx.report;
    out.notes.push(filesNote(ctx.report));
  }
  messages.push({ role: "user", content: prompt });
  if (ws && explore) {
    const maxSteps = args.max_steps ?? DEFAULT_MAX_STEPS;
    const { answer, report } = await exploreLoop(call, ws, messages, build, { maxSteps, budget });
    out.answer = answer;
    out.structured.exploration = report;
    out.notes.push(exploreNote(report));
    return out;
  }
  out.answer = await streamChat(call, build(messages));
  messages.push({
    role: "assistant",
    content: out.answer.content,
    ...(out.answer.reasoning ? { reasoning_content: out.answer.reasoning } : {}),
  });
  return out;
}

/** Tokens of file text one call may send: the model's context minus the answer's room and the conversation so far. */
export function fileBudget(model: string, maxTokens: number | undefined, messages: ChatMessage[]): number {
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
