// Two replicas behind a real nginx, sharing a real Redis (test/replicas/cluster.ts): what a team
// deployment promises. Needs redis-server and nginx (.ci/run installs them); without them this
// suite fails with the reason, it never skips.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startCluster, type Cluster } from "./cluster.js";
import { McpHttp, textOf } from "./mcp-http.js";

let cluster: Cluster;
let lb: McpHttp;
const BUDGET = 3;

beforeAll(async () => {
  cluster = await startCluster({ replicas: 2, maxConcurrency: BUDGET });
  lb = await McpHttp.open(cluster.url);
}, 60_000);
afterAll(async () => cluster?.stop(), 30_000);
beforeEach(() => cluster.fake.reset());

const direct = (i: number) => lb.at(cluster.replicas[i]!.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
  what = "condition",
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await sleep(25);
  }
}
/** Whether every replica's /healthz reports the store so. */
async function everyStoreIs(state: string): Promise<boolean> {
  const all = await Promise.all(
    cluster.replicas.map((r) => fetch(r.url.replace("/mcp", "/healthz")).then((x) => x.json())),
  );
  return all.every((h) => (h as { store: string }).store === state);
}
const chatBodies = () =>
  cluster.fake.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => r.body);

describe("a team deployment: 2 replicas, nginx, Redis", () => {
  it("balances across both replicas", async () => {
    const pids = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const r = await fetch(cluster.url.replace("/mcp", "/healthz"));
      expect(await r.json()).toMatchObject({ status: "ok", store: "redis" });
    }
    for (const r of cluster.replicas) pids.add(r.child.pid!);
    expect(pids.size).toBe(2);
    const answer = await lb.call("glm_reason", { prompt: "hello" });
    expect(answer.isError).toBeFalsy();
  });

  it("continues a conversation on another replica than the one that started it", async () => {
    const first = await direct(0).call("glm_reason", { prompt: "Remember the word PELICAN." });
    const id = first.structuredContent?.conversation_id as string;
    expect(id).toMatch(/[0-9a-f-]{36}/);
    const second = await direct(1).call("glm_reason", { prompt: "Which word?", conversation_id: id });
    expect(second.isError, textOf(second)).toBeFalsy();
    const sent = chatBodies().at(-1) as { messages: { role: string; content: string }[] };
    expect(sent.messages.map((m) => m.content)).toContain("Remember the word PELICAN.");
    // And through the balancer, turn after turn, whichever replica answers.
    for (let turn = 0; turn < 4; turn++) {
      const next = await lb.call("glm_reason", { prompt: `turn ${turn}`, conversation_id: id });
      expect(next.isError, textOf(next)).toBeFalsy();
    }
    const last = chatBodies().at(-1) as { messages: unknown[] };
    expect(last.messages.length).toBeGreaterThanOrEqual(11); // 6 user turns and 5 answers
  });

  it("keeps the cluster within one GLM concurrency budget under load", async () => {
    cluster.fake.setLatency(150);
    const peakBefore = cluster.limit.peak;
    expect(peakBefore).toBeLessThanOrEqual(BUDGET);
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => lb.call("glm_reason", { prompt: `load ${i}` })),
    );
    expect(results.filter((r) => r.isError).map(textOf)).toEqual([]);
    expect(cluster.limit.refused).toBe(0);
    // Two replicas with a per-process budget would have sent up to 2 × 3 at once.
    expect(cluster.limit.peak).toBe(BUDGET);
  });

  it("cancels a call on the replica running it when the cancel reaches the other one", async () => {
    cluster.fake.fail({ kind: "hang" }, { path: "/chat/completions" });
    const caller = direct(0);
    const id = caller.nextId();
    const call = caller.call("glm_reason", { prompt: "never answered" }, id).catch((e: Error) => e);
    await until(() => cluster.fake.openRequests === 1, 10_000, "the call reaching GLM");
    expect(await direct(1).cancel(id)).toBe(202);
    await until(() => cluster.fake.openRequests === 0, 10_000, "the upstream request aborted");
    expect(cluster.fake.requests.at(-1)!.aborted).toBe(true);
    await Promise.race([call, sleep(100)]); // a cancelled request gets no answer (MCP)
  });

  it("cancels through the balancer wherever the call runs", async () => {
    cluster.fake.fail({ kind: "hang" }, { path: "/chat/completions", times: 2 });
    for (let round = 0; round < 2; round++) {
      const id = lb.nextId();
      const call = lb.call("glm_reason", { prompt: `hang ${round}` }, id).catch((e: Error) => e);
      await until(() => cluster.fake.openRequests === 1, 10_000, "the call reaching GLM");
      expect(await lb.cancel(id)).toBe(202);
      await until(() => cluster.fake.openRequests === 0, 10_000, "the upstream request aborted");
      await Promise.race([call, sleep(100)]); // a cancelled request gets no answer (MCP)
    }
  });

  it("shows usage summed over every replica from any of them", async () => {
    const before = (await direct(0).usage()).totals.calls;
    await direct(0).call("glm_reason", { prompt: "a" });
    await direct(1).call("glm_reason", { prompt: "b" });
    await direct(1).call("embed_text", { texts: ["c", "d"] });
    await until(async () => (await direct(0).usage()).totals.calls === before + 3, 5_000, "usage to add up");
    const [u0, u1] = [await direct(0).usage(), await direct(1).usage()];
    expect(u0.scope).toBe("cluster");
    expect(u1.totals.calls).toBe(u0.totals.calls);
  });

  it("names the replica-local path when an output file lives on another replica's disk", async () => {
    const made = await direct(0).call("embed_text", { texts: ["a file on replica 0"] });
    const link = made.content.find((c) => c.type === "resource_link") as { uri?: string } | undefined;
    expect(link?.uri).toMatch(/^glm:\/\/output\//);
    const own = await direct(0).request("resources/read", { uri: link!.uri });
    expect(JSON.stringify(own)).toContain(link!.uri!);
    // Each replica here has its own temporary output directory, as replicas without a shared volume do.
    await expect(direct(1).request("resources/read", { uri: link!.uri })).rejects.toThrow(
      /no file \/.+ on this replica \(.+, pid \d+\): .*unless GLM_MCP_OUTPUT_DIR is a volume every replica shares/,
    );
  });

  it("keeps serving without Redis, says what needs it, and recovers when it returns", async () => {
    const kept = await lb.call("glm_reason", { prompt: "before the outage" });
    const id = kept.structuredContent?.conversation_id as string;
    await cluster.redis.stop();
    try {
      await until(() => everyStoreIs("redis unreachable"), 10_000, "replicas noticing Redis is gone");
      const t0 = Date.now();
      const plain = await lb.call("glm_reason", { prompt: "no state needed" });
      expect(plain.isError, textOf(plain)).toBeFalsy();
      expect(textOf(plain)).toMatch(/could not be kept for a follow-up/);
      const embed = await lb.call("embed_text", { texts: ["still works"] });
      expect(embed.isError, textOf(embed)).toBeFalsy();
      const follow = await lb.call("glm_reason", { prompt: "continue", conversation_id: id });
      expect(follow.isError).toBe(true);
      expect(textOf(follow)).toMatch(
        /shared state store \(Redis at redis:\/\/127\.0\.0\.1:\d+\) is unreachable/,
      );
      expect(Date.now() - t0).toBeLessThan(15_000); // nothing waited for the dead Redis
    } finally {
      await cluster.redis.start();
    }
    await until(() => everyStoreIs("redis"), 15_000, "replicas reconnecting to Redis");
    const fresh = await direct(0).call("glm_reason", { prompt: "after the outage" });
    const again = await direct(1).call("glm_reason", {
      prompt: "continued",
      conversation_id: fresh.structuredContent?.conversation_id,
    });
    expect(again.isError, textOf(again)).toBeFalsy();
  });
});
