// --workers N: one port, N worker processes, a dead worker replaced, every worker drained on SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { runCli, startHttpCli, type HttpChild } from "../helpers/cli.js";
import { startRedis, type RedisServer } from "../helpers/redis-server.js";
import { McpHttp, textOf } from "../replicas/mcp-http.js";
import { descendantsOf } from "../setup/processes.js";

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

  it("serves from N workers, replaces one that dies, and drains all on SIGTERM", async () => {
    const server = await startHttpCli(["--workers", "2"], env());
    try {
      await until(() => workersOf(server).length === 2);
      await until(() => /listening on http:\/\/127\.0\.0\.1:\d+\/mcp with 2 workers/.test(server.stderr()));
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
      expect(workers.filter((pid) => alive(pid))).toEqual([]);
    } finally {
      fake.setLatency(0);
      await server.stop("SIGKILL");
    }
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
