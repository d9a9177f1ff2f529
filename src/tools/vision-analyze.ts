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
import { VISION_TASK_SPECS, VISION_TASKS, type VisionTask } from "./vision-tasks.js";
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
  prompt: commonVisionFields.prompt
    .optional()
    .describe(
      'What you want to know or done, in words (e.g. "What error does this dialog show?"). May be left out when `task` is given.',
    ),
  task: z
    .enum(VISION_TASKS)
    .optional()
    .describe(
      "A specialised job with its own expert instruction (the official Z.AI server's task tools): ui_to_artifact (UI -> code, prompt, spec or description), extract_text (OCR of code, logs, docs), diagnose_error (error screenshot -> cause and fix), technical_diagram (architecture, UML, flowchart, ER), data_visualization (chart/dashboard insights), ui_diff (two images: expected first, actual second). The official tool names are accepted too.",
    ),
  model: visionModelField.describe(
    `GLM vision model. Default ${DEFAULT_VISION_MODEL} (best). glm-4.6v-flash is free; glm-4.1v-thinking-flash(x) always reasons; glm-4v-flash takes one public image URL only. Known: ${VISION_MODELS.join(", ")}; other glm-* names are sent as given, with a note.`,
  ),
  region: regionField,
};

export const visionAnalyzeOutput = {
  ...answerOutput,
  images: z.array(imageReportOut).describe("Per image: original and sent size/format, crop, steps."),
  task: z.enum(VISION_TASKS).optional().describe("The task whose instruction was sent, when one was given."),
};

const visionAnalyzeConfig = {
  title: "Analyze images with GLM vision",
  description: [
    "Ask a GLM vision model (default GLM-4.6V) about images: screenshots, UI, error dialogs, charts, diagrams, photos, handwriting, multi-image comparison; OCR of small text with `region` to zoom into part of a big image.",
    "Use when: you have an image path, URL or base64 and need it described, read (OCR), compared, or a question about it answered.",
    "Specialised jobs (the official Z.AI server's task tools) via `task`: ui_to_artifact, extract_text, diagnose_error, technical_diagram, data_visualization, ui_diff (expected + actual image).",
    "Do not use for: finding where things are with boxes (vision_locate), videos (video_understand), PDFs/Office files (document_analyze), or text-only questions (glm_reason).",
    "Cost/latency: paid per token (glm-4.6v-flash is free); ~5–60 s, longer with thinking. Large images are downscaled (photos to 2048 px, screenshots to 2560 px by default) and converted to jpg/png automatically; progress notifications are sent while GLM works.",
  ].join("\n"),
  inputSchema: visionAnalyzeInput,
  outputSchema: visionAnalyzeOutput,
  annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true, destructiveHint: false },
};

export const visionAnalyzeTool = defineTool({
  name: VISION_ANALYZE,
  calls: ["vision"],
  modelInput: "image",
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
    const prompt = checkTask(args.task, args.prompt, sources.length);
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
    const parts: ContentPart[] = [...intakes.map((i) => i.part), { type: "text", text: prompt }];
    const { thinking, max_tokens, temperature } = args;
    const system = args.task ? VISION_TASK_SPECS[args.task].instruction : undefined;
    const req = visionRequest({ info, parts, thinking, max_tokens, temperature, system });
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
    return {
      content: shaped.content,
      structuredContent: { ...shaped.structured, images: reports, ...(args.task ? { task: args.task } : {}) },
    };
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

/** The user text to send: the prompt, or the task's default request; a task's image count is checked. */
function checkTask(task: VisionTask | undefined, prompt: string | undefined, count: number): string {
  if (!task) {
    if (prompt) return prompt;
    throw new ToolInputError(
      `No \`prompt\` given: say what you want to know about the image, or pass a \`task\` (${VISION_TASKS.join(", ")}).`,
    );
  }
  const spec = VISION_TASK_SPECS[task];
  if (spec.images !== undefined && count !== spec.images)
    throw new ToolInputError(
      `task ${task} compares exactly ${spec.images} images and ${count} ${count === 1 ? "was" : "were"} given: pass \`images\` as [expected, actual].`,
    );
  return prompt || spec.defaultPrompt;
}
