// Load over streamable HTTP (loopback only, bounded in count and time): the built CLI against the
// fake GLM with realistic latency. Every answer is checked against the call that asked for it;
// figures (added latency, memory per round) are printed, never asserted as timings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Agent } from "undici";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { limitConcurrency, type ConcurrencyLimit } from "../fake-glm/limits.js";
import { startHttpCli, type HttpChild } from "../helpers/cli.js";
import { availableKinds, percentile, rssBytes, type CallKind } from "./calls.js";

/** GLM's account limit in these tests, and the server's configured GLM_MCP_MAX_CONCURRENCY. */
const LIMIT = 16;
const BURST = 300;

let fake: FakeGlm;
let limit: ConcurrencyLimit;
let server: HttpChild;
let kinds: CallKind[];
const clients: Client[] = [];

/** "Realistic" upstream: 20–80 ms before the headers, 5 ms between stream chunks. */
function realisticLatency(f: FakeGlm): void {
  f.setLatency(() => 20 + Math.floor(Math.random() * 60));
  f.setChunkDelay(5);
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: "load", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  return client;
}

/** Runs `count` calls at once (mixed kinds, spread over `pool` clients); returns each call's ms. */
async function burst(
  pool: Client[],
  count: number,
  offset: number,
): Promise<{ ms: number[]; failures: string[] }> {
  const ms: number[] = [];
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const i = offset + n;
      const kind = kinds[i % kinds.length]!;
      const started = performance.now();
      try {
        const r = (await pool[i % pool.length]!.callTool({
          name: kind.tool,
          arguments: kind.args(i),
        })) as CallToolResult;
        kind.check(r, i);
        ms.push(performance.now() - started);
      } catch (e) {
        failures.push(String(e));
      }
    }),
  );
  return { ms, failures };
}

/** `workers` loops each making `perWorker` calls back to back; `call` gets the global call number. */
async function closedLoop(
  workers: number,
  perWorker: number,
  call: (i: number) => Promise<void>,
): Promise<number[]> {
  const ms: number[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let k = 0; k < perWorker; k++) {
        const started = performance.now();
        await call(w * perWorker + k);
        ms.push(performance.now() - started);
      }
    }),
  );
  return ms;
}

beforeAll(async () => {
  fake = await startFakeGlm();
  limit = await limitConcurrency(fake, LIMIT);
  server = await startHttpCli([], {
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: limit.baseUrl,
    GLM_MCP_MAX_CONCURRENCY: String(LIMIT),
    // Every call embeds new texts: with the cache on, the soak would watch the (bounded, 64 MB)
    // cache fill up rather than look for leaks.
    GLM_MCP_EMBED_CACHE_MB: "0",
  });
  const first = await connect(server.url);
  const { tools } = await first.listTools();
  kinds = await availableKinds(tools.map((t) => t.name));
  for (let k = 0; k < 3; k++) await connect(server.url);
}, 30_000);

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await server?.stop();
  await limit?.close();
  await fake?.close();
});

describe("HTTP load", () => {
  it(`answers ${BURST} concurrent mixed calls correctly and never has more than ${LIMIT} open toward GLM`, async () => {
    expect(kinds.map((k) => k.tool)).toContain("glm_reason");
    realisticLatency(fake);
    const before = { forwarded: limit.forwarded };
    const { ms, failures } = await burst(clients, BURST, 0);
    expect(failures).toEqual([]);
    expect(ms).toHaveLength(BURST);
    expect(limit.refused).toBe(0);
    expect(limit.peak).toBeLessThanOrEqual(LIMIT);
    // The limit was actually reached (the burst queued inside the server, not upstream).
    expect(limit.peak).toBe(LIMIT);
    expect(limit.forwarded - before.forwarded).toBeGreaterThanOrEqual(BURST);
    console.log(
      `[load] burst of ${BURST} calls (${kinds.map((k) => k.tool).join(", ")}): p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms end to end; peak ${limit.peak} open toward GLM (limit ${LIMIT})`,
    );
  }, 60_000);

  it("reports the latency a call adds over calling the fake directly, at the same concurrency", async () => {
    realisticLatency(fake);
    const workers = LIMIT;
    const perWorker = 12;
    const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
    const direct: Record<string, number[]> = {};
    const viaMcp: Record<string, number[]> = {};
    try {
      for (const kind of kinds) {
        direct[kind.tool] = await closedLoop(workers, perWorker, (i) =>
          kind.direct(fake.baseUrl, FAKE_API_KEY, 10_000 + i, dispatcher),
        );
        viaMcp[kind.tool] = await closedLoop(workers, perWorker, async (i) => {
          const r = (await clients[i % clients.length]!.callTool({
            name: kind.tool,
            arguments: kind.args(20_000 + i),
          })) as CallToolResult;
          kind.check(r, 20_000 + i);
        });
      }
    } finally {
      await dispatcher.close();
    }
    for (const kind of kinds) {
      const d = direct[kind.tool]!;
      const m = viaMcp[kind.tool]!;
      expect(m).toHaveLength(workers * perWorker);
      const p = (s: number[], q: number) => percentile(s, q).toFixed(1);
      console.log(
        `[load] ${kind.tool} x${m.length} at concurrency ${workers}: direct p50 ${p(d, 50)} / p99 ${p(d, 99)} ms; via MCP HTTP p50 ${p(m, 50)} / p99 ${p(m, 99)} ms; added p50 ${(percentile(m, 50) - percentile(d, 50)).toFixed(1)} ms, p99 ${(percentile(m, 99) - percentile(d, 99)).toFixed(1)} ms`,
      );
    }
    expect(limit.refused).toBe(0);
  }, 90_000);

  it("memory returns near its baseline across soak rounds", async () => {
    realisticLatency(fake);
    const pid = server.child.pid!;
    const rounds = 8;
    const roundMs = 3_500;
    const rss: number[] = [];
    let calls = 0;
    let offset = 100_000;
    for (let r = 0; r < rounds; r++) {
      const until = performance.now() + roundMs;
      const failures: string[] = [];
      // 32 agents calling back to back for the round (twice the GLM limit, so calls also queue).
      await Promise.all(
        Array.from({ length: 2 * LIMIT }, async (_, w) => {
          while (performance.now() < until) {
            const i = offset++;
            const kind = kinds[i % kinds.length]!;
            try {
              const res = (await clients[w % clients.length]!.callTool({
                name: kind.tool,
                arguments: kind.args(i),
              })) as CallToolResult;
              kind.check(res, i);
              calls++;
            } catch (e) {
              failures.push(String(e));
            }
          }
        }),
      );
      expect(failures).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const bytes = await rssBytes(pid);
      expect(bytes).toBeGreaterThan(0);
      rss.push(bytes!);
    }
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
    console.log(
      `[load] soak: ${calls} calls in ${rounds} rounds of ${roundMs / 1000} s; server RSS per round (MB): ${rss.map(mb).join(", ")}`,
    );
    // Round 1 warms up (JIT, pools, caches); later rounds must stay near it, not keep climbing.
    const baseline = rss[1]!;
    const last = rss[rss.length - 1]!;
    expect(last - baseline).toBeLessThan(64 * 1024 * 1024);
    expect(Math.max(...rss.slice(2)) - baseline).toBeLessThan(96 * 1024 * 1024);
    expect(limit.peak).toBeLessThanOrEqual(LIMIT);
    expect(limit.refused).toBe(0);
  }, 90_000);
});

describe("GLM concurrency limit hit", () => {
  it("calls queue and retry instead of failing when GLM answers 1302 for excess concurrency", async () => {
    const glmLimit = 3;
    const tight = await limitConcurrency(fake, glmLimit);
    // The server is configured for more than the account allows: GLM refuses the excess with 1302.
    const srv = await startHttpCli([], {
      GLM_API_KEY: FAKE_API_KEY,
      GLM_BASE_URL: tight.baseUrl,
      GLM_MCP_MAX_CONCURRENCY: "6",
      GLM_MAX_RETRIES: "8",
    });
    const client = new Client({ name: "load-1302", version: "1.0.0" });
    try {
      fake.setLatency(150);
      fake.setChunkDelay(5);
      await client.connect(new StreamableHTTPClientTransport(new URL(srv.url)));
      const { ms, failures } = await burst([client], 24, 500_000);
      expect(failures).toEqual([]);
      expect(ms).toHaveLength(24);
      expect(tight.refused).toBeGreaterThan(0); // the limit was really hit…
      expect(tight.peak).toBeLessThanOrEqual(6); // …and the server never sent more than configured
      console.log(
        `[load] GLM limit ${glmLimit}, server limit 6: 24 calls all answered; ${tight.refused} upstream 1302 refusals retried; p99 ${percentile(ms, 99).toFixed(0)} ms`,
      );
    } finally {
      await client.close().catch(() => {});
      await srv.stop();
      await tight.close();
    }
  }, 90_000);
});
