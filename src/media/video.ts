// One video source -> one GLM video_url part. URLs pass through (GLM fetches up to 200 MB);
// local mp4/mov/mkv files up to a cap go inline as base64, as the official GLM MCP server does.
import type { ContentPart } from "../glm/types.js";
import { MediaError } from "./errors.js";
import { loadOptions, type MediaPolicy } from "./policy.js";
import { classifySource, describeType, loadSourceBytes, shown, type SourceKind } from "./sources.js";
import { isPrivateUrl } from "./url-fetch.js";
import { formatBytes } from "../util/format.js";

export const GLM_VIDEO_FORMATS = ["mp4", "mov", "mkv"] as const;

export interface VideoReport {
  source: string;
  source_kind: SourceKind;
  sent_as: "url" | "base64";
  format?: string;
  bytes?: number;
}

export async function intakeVideo(
  input: string,
  policy: MediaPolicy,
): Promise<{ part: ContentPart; report: VideoReport }> {
  const kind = classifySource(input);
  const url = input.trim();
  if (kind === "url" && !policy.inlineUrls && !isPrivateUrl(url)) {
    return {
      part: { type: "video_url", video_url: { url } },
      report: { source: url, source_kind: kind, sent_as: "url" },
    };
  }
  const cap = Math.min(policy.videoMaxBytes, policy.inputMaxBytes);
  const loaded = await loadSourceBytes(input, {
    ...loadOptions(policy, "video"),
    maxBytes: cap,
    tooBigHint: `videos larger than ${formatBytes(cap)} must be passed as an http(s) URL GLM can fetch (up to 200 MB), or raise the cap with --video-max-mb / GLM_MCP_VIDEO_MAX_MB`,
  });
  const label = loaded.kind === "path" ? `The file ${shown(url)}` : `The ${loaded.displayName}`;
  if (loaded.type.category !== "video") {
    const hint = loaded.type.category === "image" ? " (use vision_analyze for images)" : "";
    throw new MediaError(
      `${label} is not a video: its bytes look like ${describeType(loaded.type)}${hint}; pass an mp4, mov or mkv file or a video URL.`,
    );
  }
  if (!(GLM_VIDEO_FORMATS as readonly string[]).includes(loaded.type.ext)) {
    throw new MediaError(
      `${label} is ${loaded.type.ext.toUpperCase()}, which GLM does not take (mp4, mov, mkv only): convert it first, e.g. ffmpeg -i input.${loaded.type.ext} output.mp4.`,
    );
  }
  return {
    part: { type: "video_url", video_url: { url: loaded.bytes.toString("base64") } },
    report: {
      source: loaded.displayName,
      source_kind: loaded.kind,
      sent_as: "base64",
      format: loaded.type.ext,
      bytes: loaded.bytes.length,
    },
  };
}
