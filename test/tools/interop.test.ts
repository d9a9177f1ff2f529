// Interop (issue 23 items 8–10), through an in-memory MCP pair against the fake GLM: what clients
// really send (Inspector's JSON-text arrays), what strict schema checkers demand of tools/list, and
// the one sentence every tool gives when no API key is configured.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../../src/log.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
afterEach(() => s?.close());

const call = (name: string, args: Record<string, unknown>) =>
  s.client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

describe("embed_text: a JSON array sent as a string (MCP Inspector 0.15)", () => {
  it("embeds each item as its own text and says so in a note", async () => {
    s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
    const r = await call("embed_text", { texts: '["a","b","c"]', dimensions: 256 });
    expect(r.isError).toBeFalsy();
    const sc = r.structuredContent as { count: number; embeddings: number[][]; note: string };
    expect(sc.count).toBe(3);
    expect(sc.embeddings).toHaveLength(3);
    expect(sc.note).toMatch(/JSON array.*3 texts/);
    expect(textOf(r)).toContain(sc.note);
    const sent = fake.requests.filter((q) => q.path.endsWith("/embeddings")).map((q) => q.body.input);
    expect(sent).toEqual([["a", "b", "c"]]);
  });

  it("a string that only looks like an array stays one text, without a note", async () => {
    s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
    for (const text of ["[a, b]", "[1, 2]", "[]"]) {
      const r = await call("embed_text", { texts: text, dimensions: 256 });
      const sc = r.structuredContent as { count: number; note?: string };
      expect(sc.count, text).toBe(1);
      expect(sc.note, text).toBeUndefined();
    }
  });
});

/** Keywords that constrain a value: a schema with none of them accepts anything (strict checkers warn). */
const VALIDATION = ["type", "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "not"];

function untyped(schema: unknown, at: string, out: string[]): void {
  if (typeof schema !== "object" || schema === null) return;
  const o = schema as Record<string, unknown>;
  if (!VALIDATION.some((k) => k in o)) out.push(at);
  for (const [name, sub] of Object.entries((o.properties as Record<string, unknown>) ?? {}))
    untyped(sub, `${at}.properties.${name}`, out);
  if (typeof o.items === "object") untyped(o.items, `${at}.items`, out);
  for (const k of ["anyOf", "oneOf", "allOf"])
    for (const [i, sub] of ((o[k] as unknown[]) ?? []).entries()) untyped(sub, `${at}.${k}[${i}]`, out);
}

describe("tools/list for strict schema checkers (Inspector --strict)", () => {
  it("every property of every input and output schema has a validation keyword", async () => {
    s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
    const { tools } = await s.client.listTools();
    const found: string[] = [];
    for (const t of tools) {
      untyped(t.inputSchema, `${t.name}.inputSchema`, found);
      if (t.outputSchema) untyped(t.outputSchema, `${t.name}.outputSchema`, found);
    }
    expect(found).toEqual([]);
  });

  it("glm_reason's data is an object, and a non-object JSON answer stays out of it", async () => {
    s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
    const { tools } = await s.client.listTools();
    const data = (tools.find((t) => t.name === "glm_reason")!.outputSchema!.properties as any).data;
    expect(data.type).toBe("object");
    fake.answer({ content: "[1, 2, 3]" });
    const r = await call("glm_reason", { prompt: "list", response_format: "json_object" });
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as any).data).toBeUndefined();
    expect(textOf(r)).toMatch(/did not return a valid JSON object/);
  });
});

describe("no API key", () => {
  // Each tool with arguments that pass its schema; none may reach GLM or fetch anything.
  const CALLS: [string, Record<string, unknown>][] = [
    ["glm_reason", { prompt: "hi" }],
    ["embed_text", { texts: ["a", "b"] }],
    ["vision_analyze", { image: "https://example.invalid/a.png", prompt: "what" }],
    ["vision_locate", { image: "https://example.invalid/a.png", targets: "cat" }],
    ["video_understand", { video: "https://example.invalid/a.mp4", prompt: "what" }],
    ["document_analyze", { files: ["https://example.invalid/a.pdf"], prompt: "what" }],
    ["voice_reply", { text: "hi" }],
    ["realtime_chat", { text: "hi" }],
    ["web_search", { query: "hi" }],
    ["web_read", { url: "https://example.invalid/" }],
    ["image_generate", { prompt: "a blue dot" }],
    ["audio_transcribe", { audio: "https://example.invalid/a.wav" }],
  ];

  it("every tool answers the same one sentence, logged at the same level, before any work", async () => {
    const logged: { level: string; msg: string }[] = [];
    const logger: Logger = {
      debug: (msg) => logged.push({ level: "debug", msg }),
      info: (msg) => logged.push({ level: "info", msg }),
      warning: (msg) => logged.push({ level: "warning", msg }),
      error: (msg) => logged.push({ level: "error", msg }),
    };
    s = await connect({ GLM_BASE_URL: fake.baseUrl }, { logger });
    const { tools } = await s.client.listTools();
    expect(CALLS.map(([n]) => n).sort()).toEqual(tools.map((t) => t.name).sort());
    const texts = new Set<string>();
    for (const [name, args] of CALLS) {
      const r = await call(name, args);
      expect(r.isError, name).toBe(true);
      expect(r.content, name).toHaveLength(1);
      texts.add(textOf(r));
      const failed = logged.filter((l) => l.msg.startsWith(`${name} failed:`));
      expect(
        failed.map((l) => l.level),
        name,
      ).toEqual(["info"]);
    }
    expect([...texts]).toHaveLength(1);
    const [text] = texts;
    expect(text).toMatch(/^No GLM API key is configured: set GLM_API_KEY [^\n]*\.$/);
    expect(fake.requests).toHaveLength(0);
  });
});
