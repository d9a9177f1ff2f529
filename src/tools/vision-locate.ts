// vision_locate: find things in an image with GLM's grounding, return boxes in the ORIGINAL image's
// pixels (undoing the intake's crop and resize), and an annotated image the agent can look at.
import { z } from "zod";
import { intakeImage } from "../media/image-intake.js";
import { usageSchema } from "../output/schemas.js";
import { sourceString } from "./limits.js";
import { ToolInputError } from "../errors.js";
import { resolveModel, visionRules } from "../glm/models.js";
import { visionRequest } from "../glm/requests.js";
import { parseBoxes } from "../media/boxes.js";
import { locateResult } from "../output/locate.js";
import { streamChat } from "./chat.js";
import { visionLocateAliases } from "./aliases/vision-locate.js";
import { defineTool } from "./define-tool.js";
import {
  DEFAULT_VISION_MODEL,
  imageReportOut,
  rectOut,
  regionField,
  SOURCE_FORMS,
  visionModelField,
} from "./vision-fields.js";

export const VISION_LOCATE = "vision_locate";

export const visionLocateInput = {
  image: sourceString("image").min(1).describe(`The image to search: ${SOURCE_FORMS}.`),
  targets: z
    .string()
    .min(1)
    .max(500)
    .describe(
      'What to find, in words: "every submit button", "the error toast", "defective fruit", "faces". Each match comes back as a box.',
    ),
  model: visionModelField.describe(
    `GLM vision model with grounding. Default ${DEFAULT_VISION_MODEL}; glm-4.6v-flash is free; glm-4.1v-thinking-flash(x) also grounds. glm-4v-flash cannot be used (no base64 images).`,
  ),
  annotate: z
    .boolean()
    .optional()
    .describe(
      "Draw the boxes and labels on the image and return it (image block + saved file). Default true.",
    ),
  region: regionField.describe(
    "Search only this area of the original image (pixels or fractions 0–1); boxes still come back in whole-image pixels.",
  ),
  thinking: z
    .boolean()
    .optional()
    .describe("Thinking mode (default true): slower but places boxes more carefully."),
  max_tokens: z
    .number()
    .int()
    .min(1)
    .max(32768)
    .optional()
    .describe("Upper bound of output tokens, reasoning included."),
};

const objectOut = z.object({
  label: z.string(),
  box: rectOut.describe("In ORIGINAL image pixels (after EXIF rotation): x, y = top-left corner."),
  box_1000: z
    .array(z.number())
    .length(4)
    .describe(
      "The model's own [x1, y1, x2, y2] on a 0–1000 grid over the image it saw (the region, if one was given).",
    ),
  confidence: z.number().optional(),
});

export const visionLocateOutput = {
  model: z.string(),
  objects: z.array(objectOut),
  counts: z.record(z.string(), z.number()).describe("Number of boxes per label."),
  answer: z.string().describe("The model's raw answer text (box markers removed)."),
  image: imageReportOut,
  annotated: z
    .object({
      path: z.string(),
      uri: z.string(),
      mime_type: z.string(),
      width: z.number(),
      height: z.number(),
      bytes: z.number(),
    })
    .optional(),
  note: z.string().optional(),
  finish_reason: z.string(),
  usage: usageSchema,
};

const visionLocateConfig = {
  title: "Locate objects in an image with GLM",
  description: [
    "Find where things are in an image with GLM-4.6V grounding: returns a box per match in the original image's pixels, counts per label, and (by default) the image with the boxes drawn on it.",
    "Use when: you need coordinates of UI elements in a screenshot (to click, crop or zoom), to count objects, or to check visually where something is; then zoom with vision_analyze's `region` set to a returned box.",
    "Do not use for: describing or reading an image (vision_analyze), videos (video_understand), documents (document_analyze).",
    "Cost/latency: one vision call (glm-4.6v-flash is free); ~5–60 s with thinking. The returned annotated image is at most 1568 px / 1 MB.",
  ].join("\n"),
  inputSchema: visionLocateInput,
  outputSchema: visionLocateOutput,
  // Not read-only: it adds a new file to the output directory; never overwrites or deletes (so not destructive).
  annotations: { readOnlyHint: false, openWorldHint: true, idempotentHint: false, destructiveHint: false },
};

/** The instruction sent with the image: GLM's native 0–1000 [x1,y1,x2,y2] convention, as JSON. */
export function locatePrompt(targets: string): string {
  return [
    `Locate every instance of the following in the image: ${targets}`,
    'Answer with only a JSON array, one object per instance: [{"label": "<short name>", "bbox_2d": [x1, y1, x2, y2], "confidence": <0-1>}]',
    "where (x1, y1) is the top-left and (x2, y2) the bottom-right corner, as integers on a 0-1000 scale relative to the image width and height.",
    "If nothing matches, answer [].",
  ].join("\n");
}

export const visionLocateTool = defineTool({
  name: VISION_LOCATE,
  calls: ["vision"],
  modelInput: "image",
  config: visionLocateConfig,
  aliases: visionLocateAliases,
  usageModel: (args, ctx) => args.model ?? ctx.config.defaultVisionModel,
  async run(args, call) {
    const info = resolveModel(
      args.model ?? call.ctx.config.defaultVisionModel,
      ["vision"],
      call.ctx.config.region,
    );
    const model = info.name;
    const rules = visionRules(model);
    if (!rules.base64Images)
      throw new ToolInputError(
        `${model} accepts only image URLs, but locating needs the image bytes to map boxes back: use glm-4.6v-flash (also free) or glm-4.6v.`,
      );
    const policy = await call.mediaPolicy();
    call.progress.now("preparing the image");
    // Always inline: boxes are mapped back through our own crop/resize, and drawn on our copy.
    const intake = await intakeImage(args.image, policy, {
      forceInline: true,
      ...(args.region ? { region: args.region } : {}),
    });
    const parts = [intake.part, { type: "text" as const, text: locatePrompt(args.targets) }];
    const { thinking, max_tokens } = args;
    const req = visionRequest({ info, parts, thinking, max_tokens });
    const answer = await streamChat(call, req.body);
    const fallbackLabel = args.targets.length <= 40 ? args.targets : "object";
    return locateResult(call.ctx.config.outputDir, {
      model,
      targets: args.targets,
      answer,
      boxes: parseBoxes(answer.content, fallbackLabel),
      intake,
      annotate: args.annotate !== false,
      adjusted: req.notes,
      onDrawing: () => call.progress.now("drawing the boxes"),
    });
  },
});
