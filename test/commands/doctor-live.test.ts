// glm-mcp doctor --live, in-process against the fake GLM (HTTP) and the fake realtime server: one
// minimal request per capability, and a table that names what is wrong and how to fix it.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { doctor } from "../../src/cli/doctor.js";
import { parseCli } from "../../src/cli/args.js";
import { runLiveChecks, type LiveCheck } from "../../src/cli/doctor-live.js";
import { FAKE_API_KEY, startFakeGlm, startFakeRealtime, type FakeGlm } from "../fake-glm/index.js";
import { testConfig } from "../helpers/mcp.js";

let fake: FakeGlm;
let realtime: Awaited<ReturnType<typeof startFakeRealtime>>;
let tmp: string;
beforeAll(async () => {
  [fake, realtime] = await Promise.all([startFakeGlm(), startFakeRealtime()]);
  tmp = mkdtempSync(path.join(os.tmpdir(), "glm-doctor-live-"));
});
afterAll(async () => {
  await Promise.all([fake.close(), realtime.close()]);
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  realtime.reset();
});

const env = (extra: Record<string, string> = {}) => ({
  GLM_API_KEY: FAKE_API_KEY,
  GLM_BASE_URL: fake.baseUrl,
  GLM_REALTIME_URL: realtime.url,
  GLM_MCP_OUTPUT_DIR: path.join(tmp, "out"),
  ...extra,
});
const live = (e = env(), all = false) => runLiveChecks(testConfig(e), { all });
const row = (checks: LiveCheck[], tool: string) => checks.find((c) => c.tools.split(", ").includes(tool))!;

describe("glm-mcp doctor --live", () => {
  it("parses --live and --all", () => {
    expect(parseCli(["doctor", "--live", "--all"])).toMatchObject({
      command: "doctor",
      live: true,
      all: true,
    });
    expect(parseCli(["doctor"])).toMatchObject({ live: false, all: false });
  });

  it("works end to end: one minimal, spec-valid request per capability and the realtime handshake", async () => {
    const checks = await live();
    expect(checks.map((c) => [c.tools.split(", ")[0], c.status])).toEqual([
      ["glm_reason", "works"],
      ["vision_analyze", "works"],
      ["embed_text", "works"],
      ["realtime_chat", "works"],
      ["image_generate", "works"],
      ["voice_reply", "skipped"],
      ["web_search", "skipped"],
      ["audio_transcribe", "skipped"],
    ]);
    const bodies = fake.requests.map((r) => [r.path, r.body]);
    expect(bodies).toEqual([
      [
        "/api/paas/v4/chat/completions",
        {
          model: "glm-4.7-flash",
          messages: [{ role: "user", content: "ping" }],
          thinking: { type: "disabled" },
          max_tokens: 1,
          stream: false,
        },
      ],
      ["/api/paas/v4/chat/completions", expect.objectContaining({ model: "glm-4.6v-flash", max_tokens: 1 })],
      ["/api/paas/v4/embeddings", { model: "embedding-3", input: ["ping"], dimensions: 256 }],
      [
        "/api/paas/v4/images/generations",
        { model: "cogview-3-flash", prompt: "a blue dot", size: "512x512", quality: "standard" },
      ],
    ]);
    const image = (fake.requests[1]!.body as any).messages[0].content[0].image_url.url as string;
    expect(Buffer.from(image, "base64").subarray(1, 4).toString()).toBe("PNG");
    expect(realtime.connections).toHaveLength(1);
    expect(realtime.connections[0]!.events).toEqual([]); // no client event: nothing billed
    expect(realtime.connections[0]!.sent[0]).toBe("session.created");
    expect(row(checks, "voice_reply").detail).toMatch(/paid; run `glm-mcp doctor --live --all`/);
    expect(row(checks, "web_read").detail).toMatch(/billed per call; run `glm-mcp doctor --live --all`/);
  });

  it("--all also asks glm-4-voice, with a small max_tokens", async () => {
    const checks = await live(env(), true);
    expect(row(checks, "voice_reply").status).toBe("works");
    expect(
      fake.requests.find((r) => r.path.endsWith("/chat/completions") && r.body.model === "glm-4-voice")!.body,
    ).toMatchObject({ model: "glm-4-voice", max_tokens: 16 });
    expect(row(checks, "web_search").status).toBe("works");
    expect(row(checks, "web_read").status).toBe("works");
    expect(fake.requests.filter((r) => r.path === "/api/paas/v4/web_search").map((r) => r.body)).toEqual([
      { search_query: "ping", search_engine: "search_std", search_intent: false, count: 1 },
    ]);
    expect(fake.requests.filter((r) => r.path === "/api/paas/v4/reader")).toHaveLength(1);
    expect(row(checks, "audio_transcribe").status).toBe("works");
    expect(fake.requests.find((r) => r.path === "/api/paas/v4/audio/transcriptions")!.body).toEqual({
      model: "glm-asr-2512",
      stream: false,
      file: "silence.wav",
    });
  });

  it("names no balance (1113), wrong region (401) and not in your plan (1211), each with its fix", async () => {
    fake.fail({ kind: "status", status: 429, code: "1113" }, { path: "/chat/completions" });
    fake.fail({ kind: "status", status: 400, code: "1211" }, { path: "/chat/completions" });
    fake.fail({ kind: "status", status: 401, code: "1000" }, { path: "/embeddings" });
    const checks = await live();
    expect(row(checks, "glm_reason")).toMatchObject({ status: "no balance" });
    expect(row(checks, "glm_reason").detail).toMatch(/^Top up the account .*code 1113/);
    expect(row(checks, "vision_analyze")).toMatchObject({ status: "not in your plan" });
    expect(row(checks, "vision_analyze").detail).toMatch(
      /cannot use the model on open\.bigmodel\.cn .*GLM_REGION/,
    );
    expect(row(checks, "embed_text")).toMatchObject({ status: "wrong region" });
    expect(row(checks, "embed_text").detail).toMatch(/z\.ai needs GLM_REGION=intl/);
    expect(row(checks, "realtime_chat").status).toBe("works");
  });

  it("reports an unreachable base URL and a refused realtime handshake as unreachable, exit 1, no key", async () => {
    const dead = "http://127.0.0.1:9/api/paas/v4"; // port 9 (discard): nothing listens
    const e = env({ GLM_BASE_URL: dead, GLM_REALTIME_URL: "ws://127.0.0.1:9/api/paas/v4/realtime" });
    const checks = await live(e);
    for (const tool of ["glm_reason", "vision_analyze", "embed_text", "realtime_chat", "image_generate"]) {
      expect(row(checks, tool).status, tool).toBe("unreachable");
      expect(row(checks, tool).detail).toMatch(/^Could not reach GLM: check the network, HTTPS_PROXY/);
    }
    let out = "";
    const code = await doctor(testConfig(e), (t) => (out += t), { live: true });
    expect(code).toBe(1);
    expect(out).toMatch(/embed_text\s+→ http:\/\/127\.0\.0\.1:9\/api\/paas\/v4\n\s+unreachable/);
    expect(out).not.toContain(FAKE_API_KEY);
  });

  it("a wrong key on the realtime handshake is not reported as working", async () => {
    const checks = await live(env({ GLM_API_KEY: "wrong-key-0000000000000000" }));
    expect(checks.filter((c) => c.status === "works")).toEqual([]);
    expect(row(checks, "glm_reason").status).toBe("wrong region");
    expect(row(checks, "realtime_chat").status).toBe("unreachable"); // a WebSocket shows no status
    expect(realtime.rejectedHandshakes.length).toBeGreaterThan(0);
    expect(realtime.rejectedHandshakes.every((h) => h.status === 401)).toBe(true);
  });

  it("doctor --live --json carries the table; a healthy setup exits 0", async () => {
    let out = "";
    const code = await doctor(testConfig(env()), (t) => (out += t), { live: true, json: true });
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { ok: boolean; live: LiveCheck[] };
    expect(parsed.ok).toBe(true);
    expect(parsed.live.map((c) => c.status)).toEqual([
      "works",
      "works",
      "works",
      "works",
      "works",
      "skipped",
      "skipped",
      "skipped",
    ]);
  });
});
