// Image intake with sharp: orient by EXIF, optionally crop at full resolution, convert to a
// format GLM decodes (jpg/png), and shrink to GLM's limits and our cost budget.
import type { Metadata, Sharp } from "sharp";
import { sharp } from "./sharp.js";
import { decodeBmp, isBmp } from "./bmp.js";
import { MediaError } from "./errors.js";
import { formatBytes } from "../util/format.js";

/** GLM's hard limits per image (REFERENCE §3): ≤ 5 MB, ≤ 6000×6000 px, jpg/png. */
export const GLM_MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const GLM_MAX_IMAGE_SIDE = 6000;
/** Refuse to decode more pixels than this (a decompression bomb guard; 16384² ≈ 268 MP). */
export const MAX_INPUT_PIXELS = 16384 * 16384;

export interface ImageBudget {
  /** Longest side sent for photos; screenshots get SCREENSHOT_EDGE_FACTOR × this so small text stays legible. */
  maxEdge: number;
  /** Byte budget per sent image (never above GLM's 5 MB). */
  maxBytes: number;
}

export const DEFAULT_IMAGE_BUDGET: ImageBudget = { maxEdge: 2048, maxBytes: 4 * 1024 * 1024 };
export const SCREENSHOT_EDGE_FACTOR = 1.25;
const PHOTO_QUALITY = 85;
const GRAPHIC_JPEG_QUALITY = 92;

/** A region of the original (EXIF-oriented) image: pixels, or fractions of width/height. */
export interface RegionInput {
  x: number;
  y: number;
  width: number;
  height: number;
  unit?: "px" | "fraction";
}

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ImageFacts {
  format: string;
  width: number;
  height: number;
  bytes: number;
}

export interface PreparedImage {
  data: Buffer;
  mime: "image/jpeg" | "image/png";
  /** The original as displayed (after EXIF orientation). */
  original: ImageFacts;
  sent: ImageFacts;
  /** The area of the original that was sent (the whole image when no region was given). */
  area: PixelRect;
  /** sent.width / area.width (1 = no resize). */
  scale: number;
  cropped: boolean;
  /** What was done, in words: "auto-oriented (EXIF 6)", "converted webp→png", "resized 6000×4000→2048×1365". */
  steps: string[];
  /** "photo" or "graphic" (screenshot, diagram: flat colours, kept lossless/sharp). */
  kind: "photo" | "graphic";
}

export interface PrepareOptions {
  budget?: ImageBudget;
  region?: RegionInput;
  /** Force re-encoding even when the original could be sent as-is. */
  forceEncode?: boolean;
}

const LOSSLESS_SOURCES = new Set(["png", "gif", "bmp", "svg", "tiff", "webp", "heif", "avif"]);

async function decodeMeta(bytes: Buffer): Promise<Metadata> {
  try {
    if (isBmp(bytes)) {
      const { width, height } = decodeBmp(bytes);
      return { format: "bmp", width, height, hasAlpha: true } as unknown as Metadata;
    }
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (err) {
    if (err instanceof MediaError) throw err;
    if (/pixel limit/i.test((err as Error).message)) {
      // Refused from the header alone: a decompression bomb never gets decoded.
      throw new MediaError(
        `The image declares more than ${Math.round(MAX_INPUT_PIXELS / 1e6)} million pixels, more than this server decodes (a guard against decompression bombs): shrink or crop it first (e.g. magick in.png -resize 8000x8000 out.png) and pass that.`,
      );
    }
    throw new MediaError(
      `The image could not be decoded (${(err as Error).message}); pass a valid jpg, png, webp, gif, avif, tiff, bmp or svg file.`,
    );
  }
}

/** Resolves a region (pixels or fractions) to whole pixels inside a width×height image. */
export function resolveRegion(region: RegionInput, width: number, height: number): PixelRect {
  const fraction =
    region.unit === "fraction" ||
    (region.unit === undefined &&
      [region.x, region.y, region.width, region.height].every((v) => v >= 0 && v <= 1));
  const sx = fraction ? width : 1;
  const sy = fraction ? height : 1;
  const x0 = clamp(Math.floor(region.x * sx), 0, width);
  const y0 = clamp(Math.floor(region.y * sy), 0, height);
  const x1 = clamp(Math.ceil((region.x + region.width) * sx), 0, width);
  const y1 = clamp(Math.ceil((region.y + region.height) * sy), 0, height);
  if (x1 - x0 < 1 || y1 - y0 < 1) {
    throw new MediaError(
      `The region {x:${region.x}, y:${region.y}, width:${region.width}, height:${region.height}} lies outside the ${width}×${height} image; give x, y, width, height in its pixels or as fractions 0–1.`,
    );
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Fits width×height inside a square of `edge` (never upscales). */
export function fitInside(width: number, height: number, edge: number): { width: number; height: number } {
  const s = Math.min(1, edge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/**
 * Screenshots, diagrams and UI have large runs of identical pixels; photos (sensor noise) almost
 * never do. Measured on a small nearest-neighbour sample so it costs a few milliseconds.
 */
export async function looksLikeGraphic(pipeline: Sharp): Promise<boolean> {
  const { data, info } = await pipeline
    .clone()
    .resize(256, 256, { fit: "inside", kernel: "nearest", withoutEnlargement: true })
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, channels } = info;
  let same = 0;
  let pairs = 0;
  for (let i = 0; i + channels < data.length; i += channels) {
    if ((i / channels) % width === width - 1) continue;
    pairs++;
    if (
      data[i] === data[i + channels] &&
      data[i + 1] === data[i + channels + 1] &&
      data[i + 2] === data[i + channels + 2]
    )
      same++;
  }
  return pairs > 0 && same / pairs >= 0.35;
}

/** The image as displayed: first frame only (gif/webp animations), EXIF-oriented; BMP via our decoder. */
export function orientedPipeline(bytes: Buffer): Sharp {
  if (isBmp(bytes)) {
    const bmp = decodeBmp(bytes);
    return sharp(bmp.data, {
      raw: { width: bmp.width, height: bmp.height, channels: bmp.channels },
      limitInputPixels: MAX_INPUT_PIXELS,
    });
  }
  return sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1 }).autoOrient();
}

/** A complete JPEG ends with the EOI marker (FF D9), possibly followed by padding; a cut one does not. */
function endsWithJpegEoi(bytes: Buffer): boolean {
  let end = bytes.length;
  while (end > 2 && bytes[end - 1] === 0) end--;
  return bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
}

export async function prepareImage(bytes: Buffer, opts: PrepareOptions = {}): Promise<PreparedImage> {
  const budget = opts.budget ?? DEFAULT_IMAGE_BUDGET;
  const maxBytes = Math.min(budget.maxBytes, GLM_MAX_IMAGE_BYTES);
  const meta = await decodeMeta(bytes);
  const format: string =
    meta.format === "heif" && meta.compression === "av1" ? "avif" : (meta.format ?? "unknown");
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (!width || !height)
    throw new MediaError("The image has no readable dimensions; pass a valid image file.");
  const original: ImageFacts = { format, width, height, bytes: bytes.length };
  const area = opts.region ? resolveRegion(opts.region, width, height) : { x: 0, y: 0, width, height };
  const cropped = area.width !== width || area.height !== height;
  const steps: string[] = [];
  const oriented = (meta.orientation ?? 1) > 1;

  const base = orientedPipeline(bytes);
  if (oriented) steps.push(`auto-oriented (EXIF orientation ${meta.orientation})`);
  if (meta.pages && meta.pages > 1) steps.push(`first of ${meta.pages} frames`);
  const region = cropped
    ? base.clone().extract({ left: area.x, top: area.y, width: area.width, height: area.height })
    : base;
  if (cropped) steps.push(`cropped x=${area.x} y=${area.y} ${area.width}×${area.height}`);

  const kind: PreparedImage["kind"] =
    format === "jpeg"
      ? "photo"
      : LOSSLESS_SOURCES.has(format) && (await looksLikeGraphic(region))
        ? "graphic"
        : "photo";
  const edge = Math.min(
    GLM_MAX_IMAGE_SIDE,
    Math.round(kind === "graphic" ? budget.maxEdge * SCREENSHOT_EDGE_FACTOR : budget.maxEdge),
  );

  // Already fine as it is: jpg/png, upright, no crop, within size and budget, no EXIF to leak.
  if (
    !opts.forceEncode &&
    !cropped &&
    !oriented &&
    (format === "jpeg" || format === "png") &&
    Math.max(width, height) <= edge &&
    bytes.length <= maxBytes &&
    !meta.exif &&
    (meta.pages ?? 1) === 1 &&
    (format !== "jpeg" || endsWithJpegEoi(bytes))
  ) {
    return {
      data: bytes,
      mime: format === "png" ? "image/png" : "image/jpeg",
      original,
      sent: { ...original },
      area,
      scale: 1,
      cropped,
      steps: ["sent as-is"],
      kind,
    };
  }

  let target = fitInside(area.width, area.height, edge);
  const outFormat: "png" | "jpeg" = kind === "graphic" ? "png" : "jpeg";
  let attempt: { data: Buffer; format: "png" | "jpeg"; quality?: number } | undefined;
  // Encode; if over the byte budget step down: png → sharp jpeg → lower quality → fewer pixels.
  const plans: { format: "png" | "jpeg"; quality: number }[] =
    outFormat === "png"
      ? [
          { format: "png", quality: 100 },
          { format: "jpeg", quality: GRAPHIC_JPEG_QUALITY },
          { format: "jpeg", quality: 80 },
        ]
      : [
          { format: "jpeg", quality: PHOTO_QUALITY },
          { format: "jpeg", quality: 75 },
        ];
  for (let shrink = 0; shrink < 12 && !attempt; shrink++) {
    for (const plan of plans) {
      const data = await encode(region, target, plan.format, plan.quality, meta.hasAlpha ?? false);
      if (data.length <= maxBytes) {
        attempt = { data, format: plan.format, ...(plan.format === "jpeg" ? { quality: plan.quality } : {}) };
        break;
      }
    }
    if (!attempt)
      target = {
        width: Math.max(1, Math.round(target.width * 0.8)),
        height: Math.max(1, Math.round(target.height * 0.8)),
      };
  }
  if (!attempt) {
    throw new MediaError(
      `The image could not be brought under ${formatBytes(maxBytes)}; pass a smaller image or a region of it.`,
    );
  }
  if (format !== attempt.format)
    steps.push(`converted ${format}→${attempt.format === "jpeg" ? `jpeg q${attempt.quality}` : "png"}`);
  else if (attempt.format === "jpeg") steps.push(`re-encoded jpeg q${attempt.quality}`);
  if (target.width !== area.width || target.height !== area.height)
    steps.push(`resized ${area.width}×${area.height}→${target.width}×${target.height}`);
  return {
    data: attempt.data,
    mime: attempt.format === "png" ? "image/png" : "image/jpeg",
    original,
    sent: { format: attempt.format, width: target.width, height: target.height, bytes: attempt.data.length },
    area,
    scale: target.width / area.width,
    cropped,
    steps,
    kind,
  };
}

async function encode(
  pipeline: Sharp,
  size: { width: number; height: number },
  format: "png" | "jpeg",
  quality: number,
  hasAlpha: boolean,
): Promise<Buffer> {
  let p = pipeline.clone().resize(size.width, size.height, { fit: "fill", kernel: "lanczos3" });
  if (format === "jpeg") {
    if (hasAlpha) p = p.flatten({ background: "#ffffff" });
    return p.jpeg({ quality, chromaSubsampling: quality >= 90 ? "4:4:4" : "4:2:0" }).toBuffer();
  }
  return p.png({ compressionLevel: 6, adaptiveFiltering: true }).toBuffer();
}
