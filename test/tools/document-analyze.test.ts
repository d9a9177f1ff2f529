// document_analyze against the fake GLM (file_url must be a URL and never mixed with images/video;
// local PDFs and office files go through the fake's file parser, which extracts a PDF's real text).
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, makePdf, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { serveRoutes, sendBytes, solid, zipWithEntry, type TinyServer } from "../helpers/media.js";

let fake: FakeGlm;
let s: TestSession;
let dir: string;
let web: TinyServer;
const notes = "# Release notes\n\n- 中文 fixed\n- crash on start fixed\n";
const PDF_LINES = ["Quarterly report Q3", "Revenue grew 17 percent to 4.2 million"];

/** A file of `size` bytes that starts with `head` (the rest is a hole: cheap to make, real to read). */
function sparseFile(file: string, head: Buffer, size: number): void {
  const fd = openSync(file, "w");
  writeSync(fd, head);
  ftruncateSync(fd, size);
  closeSync(fd);
}

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = mkdtempSync(path.join(os.tmpdir(), "glm-docs-"));
  writeFileSync(path.join(dir, "notes.md"), notes);
  writeFileSync(path.join(dir, "report.pdf"), makePdf(PDF_LINES, { compress: true }));
  writeFileSync(path.join(dir, "empty.pdf"), makePdf([])); // a font, but no text objects
  writeFileSync(path.join(dir, "keys.pdf"), makePdf(["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADAN"]));
  sparseFile(path.join(dir, "huge.xlsx"), zipWithEntry("xl/workbook.xml"), 12 * 1024 * 1024);
  writeFileSync(path.join(dir, "sheet.xlsx"), zipWithEntry("xl/workbook.xml"));
  writeFileSync(path.join(dir, "shot.gif"), await solid(8, 8, "#fff", "gif"));
  writeFileSync(path.join(dir, "big.txt"), "x".repeat(401 * 1024));
  web = await serveRoutes({
    "/notes.txt": sendBytes(Buffer.from(notes), "text/plain"),
    "/report.pdf": sendBytes(makePdf(PDF_LINES), "application/pdf"),
  });
});
afterAll(async () => {
  await fake.close();
  await web.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  // The files live in a temp dir: over stdio text is read only from roots, allow-dirs or the cwd.
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MCP_ALLOW_DIRS: dir });
});
afterEach(() => s.close());

const call = (args: Record<string, unknown>) =>
  s.client.callTool({ name: "document_analyze", arguments: args }) as Promise<CallToolResult>;
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;

describe("document_analyze", () => {
  it("passes document URLs as file_url parts before the prompt, exactly", async () => {
    const r = await call({
      files: ["https://example.com/a.pdf", "https://example.com/b.docx"],
      prompt: "Compare them",
      thinking: false,
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-4.6v",
      messages: [
        {
          role: "user",
          content: [
            { type: "file_url", file_url: { url: "https://example.com/a.pdf" } },
            { type: "file_url", file_url: { url: "https://example.com/b.docx" } },
            { type: "text", text: "Compare them" },
          ],
        },
      ],
      thinking: { type: "disabled" },
      stream: true,
    });
    expect(sc(r).files).toEqual([
      { source: "https://example.com/a.pdf", source_kind: "url", sent_as: "file_url" },
      { source: "https://example.com/b.docx", source_kind: "url", sent_as: "file_url" },
    ]);
  });

  it("inlines a local text file as text (file_url takes no uploads)", async () => {
    const r = await call({ files: [path.join(dir, "notes.md")], prompt: "What was fixed?" });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(fake.requests[0]!.body.messages[0].content).toEqual([
      { type: "text", text: `<file name="notes.md">\n${notes}\n</file>` },
      { type: "text", text: "What was fixed?" },
    ]);
    expect(sc(r).files).toEqual([
      {
        source: "notes.md",
        source_kind: "path",
        sent_as: "text",
        format: "text",
        bytes: Buffer.byteLength(notes),
      },
    ]);
  });

  it("downloads a loopback text URL and inlines it; a loopback PDF goes to the file parser", async () => {
    const ok = await call({ files: [`${web.url}/notes.txt`], prompt: "x" });
    expect(ok.isError, textOf(ok)).toBeFalsy();
    expect(fake.requests[0]!.body.messages[0].content[0].text).toContain("crash on start fixed");
    fake.reset();
    const pdf = await call({ files: [`${web.url}/report.pdf`], prompt: "x" });
    expect(pdf.isError, textOf(pdf)).toBeFalsy();
    expect(fake.requests.map((r) => r.path)).toEqual([
      "/api/paas/v4/files/parser/sync",
      "/api/paas/v4/chat/completions",
    ]);
    expect(fake.requests[1]!.body.messages[0].content[0].text).toContain("Revenue grew 17 percent");
  });

  it("sends a local PDF through GLM's file parser and gives the model its real text under the file's name", async () => {
    const r = await call({ files: [path.join(dir, "report.pdf")], prompt: "How much did revenue grow?" });
    expect(r.isError, textOf(r)).toBeFalsy();
    const [upload, chat] = fake.requests;
    expect(upload!.path).toBe("/api/paas/v4/files/parser/sync");
    expect(upload!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload!.rawBody).toMatch(/name="tool_type"\r\n\r\nprime-sync\r\n/);
    expect(upload!.rawBody).toMatch(/name="file_type"\r\n\r\nPDF\r\n/);
    expect(upload!.rawBody).toMatch(/name="file"; filename="report\.pdf"/);
    expect(chat!.body.messages[0].content).toEqual([
      { type: "text", text: `<file name="report.pdf">\n${PDF_LINES.join("\n")}\n</file>` },
      { type: "text", text: "How much did revenue grow?" },
    ]);
    const size = makePdf(PDF_LINES, { compress: true }).length;
    expect(sc(r).files).toEqual([
      { source: "report.pdf", source_kind: "path", sent_as: "parsed", format: "pdf", bytes: size },
    ]);
    expect(textOf(r)).toMatch(/report\.pdf \(parsed by GLM's file parser/);
  });

  it("turns parser failures into one sentence that names the file and the way out", async () => {
    const empty = await call({ files: [path.join(dir, "empty.pdf")], prompt: "x" });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toMatch(
      /^GLM's file parser could not read empty\.pdf \(it found no text; .*mode "ocr".*\): .*pdftotext/,
    );
    fake.reset();
    fake.fail(
      { kind: "status", status: 400, code: "1214", message: "文件内容与 file_type 不符" },
      { path: "/files/parser/sync" },
    );
    const refused = await call({ files: [path.join(dir, "report.pdf")], prompt: "x" });
    expect(textOf(refused)).toMatch(
      /^GLM's file parser could not read report\.pdf \(it refused the file\): .*\(HTTP 400, code 1214\)\. GLM said: "文件内容与 file_type 不符"/,
    );
    expect(fake.requests.map((r) => r.path)).toEqual(["/api/paas/v4/files/parser/sync"]); // no chat after
  });

  it("refuses a file over the parser's limit for its type before uploading anything", async () => {
    const r = await call({ files: [path.join(dir, "huge.xlsx")], prompt: "x" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /huge\.xlsx is 12\.0 MB, over the 10\.0 MB GLM's file parser takes for XLSX files; .*split the file/,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses a key-like document and images GLM-OCR cannot read without a request", async () => {
    const keys = await call({ files: [path.join(dir, "keys.pdf")], prompt: "x" });
    expect(textOf(keys)).toMatch(/keys\.pdf is not sent: its content looks like a private key or token/);
    const gif = await call({ files: [path.join(dir, "shot.gif")], prompt: "x" });
    expect(textOf(gif)).toMatch(
      /is not a document: its bytes look like GIF .*use vision_analyze for pictures/,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("caps inline text and names the limit", async () => {
    const r = await call({ files: [path.join(dir, "big.txt")], prompt: "x" });
    expect(textOf(r)).toMatch(/of text, over the 400\.0 KB inline limit/);
  });

  it("refuses document URLs for models without file_url support", async () => {
    const r = await call({
      files: ["https://example.com/a.pdf"],
      prompt: "x",
      model: "glm-4.1v-thinking-flash",
    });
    expect(textOf(r)).toMatch(/glm-4\.1v-thinking-flash cannot read document URLs.*use glm-4\.6v/);
    expect(fake.requests).toHaveLength(0);
    // Text inlined locally is fine for any vision model.
    expect(
      (await call({ files: [path.join(dir, "notes.md")], prompt: "x", model: "glm-4.1v-thinking-flash" }))
        .isError,
    ).toBeFalsy();
  });
});
