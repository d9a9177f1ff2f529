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
const chats = () => cluster.fake.requests.filter((r) => r.path.endsWith("/chat/completions"));
const chatBodies = () => chats().map((r) => r.body);

describe("a team deployment: 2 replicas, nginx, Redis", () => {
  it("balances calls across both replicas and serves /healthz through nginx", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await fetch(cluster.url.replace("/mcp", "/healthz"));
      expect(await r.json()).toMatchObject({ status: "ok", store: "redis" });
    }
    for (let i = 0; i < 4; i++) {
      const answer = await lb.call("glm_reason", { prompt: `hello ${i}` });
      expect(answer.isError, textOf(answer)).toBeFalsy();
    }
    // Round-robin over one nginx worker: both replicas sent calls upstream.
    expect(new Set(chats().map(cluster.replicaOf))).toEqual(new Set(["r0", "r1"]));
  });

  it("continues a conversation on another replica than the one that started it", async () => {
    const first = await direct(0).call("glm_reason", { prompt: "Remember the word PELICAN." });
    const id = first.structuredContent?.conversation_id as string;
    expect(id).toMatch(/[0-9a-f-]{36}/);
    const second = await direct(1).call("glm_reason", { prompt: "Which word?", conversation_id: id });
    expect(second.isError, textOf(second)).toBeFalsy();
    const sent = chatBodies().at(-1) as { messages: { role: string; content: string }[] };
    expect(sent.messages.map((m) => m.content)).toContain("Remember the word PELICAN.");
    expect(chats().map(cluster.replicaOf)).toEqual(["r0", "r1"]);
    // And through the balancer, turn after turn, whichever replica answers.
    for (let turn = 0; turn < 4; turn++) {
      const next = await lb.call("glm_reason", { prompt: `turn ${turn}`, conversation_id: id });
      expect(next.isError, textOf(next)).toBeFalsy();
    }
    const last = chatBodies().at(-1) as { messages: unknown[] };
    expect(last.messages.length).toBeGreaterThanOrEqual(11); // 6 user turns and 5 answers
    expect(new Set(chats().slice(2).map(cluster.replicaOf))).toEqual(new Set(["r0", "r1"]));
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
    expect(new Set(chats().map(cluster.replicaOf))).toEqual(new Set(["r0", "r1"]));
  });

  /**
   * Starts a call GLM would answer in about 3 s (a slow stream), cancels it once it is upstream, and
   * checks the upstream request was aborted and no result came back where GLM's answer would have.
   */
  async function cancelled(caller: McpHttp, canceller: McpHttp, expectReplica?: string) {
    cluster.fake.fail({ kind: "slow", chunkDelayMs: 1_000 }, { path: "/chat/completions" });
    const id = caller.nextId();
    const post = new AbortController();
    const call = caller
      .call("glm_reason", { prompt: "a long answer" }, id, post.signal)
      .then((answer) => ({ delivered: answer }))
      .catch(() => "no answer");
    try {
      await until(() => cluster.fake.openRequests === 1, 10_000, "the call reaching GLM");
      const upstream = chats().at(-1)!;
      if (expectReplica) expect(cluster.replicaOf(upstream)).toBe(expectReplica);
      expect(await canceller.cancel(id)).toBe(202);
      await until(() => cluster.fake.openRequests === 0, 10_000, "the upstream request aborted");
      expect(upstream.aborted).toBe(true);
      // A cancelled request gets no answer (MCP): its POST ends empty at once instead of staying open
      // (the slow stream would have answered ~3 s after it began).
      expect(await Promise.race([call, sleep(4_000).then(() => "still open")])).toBe("no answer");
    } finally {
      post.abort();
      await call;
    }
  }

  it("cancels a call on the replica running it when the cancel reaches the other one", async () => {
    await cancelled(direct(0), direct(1), "r0");
  });

  it("cancels through the balancer wherever the call runs", async () => {
    // Round-robin over one nginx worker: a call and its cancel land on different replicas. One
    // /healthz between the rounds shifts the turn, so the second call runs on the other replica.
    await cancelled(lb, lb);
    await fetch(cluster.url.replace("/mcp", "/healthz")).then((r) => r.text());
    await cancelled(lb, lb);
    expect(new Set(chats().map(cluster.replicaOf))).toEqual(new Set(["r0", "r1"]));
  });

  it("streams progress through the balancer as it happens (nginx does not buffer SSE)", async () => {
    cluster.fake.setChunkDelay(400);
    cluster.fake.answer({
      reasoning_content: "step one. step two. step three. ".repeat(8),
      content: "Done.",
    });
    const res = await lb.post({
      jsonrpc: "2.0",
      id: lb.nextId(),
      method: "tools/call",
      params: { name: "glm_reason", arguments: { prompt: "think slowly" }, _meta: { progressToken: "p1" } },
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const seen: { at: number; kind: string }[] = [];
    const started = Date.now();
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const bytes of res.body!) {
      buffered += decoder.decode(bytes as Uint8Array, { stream: true });
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.startsWith("data: ")) continue;
        const m = JSON.parse(line.slice(6)) as { method?: string; result?: unknown };
        seen.push({ at: Date.now() - started, kind: m.method ?? (m.result ? "result" : "other") });
      }
    }
    const progress = seen.filter((e) => e.kind === "notifications/progress");
    const result = seen.find((e) => e.kind === "result");
    expect(progress.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
    expect(result, JSON.stringify(seen)).toBeDefined();
    // Held by the balancer (e.g. gzip on buffered responses: tried, it fails here), every event would
    // arrive with the result at the end. The SDK also sends X-Accel-Buffering: no on SSE answers.
    expect(result!.at - progress[0]!.at, JSON.stringify(seen)).toBeGreaterThan(1_000);
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
