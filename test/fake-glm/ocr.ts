// POST /layout_parsing, GLM-OCR (openapi path /paas/v4/layout_parsing, line 1244;
// LayoutParsingRequest line 8537, LayoutParsingResponse line 8592).
//
// Choices where the spec leaves room (documented so tests can rely on them):
// - `file` is an http(s) URL, a data: URI with base64, or bare base64 ("支持url和base64"); anything
//   else, and bytes that are not PDF/JPG/PNG ("支持图片格式：PDF、JPG、PNG"), is 1214 on `file`.
// - Limits "单图≤10MB，PDF≤50MB，最大支持100页" are 1214 on `file`.
// - The recognised text is derived from the document: a PDF's text operators (parser.ts pdfText)
//   and, for page images, the text a test stored in them (page-text.ts). Lines starting with `|`
//   form a table element, `$$…$$` lines a formula, others text. A URL (never fetched) gives a
//   heading naming it.
// - Not a coding-plan model: 1211 on /api/coding/paas/v4 like the embeddings.
import { newId } from "./answer.js";
import { invalidField, missingField, unknownModel } from "./errors.js";
import { jpegComments, pdfJpegs, pngText } from "./page-text.js";
import { pdfText } from "./parser.js";
import { checkAgainstSpec } from "./spec.js";
import { estimateTokens } from "./tokens.js";
import { absent } from "./validate.js";

const MB = 1024 * 1024;
export const OCR_MAX = { imageBytes: 10 * MB, pdfBytes: 50 * MB, pages: 100 } as const;

type Label = "text" | "table" | "formula";

export function layoutParsingResponse(
  body: Record<string, unknown>,
  opts: { coding?: boolean } = {},
): Record<string, unknown> {
  if (absent(body.model)) throw missingField("model");
  if (body.model !== "glm-ocr" || opts.coding) throw unknownModel(String(body.model));
  checkAgainstSpec("layoutParsing", body);
  const file = body.file as string;
  const { lines, pages } = recognise(file);
  const start = body.start_page_id as number | undefined;
  const end = body.end_page_id as number | undefined;
  if (start !== undefined && end !== undefined && end < start)
    throw invalidField("end_page_id", "不能小于 start_page_id");
  const blocks = toBlocks(lines);
  const markdown = blocks.map((b) => b.content).join("\n\n");
  const details = blocks.map((b, index) => ({
    index,
    label: b.label,
    bbox_2d: [0.1, Math.min(0.9, 0.05 + index * 0.05), 0.9, Math.min(0.95, 0.1 + index * 0.05)],
    content: b.content,
    width: 612,
    height: 792,
  }));
  const completion = estimateTokens(markdown);
  return {
    id: `task_${newId()}`,
    created: Math.floor(Date.now() / 1000),
    model: "GLM-OCR",
    md_results: markdown,
    layout_details: Array.from({ length: pages }, (_, i) => (i === 0 ? details : [])),
    data_info: { num_pages: pages },
    usage: {
      prompt_tokens: 1000 * pages,
      completion_tokens: completion,
      total_tokens: 1000 * pages + completion,
    },
    request_id: typeof body.request_id === "string" ? body.request_id : `req_${newId()}`,
  };
}

/** The text lines on the document and its page count. */
function recognise(file: string): { lines: string[]; pages: number } {
  if (/^https?:\/\/\S+$/i.test(file)) {
    const name = decodeURIComponent(new URL(file).pathname.split("/").pop() || file);
    return { lines: [`# ${name}`, `Recognised from ${file}`], pages: 1 };
  }
  const b64 = /^data:[\w.+-]+\/[\w.+-]+;base64,/i.exec(file) ? file.slice(file.indexOf(",") + 1) : file;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0)
    throw invalidField("file", "必须是 url 或 base64 编码的文件");
  const bytes = Buffer.from(b64, "base64");
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") {
    if (bytes.length > OCR_MAX.pdfBytes) throw invalidField("file", "PDF 不能超过 50MB");
    const pages = Math.max(1, (bytes.toString("latin1").match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length);
    if (pages > OCR_MAX.pages) throw invalidField("file", `PDF 最多支持 100 页，本文件 ${pages} 页`);
    const lines = [pdfText(bytes), ...pdfJpegs(bytes).flatMap(jpegComments)];
    return { lines: lines.flatMap((l) => l.split("\n")), pages };
  }
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!png && !jpeg) throw invalidField("file", "仅支持 PDF、JPG、PNG 格式");
  if (bytes.length > OCR_MAX.imageBytes) throw invalidField("file", "图片不能超过 10MB");
  return { lines: (png ? pngText(bytes) : jpegComments(bytes)).flatMap((l) => l.split("\n")), pages: 1 };
}

function toBlocks(lines: string[]): { label: Label; content: string }[] {
  const blocks: { label: Label; content: string }[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    const last = blocks[blocks.length - 1];
    if (line.startsWith("|") && last?.label === "table") last.content += `\n${line}`;
    else if (line.startsWith("|")) blocks.push({ label: "table", content: line });
    else if (/^\$\$.*\$\$$/.test(line)) blocks.push({ label: "formula", content: line });
    else blocks.push({ label: "text", content: line });
  }
  return blocks;
}
