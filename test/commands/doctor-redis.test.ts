// glm-mcp doctor with a configured Redis: one PING against a real redis-server. Needs the binary:
// runs in npm run test:replicas (vitest.replicas.config.ts).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDoctorChecks } from "../../src/cli/doctor.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { testConfig } from "../helpers/mcp.js";
import { startRedis } from "../helpers/redis-server.js";

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

describe("glm-mcp doctor with Redis", () => {
  it("checks a configured Redis with one PING, and says when it cannot be reached", async () => {
    const redis = await startRedis();
    try {
      const up = await runDoctorChecks(testConfig({ ...env(), GLM_MCP_REDIS_URL: redis.url }));
      expect(up.find((c) => c.name === "State store")).toEqual({
        name: "State store",
        status: "ok",
        detail: `Redis at ${redis.url}, reachable`,
      });
    } finally {
      await redis.stop();
    }
    const down = await runDoctorChecks(
      testConfig({ ...env(), GLM_MCP_REDIS_URL: `redis://:s3cret-pass@127.0.0.1:${redis.port}` }),
    );
    const store = down.find((c) => c.name === "State store")!;
    expect(store.status).toBe("fail");
    expect(store.detail).toMatch(
      /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ is unreachable \(.+\): start it/,
    );
    expect(store.detail).not.toContain("s3cret-pass");
  });
});
