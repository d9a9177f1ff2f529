// GLM_CODING_PLAN=1 routes per capability: chat models to the coding endpoint, everything else to
// the standard endpoint with the same key; a 404 or HTML answer names the settings to fix.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, makeToneWav, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { screenshotPng } from "../helpers/media.js";

let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_CODING_PLAN: "1" });
});
afterEach(() => s.close());

const call = (name: string, args: Record<string, unknown>) =>
  s.client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

describe("coding plan routing", () => {
  it("sends chat models to the coding endpoint", async () => {
    const r = await call("glm_reason", { prompt: "hi", thinking: false });
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.path).toBe("/api/coding/paas/v4/chat/completions");
  });

  it("sends vision and embeddings to the standard endpoint with the same key", async () => {
    const png = (await screenshotPng(64, 64)).toString("base64");
    const v = await call("vision_analyze", { image: png, prompt: "what is it?", thinking: false });
    expect(v.isError, textOf(v)).toBeFalsy();
    const e = await call("embed_text", { texts: ["a"], dimensions: 256 });
    expect(e.isError, textOf(e)).toBeFalsy();
    expect(fake.requests.map((r) => r.path)).toEqual([
      "/api/paas/v4/chat/completions",
      "/api/paas/v4/embeddings",
    ]);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_API_KEY}`)).toBe(true);
  });

  it("sends image generation and speech to text to the standard endpoint (the fake refuses them on the coding one)", async () => {
    const i = await call("image_generate", { prompt: "a dot", model: "cogview-3-flash", size: "512x512" });
    expect(i.isError, textOf(i)).toBeFalsy();
    const a = await call("audio_transcribe", { audio: makeToneWav({ durationMs: 400 }).toString("base64") });
    expect(a.isError, textOf(a)).toBeFalsy();
    expect(fake.requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([
      "/api/paas/v4/images/generations",
      "/api/paas/v4/audio/transcriptions",
    ]);
  });

  it("glm://models shows which endpoint each tool uses", async () => {
    const res = await s.client.readResource({ uri: "glm://models" });
    const doc = JSON.parse((res.contents[0] as { text: string }).text) as {
      endpoints: { tool: string; endpoint: string }[];
    };
    const at = new Map(doc.endpoints.map((e) => [e.tool, e.endpoint]));
    expect(at.get("glm_reason")).toBe(fake.url + "/api/coding/paas/v4");
    expect(at.get("vision_analyze")).toBe(fake.baseUrl);
    expect(at.get("embed_text")).toBe(fake.baseUrl);
  });
});

describe("wrong endpoint", () => {
  let html: Server;
  let url: string;
  beforeAll(async () => {
    html = createServer((req, res) => {
      if (req.url?.includes("/missing/")) {
        res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
      } else {
        res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><html>portal</html>");
      }
    });
    await new Promise<void>((r) => html.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => html.close(() => r())));

  it.each([
    ["a 404", "/missing/api/paas/v4"],
    ["an HTML page", "/portal/api/paas/v4"],
  ])("%s names GLM_BASE_URL and GLM_CODING_PLAN", async (_label, path) => {
    const t = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: url + path, GLM_MAX_RETRIES: "0" });
    try {
      const r = (await t.client.callTool({
        name: "glm_reason",
        arguments: { prompt: "x" },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/is not a GLM API endpoint.*GLM_BASE_URL.*GLM_CODING_PLAN/);
      expect(textOf(r)).not.toMatch(/rejected the request parameters/);
    } finally {
      await t.close();
    }
  });
});
