// POST /files/parser/sync, the platform's synchronous file parser (openapi path
// /paas/v4/files/parser/sync: multipart/form-data with `file`, `tool_type: prime-sync`, optional
// `file_type`; answer FileParseResultResponse {status, message, content, task_id}).
// Size limits from the product page docs.bigmodel.cn/cn/guide/tools/file-parser-sync:
// "WPS/PDF/DOC/DOCX/PPT/PPTX ≤100MB, MD/TXT/XLS/XLSX/CSV ≤10MB, 其他 ≤20MB".
//
// The "parsed text" is derived from the bytes so a test can check the real content went through:
// text formats are decoded as UTF-8; a PDF gives the literal strings of its text operators (Tj/TJ),
// read from plain and FlateDecode content streams; other formats give a one-line description.
import { inflateSync } from "node:zlib";
import { newId } from "./answer.js";
import { badParams, invalidField, missingField } from "./errors.js";
import { checkAgainstSpec } from "./spec.js";

const MB = 1024 * 1024;
const BIG = new Set(["WPS", "PDF", "DOC", "DOCX", "PPT", "PPTX"]);
const SMALL = new Set(["MD", "TXT", "XLS", "XLSX", "CSV"]);
const TEXT = new Set(["MD", "TXT", "CSV", "HTML"]);

export function parserMaxBytes(fileType: string): number {
  return BIG.has(fileType) ? 100 * MB : SMALL.has(fileType) ? 10 * MB : 20 * MB;
}

export async function parseFileSync(raw: Buffer, contentType: string | undefined): Promise<unknown> {
  if (!contentType?.toLowerCase().startsWith("multipart/form-data"))
    throw badParams("请求体必须是 multipart/form-data");
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw badParams("无法解析 multipart/form-data 请求体");
  }
  const file = form.get("file");
  if (file === null) throw missingField("file");
  if (typeof file === "string") throw invalidField("file", "必须是文件");
  const fields: Record<string, unknown> = { file: file.name };
  for (const key of ["tool_type", "file_type"]) {
    const v = form.get(key);
    if (v !== null) fields[key] = typeof v === "string" ? v : v.name;
  }
  checkAgainstSpec("parserSync", fields);

  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toUpperCase();
  const fileType = (fields.file_type as string | undefined) ?? ext;
  if (!fileType) throw missingField("file_type");
  checkAgainstSpec("parserSync", { ...fields, file_type: fileType }); // an inferred type must be listed too
  const bytes = Buffer.from(await file.arrayBuffer());
  if (bytes.length === 0) throw invalidField("file", "文件为空");
  const max = parserMaxBytes(fileType);
  if (bytes.length > max) throw invalidField("file", `${fileType} 文件不能超过 ${max / MB}MB`);
  if (fileType === "PDF" && bytes.subarray(0, 5).toString("latin1") !== "%PDF-")
    throw invalidField("file", "文件内容与 file_type 不符：不是 PDF 文件");

  return {
    status: "succeeded",
    message: "结果获取成功",
    content: parsedText(fileType, file.name, bytes),
    task_id: `task_${newId()}`,
  };
}

function parsedText(fileType: string, name: string, bytes: Buffer): string {
  if (TEXT.has(fileType)) return bytes.toString("utf8");
  if (fileType === "PDF") return pdfText(bytes);
  return `[${fileType} ${name}: ${bytes.length} bytes]`;
}

/** The literal strings of each text object (BT…ET) of every content stream, one line per object. */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const content of pdfStreams(pdf)) {
    for (const block of content.match(/\bBT\b[\s\S]*?\bET\b/g) ?? []) {
      const shown = [...block.matchAll(/\(((?:\\.|[^\\)])*)\)/g)].map((s) => unescapePdf(s[1]!)).join("");
      if (shown.trim()) lines.push(shown);
    }
  }
  return lines.join("\n");
}

function pdfStreams(pdf: Buffer): string[] {
  const out: string[] = [];
  const text = pdf.toString("latin1");
  const re = /<<([\s\S]*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf("endstream", start);
    if (end < 0) break;
    const raw = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(m[1]!)) {
      try {
        out.push(inflateSync(raw).toString("latin1"));
      } catch {
        // a stream this fake cannot inflate (images etc.) carries no text for it
      }
    } else {
      out.push(raw.toString("latin1"));
    }
    re.lastIndex = end;
  }
  return out;
}

function unescapePdf(s: string): string {
  return s.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, c: string) => {
    const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };
    if (/^[0-7]+$/.test(c)) return String.fromCharCode(parseInt(c, 8));
    return map[c] ?? c;
  });
}
