// Draws located boxes and their labels on the image (sharp + an SVG overlay), small enough to hand
// back to an MCP client as an image block: bounded long edge and bytes.
import { sharp } from "./sharp.js";
import { nullProtoRecord } from "./boxes.js";
import { orientedPipeline, type PixelRect } from "./image.js";

/** Long edge of returned images (what common clients display without rescaling). */
export const ANNOTATED_MAX_EDGE = 1568;
export const ANNOTATED_MAX_BYTES = 1024 * 1024;
/** Saturated, distinct colours; one per label in order of first appearance. */
export const BOX_COLOURS = [
  "#ff0000",
  "#00c800",
  "#0064ff",
  "#ff9600",
  "#c800ff",
  "#00c8c8",
  "#ffdc00",
  "#ff0096",
] as const;

export interface DrawnBox {
  label: string;
  /** In original (EXIF-oriented) pixels. */
  rect: PixelRect;
}

export interface AnnotatedImage {
  data: Buffer;
  mime: "image/png" | "image/jpeg";
  width: number;
  height: number;
  /** Output pixels per original pixel. */
  scale: number;
  /** Colour used for each label. */
  colours: Record<string, string>;
}

export interface AnnotateOptions {
  /** The part of the original to draw on (the area GLM saw); default the whole image. */
  area?: PixelRect;
  maxEdge?: number;
  maxBytes?: number;
  /** png keeps screenshots crisp; photos go out as jpeg. */
  format?: "png" | "jpeg";
}

function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

/** One colour per label, in order of first appearance. Labels come from the model: see nullProtoRecord. */
export function labelColours(boxes: readonly { label: string }[]): Record<string, string> {
  const colours = new Map<string, string>();
  for (const b of boxes)
    if (!colours.has(b.label)) colours.set(b.label, BOX_COLOURS[colours.size % BOX_COLOURS.length]!);
  return nullProtoRecord(colours);
}

export async function annotateImage(
  bytes: Buffer,
  boxes: readonly DrawnBox[],
  opts: AnnotateOptions = {},
): Promise<AnnotatedImage> {
  const meta = await orientedPipeline(bytes).metadata();
  const fullW = meta.autoOrient?.width ?? meta.width ?? 1;
  const fullH = meta.autoOrient?.height ?? meta.height ?? 1;
  const area = opts.area ?? { x: 0, y: 0, width: fullW, height: fullH };
  const maxEdge = opts.maxEdge ?? ANNOTATED_MAX_EDGE;
  const maxBytes = opts.maxBytes ?? ANNOTATED_MAX_BYTES;
  const colours = labelColours(boxes);

  let edge = Math.min(maxEdge, Math.max(area.width, area.height));
  for (let attempt = 0; attempt < 6; attempt++) {
    const scale = edge / Math.max(area.width, area.height);
    const width = Math.max(1, Math.round(area.width * scale));
    const height = Math.max(1, Math.round(area.height * scale));
    const base = await orientedPipeline(bytes)
      .extract({ left: area.x, top: area.y, width: area.width, height: area.height })
      .resize(width, height, { fit: "fill" })
      .removeAlpha()
      .toBuffer();
    const overlay = Buffer.from(overlaySvg(boxes, colours, area, scale, width, height));
    const composed = sharp(base).composite([{ input: overlay, left: 0, top: 0 }]);
    const format = opts.format ?? "png";
    const data =
      format === "png"
        ? await composed.png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer()
        : await composed.jpeg({ quality: 85 }).toBuffer();
    if (data.length <= maxBytes || edge <= 256) {
      return { data, mime: format === "png" ? "image/png" : "image/jpeg", width, height, scale, colours };
    }
    edge = Math.round(edge * 0.75);
  }
  throw new Error("annotated image could not be made small enough");
}

function overlaySvg(
  boxes: readonly DrawnBox[],
  colours: Record<string, string>,
  area: PixelRect,
  scale: number,
  width: number,
  height: number,
): string {
  const stroke = Math.max(2, Math.round(Math.max(width, height) / 400));
  const font = Math.max(12, Math.round(Math.max(width, height) / 70));
  const parts: string[] = [];
  for (const b of boxes) {
    const colour = colours[b.label]!;
    const x = (b.rect.x - area.x) * scale;
    const y = (b.rect.y - area.y) * scale;
    const w = b.rect.width * scale;
    const h = b.rect.height * scale;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`,
    );
    // Label tab above the box (inside it when the box touches the top edge).
    const text = escapeXml(b.label.length > 40 ? b.label.slice(0, 39) + "…" : b.label);
    const tabW = Math.min(width, Math.round(font * 0.62 * Math.min(b.label.length, 40) + font * 0.8));
    const tabH = Math.round(font * 1.35);
    const tabY = y - tabH >= 0 ? y - tabH : y;
    const tabX = Math.min(Math.max(0, x - stroke / 2), Math.max(0, width - tabW));
    parts.push(
      `<rect x="${tabX.toFixed(1)}" y="${tabY.toFixed(1)}" width="${tabW}" height="${tabH}" fill="${colour}"/>`,
    );
    parts.push(
      `<text x="${(tabX + font * 0.4).toFixed(1)}" y="${(tabY + tabH * 0.75).toFixed(1)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${font}" fill="#ffffff">${text}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join("")}</svg>`;
}
