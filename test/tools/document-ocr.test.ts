// document_analyze with GLM-OCR against the fake: scanned PDFs and page images go to
// POST /layout_parsing (auto), every PDF/image with mode "ocr", text PDFs stay with the file parser;
// the Markdown (tables, formulas) reaches the model and a file; failures are one sentence; every
// recorded layout_parsing body passes the vendored spec (wire audit).
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  checkAgainstSpec,
  FAKE_API_KEY,
  jpegWithComment,
  makePdf,
  makeScannedPdf,
  pngWithText,
  startFakeGlm,
  type FakeGlm,
} from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { solid } from "../helpers/media.js";

let fake: FakeGlm;
let s: TestSession;
let dir: string;
let out: string;
const PAGE = [
  "# Invoice 42",
  "| item | price |",
  "|---|---|",
  "| tea | 3.50 |",
  "$$total = 3.50 \\times 2$$",
];
const MARKDOWN = "# Invoice 42\n\n| item | price |\n|---|---|\n| tea | 3.50 |\n\n$$total = 3.50 \\times 2$$";
const PDF_LINES = ["Quarterly report Q3", "Revenue grew 17 percent"];
let scan: Buffer;
let page: Buffer;

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = mkdtempSync(path.join(os.tmpdir(), "glm-ocr-"));
  out = mkdtempSync(path.join(os.tmpdir(), "glm-ocr-out-"));
  scan = makeScannedPdf([jpegWithComment(await solid(8, 8, "#fff", "jpeg"), PAGE.join("\n"))]);
  page = pngWithText(await solid(8, 8, "#fff", "png"), PAGE.join("\n"));
  writeFileSync(path.join(dir, "scan.pdf"), scan);
  writeFileSync(path.join(dir, "page.png"), page);
  writeFileSync(path.join(dir, "blank.png"), await solid(8, 8, "#fff", "png"));
  writeFileSync(path.join(dir, "report.pdf"), makePdf(PDF_LINES, { compress: true }));
  writeFileSync(path.join(dir, "pic.gif"), await solid(8, 8, "#fff", "gif"));
  const fd = openSync(path.join(dir, "huge.png"), "w");
  writeSync(fd, page);
  ftruncateSync(fd, 11 * 1024 * 1024);
  closeSync(fd);
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  s = await connect({
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
    GLM_MCP_ALLOW_DIRS: dir,
    GLM_MCP_OUTPUT_DIR: out,
    GLM_MAX_RETRIES: "0",
  });
});
afterEach(() => s.close());

const progress: string[] = [];
const call = (args: Record<string, unknown>) => {
  progress.length = 0;
  return s.client.callTool({ name: "document_analyze", arguments: args }, undefined, {
    onprogress: (p) => void progress.push(p.message ?? ""),
  }) as Promise<CallToolResult>;
};
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;
const paths = () => fake.requests.map((r) => r.path.replace("/api/paas/v4", ""));
const ocrBodies = () => fake.requests.filter((r) => r.path.endsWith("/layout_parsing")).map((r) => r.body);

afterEach(() => {
  for (const body of ocrBodies()) expect(() => checkAgainstSpec("layoutParsing", body)).not.toThrow();
});

describe("document_analyze with GLM-OCR", () => {
  it("auto: a scanned PDF goes to layout_parsing as base64 and its Markdown to the model and a file", async () => {
    const r = await call({ files: [path.join(dir, "scan.pdf")], prompt: "What is the total?" });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(paths()).toEqual(["/layout_parsing", "/chat/completions"]);
    expect(ocrBodies()[0]).toEqual({
      model: "glm-ocr",
      file: `data:application/pdf;base64,${scan.toString("base64")}`,
    });
    expect(fake.requests[1]!.body.messages[0].content).toEqual([
      { type: "text", text: `<file name="scan.pdf" read_by="GLM-OCR">\n${MARKDOWN}\n</file>` },
      { type: "text", text: "What is the total?" },
    ]);
    const [report] = sc(r).files;
    expect(report).toMatchObject({
      source: "scan.pdf",
      source_kind: "path",
      sent_as: "ocr",
      format: "pdf",
      bytes: scan.length,
      pages: 1,
      tables: 1,
      formulas: 1,
    });
    expect(readFileSync(report.markdown_file, "utf8")).toBe(MARKDOWN);
    expect(path.dirname(report.markdown_file)).toBe(out);
    expect(r.content.some((c) => c.type === "resource_link" && /document-ocr/.test(c.name))).toBe(true);
    expect(textOf(r)).toMatch(
      /scan\.pdf \(read by GLM-OCR: 1 page\(s\), 1 table\(s\), 1 formula\(s\); Markdown in /,
    );
    expect(progress).toContain("GLM-OCR is reading scan.pdf");
    expect(progress).toContain("GLM-OCR read scan.pdf: 1 page, 1 table, 1 formula");
  });

  it("auto: a PNG page image goes to GLM-OCR; a text PDF stays with the file parser", async () => {
    const img = await call({ files: [path.join(dir, "page.png")], prompt: "x" });
    expect(img.isError, textOf(img)).toBeFalsy();
    expect(ocrBodies()[0]!.file).toBe(`data:image/png;base64,${page.toString("base64")}`);
    expect(sc(img).files[0]).toMatchObject({ sent_as: "ocr", format: "png", tables: 1 });
    fake.reset();
    const text = await call({ files: [path.join(dir, "report.pdf")], prompt: "x" });
    expect(text.isError, textOf(text)).toBeFalsy();
    expect(paths()).toEqual(["/files/parser/sync", "/chat/completions"]);
  });

  it('mode "ocr": a text PDF goes to GLM-OCR instead of the parser; a public URL is passed as the URL', async () => {
    const r = await call({ files: [path.join(dir, "report.pdf")], prompt: "x", mode: "ocr" });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(paths()).toEqual(["/layout_parsing", "/chat/completions"]);
    expect(fake.requests[1]!.body.messages[0].content[0].text).toBe(
      `<file name="report.pdf" read_by="GLM-OCR">\n${PDF_LINES.join("\n\n")}\n</file>`,
    );
    fake.reset();
    const url = await call({ files: ["https://example.com/scans/bill.pdf"], prompt: "x", mode: "ocr" });
    expect(url.isError, textOf(url)).toBeFalsy();
    expect(ocrBodies()).toEqual([{ model: "glm-ocr", file: "https://example.com/scans/bill.pdf" }]);
    expect(sc(url).files[0]).toMatchObject({ source_kind: "url", sent_as: "ocr", pages: 1 });
    expect(sc(url).files[0].bytes).toBeUndefined();
    fake.reset();
    const docx = await call({ files: ["https://example.com/b.docx"], prompt: "x", mode: "ocr" });
    expect(docx.isError, textOf(docx)).toBeFalsy();
    expect(paths()).toEqual(["/chat/completions"]); // an office URL stays file_url: GLM-OCR takes PDF/JPG/PNG
  });

  it("a page image whose recognised text is a private key or .env lines never reaches the model", async () => {
    const key = [
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=",
      "-----END OPENSSH PRIVATE KEY-----",
    ];
    writeFileSync(path.join(dir, "key.png"), pngWithText(await solid(8, 8, "#fff", "png"), key.join("\n")));
    const r = await call({ files: [path.join(dir, "key.png")], prompt: "x" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/key\.png is not sent: .*key-like content stays on this machine/);
    expect(paths()).toEqual(["/layout_parsing"]);
  });

  it("auto keeps public URLs as file_url (no OCR call)", async () => {
    const r = await call({ files: ["https://example.com/scans/bill.pdf"], prompt: "x" });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(paths()).toEqual(["/chat/completions"]);
  });

  it("GLM-OCR refusals and empty pages end in one sentence naming the file, with no chat call", async () => {
    fake.fail(
      { kind: "status", status: 400, code: "1214", message: "file 参数非法" },
      { path: "/layout_parsing" },
    );
    const refused = await call({ files: [path.join(dir, "scan.pdf")], prompt: "x" });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(
      /^GLM-OCR could not read scan\.pdf \(it refused the file\): pass a PDF .*\(HTTP 400, code 1214\)\. GLM said: "file 参数非法"/,
    );
    fake.reset();
    const blank = await call({ files: [path.join(dir, "blank.png")], prompt: "x" });
    expect(blank.isError).toBe(true);
    expect(textOf(blank)).toMatch(/^GLM-OCR could not read blank\.png \(it found no text on the page\)/);
    expect(paths()).toEqual(["/layout_parsing"]);
  });

  it("refuses what GLM-OCR cannot take before any request: a GIF, an image over 10 MB", async () => {
    const gif = await call({ files: [path.join(dir, "pic.gif")], prompt: "x" });
    expect(textOf(gif)).toMatch(
      /is not a document: its bytes look like GIF .*GLM-OCR reads JPG and PNG page images/,
    );
    const huge = await call({ files: [path.join(dir, "huge.png")], prompt: "x" });
    expect(textOf(huge)).toMatch(/huge\.png is 11\.0 MB, over the 10\.0 MB GLM-OCR takes for PNG files/);
    expect(fake.requests).toHaveLength(0);
  });

  it("counts GLM-OCR usage under glm-ocr in glm://usage", async () => {
    await call({ files: [path.join(dir, "page.png")], prompt: "x" });
    const res = await s.client.readResource({ uri: "glm://usage" });
    const usage = JSON.parse((res.contents[0] as { text: string }).text);
    expect(JSON.stringify(usage)).toMatch(/"glm-ocr"/);
  });
});
