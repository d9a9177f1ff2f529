// A generated image as a tool result: the full file saved in the output directory (resource_link)
// and a smaller inline copy as MCP image content, so the agent sees it without a second call and
// without a multi-megabyte base64 block in its context.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { MediaError } from "../media/errors.js";
import { prepareImage, type ImageBudget } from "../media/image.js";
import { loadOptions, type MediaPolicy } from "../media/policy.js";
import type { SniffedType } from "../media/sniff.js";
import { loadSourceBytes } from "../media/sources.js";
import { resourceLink, saveOutputFile } from "./files.js";

/**
 * The inline copy: 1024 px on the long side (1280 for flat graphics, prepareImage's screenshot rule),
 * ≤ 512 KB (≈ 700 KB of base64): enough to judge the picture without flooding the context.
 */
export const INLINE_IMAGE_BUDGET: ImageBudget = { maxEdge: 1024, maxBytes: 512 * 1024 };

export const imageFileSchema = z
  .object({
    path: z.string().describe("Absolute path of the full image in the output directory."),
    uri: z.string().describe("glm://output/<name>: the same file as an MCP resource."),
    name: z.string(),
    mime_type: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int(),
    inline_width: z
      .number()
      .int()
      .describe("Width of the inline copy in the result (smaller when downscaled)."),
    inline_height: z.number().int(),
  })
  .describe("The generated image, saved whole; the result's image block is a copy sized for the context.");

export type ImageFileInfo = z.infer<typeof imageFileSchema>;

export interface GeneratedImageResult {
  blocks: CallToolResult["content"];
  info: ImageFileInfo;
}

export async function generatedImageResult(
  outputDir: string,
  prefix: string,
  bytes: Buffer,
  type: SniffedType,
): Promise<GeneratedImageResult> {
  const inline = await prepareImage(bytes, { budget: INLINE_IMAGE_BUDGET });
  const file = await saveOutputFile(outputDir, prefix, type.ext, bytes, type.mime);
  const { width, height } = inline.original;
  return {
    blocks: [
      { type: "image", data: inline.data.toString("base64"), mimeType: inline.mime },
      resourceLink(file, `Generated image, ${width}×${height} ${type.ext.toUpperCase()}`),
    ],
    info: {
      path: file.path,
      uri: file.uri,
      name: file.name,
      mime_type: type.mime,
      width,
      height,
      bytes: file.bytes,
      inline_width: inline.sent.width,
      inline_height: inline.sent.height,
    },
  };
}

/**
 * Downloads GLM's image (the media download rules apply) and shapes it; a failed download gives the
 * reason instead, so the caller can still hand back GLM's link (the image is paid for).
 */
export async function downloadGeneratedImage(
  outputDir: string,
  prefix: string,
  url: string,
  policy: MediaPolicy,
): Promise<GeneratedImageResult | { failed: string }> {
  try {
    const loaded = await loadSourceBytes(url, {
      ...loadOptions(policy, "generated image"),
      expect: ["image"],
    });
    return await generatedImageResult(outputDir, prefix, loaded.bytes, loaded.type);
  } catch (err) {
    if (err instanceof MediaError) return { failed: err.message };
    throw err;
  }
}
