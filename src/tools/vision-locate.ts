// vision_locate: find things in an image with GLM's grounding, return boxes in the ORIGINAL image's
// pixels (undoing the intake's crop and resize), and an annotated image the agent can look at.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AppContext } from "../state/context.js";
import { cleanAnswer, usageSummary } from "../glm/collect.js";
import { annotateImage } from "../media/annotate.js";
import { countByLabel, parseBoxes, toOriginalPixels } from "../media/boxes.js";
import { intakeImage } from "../media/image-intake.js";
import { mediaPolicy } from "../media/policy.js";
import { resourceLink, saveOutputFile } from "../output/files.js";
import { fitText } from "../output/size.js";
import { createProgress, type ToolExtra } from "./progress.js";
import { guard, ToolInputError } from "./result.js";
import { usageSchema } from "../output/schemas.js";
import {
  DEFAULT_VISION_MODEL,
  finishNotes,
  imageReportOut,
  modelRules,
  rectOut,
  regionField,
  SOURCE_FORMS,
  streamVision,
  visionBody,
  visionModelField,
} from "./vision-shared.js";
import { sourceString } from "./limits.js";

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

export const visionLocateConfig = {
  title: "Locate objects in an image with GLM",
  description: [
    "Find where things are in an image with GLM-4.6V grounding: returns a box per match in the original image's pixels, counts per label, and (by default) the image with the boxes drawn on it.",
    "Use when: you need coordinates of UI elements in a screenshot (to click, crop or zoom), to count objects, or to check visually where something is; then zoom with vision_analyze's `region` set to a returned box.",
    "Do not use for: describing or reading an image (vision_analyze), videos (video_understand), documents (document_analyze).",
    "Cost/latency: one vision call (glm-4.6v-flash is free); ~5–60 s with thinking. The returned annotated image is at most 1568 px / 1 MB.",
  ].join("\n"),
  inputSchema: visionLocateInput,
  outputSchema: visionLocateOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true, destructiveHint: false },
};

type Args = z.infer<z.ZodObject<typeof visionLocateInput>>;

/** The instruction sent with the image: GLM's native 0–1000 [x1,y1,x2,y2] convention, as JSON. */
export function locatePrompt(targets: string): string {
  return [
    `Locate every instance of the following in the image: ${targets}`,
    'Answer with only a JSON array, one object per instance: [{"label": "<short name>", "bbox_2d": [x1, y1, x2, y2], "confidence": <0-1>}]',
    "where (x1, y1) is the top-left and (x2, y2) the bottom-right corner, as integers on a 0-1000 scale relative to the image width and height.",
    "If nothing matches, answer [].",
  ].join("\n");
}

export async function visionLocateHandler(
  ctx: AppContext,
  args: Args,
  extra?: ToolExtra,
  server?: McpServer,
): Promise<CallToolResult> {
  const progress = createProgress(extra);
  const model = args.model ?? DEFAULT_VISION_MODEL;
  try {
    const rules = modelRules(model);
    if (!rules.base64Images)
      throw new ToolInputError(
        `${model} accepts only image URLs, but locating needs the image bytes to map boxes back: use glm-4.6v-flash (also free) or glm-4.6v.`,
      );
    const policy = await mediaPolicy(ctx, server, extra?.signal);
    progress.now("preparing the image");
    // Always inline: boxes are mapped back through our own crop/resize, and drawn on our copy.
    const intake = await intakeImage(args.image, policy, {
      forceInline: true,
      ...(args.region ? { region: args.region } : {}),
    });
    const prepared = intake.prepared!;
    const parts = [intake.part, { type: "text" as const, text: locatePrompt(args.targets) }];
    const answer = await streamVision(
      ctx,
      visionBody({ model, rules, parts, thinking: args.thinking, max_tokens: args.max_tokens }),
      progress,
      extra?.signal,
    );

    const fallbackLabel = args.targets.length <= 40 ? args.targets : "object";
    const parsed = parseBoxes(answer.content, fallbackLabel);
    const objects = parsed.map((p) => ({
      label: p.label,
      box: toOriginalPixels(p.box, prepared.area),
      box_1000: p.box,
      ...(p.confidence !== undefined ? { confidence: p.confidence } : {}),
    }));
    const counts = countByLabel(objects);
    const text = cleanAnswer(answer.content);

    const content: CallToolResult["content"] = [];
    let annotated: Record<string, unknown> | undefined;
    let note: string | undefined;
    if (objects.length === 0) {
      note = "The model's answer contained no boxes that could be parsed; its text is returned as is.";
    } else if (args.annotate !== false) {
      progress.now("drawing the boxes");
      const drawn = await annotateImage(
        intake.originalBytes!,
        objects.map((o) => ({ label: o.label, rect: o.box })),
        {
          area: prepared.area,
          format: prepared.kind === "graphic" ? "png" : "jpeg",
        },
      );
      const file = await saveOutputFile(
        ctx.config.outputDir,
        "vision-locate",
        drawn.mime === "image/png" ? "png" : "jpg",
        drawn.data,
        drawn.mime,
      );
      annotated = {
        path: file.path,
        uri: file.uri,
        mime_type: drawn.mime,
        width: drawn.width,
        height: drawn.height,
        bytes: drawn.data.length,
      };
      content.push({ type: "image", data: drawn.data.toString("base64"), mimeType: drawn.mime });
      content.push(
        resourceLink(
          file,
          `The image with ${objects.length} located box${objects.length === 1 ? "" : "es"} drawn on it`,
        ),
      );
    }

    const lines = objects.map(
      (o) =>
        `- ${o.label}: x=${o.box.x} y=${o.box.y} width=${o.box.width} height=${o.box.height}${o.confidence !== undefined ? ` (confidence ${o.confidence})` : ""}`,
    );
    const summary =
      objects.length === 0
        ? `No boxes found for "${args.targets}". ${note}\n\nModel answer:\n${(await fitText(ctx.config.outputDir, text, "vision-locate-answer")).text || "(empty)"}`
        : `Found ${objects.length} box${objects.length === 1 ? "" : "es"} (${Object.entries(counts)
            .map(([l, n]) => `${l} ×${n}`)
            .join(
              ", ",
            )}) in original pixels of the ${prepared.original.width}×${prepared.original.height} image${prepared.cropped ? ` (searched region x=${prepared.area.x} y=${prepared.area.y} ${prepared.area.width}×${prepared.area.height})` : ""}:\n${lines.join("\n")}`;
    content.unshift({ type: "text", text: [summary, ...finishNotes(answer.finishReason)].join("\n\n") });

    return {
      content,
      structuredContent: {
        model: answer.model ?? model,
        objects,
        counts,
        answer: text.length > 20_000 ? text.slice(0, 20_000) + "…" : text,
        image: intake.report,
        ...(annotated ? { annotated } : {}),
        ...(note ? { note } : {}),
        finish_reason: answer.finishReason || "stop",
        usage: usageSummary(answer.usage),
      },
    };
  } catch (err) {
    if (!(err instanceof ToolInputError)) ctx.usage.recordError(model);
    throw err;
  } finally {
    progress.stop();
  }
}

export function registerVisionLocateTool(server: McpServer, ctx: AppContext): void {
  server.registerTool(VISION_LOCATE, visionLocateConfig, (args, extra) =>
    guard(ctx, VISION_LOCATE, () => visionLocateHandler(ctx, args, extra, server)),
  );
}
