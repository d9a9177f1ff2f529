// image_generate through an in-memory MCP pair against the fake GLM: the request body (valid against
// the spec), the downloaded image saved whole, the inline copy downscaled, and the failures.
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import sharp from "sharp";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, checkAgainstSpec, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { filesIn } from "../helpers/audio.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  fake.reset();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MAX_RETRIES: "0" });
});
afterEach(() => s.close());

const call = (args: Record<string, unknown>) =>
  s.client.callTool({ name: "image_generate", arguments: args }) as Promise<CallToolResult>;
type Sc = Record<string, any>;

describe("image_generate", () => {
  it("is listed as writing a file, open-world, with its arguments", async () => {
    const { tools } = await s.client.listTools();
    const tool = tools.find((t) => t.name === "image_generate")!;
    expect(tool.annotations).toMatchObject({
      readOnlyHint: false,
      openWorldHint: true,
      destructiveHint: false,
    });
    expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual([
      "prompt",
      "model",
      "size",
      "quality",
      "watermark",
    ]);
    expect(tool.description).toMatch(/Use when/);
    expect(tool.description).toMatch(/Cost\/latency: paid/);
  });

  it("sends a spec-valid body, saves the full image and returns a downscaled inline copy", async () => {
    const r = await call({ prompt: "a lighthouse at dusk", size: "1568×1056" });
    expect(r.isError).toBeFalsy();
    const body = fake.requests[0]!.body;
    expect(body).toEqual({ model: "glm-image", prompt: "a lighthouse at dusk", size: "1568x1056" });
    expect(() => checkAgainstSpec("images", body)).not.toThrow();
    const sc = r.structuredContent as Sc;
    expect(sc).toMatchObject({
      model: "glm-image",
      size: "1568x1056",
      url: expect.stringContaining("/fake-images/"),
    });
    // The saved file is GLM's image byte for byte.
    const saved = readFileSync(sc.image.path);
    const served = Buffer.from(await (await fetch(sc.url)).arrayBuffer());
    expect(saved.equals(served)).toBe(true);
    expect(sc.image).toMatchObject({
      width: 1568,
      height: 1056,
      bytes: saved.length,
      mime_type: "image/png",
    });
    // The inline copy is a smaller image block (1024 px, 1280 for flat graphics like this one).
    const img = r.content.find((c) => c.type === "image") as { data: string; mimeType: string };
    const meta = await sharp(Buffer.from(img.data, "base64")).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(1280);
    expect([sc.image.inline_width, sc.image.inline_height]).toEqual([meta.width, meta.height]);
    expect(r.content.some((c) => c.type === "resource_link" && c.uri === sc.image.uri)).toBe(true);
    expect(textOf(r)).toContain(sc.image.path);
  });

  it("passes quality and watermark, and the model asked for", async () => {
    const r = await call({ prompt: "icon", model: "CogView-3-Flash", quality: "standard", watermark: false });
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.body).toEqual({
      model: "cogview-3-flash",
      prompt: "icon",
      quality: "standard",
      watermark_enabled: false,
    });
  });

  it("accepts argument names agents invent (description, resolution)", async () => {
    const r = await call({ description: "a cat", resolution: "1024x1024", model: "cogview-4" });
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.body).toMatchObject({ prompt: "a cat", size: "1024x1024" });
  });

  it.each([
    [{ prompt: "x", size: "1000x1000", model: "cogview-4" }, /multiples of 16/],
    [{ prompt: "x", size: "2048x2048", model: "cogview-4" }, /2,097,152 pixels/],
    [{ prompt: "x", size: "huge" }, /WIDTHxHEIGHT/],
    [{ prompt: "x", quality: "standard" }, /glm-image takes quality hd only/],
  ])("refuses %j before any request", async (args, message) => {
    const r = await call(args);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });

  it("still returns GLM's link when the image cannot be downloaded", async () => {
    fake.answer({ content: `${fake.url}/fake-images/missing.png` });
    const r = await call({ prompt: "x", model: "cogview-4" });
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toMatch(/could not be fetched here .*HTTP 404/);
    expect(textOf(r)).toContain(`${fake.url}/fake-images/missing.png`);
    expect((r.structuredContent as Sc).image).toBeUndefined();
    expect(filesIn(s.outputDir)).toHaveLength(0);
  });

  it("over HTTP, a link on a private address is not downloaded (SSRF rule) unless allowed", async () => {
    const overHttp = (extra: Record<string, string> = {}) =>
      connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MCP_HTTP: "1", ...extra });
    const h = await overHttp();
    try {
      const r = (await h.client.callTool({
        name: "image_generate",
        arguments: { prompt: "x", model: "cogview-4" },
      })) as CallToolResult;
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toMatch(/could not be fetched here .*--allow-private-urls/);
      expect(fake.requests.filter((q) => q.method === "GET")).toHaveLength(0);
      expect(filesIn(h.outputDir)).toHaveLength(0);
    } finally {
      await h.close();
    }
    const allowed = await overHttp({ GLM_MCP_ALLOW_PRIVATE_URLS: "1" });
    try {
      const r = (await allowed.client.callTool({
        name: "image_generate",
        arguments: { prompt: "x", model: "cogview-4" },
      })) as CallToolResult;
      expect((r.structuredContent as Sc).image.width).toBe(1024);
      expect(fake.requests.filter((q) => q.method === "GET")).toHaveLength(1);
    } finally {
      await allowed.close();
    }
  });

  it("turns GLM's content filter (1301) into one sentence and saves nothing", async () => {
    fake.fail({ kind: "sensitive" });
    const r = await call({ prompt: "x", model: "cogview-4" });
    expect(r.isError).toBe(true);
    expect(textOf(r).split("\n")).toHaveLength(1);
    expect(filesIn(s.outputDir)).toHaveLength(0);
  });
});
