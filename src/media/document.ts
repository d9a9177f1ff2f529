// One document source -> a GLM file_url part (URLs GLM can fetch), the text itself inline (text
// files), the text GLM's file parser extracted (local PDFs and office files: file_url takes URLs
// only, "不支持Base64", so their bytes go to POST /files/parser/sync instead, see glm/file-parser.ts),
// or the Markdown GLM-OCR read from a scan or page image (glm/layout-parsing.ts): chosen for PDFs
// without a text layer and for JPG/PNG images, or for every PDF/image with mode "ocr".
import path from "node:path";
import type { ContentPart } from "../glm/types.js";
import { parserMaxBytes, type ParserFile, type ParserFileType } from "../glm/file-parser.js";
import { OCR_LIMITS, type OcrFile, type OcrMimeType } from "../glm/layout-parsing.js";
import { pdfHasTextLayer } from "./pdf-text-layer.js";
import { MediaError } from "./errors.js";
import { loadOptions, type MediaPolicy } from "./policy.js";
import {
  classifySource,
  describeType,
  loadSourceBytes,
  shown,
  type LoadedSource,
  type SourceKind,
} from "./sources.js";
import { isPrivateUrl } from "./url-fetch.js";
import { formatBytes } from "../util/format.js";
import { redactKnown } from "../util/redact.js";
import { secretTextReason } from "./secret-files.js";

/** Inline text cap per file (~100k tokens; GLM-4.6V's context is 128k). */
export const MAX_INLINE_TEXT_BYTES = 400 * 1024;

export interface DocumentReport {
  source: string;
  source_kind: SourceKind;
  /** file_url: GLM fetches the URL; text: the file's text was put in the prompt; parsed: GLM's file parser read it; ocr: GLM-OCR read it. */
  sent_as: "file_url" | "text" | "parsed" | "ocr";
  format?: string;
  bytes?: number;
  /** OCR: pages read, and the tables and formulas GLM-OCR found. */
  pages?: number;
  tables?: number;
  formulas?: number;
  /** OCR: where the full Markdown was saved (set by the tool once saved). */
  markdown_file?: string;
  /** The parsed text was longer than MAX_INLINE_TEXT_BYTES and was cut there. */
  truncated?: boolean;
}

/** Sends one file to GLM's file parser and returns its text (injected so media/ never speaks HTTP). */
export type ParseDocument = (file: ParserFile) => Promise<string>;

/** What GLM-OCR made of one file (injected so media/ never speaks HTTP). */
export interface OcrReading {
  markdown: string;
  pages?: number | undefined;
  tables: number;
  formulas: number;
}
export type OcrDocument = (file: OcrFile) => Promise<OcrReading>;

/** auto: OCR for scans and page images only; ocr: every PDF and JPG/PNG image goes to GLM-OCR. */
export type DocumentMode = "auto" | "ocr";
export interface DocumentReaders {
  mode: DocumentMode;
  parse: ParseDocument;
  ocr: OcrDocument;
}

export interface DocumentIntake {
  part: ContentPart;
  report: DocumentReport;
  /** OCR only: the whole Markdown (the part may hold a cut of it). */
  markdown?: string;
}

/** The biggest file the parser takes at all (PDF/Word/PowerPoint, file-parser.ts): read no further. */
const MAX_PARSER_BYTES = parserMaxBytes("PDF");

export async function intakeDocument(
  input: string,
  policy: MediaPolicy,
  readers: DocumentReaders,
): Promise<DocumentIntake> {
  const kind = classifySource(input);
  const url = input.trim();
  const passUrl = (): DocumentIntake => ({
    part: { type: "file_url", file_url: { url } },
    report: { source: url, source_kind: "url", sent_as: "file_url" },
  });
  const privateUrl = kind === "url" && isPrivateUrl(url);
  if (kind === "url" && !privateUrl && !policy.inlineUrls) {
    if (readers.mode !== "ocr" || NOT_FOR_OCR.test(url.split(/[?#]/)[0]!)) return passUrl();
    // GLM-OCR fetches public URLs itself ("支持url和base64").
    return ocrRead({ url, name: url }, { source: url, source_kind: "url" }, readers.ocr);
  }

  // Text-like rules apply (roots/allow-dirs/cwd, key-like files refused): documents are not media.
  const loaded = await loadSourceBytes(input, {
    ...loadOptions(policy, "document"),
    maxBytes: Math.min(policy.inputMaxBytes, MAX_PARSER_BYTES),
    tooBigHint: PARSER_LIMITS_HINT,
  });
  const label = loaded.kind === "path" ? `The file ${shown(url)}` : `The ${loaded.displayName}`;
  const cat = loaded.type.category;
  if (cat === "text") {
    if (loaded.bytes.length > MAX_INLINE_TEXT_BYTES) {
      throw new MediaError(
        `${label} is ${formatBytes(loaded.bytes.length)} of text, over the ${formatBytes(MAX_INLINE_TEXT_BYTES)} inline limit; pass the relevant part only, or a public URL GLM can fetch as file_url.`,
      );
    }
    // The server's own key (or token) pasted into a file never goes out with it.
    const text = redactKnown(loaded.bytes.toString("utf8").replace(/^\uFEFF/, ""));
    return {
      part: {
        type: "text",
        text: `<file name="${loaded.displayName.replace(/"/g, "'")}">\n${text}\n</file>`,
      },
      report: {
        source: loaded.displayName,
        source_kind: loaded.kind,
        sent_as: "text",
        format: "text",
        bytes: loaded.bytes.length,
      },
    };
  }
  const ocrType = OCR_TYPES[loaded.type.mime];
  if (cat === "document") {
    const pdf = loaded.type.ext === "pdf";
    if (readers.mode === "ocr" && pdf) return ocrLoaded(loaded, label, readers.ocr, policy.allowSecretFiles);
    // A public URL that we only downloaded because of --inline-urls: GLM can still fetch it itself.
    if (kind === "url" && !privateUrl) return passUrl();
    if (pdf && !pdfHasTextLayer(loaded.bytes))
      return ocrLoaded(loaded, label, readers.ocr, policy.allowSecretFiles);
    return parseLoaded(loaded, label, readers.parse, policy.allowSecretFiles);
  }
  if (cat === "image" && ocrType) return ocrLoaded(loaded, label, readers.ocr, policy.allowSecretFiles);
  const hint =
    cat === "image"
      ? ` (GLM-OCR reads JPG and PNG page images: convert it to PNG, or use vision_analyze for pictures)`
      : cat === "video"
        ? " (use video_understand for videos)"
        : "";
  throw new MediaError(
    `${label} is not a document: its bytes look like ${describeType(loaded.type)}${hint}; pass a pdf, docx, xlsx, pptx, text file or a JPG/PNG page image (a URL or a local file).`,
  );
}

/** URLs that name an office or text file: GLM-OCR cannot take them, file_url can (even with mode "ocr"). */
const NOT_FOR_OCR = /\.(docx?|xlsx?|pptx?|txt|jsonl|md|csv)$/i;

/** What GLM-OCR takes, by sniffed MIME type (LayoutParsingRequest.file: PDF, JPG, PNG). */
const OCR_TYPES: Record<string, OcrMimeType> = {
  "application/pdf": "application/pdf",
  "image/jpeg": "image/jpeg",
  "image/png": "image/png",
};

async function ocrLoaded(
  loaded: LoadedSource,
  label: string,
  ocr: OcrDocument,
  allowSecretFiles: boolean,
): Promise<DocumentIntake> {
  const mimeType = OCR_TYPES[loaded.type.mime]!;
  const max = mimeType === "application/pdf" ? OCR_LIMITS.pdfBytes : OCR_LIMITS.imageBytes;
  if (loaded.bytes.length > max)
    throw new MediaError(
      `${label} is ${formatBytes(loaded.bytes.length)}, over the ${formatBytes(max)} GLM-OCR takes for ${loaded.type.ext.toUpperCase()} files (PDF ≤ 50 MB and 100 pages, images ≤ 10 MB): split it, or pass fewer pages.`,
    );
  const name =
    loaded.kind === "url" || loaded.kind === "path" ? loaded.displayName : `document.${loaded.type.ext}`;
  return ocrRead(
    { bytes: loaded.bytes, mimeType, name },
    {
      source: loaded.displayName,
      source_kind: loaded.kind,
      format: loaded.type.ext,
      bytes: loaded.bytes.length,
    },
    ocr,
    (markdown) => checkedText(markdown, label, allowSecretFiles),
  );
}

async function ocrRead(
  file: OcrFile,
  base: Pick<DocumentReport, "source" | "source_kind" | "format" | "bytes">,
  ocr: OcrDocument,
  check: (markdown: string) => string = (markdown) => markdown,
): Promise<DocumentIntake> {
  const raw = await ocr(file);
  const read = { ...raw, markdown: check(raw.markdown) };
  const cut = cutUtf8(read.markdown, MAX_INLINE_TEXT_BYTES);
  const tail = cut.length < read.markdown.length ? "\n[… recognised text cut at the inline limit]" : "";
  return {
    part: {
      type: "text",
      text: `<file name="${file.name.replace(/"/g, "'")}" read_by="GLM-OCR">\n${cut}${tail}\n</file>`,
    },
    report: {
      ...base,
      sent_as: "ocr",
      ...(read.pages !== undefined ? { pages: read.pages } : {}),
      tables: read.tables,
      formulas: read.formulas,
      ...(tail ? { truncated: true } : {}),
    },
    markdown: read.markdown,
  };
}

const PARSER_LIMITS_HINT =
  "GLM's file parser takes PDF, Word and PowerPoint files up to 100 MB and Excel up to 10 MB: split the file, or pass a public URL GLM can fetch";

async function parseLoaded(
  loaded: LoadedSource,
  label: string,
  parse: ParseDocument,
  allowSecretFiles: boolean,
): Promise<DocumentIntake> {
  const type = parserType(loaded);
  const max = parserMaxBytes(type);
  if (loaded.bytes.length > max)
    throw new MediaError(
      `${label} is ${formatBytes(loaded.bytes.length)}, over the ${formatBytes(max)} GLM's file parser takes for ${type} files; ${PARSER_LIMITS_HINT}.`,
    );
  const name =
    loaded.kind === "url" || loaded.kind === "path" ? loaded.displayName : `document.${type.toLowerCase()}`;
  const content = checkedText(await parse({ bytes: loaded.bytes, name, type }), label, allowSecretFiles);
  const cut = cutUtf8(content, MAX_INLINE_TEXT_BYTES);
  const tail = cut.length < content.length ? "\n[… parsed text cut at the inline limit]" : "";
  return {
    part: { type: "text", text: `<file name="${name.replace(/"/g, "'")}">\n${cut}${tail}\n</file>` },
    report: {
      source: loaded.displayName,
      source_kind: loaded.kind,
      sent_as: "parsed",
      format: type.toLowerCase(),
      bytes: loaded.bytes.length,
      ...(tail ? { truncated: true } : {}),
    },
  };
}

/**
 * Text read out of a local document (by the parser or GLM-OCR), before it goes to the chat model:
 * the API key redacted, and refused when it reads as keys or .env lines — a docx or compressed PDF
 * hides its text from the byte check in sources.ts.
 */
function checkedText(content: string, label: string, allowSecretFiles: boolean): string {
  const why = allowSecretFiles ? undefined : secretTextReason(content);
  if (why)
    throw new MediaError(
      `${label} is not sent: ${why}, and key-like content stays on this machine; pass a document without secrets, or start the server with --allow-secret-files (GLM_MCP_ALLOW_SECRET_FILES=1) if it really must go.`,
    );
  return redactKnown(content);
}

/** The parser's file_type: from the bytes, and for legacy OLE files (doc/xls/ppt/wps) from the name. */
function parserType(loaded: LoadedSource): ParserFileType {
  const ext = loaded.type.ext.toUpperCase();
  if (ext === "DOC") {
    const named = path
      .extname(loaded.path ?? loaded.displayName)
      .slice(1)
      .toUpperCase();
    return named === "XLS" || named === "PPT" || named === "WPS" ? named : "DOC";
  }
  return ext === "PDF" || ext === "DOCX" || ext === "XLSX" || ext === "PPTX" ? ext : "PDF";
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, never splitting a character. */
function cutUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  return Buffer.from(text)
    .subarray(0, maxBytes)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
}
