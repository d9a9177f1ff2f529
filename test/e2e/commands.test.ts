// `glm-mcp doctor` and `glm-mcp call` as a shell script or CI job runs them: the built CLI, clean env.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { runCli } from "../helpers/cli.js";

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const withFake = (extra: Record<string, string> = {}) => ({
  GLM_API_KEY: FAKE_API_KEY,
  GLM_BASE_URL: fake.baseUrl,
  ...extra,
});

describe("glm-mcp doctor (CLI)", () => {
  it("exit 0 with a working setup; mcpb's literal ${user_config.x} placeholders count as unset", async () => {
    const r = await runCli(
      ["doctor"],
      withFake({
        GLM_REGION: "${user_config.region}",
        GLM_MCP_OUTPUT_DIR: "${user_config.output_dir}",
        GLM_CODING_PLAN: "${user_config.coding_plan}",
      }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("region cn");
    expect(r.stdout).toMatch(/Output dir\s+\S*glm-mcp \(private to you, writable\)/);
    expect(r.stdout).not.toContain("${user_config");
    expect(r.stdout + r.stderr).not.toContain(FAKE_API_KEY);
    expect(fake.requests).toHaveLength(1);
  });

  it("exit 1 without a key", async () => {
    const r = await runCli(["doctor"], { GLM_BASE_URL: fake.baseUrl });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[FAIL\] API key/);
  });

  it("exit 1 on a malformed setting, with the setting named", async () => {
    const r = await runCli(["doctor"], withFake({ GLM_REGION: "mars" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("GLM_REGION");
  });
});

describe("glm-mcp call (CLI)", () => {
  it("prints the answer on stdout, exit 0", async () => {
    const r = await runCli(
      ["call", "glm_reason", "--args", '{"prompt":"shell says hi","thinking":false}'],
      withFake(),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toContain("shell says hi");
    expect(fake.requests[0]!.body.thinking).toEqual({ type: "disabled" });
  });

  it("--json prints structuredContent", async () => {
    const r = await runCli(["call", "glm_reason", "--args", '{"prompt":"as json"}', "--json"], withFake());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      model: "glm-4.7",
      answer: expect.stringContaining("as json"),
      finish_reason: "stop",
    });
  });

  it("exit 1 on an error result, bad JSON, a missing tool name or an unknown tool", async () => {
    fake.fail({ kind: "status", status: 401, code: "1000" });
    const denied = await runCli(["call", "glm_reason", "--args", '{"prompt":"x"}'], withFake());
    expect(denied.code).toBe(1);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toMatch(/glm_reason failed: .*API key/);
    expect(denied.stderr).not.toContain(FAKE_API_KEY);
    const bad = await runCli(["call", "glm_reason", "--args", "{nope"], withFake());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--args is not valid JSON");
    expect((await runCli(["call"], withFake())).code).toBe(1);
    const unknown = await runCli(["call", "nope"], withFake());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown tool "nope"');
  });

  it("--help documents both commands", async () => {
    const h = await runCli(["--help"]);
    expect(h.stdout).toContain("glm-mcp doctor");
    expect(h.stdout).toContain("glm-mcp call <tool> --args '<json>' [--json]");
  });
});
