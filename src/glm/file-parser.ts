// The platform's synchronous file parser, which turns a local PDF or office file into text the chat
// models can read (file_url takes URLs only). Wire shape from the platform's OpenAPI spec
// (test/fake-glm/spec/openapi-2026-07-11.json, path /paas/v4/files/parser/sync, lines 1928–2020):
// multipart/form-data with `file` (binary), `tool_type: "prime-sync"` (required) and an optional
// `file_type` from the enum below; the answer is FileParseResultResponse {status, message, task_id,
// content?} (components.schemas, line 9956). It lives on the standard endpoint (…/api/paas/v4), also
// under the coding plan, like every non-chat API (endpoints.ts).
import { fileForm } from "./form.js";
import { BadRequestError, GlmError, ModelNotFoundError, type GlmErrorInit } from "./errors.js";
import type { CallOptions, GlmClient } from "./client.js";

const MB = 1024 * 1024;

/** The spec's file_type enum (openapi line ~1955), which is also the list of what it parses. */
export const PARSER_FILE_TYPES = [
  "WPS", "PDF", "DOCX", "DOC", "XLS", "XLSX", "PPT", "PPTX", "PNG", "JPG", "JPEG", "CSV", "TXT", "MD",
  "HTML", "BMP", "GIF", "WEBP", "HEIC", "EPS", "ICNS", "IM", "PCX", "PPM", "TIFF", "XBM", "HEIF", "JP2",
] as const; // prettier-ignore
export type ParserFileType = (typeof PARSER_FILE_TYPES)[number];

/**
 * Largest file the parser takes per type. The product page (docs.bigmodel.cn/cn/guide/tools/
 * file-parser-sync, as read for test/fake-glm/parser.ts) says "WPS/PDF/DOC/DOCX/PPT/PPTX ≤100MB,
 * MD/TXT/XLS/XLSX/CSV ≤10MB, 其他 ≤20MB" [I: not in the local spec]; REFERENCE.md (error table, line
 * 166) lists HTTP 435 "file >100 MB" [V]. Checked before upload so a too-large file costs nothing.
 */
export function parserMaxBytes(type: ParserFileType): number {
  if (["WPS", "PDF", "DOC", "DOCX", "PPT", "PPTX"].includes(type)) return 100 * MB;
  if (["MD", "TXT", "XLS", "XLSX", "CSV"].includes(type)) return 10 * MB;
  return 20 * MB;
}

export interface ParserFile {
  bytes: Buffer;
  /** The file's name as the agent knows it (sent as the multipart file name). */
  name: string;
  type: ParserFileType;
}

export interface ParsedFile {
  content: string;
  taskId: string;
}

interface FileParseResultResponse {
  status: "processing" | "succeeded" | "failed";
  message: string;
  task_id: string;
  content?: string | null;
}

/** The parser refused or could not read one file: says which, why, and what to pass instead. */
export class FileParserError extends GlmError {
  override name = "FileParserError";
  constructor(file: string, why: string, init: GlmErrorInit = {}) {
    super(
      `GLM's file parser could not read ${file} (${why}): check that the file opens and is not password-protected, or extract its text yourself (e.g. pdftotext file.pdf file.txt) and pass the .txt`,
      init,
    );
  }
}

export async function parseFile(
  client: GlmClient,
  file: ParserFile,
  opts: CallOptions = {},
): Promise<ParsedFile> {
  const form = fileForm(file, { tool_type: "prime-sync", file_type: file.type });
  let answer: FileParseResultResponse;
  try {
    answer = await client.postForm<FileParseResultResponse>("/files/parser/sync", form, opts);
  } catch (e) {
    // Parameter errors here are about the file (its type, size or content), not the tool's arguments.
    // 435 is "file >100 MB" (REFERENCE.md line 166).
    if (
      e instanceof GlmError &&
      ((e instanceof BadRequestError && !(e instanceof ModelNotFoundError)) || e.status === 435)
    )
      throw new FileParserError(file.name, "it refused the file", errorInit(e));
    throw e;
  }
  if (answer.status !== "succeeded")
    throw new FileParserError(file.name, `status ${answer.status}`, { upstreamMessage: answer.message });
  const content = answer.content ?? "";
  if (!content.trim())
    throw new FileParserError(
      file.name,
      'it found no text; for a scanned document pass mode "ocr" so GLM-OCR reads the pages',
      {
        upstreamMessage: answer.message,
      },
    );
  return { content, taskId: answer.task_id };
}

function errorInit(e: GlmError): GlmErrorInit {
  return { status: e.status, code: e.code, upstreamMessage: e.upstreamMessage, requestId: e.requestId };
}
