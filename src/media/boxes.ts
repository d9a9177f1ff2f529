// Bounding boxes out of a vision model's answer, in GLM's convention: [x1, y1, x2, y2] on a
// 0–1000 grid over the image it saw. Tolerant of the shapes models actually emit:
//   1. JSON: [{"label": "cat", "bbox_2d": [x1,y1,x2,y2], "confidence": 0.9}, …] (fenced or not,
//      or wrapped as {"objects": […]}; keys bbox/box/bounding_box/coordinates; {x1,y1,x2,y2} objects)
//   2. GLM box tokens: "cat: <|begin_of_box|>[[x1,y1,x2,y2],[…]]<|end_of_box|>"
//   3. Tagged: <ref>cat</ref><box>[[x1,y1,x2,y2]]</box>, <|object_ref_start|>cat<|object_ref_end|>
//      <|box_start|>(x1,y1),(x2,y2)<|box_end|>, <box>(x1,y1),(x2,y2)</box>
//   4. Plain text lines: "- cat: [x1, y1, x2, y2]" or "cat [[x1,y1,x2,y2]]"
// Values are clamped to 0–1000 (a box given in fractions 0–1 is scaled up); empty boxes are dropped.
import type { PixelRect } from "./image.js";

export const GRID = 1000;

export interface ParsedBox {
  label: string;
  /** [x1, y1, x2, y2] on the 0–1000 grid, x1 < x2, y1 < y2. */
  box: [number, number, number, number];
  confidence?: number;
}

const NUM = String.raw`-?\d+(?:\.\d+)?`;
const QUAD = new RegExp(String.raw`\[\s*(${NUM})\s*,\s*(${NUM})\s*,\s*(${NUM})\s*,\s*(${NUM})\s*\]`, "g");
const PAIRS = new RegExp(
  String.raw`\(\s*(${NUM})\s*,\s*(${NUM})\s*\)\s*,?\s*\(\s*(${NUM})\s*,\s*(${NUM})\s*\)`,
  "g",
);

export function parseBoxes(text: string, fallbackLabel = "object"): ParsedBox[] {
  const fromJson = parseJsonBoxes(text, fallbackLabel);
  if (fromJson.length) return fromJson;
  return parseTextBoxes(text, fallbackLabel);
}

/** Normalises four raw numbers to a clamped, ordered 0–1000 box; undefined if unusable. */
export function normaliseBox(raw: readonly unknown[]): ParsedBox["box"] | undefined {
  if (raw.length !== 4) return undefined;
  const n = raw.map((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v));
  if (!n.every((v): v is number => typeof v === "number" && Number.isFinite(v))) return undefined;
  const scale = looksFractional(n) ? GRID : 1;
  const [a, b, c, d] = n.map((v) => clamp(v * scale, 0, GRID)) as [number, number, number, number];
  const box: ParsedBox["box"] = [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  if (box[2] - box[0] <= 0 || box[3] - box[1] <= 0) return undefined;
  return box;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** All four values within 0–1 with at least one fraction: this box is in fractions, not 0–1000. */
function looksFractional(all: number[]): boolean {
  return all.length > 0 && all.every((v) => v >= 0 && v <= 1) && all.some((v) => !Number.isInteger(v));
}

// ---- JSON -----------------------------------------------------------------------------------

const LABEL_KEYS = ["label", "name", "class", "category", "object", "target", "type", "text"];
const BOX_KEYS = [
  "bbox_2d",
  "bbox",
  "box",
  "bounding_box",
  "boundingBox",
  "box_2d",
  "coordinates",
  "coords",
  "position",
  "rect",
];
const CONF_KEYS = ["confidence", "score", "conf", "probability"];

function parseJsonBoxes(text: string, fallbackLabel: string): ParsedBox[] {
  for (const candidate of jsonCandidates(text)) {
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch {
      continue;
    }
    const items = findItems(value);
    if (!items) continue;
    const raw = items
      .map((item) => rawJsonBox(item, fallbackLabel))
      .filter((r): r is NonNullable<typeof r> => r !== undefined);
    if (!raw.length) continue;
    const out: ParsedBox[] = [];
    for (const r of raw) {
      const box = normaliseBox(r.coords);
      if (box)
        out.push({
          label: r.label,
          box,
          ...(r.confidence !== undefined ? { confidence: r.confidence } : {}),
        });
    }
    if (out.length) return out;
  }
  return [];
}

/** Fenced blocks first, then the outermost [...] / {...} spans of the text. */
function jsonCandidates(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/```(?:json)?\s*([\s\S]*?)```/gi)) if (m[1]) out.push(m[1].trim());
  const cleaned = text.replace(/<\|begin_of_box\|>|<\|end_of_box\|>/g, "");
  for (const [open, close] of [
    ["[", "]"],
    ["{", "}"],
  ] as const) {
    const start = cleaned.indexOf(open);
    const end = cleaned.lastIndexOf(close);
    if (start >= 0 && end > start) out.push(cleaned.slice(start, end + 1));
  }
  return out;
}

function findItems(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) {
    // [[x1,y1,x2,y2], …] is handled by the text parser (no labels).
    return value.some((v) => typeof v === "object" && v !== null && !Array.isArray(v)) ? value : undefined;
  }
  if (typeof value === "object" && value !== null) {
    const obj = value as Record<string, unknown>;
    for (const key of ["objects", "detections", "results", "boxes", "items", "targets", "data"]) {
      if (Array.isArray(obj[key])) return obj[key] as unknown[];
    }
    if (BOX_KEYS.some((k) => k in obj)) return [obj];
  }
  return undefined;
}

function rawJsonBox(
  item: unknown,
  fallbackLabel: string,
): { label: string; coords: unknown[]; confidence?: number } | undefined {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return undefined;
  const obj = item as Record<string, unknown>;
  const labelKey = LABEL_KEYS.find((k) => typeof obj[k] === "string" && (obj[k] as string).trim());
  const label = labelKey ? (obj[labelKey] as string).trim() : fallbackLabel;
  const boxKey = BOX_KEYS.find((k) => obj[k] !== undefined);
  let coords: unknown[] | undefined;
  const b = boxKey ? obj[boxKey] : obj;
  if (Array.isArray(b)) {
    coords =
      b.length === 1 && Array.isArray(b[0])
        ? (b[0] as unknown[])
        : b.length === 2 && b.every(Array.isArray)
          ? (b as unknown[][]).flat()
          : b;
  } else if (typeof b === "object" && b !== null) {
    const o = b as Record<string, unknown>;
    if ("x1" in o) coords = [o.x1, o.y1, o.x2, o.y2];
    else if ("xmin" in o) coords = [o.xmin, o.ymin, o.xmax, o.ymax];
    else if ("x" in o && "width" in o)
      coords = [o.x, o.y, Number(o.x) + Number(o.width), Number(o.y) + Number(o.height)];
  }
  if (!coords) return undefined;
  const confKey = CONF_KEYS.find(
    (k) => typeof obj[k] === "number" || (typeof obj[k] === "string" && !Number.isNaN(Number(obj[k]))),
  );
  const conf = confKey ? Number(obj[confKey]) : undefined;
  const confidence =
    conf === undefined ? undefined : conf > 1 && conf <= 100 ? conf / 100 : clamp(conf, 0, 1);
  return { label, coords, ...(confidence !== undefined ? { confidence } : {}) };
}

// ---- text and box tokens ------------------------------------------------------------------

interface RawHit {
  at: number;
  end: number;
  coords: number[];
  label?: string;
}

function parseTextBoxes(text: string, fallbackLabel: string): ParsedBox[] {
  const hits: RawHit[] = [];
  // Explicit labels from <ref>…</ref> / <|object_ref_start|>…<|object_ref_end|> tags.
  const refs = [
    ...text.matchAll(/<ref>([\s\S]*?)<\/ref>|<\|object_ref_start\|>([\s\S]*?)<\|object_ref_end\|>/g),
  ].map((m) => ({
    at: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
    label: (m[1] ?? m[2] ?? "").trim(),
  }));
  for (const m of text.matchAll(QUAD))
    hits.push({ at: m.index ?? 0, end: (m.index ?? 0) + m[0].length, coords: m.slice(1, 5).map(Number) });
  for (const m of text.matchAll(PAIRS))
    hits.push({ at: m.index ?? 0, end: (m.index ?? 0) + m[0].length, coords: m.slice(1, 5).map(Number) });
  hits.sort((a, b) => a.at - b.at);

  const out: ParsedBox[] = [];
  let prevEnd = 0;
  let lastLabel: string | undefined;
  for (const h of hits) {
    const ref = [...refs].reverse().find((r) => r.end <= h.at && r.at >= prevEnd - 1);
    const before = text.slice(prevEnd, h.at);
    const label =
      ref?.label || labelFrom(before) || (continuesList(before) ? lastLabel : undefined) || fallbackLabel;
    const box = normaliseBox(h.coords);
    prevEnd = h.end;
    if (!box) continue;
    lastLabel = label;
    out.push({ label, box, ...confidenceAfter(text, h.end) });
  }
  return out;
}

/** Within one [[a],[b]] group the second box shares the first one's label. */
function continuesList(between: string): boolean {
  return /^\s*,?\s*$/.test(between);
}

/** The words right before a box on its line: "- red car: " -> "red car". */
function labelFrom(before: string): string | undefined {
  const cleaned = before
    .replace(
      /<\|begin_of_box\|>|<\|end_of_box\|>|<\|box_start\|>|<\|box_end\|>|<\/?box>|<\/?ref>|<\|object_ref_(start|end)\|>/g,
      " ",
    )
    .split(/\n/)
    .pop()!
    .replace(/\[+\s*$/, "")
    .replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "")
    .replace(/\b(at|is at|located at|coordinates?|bbox|box|position)\s*[:=]?\s*$/i, "")
    .replace(/[\s:=,;(（）)\-–—"'`*]+$/g, "")
    .replace(/^[\s"'`*]+/, "")
    .trim();
  if (!cleaned || cleaned.length > 60 || /^[\d\s.,]+$/.test(cleaned)) return undefined;
  return cleaned;
}

function confidenceAfter(text: string, from: number): { confidence?: number } {
  const m = /^[\s,;)]*\(?\s*(?:confidence|score|conf)\s*[:=]?\s*(\d+(?:\.\d+)?)(%?)/i.exec(
    text.slice(from, from + 40),
  );
  if (!m?.[1]) return {};
  const v = Number(m[1]) / (m[2] === "%" || Number(m[1]) > 1 ? 100 : 1);
  return Number.isFinite(v) ? { confidence: clamp(v, 0, 1) } : {};
}

// ---- mapping ----------------------------------------------------------------------------------

/** Maps a 0–1000 box over the image GLM saw (the whole image or a crop `area`) to original pixels. */
export function toOriginalPixels(box: ParsedBox["box"], area: PixelRect): PixelRect {
  const x1 = area.x + (box[0] / GRID) * area.width;
  const y1 = area.y + (box[1] / GRID) * area.height;
  const x2 = area.x + (box[2] / GRID) * area.width;
  const y2 = area.y + (box[3] / GRID) * area.height;
  const x = Math.round(x1);
  const y = Math.round(y1);
  return { x, y, width: Math.max(1, Math.round(x2) - x), height: Math.max(1, Math.round(y2) - y) };
}

/**
 * Boxes per label. Labels are chosen by the model, so the record has no prototype: "constructor",
 * "toString" or "__proto__" are counted like any other label instead of hitting Object.prototype.
 */
export function countByLabel(boxes: readonly { label: string }[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const b of boxes) counts.set(b.label, (counts.get(b.label) ?? 0) + 1);
  return nullProtoRecord(counts);
}

/** A prototype-less record of a Map (own keys only, "__proto__" included), in insertion order. */
export function nullProtoRecord<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [k, v] of map) out[k] = v;
  return out;
}
