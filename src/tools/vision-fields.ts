// The argument and result fields vision_analyze, video_understand, document_analyze and
// vision_locate share.
import { z } from "zod";
import { MODELS } from "../glm/models.js";
import { usageSchema } from "../output/schemas.js";
import { nameString, promptString } from "./limits.js";

// The built-in default, named in descriptions; a call uses config.defaultVisionModel (GLM_VISION_MODEL).
export { DEFAULT_VISION_MODEL } from "../config.js";
export const VISION_MODELS = MODELS.filter((m) => m.kind === "vision" && m.input.includes("image")).map(
  (m) => m.name,
);

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
      "Thinking mode (default true): the model reasons before answering; false is faster and cheaper. GLM-4.1V-Thinking and GLM-5.3-Flash always think (false is dropped with a note); GLM-4V-Flash never does.",
    ),
  include_reasoning: z
    .boolean()
    .optional()
    .describe("Also return the model's reasoning text (default false)."),
  max_tokens: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      "Upper bound of output tokens, reasoning included; lowered to the model's limit (GLM-4.6V: 32768; GLM-4.5V/4.1V: 16384; GLM-4V-Flash: 1024).",
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

// min(0) + a check rather than positive(): Gemini refuses exclusiveMinimum.
export const regionField = z
  .object({
    x: z.number().min(0).describe("Left edge: pixels of the original image, or a fraction 0–1 of its width."),
    y: z.number().min(0).describe("Top edge: pixels, or a fraction 0–1 of the height."),
    width: z
      .number()
      .min(0)
      .refine((v) => v > 0, "width must be more than 0")
      .describe("Width: pixels, or a fraction 0–1 of the width."),
    height: z
      .number()
      .min(0)
      .refine((v) => v > 0, "height must be more than 0")
      .describe("Height: pixels, or a fraction 0–1 of the height."),
    unit: z
      .enum(["px", "fraction"])
      .optional()
      .describe("Force the unit; by default all values ≤ 1 mean fractions, otherwise pixels."),
  })
  .optional()
  .describe(
    "Zoom: crop this area of the ORIGINAL image at full resolution before any resizing, so small text stays legible (e.g. a box returned by vision_locate, or {x:0.5,y:0,width:0.5,height:0.5} for the top-right quarter).",
  );
