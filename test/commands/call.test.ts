// glm-mcp call, in-process: one tool call through the real server, text or JSON out, exit 0/1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callTool, parseToolArgs, resultText } from "../../src/cli/call.js";
import { createAppContext } from "../../src/state/context.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { testConfig } from "../helpers/mcp.js";
import { createLogger } from "../../src/log.js";
import { parseCli } from "../../src/cli/args.js";

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function call(
  tool: string,
  args: Record<string, unknown>,
  json = false,
  env: Record<string, string> = {},
  progressAfterMs?: number,
) {
  let err = "";
  // The server logs at info to the same stderr a person reads, as the CLI's does.
  const logger = createLogger("info", [], (line) => (err += line + "\n"));
  const ctx = createAppContext(
    testConfig({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MAX_RETRIES: "0", ...env }),
    { logger },
  );
  let out = "";
  const code = await callTool(ctx, tool, args, {
    json,
    out: (t) => (out += t),
    err: (t) => (err += t),
    ...(progressAfterMs !== undefined ? { progressAfterMs } : {}),
  });
  return { code, out, err };
}

describe("parseToolArgs", () => {
  it("takes one JSON object; empty means {}", () => {
    expect(parseToolArgs('{"prompt":"x","n":1}')).toEqual({ prompt: "x", n: 1 });
    expect(parseToolArgs(undefined)).toEqual({});
    expect(parseToolArgs("  ")).toEqual({});
    expect(() => parseToolArgs("{prompt:x}")).toThrow(/--args is not valid JSON/);
    expect(() => parseToolArgs("[1]")).toThrow(/must be a JSON object/);
  });
});

describe("callTool", () => {
  it("prints the answer text and exits 0; progress goes to stderr", async () => {
    fake.answer({ content: "forty-two" });
    const r = await call("glm_reason", { prompt: "meaning?" }, false, {}, 0);
    expect(r.code).toBe(0);
    expect(r.out).toBe("forty-two\n");
    expect(r.err).toContain("[progress] waiting for");
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.messages).toEqual([{ role: "user", content: "meaning?" }]);
  });

  it("--json prints structuredContent", async () => {
    fake.answer({ content: '{"a":1}' });
    const r = await call("glm_reason", { prompt: "json please", response_format: "json_object" }, true);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    expect(doc).toMatchObject({ answer: '{"a":1}', data: { a: 1 }, finish_reason: "stop" });
    expect(typeof doc.conversation_id).toBe("string");
  });

  it("an error result exits 1 with the one-sentence message on stderr (and as JSON with --json)", async () => {
    fake.fail({ kind: "status", status: 401, code: "1000" });
    const r = await call("glm_reason", { prompt: "x" });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/glm_reason failed: .*API key/);
    expect(r.err + r.out).not.toContain(FAKE_API_KEY);
    fake.fail({ kind: "status", status: 401, code: "1000" });
    const j = await call("glm_reason", { prompt: "x" }, true);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({ isError: true, error: expect.stringMatching(/API key/) });
  });

  it("a failure prints its sentence once: no progress line before it, no log line repeating it", async () => {
    fake.fail({ kind: "status", status: 401, code: "1000" });
    const r = await call("glm_reason", { prompt: "x" });
    expect(r.code).toBe(1);
    expect(r.err).not.toContain("[progress]");
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/^glm-mcp: glm_reason failed: .*API key/);
    fake.fail({ kind: "status", status: 401, code: "1000" });
    const j = await call("glm_reason", { prompt: "x" }, true);
    expect(j.err).toBe("");
    expect(JSON.parse(j.out)).toMatchObject({ isError: true });
  });

  it("without --args says how to pass them, with an example, and sends nothing", async () => {
    const r = await call("glm_reason", {});
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^glm-mcp: glm_reason needs arguments: pass them as one JSON object, e\.g\. glm-mcp call glm_reason --args '\{"prompt":"…"\}' \(or --args - to read them from stdin\); it takes prompt, system, model, .*\.\n$/,
    );
    expect((await call("voice_reply", {})).err).toContain(`--args '{"text":"…"}'`);
    expect(fake.requests).toHaveLength(0);
  });

  it("arguments that fail the input schema exit 1 and name the field", async () => {
    const r = await call("glm_reason", { promt: "typo" });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/prompt/);
    expect(fake.requests).toHaveLength(0);
  });

  it("an unknown tool exits 1 and lists the tools", async () => {
    const r = await call("no_such_tool", {});
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown tool "no_such_tool"; available: .*glm_reason/);
  });

  it("resultText shows saved files as paths in the output dir", () => {
    const text = resultText(
      {
        content: [
          { type: "text", text: "hi" },
          { type: "resource_link", uri: "glm://output/a.wav", name: "a.wav", mimeType: "audio/wav" },
        ],
      },
      "/tmp/out",
    );
    expect(text).toBe("hi\n\n[saved] /tmp/out/a.wav (audio/wav)");
  });
});

describe("parseCli", () => {
  it("an unknown flag names the nearest real one", () => {
    expect(() => parseCli(["call", "glm_reason", "--arg", "{}"])).toThrow(
      "unknown option --arg (did you mean --args?)",
    );
    expect(() => parseCli(["--outptu-dir", "/x"])).toThrow(
      "unknown option --outptu-dir (did you mean --output-dir?)",
    );
    expect(() => parseCli(["--frobnicate"])).toThrow(/^unknown option --frobnicate$/);
  });
});
