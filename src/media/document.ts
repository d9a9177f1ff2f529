// One document source -> a GLM file_url part (URLs GLM can fetch), the text itself inline (text
// files), or the text GLM's file parser extracted (local PDFs and office files: file_url takes URLs
// only, "不支持Base64", so their bytes go to POST /files/parser/sync instead, see glm/file-parser.ts).
import path from "node:path";
import type { ContentPart } from "../glm/types.js";
import { parserMaxBytes, type ParserFile, type ParserFileType } from "../glm/file-parser.js";
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
  /** file_url: GLM fetches the URL; text: the file's text was put in the prompt; parsed: GLM's file parser read it. */
  sent_as: "file_url" | "text" | "parsed";
  format?: string;
  bytes?: number;
  /** The parsed text was longer than MAX_INLINE_TEXT_BYTES and was cut there. */
  truncated?: boolean;
}

/** Sends one file to GLM's file parser and returns its text (injected so media/ never speaks HTTP). */
export type ParseDocument = (file: ParserFile) => Promise<string>;

/** The biggest file the parser takes at all (PDF/Word/PowerPoint, file-parser.ts): read no further. */
const MAX_PARSER_BYTES = parserMaxBytes("PDF");

export async function intakeDocument(
  input: string,
  policy: MediaPolicy,
  parse: ParseDocument,
): Promise<{ part: ContentPart; report: DocumentReport }> {
  const kind = classifySource(input);
  const url = input.trim();
  const passUrl = (): { part: ContentPart; report: DocumentReport } => ({
    part: { type: "file_url", file_url: { url } },
    report: { source: url, source_kind: "url", sent_as: "file_url" },
  });
  const privateUrl = kind === "url" && isPrivateUrl(url);
  if (kind === "url" && !privateUrl && !policy.inlineUrls) return passUrl();

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
  if (cat === "document") {
    // A public URL that we only downloaded because of --inline-urls: GLM can still fetch it itself.
    if (kind === "url" && !privateUrl) return passUrl();
    return parseLoaded(loaded, label, parse, policy.allowSecretFiles);
  }
  const hint =
    cat === "image"
      ? " (use vision_analyze for images)"
      : cat === "video"
        ? " (use video_understand for videos)"
        : "";
  throw new MediaError(
    `${label} is not a document: its bytes look like ${describeType(loaded.type)}${hint}; pass a pdf, docx, xlsx, pptx or text file (a URL or a local file).`,
  );
}

const PARSER_LIMITS_HINT =
  "GLM's file parser takes PDF, Word and PowerPoint files up to 100 MB and Excel up to 10 MB: split the file, or pass a public URL GLM can fetch";

async function parseLoaded(
  loaded: LoadedSource,
  label: string,
  parse: ParseDocument,
  allowSecretFiles: boolean,
): Promise<{ part: ContentPart; report: DocumentReport }> {
  const type = parserType(loaded);
  const max = parserMaxBytes(type);
  if (loaded.bytes.length > max)
    throw new MediaError(
      `${label} is ${formatBytes(loaded.bytes.length)}, over the ${formatBytes(max)} GLM's file parser takes for ${type} files; ${PARSER_LIMITS_HINT}.`,
    );
  const name =
    loaded.kind === "url" || loaded.kind === "path" ? loaded.displayName : `document.${type.toLowerCase()}`;
  const content = redactKnown(await parse({ bytes: loaded.bytes, name, type }));
  // A docx or compressed PDF hides its text from the byte check in sources.ts: check what it says.
  const why = allowSecretFiles ? undefined : secretTextReason(content);
  if (why)
    throw new MediaError(
      `${label} is not sent: ${why}, and key-like content stays on this machine; pass a document without secrets, or start the server with --allow-secret-files (GLM_MCP_ALLOW_SECRET_FILES=1) if it really must go.`,
    );
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
