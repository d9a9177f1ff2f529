// document_analyze against the fake GLM (file_url must be a URL and never mixed with images/video).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { serveRoutes, sendBytes, solid, zipWithEntry, type TinyServer } from "../helpers/media.js";

let fake: FakeGlm;
let s: TestSession;
let dir: string;
let web: TinyServer;
const notes = "# Release notes\n\n- 中文 fixed\n- crash on start fixed\n";

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = mkdtempSync(path.join(os.tmpdir(), "glm-docs-"));
  writeFileSync(path.join(dir, "notes.md"), notes);
  writeFileSync(path.join(dir, "report.pdf"), "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");
  writeFileSync(path.join(dir, "sheet.xlsx"), zipWithEntry("xl/workbook.xml"));
  writeFileSync(path.join(dir, "shot.png"), await solid(8, 8, "#fff", "png"));
  writeFileSync(path.join(dir, "big.txt"), "x".repeat(401 * 1024));
  web = await serveRoutes({
    "/notes.txt": sendBytes(Buffer.from(notes), "text/plain"),
    "/report.pdf": sendBytes(Buffer.from("%PDF-1.4\n"), "application/pdf"),
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

  it("downloads a loopback text URL and inlines it; a loopback PDF is refused with the way out", async () => {
    const ok = await call({ files: [`${web.url}/notes.txt`], prompt: "x" });
    expect(ok.isError, textOf(ok)).toBeFalsy();
    expect(fake.requests[0]!.body.messages[0].content[0].text).toContain("crash on start fixed");
    const pdf = await call({ files: [`${web.url}/report.pdf`], prompt: "x" });
    expect(pdf.isError).toBe(true);
    expect(textOf(pdf)).toMatch(
      /is PDF and GLM reads such documents only from URLs it can fetch.*127\.0\.0\.1, which GLM's servers cannot reach.*pdftotext/,
    );
  });

  it("refuses local binary documents and images with a message that says how to proceed", async () => {
    const pdf = await call({ files: [path.join(dir, "report.pdf")], prompt: "x" });
    expect(textOf(pdf)).toMatch(
      /report\.pdf is PDF .*publish it at a public https URL .*or extract its text/,
    );
    const xlsx = await call({ files: [path.join(dir, "sheet.xlsx")], prompt: "x" });
    expect(textOf(xlsx)).toMatch(/sheet\.xlsx is XLSX/);
    const png = await call({ files: [path.join(dir, "shot.png")], prompt: "x" });
    expect(textOf(png)).toMatch(/is not a document: its bytes look like PNG .*use vision_analyze for images/);
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
