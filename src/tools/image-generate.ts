// image_generate: a picture from a text prompt (POST /images/generations: GLM-Image, CogView-4,
// CogView-3-Flash). GLM answers a temporary URL; the image is downloaded, saved to the output dir
// and returned as image content (a copy sized for the context) plus a link to the full file.
import { z } from "zod";
import { resolveModel } from "../glm/models.js";
import { generateImage, imageRequest } from "../glm/images.js";
import { downloadGeneratedImage, imageFileSchema } from "../output/generated-image.js";
import { nameString, promptString } from "./limits.js";
import { imageGenerateAliases } from "./aliases/image-generate.js";
import { defineTool } from "./define-tool.js";

export const IMAGE_GENERATE = "image_generate";
export const DEFAULT_IMAGE_MODEL = "glm-image";

export const imageGenerateInput = {
  prompt: promptString("prompt")
    .min(1)
    .describe("What the picture shows: subject, style, composition, text to render (Chinese or English)."),
  model: nameString("model")
    .optional()
    .describe(
      `Image model: ${DEFAULT_IMAGE_MODEL} (default, best text rendering), cogview-4, cogview-4-250304, or cogview-3-flash (free).`,
    ),
  size: nameString("size")
    .optional()
    .describe(
      "WIDTHxHEIGHT in pixels. glm-image: multiples of 32, each side 512–2048, ≤ 4,194,304 px (default 1280x1280; e.g. 1568x1056, 1056x1568, 1728x960). Other models: multiples of 16, 512–2048, ≤ 2,097,152 px (default 1024x1024; e.g. 768x1344, 1344x768, 1440x720).",
    ),
  quality: z
    .enum(["hd", "standard"])
    .optional()
    .describe(
      "hd: finer detail, ~20 s (glm-image takes hd only, its default). standard: ~5–10 s (the default of the other models).",
    ),
  watermark: z
    .boolean()
    .optional()
    .describe(
      "false turns off GLM's visible and hidden AI watermarks, allowed only for accounts that signed the platform's watermark waiver; default: GLM's (on).",
    ),
};

export const imageGenerateOutput = {
  model: z.string(),
  url: z.string().describe("GLM's temporary link to the image (kept for 30 days)."),
  size: z.string().optional().describe("The size asked for (absent: the model's default)."),
  image: imageFileSchema
    .optional()
    .describe("The saved image; absent only when it could not be downloaded (then use url)."),
};

const imageGenerateConfig = {
  title: "Generate an image with GLM-Image / CogView",
  description: [
    "Draw a picture from a text prompt with Zhipu's image models (GLM-Image by default; CogView-4; CogView-3-Flash, free). Returns the image as image content (downscaled to ~1024 px for the context), the full-size file saved in the output directory (resource_link and path), and GLM's URL.",
    "Use when: you need a new illustration, icon, diagram-like picture, poster or mock-up from a description.",
    "Do not use for: describing or editing an existing image (vision_analyze), charts from data (draw them in code).",
    "Cost/latency: paid per image (glm-image and cogview-4; cogview-3-flash is free); 5–30 s. Progress notifications are sent while GLM draws.",
  ].join("\n"),
  inputSchema: imageGenerateInput,
  outputSchema: imageGenerateOutput,
  // Not read-only: it adds a new file to the output directory; never overwrites or deletes.
  annotations: { readOnlyHint: false, openWorldHint: true, idempotentHint: false, destructiveHint: false },
};

export const imageGenerateTool = defineTool({
  name: IMAGE_GENERATE,
  calls: ["image"],
  config: imageGenerateConfig,
  aliases: imageGenerateAliases,
  usageModel: (args) => args.model ?? DEFAULT_IMAGE_MODEL,
  async run(args, call) {
    const { ctx } = call;
    const model = resolveModel(args.model ?? DEFAULT_IMAGE_MODEL, ["image"], ctx.config.region).name;
    const body = imageRequest(model, args);
    call.progress.now(`${model} is drawing`);
    const { signal, onRetry } = call;
    const generated = await generateImage(ctx.glm, body, { ...(signal ? { signal } : {}), onRetry });
    ctx.usage.record(model, undefined);

    call.progress.now("downloading the image");
    const structured = { model, url: generated.url, ...(body.size ? { size: body.size } : {}) };
    const { outputDir } = ctx.config;
    const shaped = await downloadGeneratedImage(
      outputDir,
      "image-generate",
      generated.url,
      await call.mediaPolicy(),
    );
    if ("failed" in shaped) {
      const text = `${model} drew the image, but it could not be fetched here (${shaped.failed}) Open or download it from GLM's link (valid 30 days): ${generated.url}`;
      return { content: [{ type: "text", text }], structuredContent: structured };
    }
    const { info } = shaped;
    const shrunk =
      info.inline_width !== info.width ? ` (shown at ${info.inline_width}×${info.inline_height})` : "";
    const text = `Generated with ${model}: ${info.width}×${info.height}${shrunk}, saved to ${info.path} (${info.uri}). GLM's link, valid 30 days: ${generated.url}`;
    return {
      content: [{ type: "text", text }, ...shaped.blocks],
      structuredContent: { ...structured, image: info },
    };
  },
});
