// What vision_analyze, video_understand, document_analyze and vision_locate share: model rules,
// argument fields, the streamed call with progress, and the common result fields.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AppContext } from "../state/context.js";
import { cleanAnswer, collectChatStream, usageSummary, type CollectedAnswer } from "../glm/collect.js";
import { findModel, MODELS } from "../glm/models.js";
import type { ChatRequest, ContentPart } from "../glm/types.js";
import { fitText, fittedLink } from "../output/size.js";
import { chatStreamProgress, type ProgressReporter } from "./progress.js";
import { ToolInputError } from "./result.js";
import { usageSchema } from "../output/schemas.js";
import { nameString, promptString } from "./limits.js";

export const DEFAULT_VISION_MODEL = "glm-4.6v";
export const VISION_MODELS = MODELS.filter((m) => m.input.includes("image")).map((m) => m.name);
/** file_url is documented for GLM-5V-Turbo, GLM-4.6V and GLM-4.5V only. */
const FILE_URL_FAMILIES = /^glm-(4\.6v|4\.5v|5v)/i;

export const SOURCE_FORMS =
  "an http(s) URL, a local path (absolute, relative to the server's working directory, ~/..., file://..., or a Windows path like C:\\\\dir\\\\x.png which maps to /mnt/c/dir/x.png on Linux/WSL), a data: URI, or bare base64";

export const visionModelField = nameString("model")
  .regex(/^glm-[a-z0-9.-]+$/i, "model must be a GLM vision model name such as glm-4.6v")
  .optional();

export const commonVisionFields = {
  prompt: promptString("prompt")
    .min(1)
    .describe('What you want to know or done, in words (e.g. "What error does this dialog show?").'),
  thinking: z
    .boolean()
    .optional()
    .describe(
      "Thinking mode (default true): the model reasons before answering; false is faster and cheaper. GLM-4.1V-Thinking always thinks; GLM-4V-Flash never does.",
    ),
  include_reasoning: z
    .boolean()
    .optional()
    .describe("Also return the model's reasoning text (default false)."),
  max_tokens: z
    .number()
    .int()
    .min(1)
    .max(32768)
    .optional()
    .describe(
      "Upper bound of output tokens, reasoning included (GLM-4.6V: 32768; GLM-4.1V: 16384; GLM-4V-Flash: 1024).",
    ),
  temperature: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Sampling temperature 0–1 (vision default 0.8); lower is more literal."),
};

export const answerOutput = {
  model: z.string(),
  answer: z.string(),
  reasoning: z.string().optional(),
  finish_reason: z.string(),
  usage: usageSchema,
};

export const imageFactsOut = z.object({
  format: z.string(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
});
export const rectOut = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
export const imageReportOut = z.object({
  source: z.string(),
  source_kind: z.enum(["url", "path", "data-uri", "base64"]),
  sent_as: z.enum(["url", "base64"]),
  original: imageFactsOut.optional().describe("The original as displayed (after EXIF rotation)."),
  sent: imageFactsOut.optional().describe("What GLM received."),
  crop: rectOut.optional().describe("The region of the original that was sent, in original pixels."),
  scale: z.number().optional().describe("Sent pixels per original pixel."),
  steps: z.array(z.string()),
});

export const regionField = z
  .object({
    x: z.number().min(0).describe("Left edge: pixels of the original image, or a fraction 0–1 of its width."),
    y: z.number().min(0).describe("Top edge: pixels, or a fraction 0–1 of the height."),
    width: z.number().positive().describe("Width: pixels, or a fraction 0–1 of the width."),
    height: z.number().positive().describe("Height: pixels, or a fraction 0–1 of the height."),
    unit: z
      .enum(["px", "fraction"])
      .optional()
      .describe("Force the unit; by default all values ≤ 1 mean fractions, otherwise pixels."),
  })
  .optional()
  .describe(
    "Zoom: crop this area of the ORIGINAL image at full resolution before any resizing, so small text stays legible (e.g. a box returned by vision_locate, or {x:0.5,y:0,width:0.5,height:0.5} for the top-right quarter).",
  );

export interface ModelRules {
  name: string;
  maxImages: number;
  base64Images: boolean;
  video: boolean;
  files: boolean;
  thinking: "always" | "toggle" | "none";
}

export function modelRules(name: string): ModelRules {
  const info = findModel(name);
  return {
    name,
    maxImages: info?.maxImages ?? 50,
    base64Images: info?.acceptsBase64Images ?? true,
    video: info ? info.input.includes("video") : true,
    files: FILE_URL_FAMILIES.test(name),
    thinking: info?.thinking ?? "toggle",
  };
}

/** The thinking field to send: omitted for models that always think or never do. */
export function thinkingFor(rules: ModelRules, thinking: boolean | undefined): Pick<ChatRequest, "thinking"> {
  if (rules.thinking !== "toggle") return {};
  return { thinking: { type: thinking === false ? "disabled" : "enabled" } };
}

export interface VisionCallArgs {
  model: string;
  rules: ModelRules;
  parts: ContentPart[];
  thinking?: boolean;
  max_tokens?: number;
  temperature?: number;
}

export function visionBody(a: VisionCallArgs): ChatRequest {
  return {
    model: a.model,
    messages: [{ role: "user", content: a.parts }],
    ...thinkingFor(a.rules, a.thinking),
    ...(a.max_tokens !== undefined ? { max_tokens: a.max_tokens } : {}),
    ...(a.temperature !== undefined ? { temperature: a.temperature } : {}),
  };
}

/** Streams the request (so long answers keep progress flowing) and records usage. */
export async function streamVision(
  ctx: AppContext,
  body: ChatRequest,
  progress: ProgressReporter,
  signal: AbortSignal | undefined,
): Promise<CollectedAnswer> {
  progress.now(`waiting for ${body.model}`);
  const answer = await collectChatStream(
    ctx.glm.chatStream(body, {
      signal,
      onRetry: ({ attempt, delayMs, error }) =>
        progress.now(
          `GLM busy (${error.code ?? error.name}); retry ${attempt} in ${Math.round(delayMs / 100) / 10} s`,
        ),
    }),
    chatStreamProgress(progress),
  );
  ctx.usage.record(body.model, answer.usage);
  return answer;
}

export function finishNotes(finishReason: string): string[] {
  if (finishReason === "length")
    return ["[The answer was cut at max_tokens: raise max_tokens or ask for less.]"];
  if (finishReason === "model_context_window_exceeded")
    return ["[The input filled the model's context window: send fewer or smaller items.]"];
  return [];
}

/** The text blocks and common structured fields of a vision answer (long answers cut and saved). */
export async function answerResult(
  ctx: AppContext,
  prefix: string,
  model: string,
  answer: CollectedAnswer,
  includeReasoning: boolean | undefined,
  intakeLine: string | undefined,
): Promise<{ content: CallToolResult["content"]; structured: Record<string, unknown> }> {
  const text = cleanAnswer(answer.content);
  const fitted = await fitText(ctx.config.outputDir, text, `${prefix}-answer`);
  const reasoning =
    includeReasoning && answer.reasoning
      ? await fitText(ctx.config.outputDir, answer.reasoning, `${prefix}-reasoning`, 20_000)
      : undefined;
  const content: CallToolResult["content"] = [];
  if (reasoning) content.push({ type: "text", text: `Reasoning:\n${reasoning.text}` });
  content.push(
    {
      type: "text",
      text: [fitted.text || "(empty answer)", ...finishNotes(answer.finishReason)].join("\n\n"),
    },
    ...fittedLink(fitted),
  );
  if (intakeLine) content.push({ type: "text", text: intakeLine });
  return {
    content,
    structured: {
      model: answer.model ?? model,
      answer: fitted.text,
      ...(reasoning ? { reasoning: reasoning.text } : {}),
      finish_reason: answer.finishReason || "stop",
      usage: usageSummary(answer.usage),
    },
  };
}

export function requireModelFeature(ok: boolean, message: string): void {
  if (!ok) throw new ToolInputError(message);
}

/**
 * Runs `fn` over items with at most `limit` in flight, keeping order. The first failure rejects
 * and stops the run: items already in flight finish, but no new one starts (no more downloads or
 * decoding for a result that will never be used).
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (err) {
        stopped = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
