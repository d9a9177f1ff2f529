// embed_text's rerank stage against the fake GLM: the best cosine candidates go to POST /rerank in
// one spec-valid request, the ranking follows relevance_score with both scores kept, the candidate
// count follows top_k, bad arguments cost nothing, and a rerank failure keeps the cosine ranking.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { cosine } from "../../src/embeddings/rank.js";
import {
  checkAgainstSpec,
  embedText,
  FAKE_API_KEY,
  rerankResponse,
  startFakeGlm,
  type FakeGlm,
} from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MAX_RETRIES: "0" });
});
afterEach(() => s.close());
// Wire audit: every body this file sent to /rerank passes the vendored spec's RerankRequest.
afterEach(() => {
  for (const r of rerankRequests()) expect(() => checkAgainstSpec("rerank", r.body)).not.toThrow();
});

const call = (args: Record<string, unknown>) =>
  s.client.callTool({ name: "embed_text", arguments: args }) as Promise<CallToolResult>;
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;
const rerankRequests = () => fake.requests.filter((r) => r.path === "/api/paas/v4/rerank");
const paths = () => fake.requests.map((r) => r.path.replace("/api/paas/v4", ""));

const docs = [
  "Sourdough starter care: feed flour and water daily.",
  "How to bake sourdough bread at home in a hot oven, step by step.",
  "Kubernetes schedules containers onto nodes.",
  "Bread, bread, bread: a bakery's price list for rye and wheat loaves.",
  "The quarterly report shows revenue growth.",
  "Bake the sourdough bread loaf for 40 minutes.",
];
const query = "how to bake sourdough bread";
const texts = (n: number) => Array.from({ length: n }, (_, i) => `note ${i} about bread number ${i % 7}`);

/** The cosine order embed_text computes from the fake's vectors (ties by index). */
function cosineOrder(items: string[], q: string, dims = 2048) {
  const qv = Float32Array.from(embedText(q, dims));
  return items
    .map((d, index) => ({ index, score: cosine(qv, Float32Array.from(embedText(d, dims))) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
}

describe("embed_text rerank", () => {
  it("sends the cosine candidates to /rerank once and orders the top_k by relevance_score", async () => {
    const r = await call({ texts: docs, query, top_k: 3, rerank: true });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(paths()).toEqual(["/embeddings", "/rerank"]);
    const cos = cosineOrder(docs, query);
    const body = rerankRequests()[0]!.body;
    // All 6 texts are candidates (30 minimum), in cosine order; nothing else is sent.
    expect(body).toEqual({
      model: "rerank",
      query,
      documents: cos.map((c) => docs[c.index]),
      top_n: 0,
      return_documents: false,
    });
    const glm = rerankResponse(structuredClone(body)) as {
      results: { index: number; relevance_score: number }[];
    };
    const want = glm.results.slice(0, 3).map((x) => ({
      index: cos[x.index]!.index,
      rerank_score: Math.round(x.relevance_score * 1e4) / 1e4,
      score: Math.round(cos[x.index]!.score * 1e4) / 1e4,
    }));
    const out = sc(r);
    expect(
      out.ranking.map(({ index, score, rerank_score }: any) => ({ index, rerank_score, score })),
    ).toEqual(want);
    expect(out.ranking[0].snippet).toBe(docs[want[0]!.index]);
    expect(out.rerank).toMatchObject({
      model: "rerank",
      candidates: 6,
      usage: { total_tokens: expect.any(Number) },
    });
    expect(out.rerank.usage.total_tokens).toBeGreaterThan(0);
    expect(textOf(r)).toMatch(/Top 3 of 6 cosine candidates, reranked by rerank/);
    // The rerank order really differs from the cosine order here, so the stage is visible.
    expect(want.map((w) => w.index)).not.toEqual(cos.slice(0, 3).map((c) => c.index));
  });

  it("sends 3 × top_k candidates, at least 30, at most 128", async () => {
    for (const [n, topK, expected] of [
      [40, 5, 30],
      [40, 12, 36],
      [20, 10, 20],
      [200, 60, 128],
    ] as const) {
      fake.reset();
      const r = await call({
        texts: texts(n),
        query: "bread number 3",
        top_k: topK,
        rerank: true,
        dimensions: 256,
      });
      expect(r.isError, textOf(r)).toBeFalsy();
      const docsSent = rerankRequests()[0]!.body.documents as string[];
      expect(docsSent).toHaveLength(expected);
      expect(sc(r).ranking).toHaveLength(Math.min(topK, n));
      expect(sc(r).rerank.candidates).toBe(expected);
    }
  });

  it("cuts texts over 4096 characters for the rerank request only", async () => {
    const long = "bread ".repeat(1000); // 6000 characters
    const r = await call({
      texts: [long, "bake bread"],
      query: "bread",
      rerank: true,
      dimensions: 256,
      truncate: true,
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const sent = rerankRequests()[0]!.body.documents as string[];
    expect(sent.map((d) => d.length).sort((a, b) => a - b)).toEqual([10, 4096]);
  });

  it("refuses rerank without a query, or with a query over 4096 characters, before any request", async () => {
    const noQuery = await call({ texts: docs, rerank: true });
    expect(noQuery.isError).toBe(true);
    expect(textOf(noQuery)).toMatch(/^rerank: true needs a query: pass query/);
    const longQuery = await call({ texts: docs, query: "q".repeat(4097), rerank: true });
    expect(longQuery.isError).toBe(true);
    expect(textOf(longQuery)).toMatch(/The query is 4097 characters, over the 4096 GLM's rerank takes/);
    expect(fake.requests).toHaveLength(0);
  });

  it("keeps the cosine ranking with a note when rerank fails", async () => {
    fake.fail({ kind: "status", status: 500 }, { path: "/rerank" });
    const r = await call({ texts: docs, query, top_k: 3, rerank: true });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(paths()).toEqual(["/embeddings", "/rerank"]);
    const cos = cosineOrder(docs, query).slice(0, 3);
    const out = sc(r);
    expect(out.ranking.map((x: any) => x.index)).toEqual(cos.map((c) => c.index));
    expect(out.ranking.every((x: any) => x.rerank_score === undefined)).toBe(true);
    expect(out.rerank).toMatchObject({
      model: "rerank",
      candidates: 6,
      error: expect.stringMatching(/HTTP 500/),
    });
    expect(textOf(r)).toMatch(/Rerank failed, so this ranking is by cosine similarity only: .*HTTP 500/);
  });

  it("without rerank sends no /rerank request and no rerank fields", async () => {
    const r = await call({ texts: docs, query, top_k: 3 });
    expect(paths()).toEqual(["/embeddings"]);
    expect(sc(r).rerank).toBeUndefined();
    expect(sc(r).ranking[0].rerank_score).toBeUndefined();
  });
});
