// Image generation: POST /images/generations (OAS L797; body CreateImageRequest L11220, answer
// ImageGenerationResponse L11318). JSON in, a temporary URL out ("有效期为30天", one image per call);
// served on the standard endpoint like every non-chat API (endpoints.ts).
import { ToolInputError } from "../errors.js";
import type { CallOptions, GlmClient } from "./client.js";
import { InvalidResponseError } from "./errors.js";
import { checkImageSize, imageSizeRules } from "./models.js";

export interface ImageRequest {
  model: string;
  prompt: string;
  size?: string;
  quality?: "hd" | "standard";
  watermark_enabled?: boolean;
  user_id?: string;
}

export interface ContentFilterEntry {
  role?: "assistant" | "user" | "history";
  level?: number;
}

export interface ImageResponse {
  created?: number;
  data?: { url: string }[];
  content_filter?: ContentFilterEntry[];
}

export interface GeneratedImage {
  url: string;
  created: number | undefined;
  contentFilter: ContentFilterEntry[];
}

export async function generateImage(
  client: GlmClient,
  body: ImageRequest,
  opts: CallOptions = {},
): Promise<GeneratedImage> {
  const answer = await client.postJson<ImageResponse>("/images/generations", body, opts);
  const url = answer?.data?.[0]?.url;
  if (typeof url !== "string" || !/^https?:\/\//i.test(url))
    throw new InvalidResponseError("an image answer without an http(s) image URL");
  return { url, created: answer.created, contentFilter: answer.content_filter ?? [] };
}

export interface ImageArgs {
  prompt: string;
  size?: string | undefined;
  quality?: "hd" | "standard" | undefined;
  watermark?: boolean | undefined;
}

/** The request body for `model`, with size and quality checked against its rules before any request. */
export function imageRequest(model: string, args: ImageArgs): ImageRequest {
  const body: ImageRequest = { model, prompt: args.prompt };
  if (args.size !== undefined) {
    const size = checkImageSize(args.size, model);
    if (typeof size === "string") throw new ToolInputError(`${size}.`);
    body.size = `${size.width}x${size.height}`;
  }
  const { qualities } = imageSizeRules(model);
  if (args.quality && !qualities.includes(args.quality))
    throw new ToolInputError(
      `${model} takes quality ${qualities.join(" or ")} only: leave quality out, or use cogview-4 for standard.`,
    );
  if (args.quality) body.quality = args.quality;
  if (args.watermark !== undefined) body.watermark_enabled = args.watermark;
  return body;
}
