// web_read through an in-memory MCP pair against the fake GLM: the reader body, URL checks made
// before anything is sent, markdown inline, long pages cut with the whole page saved and linked, and
// a wire audit (every body sent to /reader validates against the vendored OpenAPI spec).
import { readFileSync } from "node:fs";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { specValidators } from "../fake-glm/spec.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
const sent: unknown[] = [];
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
afterEach(async () => {
  sent.push(...reads().map((r) => r.body));
  await s?.close();
});

const open = async (env: Record<string, string> = {}) => {
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, ...env });
  return s;
};
const call = (args: Record<string, unknown>, extra: Parameters<TestSession["client"]["callTool"]>[2] = {}) =>
  s.client.callTool({ name: "web_read", arguments: args }, undefined, extra) as Promise<CallToolResult>;
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;
const reads = () => fake.requests.filter((r) => r.path.endsWith("/reader"));

describe("web_read", () => {
  it("is listed read-only and open-world with input and output schemas", async () => {
    await open();
    const { tools } = await s.client.listTools();
    const tool = tools.find((t) => t.name === "web_read")!;
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      openWorldHint: true,
      destructiveHint: false,
    });
    expect(tool.inputSchema.required).toEqual(["url"]);
    expect(tool.outputSchema?.properties).toHaveProperty("content");
    expect(tool.description).toMatch(/Use when:[\s\S]*Do not use for:[\s\S]*GLM's servers fetch the URL/);
  });

  it("returns a short page inline as markdown with its title, and sends the spec's body", async () => {
    await open();
    const progress: string[] = [];
    const r = await call(
      { url: "https://docs.example.org/guide" },
      { onprogress: (p) => progress.push(p.message ?? "") },
    );
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(reads()).toHaveLength(1);
    expect(reads()[0]!.path).toBe("/api/paas/v4/reader");
    expect(reads()[0]!.body).toEqual({ url: "https://docs.example.org/guide", return_format: "markdown" });
    expect(sc(r)).toMatchObject({
      url: "https://docs.example.org/guide",
      title: "Page docs.example.org/guide",
      format: "markdown",
      truncated: false,
      chars: 1200,
    });
    expect(sc(r).content).toContain("![figure](https://docs.example.org/figure.png)");
    expect(sc(r)).not.toHaveProperty("file");
    const text = textOf(r);
    // The page opens with its title, so it is not repeated above the source line.
    expect(text.startsWith("Source: https://docs.example.org/guide\n\n# Page docs.example.org/guide\n")).toBe(
      true,
    );
    const plain = await call({ url: "https://docs.example.org/guide", format: "text" });
    expect(textOf(plain).startsWith("# Page docs.example.org/guide\nSource: ")).toBe(true);
    expect(r.content!.some((c) => c.type === "resource_link")).toBe(false);
    expect(progress.some((m) => m.includes("GLM is reading docs.example.org"))).toBe(true);
  });

  it("maps the reader's own argument names onto its arguments", async () => {
    await open();
    const r = await call({
      link: "https://a.example.com/x",
      return_format: "text",
      retain_images: "false",
      with_links_summary: true,
      no_cache: true,
      timeout: "30",
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(reads()[0]!.body).toEqual({
      url: "https://a.example.com/x",
      return_format: "text",
      retain_images: false,
      with_links_summary: true,
      no_cache: true,
      timeout: 30,
    });
    expect(sc(r).content).toContain("Links/Buttons:");
    expect(sc(r).content).not.toContain("![figure]");
  });

  it("cuts a long page at max_chars and saves the whole page to a file with a resource_link", async () => {
    await open();
    const r = await call({ url: "https://big.example.com/manual?size=50000", max_chars: 5000 });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(sc(r).truncated).toBe(true);
    expect(sc(r).chars).toBe(50_000);
    expect(sc(r).content.length).toBeLessThan(5300);
    const file = sc(r).file as { path: string; uri: string; mime_type: string; bytes: number };
    expect(file.mime_type).toBe("text/markdown");
    const saved = readFileSync(file.path, "utf8");
    expect(saved).toHaveLength(50_000);
    expect(saved.startsWith(sc(r).content.slice(0, 5000))).toBe(true);
    expect(file.bytes).toBe(Buffer.byteLength(saved));
    const link = r.content!.find((c) => c.type === "resource_link") as { uri: string } | undefined;
    expect(link?.uri).toBe(file.uri);
    // The whole page is readable back as an MCP resource.
    const res = await s.client.readResource({ uri: file.uri });
    expect((res.contents[0] as { text: string }).text).toBe(saved);
  });

  it("says so when GLM finds no readable content", async () => {
    await open();
    const r = await call({ url: "https://spa.example.com/empty" });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(sc(r).content).toBe("");
    expect(textOf(r)).toMatch(/GLM found no readable content on this page/);
  });

  it("refuses non-http(s) URLs, relative ones and embedded credentials before sending anything", async () => {
    await open();
    const cases: [string, RegExp][] = [
      ["file:///etc/passwd", /http\(s\) pages only, not file: URLs/],
      ["data:text/html,<h1>x</h1>", /http\(s\) pages only, not data: URLs/],
      ["ftp://example.com/a", /http\(s\) pages only, not ftp: URLs/],
      ["/etc/passwd", /url must be an absolute http\(s\) address/],
      ["example.com/page", /url must be an absolute http\(s\) address/],
      ["https://user:secret@example.com/", /remove the user:password@ part/],
    ];
    for (const [url, sentence] of cases) {
      const r = await call({ url });
      expect(r.isError, url).toBe(true);
      expect(textOf(r)).toMatch(sentence);
      expect(textOf(r)).not.toContain("secret");
    }
    expect(reads()).toHaveLength(0);
  });

  it("a GLM refusal ends in one actionable sentence and the next call works", async () => {
    await open();
    fake.fail(
      { kind: "status", status: 400, code: "1214", message: "url 参数非法" },
      { path: "/api/paas/v4/reader" },
    );
    const r = await call({ url: "https://a.example.com/" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/GLM rejected the request parameters/);
    const next = await call({ url: "https://a.example.com/" });
    expect(next.isError, textOf(next)).toBeFalsy();
  });

  it("wire audit: every body sent to /reader validates against the vendored spec", () => {
    const validate = specValidators().reader;
    expect(sent.length).toBeGreaterThanOrEqual(5);
    const bad = sent.filter((b) => !validate(b)).map((b) => ({ body: b, errors: validate.errors }));
    expect(bad).toEqual([]);
  });
});
