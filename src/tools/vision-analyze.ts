// vision_analyze: ask a GLM vision model about one or more images (screenshots, photos, diagrams).
import { z } from "zod";
import type { ContentPart } from "../glm/types.js";
import { describeImageReport, intakeImage, type ImageIntake } from "../media/image-intake.js";
import { sourceString } from "./limits.js";
import { ToolInputError } from "../errors.js";
import { mapLimit } from "../util/pool.js";
import { resolveModel, visionRules, type VisionRules } from "../glm/models.js";
import { visionRequest } from "../glm/requests.js";
import { answerResult } from "../output/answer.js";
import { streamChat } from "./chat.js";
import { visionAnalyzeAliases } from "./aliases/vision-analyze.js";
import { defineTool } from "./define-tool.js";
import {
  answerOutput,
  commonVisionFields,
  DEFAULT_VISION_MODEL,
  imageReportOut,
  regionField,
  SOURCE_FORMS,
  visionModelField,
  VISION_MODELS,
} from "./vision-fields.js";

export const VISION_ANALYZE = "vision_analyze";
export const MAX_IMAGES = 50;
/** All inline images of one request share this many bytes (keeps the upload reasonable). */
export const TOTAL_INLINE_IMAGE_BYTES = 20 * 1024 * 1024;
const MIN_PER_IMAGE_BYTES = 512 * 1024;

export const visionAnalyzeInput = {
  images: z
    .array(sourceString("each image").min(1))
    .min(1)
    .max(MAX_IMAGES)
    .optional()
    .describe(
      `1–${MAX_IMAGES} images, each ${SOURCE_FORMS}. Any common format (jpg, png, webp, gif, avif, tiff, bmp, svg); big images are shrunk for you.`,
    ),
  image: sourceString("image").min(1).optional().describe(`One image (instead of images): ${SOURCE_FORMS}.`),
  ...commonVisionFields,
  model: visionModelField.describe(
    `GLM vision model. Default ${DEFAULT_VISION_MODEL} (best). glm-4.6v-flash is free; glm-4.1v-thinking-flash(x) always reasons; glm-4v-flash takes one public image URL only. Known: ${VISION_MODELS.join(", ")}; other glm-* names are sent as given, with a note.`,
  ),
  region: regionField,
};

export const visionAnalyzeOutput = {
  ...answerOutput,
  images: z.array(imageReportOut).describe("Per image: original and sent size/format, crop, steps."),
};

const visionAnalyzeConfig = {
  title: "Analyze images with GLM vision",
  description: [
    "Ask a GLM vision model (default GLM-4.6V) about images: screenshots, UI, error dialogs, charts, diagrams, photos, handwriting, multi-image comparison; OCR of small text with `region` to zoom into part of a big image.",
    "Use when: you have an image path, URL or base64 and need it described, read (OCR), compared, or a question about it answered.",
    "Do not use for: finding where things are with boxes (vision_locate), videos (video_understand), PDFs/Office files (document_analyze), or text-only questions (glm_reason).",
    "Cost/latency: paid per token (glm-4.6v-flash is free); ~5–60 s, longer with thinking. Large images are downscaled (photos to 2048 px, screenshots to 2560 px by default) and converted to jpg/png automatically; progress notifications are sent while GLM works.",
  ].join("\n"),
  inputSchema: visionAnalyzeInput,
  outputSchema: visionAnalyzeOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true, destructiveHint: false },
};

export const visionAnalyzeTool = defineTool({
  name: VISION_ANALYZE,
  config: visionAnalyzeConfig,
  aliases: visionAnalyzeAliases,
  usageModel: (args, ctx) => args.model ?? ctx.config.defaultVisionModel,
  async run(args, call) {
    const info = resolveModel(
      args.model ?? call.ctx.config.defaultVisionModel,
      ["vision"],
      call.ctx.config.region,
    );
    const model = info.name;
    const rules = visionRules(model);
    const sources = [...(args.images ?? []), ...(args.image ? [args.image] : [])];
    checkImageCount(sources.length, rules, model, args.region !== undefined);
    const policy = await call.mediaPolicy();
    const perImage = Math.max(MIN_PER_IMAGE_BYTES, Math.floor(TOTAL_INLINE_IMAGE_BYTES / sources.length));
    policy.imageBudget = { ...policy.imageBudget, maxBytes: Math.min(policy.imageBudget.maxBytes, perImage) };
    let done = 0;
    call.progress.now(`preparing ${sources.length} image${sources.length === 1 ? "" : "s"}`);
    const intakes: ImageIntake[] = await mapLimit(sources, 4, async (src) => {
      const r = await intakeImage(src, policy, {
        ...(args.region ? { region: args.region } : {}),
        ...(!rules.base64Images ? { urlOnly: { model, suggestion: "glm-4.6v-flash" } } : {}),
      });
      call.progress.update(++done, `prepared image ${done}/${sources.length}`, sources.length);
      return r;
    });
    const parts: ContentPart[] = [...intakes.map((i) => i.part), { type: "text", text: args.prompt }];
    const { thinking, max_tokens, temperature } = args;
    const req = visionRequest({ info, parts, thinking, max_tokens, temperature });
    const answer = await streamChat(call, req.body);
    const reports = intakes.map((i) => i.report);
    const shaped = await answerResult(call.ctx.config.outputDir, {
      prefix: "vision-analyze",
      model,
      answer,
      includeReasoning: args.include_reasoning,
      adjusted: req.notes,
      intakeLine: `Images sent: ${reports.map(describeImageReport).join("; ")}`,
    });
    return { content: shaped.content, structuredContent: { ...shaped.structured, images: reports } };
  },
});

function checkImageCount(count: number, rules: VisionRules, model: string, region: boolean): void {
  if (count === 0)
    throw new ToolInputError(
      "No image given: pass `image` (one source) or `images` (a list of 1–50), each a URL, local path, data: URI or base64.",
    );
  if (count > MAX_IMAGES)
    throw new ToolInputError(
      `Too many images (${count}): GLM takes at most ${MAX_IMAGES} per request; split them over several calls.`,
    );
  if (count > rules.maxImages)
    throw new ToolInputError(
      `${model} takes ${rules.maxImages} image${rules.maxImages === 1 ? "" : "s"} per request and ${count} were given: use glm-4.6v-flash (free, up to 50) or glm-4.6v, or send one image per call.`,
    );
  if (region && count !== 1)
    throw new ToolInputError(
      "`region` crops a single image: pass exactly one image with it, or call once per image.",
    );
}
