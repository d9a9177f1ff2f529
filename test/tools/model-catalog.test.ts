// The catalog informs, it never gates (issue #22): names glm-mcp's catalog does not know reach GLM
// with their family's rules and one note; GLM's own 1211 is the only refusal and comes back as a
// sentence listing the region's models; GLM-5.3 never gets thinking disabled; glm-5.3-flash works
// in vision_analyze, vision_locate and video_understand; the official server's settings carry over.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, MODELS, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { screenshotPng } from "../helpers/media.js";

/** The platform as the fake knows it (glm-5.9 and glm-5.9v do not exist: 1211). */
let fake: FakeGlm;
/** A platform newer than glm-mcp's catalog: it serves glm-5.9 and glm-5.9v. */
let newer: FakeGlm;
let png: string;
const sessions: TestSession[] = [];

beforeAll(async () => {
  fake = await startFakeGlm();
  newer = await startFakeGlm({
    models: {
      "glm-5.9": { ...MODELS["glm-5.3"]! },
      "glm-5.9v": { ...MODELS["glm-5.3-flash"]! },
    },
  });
  png = (await screenshotPng(64, 48)).toString("base64");
});
afterAll(async () => {
  await fake.close();
  await newer.close();
});
afterEach(async () => {
  fake.reset();
  newer.reset();
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

async function session(upstream: FakeGlm, env: Record<string, string> = {}): Promise<TestSession> {
  const s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: upstream.baseUrl, ...env });
  sessions.push(s);
  return s;
}
const call = (s: TestSession, name: string, args: Record<string, unknown>) =>
  s.client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;

describe("a model the catalog does not know reaches GLM", () => {
  it("glm_reason glm-5.9: sent lower-cased without thinking; GLM's 1211 lists the region's text models", async () => {
    const s = await session(fake);
    const r = await call(s, "glm_reason", { prompt: "x", model: "GLM-5.9", thinking: false });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body).toEqual({
      model: "glm-5.9",
      messages: [{ role: "user", content: "x" }],
      stream: true,
    });
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toMatch(
      /^GLM does not know the model "glm-5\.9" \(or the key cannot use it\): use one of glm-5\.4, glm-5\.3, glm-5\.2, .*glm-4\.7, /,
    );
    expect(text).toContain("code 1211");
    expect(text).not.toContain("glm-4.6v");
  });

  it("vision_analyze glm-5.9v: sent as a vision request; GLM's 1211 lists the region's vision models", async () => {
    const s = await session(fake, { GLM_REGION: "intl" });
    const r = await call(s, "vision_analyze", { image: png, prompt: "what?", model: "glm-5.9v" });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.model).toBe("glm-5.9v");
    expect(fake.requests[0]!.body.messages[0].content[0].type).toBe("image_url");
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /GLM does not know the model "glm-5\.9v" \(or the key cannot use it\): use one of glm-5\.3-flash, .*glm-4\.6v.*glm-4\.5v \(region intl, api\.z\.ai/,
    );
    expect(textOf(r)).not.toContain("glm-4.7");
  });

  it("on a platform that serves glm-5.9, glm_reason answers with one note and no thinking field", async () => {
    const s = await session(newer);
    const r = await call(s, "glm_reason", { prompt: "hello", model: "glm-5.9", thinking: false });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(newer.requests[0]!.body).not.toHaveProperty("thinking");
    expect(sc(r).model).toBe("glm-5.9");
    const text = textOf(r);
    expect(text).toContain(
      "[glm-5.9 is not in glm-mcp's catalog; sent with GLM-5 defaults (thinking always on, no max_tokens cap).]",
    );
    expect(text).toContain("[glm-5.9 always reasons: thinking=false was not sent");
    expect(text.match(/not in glm-mcp's catalog/g)).toHaveLength(1);
  });

  it("on a platform that serves glm-5.9v, vision_analyze answers with the note", async () => {
    const s = await session(newer);
    const r = await call(s, "vision_analyze", { image: png, prompt: "what?", model: "glm-5.9v" });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(newer.requests[0]!.body.model).toBe("glm-5.9v");
    expect(textOf(r)).toContain("[glm-5.9v is not in glm-mcp's catalog; sent with GLM-5 defaults");
  });

  it("with the coding plan, an unknown text model goes to the coding endpoint and a vision one does not", async () => {
    const s = await session(newer, { GLM_CODING_PLAN: "1" });
    expect((await call(s, "glm_reason", { prompt: "x", model: "glm-5.9" })).isError).toBeFalsy();
    const v = await call(s, "vision_analyze", { image: png, prompt: "x", model: "glm-5.9v" });
    expect(v.isError, textOf(v)).toBeFalsy();
    expect(newer.requests.map((q) => q.path)).toEqual([
      "/api/coding/paas/v4/chat/completions",
      "/api/paas/v4/chat/completions",
    ]);
  });
});

describe("GLM-5.3 always thinks", () => {
  it("the fake refuses thinking disabled for glm-5.3 with 1210, as GLM does", async () => {
    const res = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${FAKE_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "glm-5.3",
        messages: [{ role: "user", content: "x" }],
        thinking: { type: "disabled" },
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("1210");
  });

  it("glm_reason never sends glm-5.3 thinking disabled, and says so", async () => {
    const s = await session(fake);
    const off = await call(s, "glm_reason", { prompt: "x", model: "glm-5.3", thinking: false });
    expect(off.isError, textOf(off)).toBeFalsy();
    const on = await call(s, "glm_reason", { prompt: "y", model: "glm-5.3" });
    expect(on.isError, textOf(on)).toBeFalsy();
    expect(fake.requests.map((q) => q.body.thinking)).toEqual([undefined, undefined]);
    expect(textOf(off)).toContain("[glm-5.3 always reasons: thinking=false was not sent");
    expect(textOf(on)).not.toContain("always reasons");
    expect(sc(off).reasoning).toBeUndefined();
  });
});

describe("glm-5.3-flash in the vision tools", () => {
  it("vision_analyze, vision_locate and video_understand accept it and send it as named", async () => {
    const s = await session(fake);
    const results = [
      await call(s, "vision_analyze", {
        image: png,
        prompt: "what?",
        model: "glm-5.3-flash",
        thinking: false,
      }),
      await call(s, "vision_locate", { image: png, targets: "button", model: "glm-5.3-flash" }),
      await call(s, "video_understand", {
        video: "https://example.com/demo.mp4",
        prompt: "summarise",
        model: "glm-5.3-flash",
      }),
    ];
    for (const r of results) expect(r.isError, textOf(r)).toBeFalsy();
    expect(fake.requests.map((q) => q.body.model)).toEqual([
      "glm-5.3-flash",
      "glm-5.3-flash",
      "glm-5.3-flash",
    ]);
    expect(fake.requests.every((q) => q.body.thinking === undefined)).toBe(true);
    expect(fake.requests[2]!.body.messages[0].content[0]).toEqual({
      type: "video_url",
      video_url: { url: "https://example.com/demo.mp4" },
    });
    expect(textOf(results[0]!)).toContain("[glm-5.3-flash always reasons");
    for (const r of results) expect(textOf(r)).not.toContain("not in glm-mcp's catalog");
  });

  it("is the default vision model when the official server's Z_AI_VISION_MODEL says so; GLM_VISION_MODEL wins", async () => {
    const zai = await session(fake, { Z_AI_VISION_MODEL: "glm-5.3-flash" });
    expect((await call(zai, "vision_analyze", { image: png, prompt: "a" })).isError).toBeFalsy();
    const both = await session(fake, {
      Z_AI_VISION_MODEL: "glm-5.3-flash",
      GLM_VISION_MODEL: "glm-4.6v-flash",
    });
    expect(
      (await call(both, "video_understand", { video: "https://example.com/a.mp4", prompt: "b" })).isError,
    ).toBeFalsy();
    const plain = await session(fake);
    expect((await call(plain, "vision_locate", { image: png, targets: "x" })).isError).toBeFalsy();
    expect(fake.requests.map((q) => q.body.model)).toEqual(["glm-5.3-flash", "glm-4.6v-flash", "glm-4.6v"]);
  });

  it("Z_AI_MODE=ZAI sends calls to the intl region's catalog listing", async () => {
    const s = await session(fake, { Z_AI_MODE: "ZAI" });
    const r = await call(s, "glm_reason", { prompt: "x", model: "glm-5.99" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/region intl, api\.z\.ai/);
  });
});

describe("a known model of another kind is refused before any request", () => {
  it("glm-4-voice asked of vision_analyze names the tool that takes it", async () => {
    const s = await session(fake);
    const r = await call(s, "vision_analyze", { image: png, prompt: "x", model: "glm-4-voice" });
    expect(fake.requests).toHaveLength(0);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /^glm-4-voice is a voice model, which this tool cannot call: use it with voice_reply, or pick one of glm-5\.3-flash, /,
    );
  });
});

describe("glm://models", () => {
  it("says the catalog informs and serves the GLM-5.x entries with their sources", async () => {
    const s = await session(fake);
    const r = await s.client.readResource({ uri: "glm://models" });
    const doc = JSON.parse((r.contents[0] as { text: string }).text) as {
      policy: string;
      models: Record<string, unknown>[];
    };
    expect(doc.policy).toMatch(/never gates.*sent to GLM as given.*Only GLM's own answer \(1211/);
    const flash = doc.models.find((m) => m.name === "glm-5.3-flash");
    expect(flash).toMatchObject({ kind: "vision", thinking: "always", input: ["text", "image", "video"] });
    expect(String(flash!.source)).toContain("@z_ai/mcp-server 0.1.5");
    expect(doc.models.find((m) => m.name === "glm-5.3")).toMatchObject({ thinking: "always" });
  });
});
