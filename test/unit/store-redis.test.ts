// The Redis store as replicas use it: two or three store instances on one real redis-server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { redisStore, type RedisStore } from "../../src/store/redis.js";
import { ConversationStore } from "../../src/state/conversations.js";
import { UsageTracker } from "../../src/state/usage.js";
import { startRedis, type RedisServer } from "../helpers/redis-server.js";

let redis: RedisServer;
let open: RedisStore[] = [];
let n = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});
afterAll(async () => redis.stop());

/** `count` replicas' stores sharing one prefix (one deployment). */
async function replicas(count: number, env: Record<string, string> = {}): Promise<RedisStore[]> {
  const config = loadConfig({
    GLM_MCP_REDIS_URL: redis.url,
    GLM_MCP_REDIS_PREFIX: `s${++n}`,
    GLM_MCP_MAX_CONCURRENCY: "3",
    GLM_MCP_LOG_LEVEL: "silent",
    ...env,
  });
  const stores = await Promise.all(
    Array.from({ length: count }, () => redisStore(config, createLogger("silent"))),
  );
  open.push(...stores);
  return stores;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(20);
  }
}

describe("shared concurrency budget", () => {
  it("never lets more than the limit hold slots across replicas, and serves every waiter", async () => {
    const stores = await replicas(3);
    let holding = 0;
    let peak = 0;
    const call = async (i: number) => {
      const gate = stores[i % 3]!.gate;
      await gate.run(async () => {
        holding++;
        peak = Math.max(peak, holding);
        await sleep(15);
        holding--;
      });
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => call(i)));
    expect(peak).toBe(3);
    expect(holding).toBe(0);
  });

  it("serves waiters first come, first served", async () => {
    const [a, b] = await replicas(2, { GLM_MCP_MAX_CONCURRENCY: "1" });
    await a!.gate.acquire();
    const order: string[] = [];
    const first = b!.gate.acquire().then(() => order.push("first"));
    await sleep(100); // first is queued in Redis before second arrives
    const second = a!.gate.acquire().then(() => order.push("second"));
    await sleep(100);
    a!.gate.release();
    await first;
    b!.gate.release();
    await second;
    a!.gate.release();
    expect(order).toEqual(["first", "second"]);
  });

  it("gives up a wait when the call is cancelled, without taking a slot", async () => {
    const [a, b] = await replicas(2, { GLM_MCP_MAX_CONCURRENCY: "1" });
    await a!.gate.acquire();
    const ac = new AbortController();
    const waiting = b!.gate.acquire(ac.signal);
    await sleep(50);
    ac.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
    a!.gate.release();
    // The abandoned waiter does not block the next one.
    await b!.gate.acquire();
    expect(b!.gate.inFlight).toBe(1);
    b!.gate.release();
  });

  it("frees the slots of a replica that stopped renewing (crashed) after the lease", async () => {
    const [crashed, alive] = await replicas(2, { GLM_MCP_MAX_CONCURRENCY: "2", GLM_MCP_LEASE_MS: "1000" });
    await crashed!.gate.acquire();
    await crashed!.gate.acquire();
    await crashed!.close(); // no release: its connection is gone, as in a crash
    const started = Date.now();
    await alive!.gate.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    alive!.gate.release();
  });

  it("keeps renewed leases past their first term", async () => {
    const [a, b] = await replicas(2, { GLM_MCP_MAX_CONCURRENCY: "1", GLM_MCP_LEASE_MS: "1000" });
    await a!.gate.acquire();
    const ac = new AbortController();
    const waiting = b!.gate.acquire(ac.signal).then(() => "got");
    const outcome = await Promise.race([waiting, sleep(2_500).then(() => "still waiting")]);
    expect(outcome).toBe("still waiting"); // 2.5 leases later the holder still holds
    ac.abort(new Error("stop"));
    await waiting.catch(() => {});
    a!.gate.release();
  });
});

describe("usage", () => {
  it("sums calls and tokens over replicas", async () => {
    const [a, b] = await replicas(2);
    const ua = new UsageTracker(a!.usage, true, a!.usage.local);
    const ub = new UsageTracker(b!.usage, true, b!.usage.local);
    ua.record("glm-4.7", { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    ub.record("glm-4.7", { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    ub.recordError("embedding-3");
    await until(async () => (await ua.snapshot()).models["embedding-3"]?.errors === 1);
    const snap = await ua.snapshot();
    expect(snap.scope).toBe("cluster");
    expect(snap.models["glm-4.7"]).toMatchObject({ calls: 2, prompt_tokens: 11, total_tokens: 18 });
  });
});

describe("cancellation fan-out", () => {
  it("reaches the replica running the call", async () => {
    const [a, b] = await replicas(2);
    const seen: string[] = [];
    b!.cancels.subscribe((caller, id) => seen.push(`${caller}:${id}`));
    await sleep(100); // subscription registered
    a!.cancels.publish("session-1", 7);
    await until(() => seen.length === 1);
    expect(seen).toEqual(["session-1:7"]);
  });
});

describe("Redis going away and coming back", () => {
  it("fails conversation reads with a clear error, keeps the gate working, and recovers without restart", async () => {
    const [a, b] = await replicas(2);
    const conv = new ConversationStore(a!.conversations, undefined, "the shared store");
    const id = await conv.save(undefined, "glm_reason", "glm-4.7", [{ role: "user", content: "hi" }]);
    const usage = new UsageTracker(b!.usage, true, b!.usage.local);
    usage.record("glm-4.7", { total_tokens: 4 });
    await redis.stop();
    try {
      await until(() => !a!.healthy && !b!.healthy);
      const t0 = Date.now();
      await expect(conv.resume(id, "glm_reason")).rejects.toThrow(
        /shared state store \(Redis at .*\) is unreachable .*omit conversation_id to start a new conversation/,
      );
      // The gate falls back to this process's budget: calls that need no state still run.
      await b!.gate.run(async () => {});
      const snap = await usage.snapshot();
      expect(snap.scope).toBe("process");
      expect(snap.note).toMatch(/unreachable/);
      expect(snap.models["glm-4.7"]?.total_tokens).toBe(4);
      expect(Date.now() - t0).toBeLessThan(5_000); // nothing waited on the dead Redis
    } finally {
      await redis.start();
    }
    await until(() => a!.healthy && b!.healthy, 15_000);
    const again = await conv.save(undefined, "glm_reason", "glm-4.7", [{ role: "user", content: "back" }]);
    const other = new ConversationStore(b!.conversations);
    expect((await other.get(again, "glm_reason"))?.messages).toHaveLength(1);
    await b!.gate.run(async () => {});
  });
});
