// glm-mcp doctor, in-process against the fake: one cheap request, every setting shown, never the key.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DOCTOR_MODEL, doctor, runDoctorChecks } from "../../src/cli/doctor.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { testConfig } from "../helpers/mcp.js";

let fake: FakeGlm;
let tmp: string;
beforeAll(async () => {
  fake = await startFakeGlm();
  tmp = mkdtempSync(path.join(os.tmpdir(), "glm-doctor-"));
});
afterAll(async () => {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

const env = (extra: Record<string, string> = {}) => ({
  GLM_API_KEY: FAKE_API_KEY,
  GLM_BASE_URL: fake.baseUrl,
  GLM_MCP_OUTPUT_DIR: path.join(tmp, "out"),
  ...extra,
});

async function run(e: Record<string, string>, json = false) {
  let out = "";
  const code = await doctor(testConfig(e), (t) => (out += t), { json });
  return { code, out };
}

describe("glm-mcp doctor", () => {
  it("passes with a good key: one max_tokens=1 request to a free model, key source and length only", async () => {
    const { code, out } = await run(env());
    expect(code).toBe(0);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: "/api/paas/v4/chat/completions" });
    expect(fake.requests[0]!.body).toEqual({
      model: DOCTOR_MODEL,
      messages: [{ role: "user", content: "ping" }],
      max_tokens: 1,
      thinking: { type: "disabled" },
      stream: false,
    });
    expect(out).toContain(`set from GLM_API_KEY (${FAKE_API_KEY.length} characters)`);
    expect(out).toContain(`${fake.baseUrl} (GLM_BASE_URL / --base-url; overrides region cn)`);
    expect(out).toMatch(/Endpoint\s+http:\/\/127\.0\.0\.1:\d+\/api\/paas\/v4 \(GLM_BASE_URL/);
    expect(out).toContain(`${path.join(tmp, "out")} (private to you, writable)`);
    expect(out).toMatch(/Proxy\s+none/);
    expect(out).toContain("All checks passed.");
    expect(out).not.toContain(FAKE_API_KEY);
  });

  it("fails (exit 1) on a rejected key, says so, does not retry, and never prints the key", async () => {
    fake.fail({ kind: "status", status: 401, code: "1000" });
    const { code, out } = await run(env());
    expect(code).toBe(1);
    expect(fake.requests).toHaveLength(1);
    expect(out).toMatch(/\[FAIL\] GLM answers\s+glm-4\.7-flash did not answer: .*API key/);
    expect(out).not.toContain(FAKE_API_KEY);
  });

  it("fails without a key and skips the request", async () => {
    const { code, out } = await run({
      GLM_BASE_URL: fake.baseUrl,
      GLM_MCP_OUTPUT_DIR: path.join(tmp, "out"),
    });
    expect(code).toBe(1);
    expect(fake.requests).toHaveLength(0);
    expect(out).toMatch(/\[FAIL\] API key\s+not set: export GLM_API_KEY/);
    expect(out).toMatch(/\[skip\] GLM answers/);
  });

  it("reports an unreachable endpoint", async () => {
    const { code, out } = await run(env({ GLM_BASE_URL: "http://127.0.0.1:1/api/paas/v4" }));
    expect(code).toBe(1);
    expect(out).toMatch(/\[FAIL\] GLM answers\s+glm-4\.7-flash did not answer: /);
  });

  it("coding-plan endpoints are pinged with the configured model", async () => {
    const { code } = await run(
      env({ GLM_BASE_URL: fake.url + "/api/coding/paas/v4", GLM_CODING_PLAN: "1", GLM_MODEL: "glm-4.6" }),
    );
    expect(code).toBe(0);
    expect(fake.requests[0]!.path).toBe("/api/coding/paas/v4/chat/completions");
    expect(fake.requests[0]!.body.model).toBe("glm-4.6");
  });

  it("shows the proxy with its password masked, and NO_PROXY", async () => {
    const checks = await runDoctorChecks(
      testConfig(env({ HTTP_PROXY: "http://me:hunter22@127.0.0.1:1", NO_PROXY: "127.0.0.1" })),
    );
    const proxy = checks.find((c) => c.name === "Proxy")!;
    expect(proxy.detail).toContain("http://me:***@127.0.0.1:1");
    expect(proxy.detail).toContain("NO_PROXY 127.0.0.1");
    expect(proxy.detail).not.toContain("hunter22");
    // NO_PROXY lets the ping reach the fake directly.
    expect(checks.find((c) => c.name === "GLM answers")!.status).toBe("ok");
  });

  it("fails on an output dir that cannot be written, warns on a missing allowed dir", async () => {
    const file = path.join(tmp, "not-a-dir");
    writeFileSync(file, "x");
    const { code, out } = await run(
      env({
        GLM_MCP_OUTPUT_DIR: path.join(file, "sub"),
        GLM_MCP_ALLOW_DIRS: `${tmp},${path.join(tmp, "missing")}`,
      }),
    );
    expect(code).toBe(1);
    expect(out).toMatch(
      /\[FAIL\] Output dir\s+Could not create the output directory .*not-a-dir\/sub \(ENOTDIR\).*GLM_MCP_OUTPUT_DIR/,
    );
    expect(out).toMatch(/\[warn\] Allowed dirs\s+.*not found: .*missing/);
  });

  it("creates the output dir private (0700), as the tools do", async () => {
    const dir = path.join(tmp, "fresh", "out");
    const { code } = await run(env({ GLM_MCP_OUTPUT_DIR: dir }));
    expect(code).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("fails a world-writable output dir, which the tools would refuse, with the tools' sentence", async () => {
    const dir = path.join(tmp, "shared");
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const { code, out } = await run(env({ GLM_MCP_OUTPUT_DIR: dir }));
    expect(code).toBe(1);
    expect(out).toMatch(
      /\[FAIL\] Output dir\s+The output directory .*shared is writable by every user: .*chmod o-w/,
    );
  });

  it("shows the region's endpoint when nothing overrides it", async () => {
    const checks = await runDoctorChecks(
      testConfig({ GLM_REGION: "intl", GLM_MCP_OUTPUT_DIR: path.join(tmp, "out") }),
    );
    expect(checks.find((c) => c.name === "Endpoint")!.detail).toMatch(
      /^https:\/\/api\.z\.ai\/api\/paas\/v4 \(region intl\); realtime wss:\/\/api\.z\.ai\/api\/paas\/v4\/realtime; glm_reason → /,
    );
  });

  it("names the default models and the settings that change them", async () => {
    const checks = await runDoctorChecks(
      testConfig({
        GLM_MODEL: "glm-5.3",
        Z_AI_VISION_MODEL: "glm-5.3-flash",
        GLM_MCP_OUTPUT_DIR: path.join(tmp, "out"),
      }),
    );
    expect(checks.find((c) => c.name === "Models")!.detail).toMatch(
      /^glm_reason glm-5\.3 \(GLM_MODEL\), vision tools glm-5\.3-flash \(GLM_VISION_MODEL\)/,
    );
  });

  it("--json prints the checks as JSON", async () => {
    const { code, out } = await run(env(), true);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(doc.ok).toBe(true);
    expect(doc.checks.map((c) => c.name)).toEqual([
      "API key",
      "Endpoint",
      "Models",
      "Proxy",
      "GLM answers",
      "Output dir",
      "Allowed dirs",
      "State store",
    ]);
    expect(out).not.toContain(FAKE_API_KEY);
  });
});
