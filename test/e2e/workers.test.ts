// --workers N: one port, N worker processes, a dead worker replaced, every worker drained on SIGTERM.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { runCli, startHttpCli, type HttpChild } from "../helpers/cli.js";
import { startRedis, type RedisServer } from "../helpers/redis-server.js";
import { McpHttp, textOf } from "../replicas/mcp-http.js";
import { descendantsOf, isAlive } from "../setup/processes.js";

let fake: FakeGlm;
let redis: RedisServer;
beforeAll(async () => {
  fake = await startFakeGlm();
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  await fake?.close();
});

const env = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MCP_REDIS_URL: redis.url });
const workersOf = (server: HttpChild) => descendantsOf(server.child.pid!).map((p) => p.pid);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(50);
  }
}

describe("--workers", () => {
  it("refuses more than one worker without a shared store, in one line", async () => {
    const r = await runCli(["--http", "--workers", "2"], { GLM_API_KEY: FAKE_API_KEY });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--workers 2 needs a shared store: set GLM_MCP_REDIS_URL/);
    const stdio = await runCli(["--workers", "2"], {
      GLM_API_KEY: FAKE_API_KEY,
      GLM_MCP_REDIS_URL: redis.url,
    });
    expect(stdio.code).toBe(2);
    expect(stdio.stderr).toMatch(/--workers 2 needs --http/);
  });

  it("stops with code 1 when the workers cannot start, rather than restarting them forever", async () => {
    // A port someone else holds: every worker would fail the same way.
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const port = String((taken.address() as { port: number }).port);
    try {
      const r = await runCli(["--http", "--port", port, "--workers", "2"], env(), 30_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("EADDRINUSE");
      expect(r.stderr).toMatch(/worker \d+ exited while starting \(code 1\): stopping/);
      expect(r.stderr).not.toContain("starting another");
    } finally {
      taken.close();
    }
  });

  it("serves from N workers, replaces one that dies, and drains all on SIGTERM", async () => {
    const server = await startHttpCli(["--workers", "2"], env());
    try {
      await until(() => workersOf(server).length === 2);
      // One announcement, from the primary, once both workers listen: killing either then leaves
      // the other holding the port.
      expect(server.stderr()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/mcp with 2 workers/);
      expect(server.stderr().match(/listening on/g)).toHaveLength(1);
      const client = await McpHttp.open(server.url);
      const ok = await client.call("glm_reason", { prompt: "hello" });
      expect(ok.isError, textOf(ok)).toBeFalsy();

      const [victim] = workersOf(server);
      process.kill(victim!, "SIGKILL");
      await until(() => {
        const now = workersOf(server);
        return now.length === 2 && !now.includes(victim!);
      });
      expect(server.stderr()).toContain(`worker ${victim} exited (SIGKILL); starting another`);
      for (let i = 0; i < 4; i++) {
        const again = await client.call("glm_reason", { prompt: `after ${i}` });
        expect(again.isError, textOf(again)).toBeFalsy();
      }

      // A slow call in flight when SIGTERM arrives still gets its answer.
      fake.setLatency(1_500);
      const slow = client.call("glm_reason", { prompt: "slow" });
      await until(() => fake.openRequests === 1);
      const workers = workersOf(server);
      const code = server.stop("SIGTERM");
      const answer = await slow;
      expect(answer.isError, textOf(answer)).toBeFalsy();
      expect(await code).toBe(0);
      expect(workers.filter((pid) => isAlive(pid))).toEqual([]);
    } finally {
      fake.setLatency(0);
      await server.stop("SIGKILL");
    }
  });
});
