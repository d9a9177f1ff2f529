// GLM-OCR layout parsing: a PDF or a page image in, the page text as Markdown out (tables, formulas).
// Wire shape from the platform's OpenAPI spec (openapi-2026-07-11.json): POST /paas/v4/layout_parsing
// (line 1244), LayoutParsingRequest (line 8537: `model: "glm-ocr"` and `file`, "支持url和base64";
// PDF, JPG, PNG; image ≤ 10 MB, PDF ≤ 50 MB, ≤ 100 pages), LayoutParsingResponse (line 8592: id,
// created, model required; md_results, layout_details, data_info, usage). Base64 goes as a data URI,
// the form the platform's SDK users send (`data:image/png;base64,…`). Standard endpoint only.
import { BadRequestError, GlmError, ModelNotFoundError, type GlmErrorInit } from "./errors.js";
import type { CallOptions, GlmClient } from "./client.js";
import type { Usage } from "./types.js";

export const OCR_MODEL = "glm-ocr";
const MB = 1024 * 1024;
/** LayoutParsingRequest.file (OAS L8551): "单图≤10MB，PDF≤50MB，最大支持100页". */
export const OCR_LIMITS = { imageBytes: 10 * MB, pdfBytes: 50 * MB, pages: 100 } as const;
/** The types the spec lists for `file`. */
export const OCR_MIME_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
export type OcrMimeType = (typeof OCR_MIME_TYPES)[number];

/** One file for GLM-OCR: a URL GLM fetches itself, or the bytes (sent base64). */
export type OcrFile = { url: string; name: string } | { bytes: Buffer; mimeType: OcrMimeType; name: string };

export interface LayoutElement {
  index: number;
  label: "image" | "text" | "formula" | "table";
  bbox_2d?: number[];
  content?: string;
}

interface LayoutParsingResponse {
  id: string;
  created: number;
  model: string;
  md_results?: string;
  layout_details?: LayoutElement[][];
  data_info?: { num_pages: number };
  usage?: Usage;
}

export interface OcrResult {
  markdown: string;
  pages: number | undefined;
  /** Element counts by label over all pages (tables, formulas, images, text blocks). */
  elements: Record<string, number>;
  usage: Usage | undefined;
}

/** GLM-OCR refused or could not read one file: says which, why, and what to pass instead. */
export class OcrError extends GlmError {
  override name = "OcrError";
  constructor(file: string, why: string, init: GlmErrorInit = {}) {
    super(
      `GLM-OCR could not read ${file} (${why}): pass a PDF (≤ 50 MB, ≤ 100 pages), JPG or PNG (≤ 10 MB) of a document page, or mode "auto" to use GLM's file parser for PDFs with a text layer`,
      init,
    );
  }
}

export async function layoutParsing(
  client: GlmClient,
  file: OcrFile,
  opts: CallOptions = {},
): Promise<OcrResult> {
  const body = {
    model: OCR_MODEL,
    file: "url" in file ? file.url : `data:${file.mimeType};base64,${file.bytes.toString("base64")}`,
  };
  let answer: LayoutParsingResponse;
  try {
    answer = await client.postJson<LayoutParsingResponse>("/layout_parsing", body, opts);
  } catch (e) {
    // Parameter errors here are about the file (its type, size or pages), not the tool's arguments.
    if (e instanceof BadRequestError && !(e instanceof ModelNotFoundError))
      throw new OcrError(file.name, "it refused the file", {
        status: e.status,
        code: e.code,
        upstreamMessage: e.upstreamMessage,
        requestId: e.requestId,
      });
    throw e;
  }
  const elements: Record<string, number> = {};
  for (const page of answer.layout_details ?? [])
    for (const el of page) elements[el.label] = (elements[el.label] ?? 0) + 1;
  return {
    markdown: answer.md_results ?? "",
    pages: answer.data_info?.num_pages,
    elements,
    usage: answer.usage,
  };
}
