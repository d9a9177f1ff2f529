// One image source -> one GLM image_url part plus a report of what was done to it.
import { IMAGE_URL_RULES } from "../glm/models.js";
import type { ContentPart } from "../glm/types.js";
import { MediaError } from "./errors.js";
import { imageKey, preparedImages } from "./image-cache.js";
import {
  prepareImage,
  type ImageFacts,
  type PixelRect,
  type PreparedImage,
  type RegionInput,
} from "./image.js";
import { loadOptions, type MediaPolicy } from "./policy.js";
import { classifySource, describeType, loadSourceBytes, shown, type SourceKind } from "./sources.js";
import { isPrivateUrl } from "./url-fetch.js";
import { formatBytes } from "../util/format.js";

export interface ImageReport {
  /** File name, URL, or "base64 image (12 KB)". */
  source: string;
  source_kind: SourceKind;
  /** How GLM got it: the URL itself, or inline base64 bytes we prepared. */
  sent_as: "url" | "base64";
  original?: ImageFacts;
  sent?: ImageFacts;
  /** The area of the original that was sent, in original pixels (present when a region was cropped). */
  crop?: PixelRect;
  /** Sent pixels per original pixel. */
  scale?: number;
  steps: string[];
}

export interface ImageIntake {
  part: ContentPart;
  report: ImageReport;
  /** Present when the bytes went through the intake (not for URL pass-through). */
  prepared?: PreparedImage;
  /** The original bytes as loaded (same condition). */
  originalBytes?: Buffer;
}

export interface ImageIntakeOptions {
  region?: RegionInput;
  /** Download URLs even when GLM could fetch them (needed to map coordinates or draw on the image). */
  forceInline?: boolean;
  /** The model accepts URLs only (GLM-4V-Flash): refuse anything that would be sent as base64. */
  urlOnly?: { model: string; suggestion: string };
}

export async function intakeImage(
  input: string,
  policy: MediaPolicy,
  opts: ImageIntakeOptions = {},
): Promise<ImageIntake> {
  const kind = classifySource(input);
  const url = input.trim();
  const needsBytes = opts.forceInline || opts.region !== undefined;
  if (kind === "url" && !needsBytes && !policy.inlineUrls && !isPrivateUrl(url) && glmTakesUrl(url)) {
    return {
      part: { type: "image_url", image_url: { url } },
      report: { source: url, source_kind: kind, sent_as: "url", steps: ["URL passed to GLM as-is"] },
    };
  }
  if (opts.urlOnly) {
    const why =
      kind === "url"
        ? opts.region
          ? "a region has to be cropped here and sent as base64"
          : glmTakesUrl(url)
            ? `${new URL(url).hostname} is a local/private host GLM's servers cannot reach (or --inline-urls is set), so it would be sent as base64`
            : "GLM fetches only jpg/png image URLs, so this one would be converted here and sent as base64"
        : `a ${kind === "path" ? "local file" : kind} has to be sent as base64`;
    throw new MediaError(
      `${opts.urlOnly.model} accepts only public image URLs and ${why}: use model ${opts.urlOnly.suggestion} (also free), or pass a public http(s) image URL.`,
    );
  }
  const loaded = await loadSourceBytes(input, {
    ...loadOptions(policy, "image"),
  });
  if (loaded.type.category !== "image") {
    const label = loaded.kind === "path" ? `The file ${shown(url)}` : `The ${loaded.displayName}`;
    const hint =
      loaded.type.category === "video"
        ? " (use video_understand for videos)"
        : loaded.type.category === "document"
          ? " (use document_analyze for documents)"
          : "";
    throw new MediaError(
      `${label} is not an image: its bytes look like ${describeType(loaded.type)}${hint}; pass a jpg, png, webp, gif, avif, tiff, bmp or svg image (the type is read from the content, not the extension).`,
    );
  }
  const prepareOptions = { budget: policy.imageBudget, ...(opts.region ? { region: opts.region } : {}) };
  const key = imageKey(loaded.bytes, prepareOptions);
  let cached = preparedImages.get(key);
  if (!cached) {
    const fresh = await prepareImage(loaded.bytes, prepareOptions).catch((err: unknown) => {
      if (err instanceof MediaError) throw err;
      // The header was readable but the pixels were not (a truncated or damaged file): libvips' own words, framed.
      throw new MediaError(
        `The ${loaded.kind === "path" ? `file ${shown(url)}` : loaded.displayName} is damaged or truncated (${(err as Error).message}); re-export or re-download the image and pass it again.`,
      );
    });
    // GLM wants bare base64 (the official SDK strips any data: prefix).
    cached = { prepared: fresh, base64: fresh.data.toString("base64") };
    preparedImages.set(key, cached);
  }
  const { prepared, base64 } = cached;
  return {
    part: { type: "image_url", image_url: { url: base64 } },
    report: {
      source: loaded.displayName,
      source_kind: loaded.kind,
      sent_as: "base64",
      original: prepared.original,
      sent: prepared.sent,
      ...(prepared.cropped ? { crop: prepared.area } : {}),
      scale: round(prepared.scale, 4),
      steps: prepared.steps,
    },
    prepared,
    originalBytes: loaded.bytes,
  };
}

/**
 * GLM fetches image URLs itself only in jpg/png/jpeg (OAS L5671); any other (or unknown) format is
 * fetched here, under the same SSRF rules, and converted like a local file.
 */
export function glmTakesUrl(url: string): boolean {
  try {
    const ext = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
    return ext !== undefined && (IMAGE_URL_RULES.extensions as readonly string[]).includes(ext);
  } catch {
    return false;
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** One line per image for the text result: "shot.png: png 3840×2160 (428.2 KB) → png 2560×1440 (376.3 KB)". */
export function describeImageReport(r: ImageReport): string {
  if (r.sent_as === "url") return `${r.source}: URL passed to GLM as-is`;
  const facts = (f: ImageFacts) => `${f.format} ${f.width}×${f.height} (${formatBytes(f.bytes)})`;
  const crop = r.crop ? ` cropped to x=${r.crop.x} y=${r.crop.y} ${r.crop.width}×${r.crop.height},` : "";
  return `${r.source}: ${r.original ? facts(r.original) : "?"} →${crop} ${r.sent ? facts(r.sent) : "?"}`;
}
