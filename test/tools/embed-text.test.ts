// embed_text through an in-memory MCP pair against the fake GLM: request counts and bodies,
// order under concurrency, retries, cache, ranking, inline/file thresholds and file round-trips.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { decodeNpy } from "../../src/output/npy.js";
import { cosine } from "../../src/embeddings/rank.js";
import { embedText, FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
afterEach(() => s?.close());

const open = async (env: Record<string, string> = {}) => {
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, ...env });
  return s;
};
const call = (args: Record<string, unknown>, extra: Parameters<TestSession["client"]["callTool"]>[2] = {}) =>
  s.client.callTool({ name: "embed_text", arguments: args }, undefined, extra) as Promise<CallToolResult>;
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;
const embedRequests = () => fake.requests.filter((r) => r.path.endsWith("/embeddings"));
const texts = (n: number, tag = "item") =>
  Array.from({ length: n }, (_, i) => `${tag} number ${i}: a short sentence about topic ${i % 17}`);
// Float32 values, with -0 as 0 (JSON has no negative zero, so the wire never carries one).
const f32 = (v: ArrayLike<number>) => Array.from(Float32Array.from(v), (x) => x + 0);
const sha = (t: string) => createHash("sha256").update(t).digest("hex");

function readJsonl(path: string) {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map(
      (l) =>
        JSON.parse(l) as { index: number; text_sha256: string; embedding: number[]; truncated?: boolean },
    );
}

describe("embed_text", () => {
  it("is listed with annotations and input/output schemas", async () => {
    await open();
    const { tools } = await s.client.listTools();
    const tool = tools.find((t) => t.name === "embed_text")!;
    expect(tool.annotations).toMatchObject({
      readOnlyHint: false,
      openWorldHint: true,
      // Each call writes a new vectors file: repeating it is not free of effects.
      idempotentHint: false,
    });
    expect(tool.inputSchema.required).toEqual(["texts"]);
    for (const k of [
      "model",
      "dimensions",
      "count",
      "usage",
      "requests",
      "cache_hits",
      "embeddings",
      "ranking",
      "file",
    ]) {
      expect(tool.outputSchema?.properties).toHaveProperty(k);
    }
    expect(tool.description).toMatch(/Use when/);
    expect(tool.description).toMatch(/Do not use for/);
  });

  it("1 input: one request with the exact body, vector inline and equal to GLM's", async () => {
    await open();
    const r = await call({ texts: "hello world", dimensions: 1024 });
    expect(r.isError).toBeFalsy();
    expect(embedRequests().map((q) => q.body)).toEqual([
      { model: "embedding-3", input: ["hello world"], dimensions: 1024 },
    ]);
    const out = sc(r);
    expect(out).toMatchObject({
      model: "embedding-3",
      dimensions: 1024,
      count: 1,
      requests: 1,
      cache_hits: 0,
    });
    expect(out.usage.total_tokens).toBeGreaterThan(0);
    expect(out.file).toBeUndefined();
    const expected = embedText("hello world", 1024);
    expect(out.embeddings).toHaveLength(1);
    out.embeddings[0].forEach((x: number, i: number) => expect(x).toBeCloseTo(expected[i]!, 6));
    expect(textOf(r)).toContain("Vectors (embeddings[i] for texts[i])");
  });

  it("64 inputs: exactly one request of 64", async () => {
    await open();
    const input = texts(64);
    const r = await call({ texts: input, dimensions: 256, output: "none" });
    expect(r.isError).toBeFalsy();
    expect(embedRequests()).toHaveLength(1);
    expect(embedRequests()[0]!.body).toEqual({ model: "embedding-3", input, dimensions: 256 });
    expect(sc(r)).toMatchObject({ count: 64, requests: 1 });
  });

  it("65 inputs: two requests (64 + 1), never a 65-item request", async () => {
    await open();
    const input = texts(65);
    const r = await call({ texts: input, dimensions: 256, output: "none" });
    expect(r.isError).toBeFalsy();
    expect(
      embedRequests()
        .map((q) => q.body.input.length)
        .sort((a, b) => b - a),
    ).toEqual([64, 1]);
    expect(
      embedRequests()
        .flatMap((q) => q.body.input)
        .sort(),
    ).toEqual([...input].sort());
    expect(sc(r)).toMatchObject({ count: 65, requests: 2 });
  });

  it("1,000 inputs: 16 requests, each text sent once, file in input order, small result", async () => {
    await open();
    const input = texts(1000);
    const r = await call({ texts: input, dimensions: 256 });
    expect(r.isError).toBeFalsy();
    expect(embedRequests()).toHaveLength(16);
    expect(embedRequests().every((q) => q.body.input.length <= 64)).toBe(true);
    expect(
      embedRequests()
        .flatMap((q) => q.body.input)
        .sort(),
    ).toEqual([...input].sort());
    const out = sc(r);
    expect(out).toMatchObject({ count: 1000, requests: 16, dimensions: 256 });
    expect(out.embeddings).toBeUndefined();
    const rows = readJsonl(out.file.path);
    expect(rows.map((row) => row.index)).toEqual(input.map((_, i) => i));
    rows.forEach((row, i) => {
      expect(row.text_sha256).toBe(sha(input[i]!));
      expect(f32(row.embedding)).toEqual(f32(embedText(input[i]!, 256)));
    });
    const link = r.content.find((c) => c.type === "resource_link");
    expect(link).toMatchObject({ type: "resource_link", uri: out.file.uri, mimeType: "application/jsonl" });
    // An agent gets a summary and a link, not 256,000 numbers.
    expect(JSON.stringify(r).length).toBeLessThan(5_000);
  });

  it("keeps input order under concurrency with random per-request latency", async () => {
    await open({ GLM_MCP_EMBED_CONCURRENCY: "4" });
    let inFlight = 0;
    let maxInFlight = 0;
    fake.setLatency(() => {
      const ms = 5 + Math.floor(Math.random() * 40);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => inFlight--, ms);
      return ms;
    });
    const input = texts(640, "ordered");
    const r = await call({ texts: input, dimensions: 256, output: "file", file_format: "npy" });
    expect(r.isError).toBeFalsy();
    expect(embedRequests()).toHaveLength(10);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    const { shape, data } = decodeNpy(readFileSync(sc(r).file.path));
    expect(shape).toEqual([640, 256]);
    input.forEach((t, i) =>
      expect(f32(data.subarray(i * 256, (i + 1) * 256))).toEqual(f32(embedText(t, 256))),
    );
  });

  it("retries a batch that failed with a retryable error", async () => {
    await open();
    fake.fail({ kind: "status", status: 500 }, { times: 1, path: "/embeddings" });
    const r = await call({ texts: texts(65), dimensions: 256, output: "none" });
    expect(r.isError).toBeFalsy();
    expect(embedRequests()).toHaveLength(3);
    expect(sc(r)).toMatchObject({ count: 65, requests: 3 });
  });

  it("a batch that keeps failing names the inputs not embedded; a repeat sends only those", async () => {
    await open({ GLM_MCP_EMBED_CONCURRENCY: "1", GLM_MAX_RETRIES: "1" });
    const input = texts(200, "partial");
    expect((await call({ texts: input.slice(0, 64), dimensions: 256, output: "none" })).isError).toBeFalsy();
    fake.reset();
    fake.fail({ kind: "status", status: 500 }, { times: 2, path: "/embeddings" });
    const r = await call({ texts: input, dimensions: 256, output: "none" });
    expect(r.isError).toBe(true);
    expect(embedRequests()).toHaveLength(2); // batch 64–127 and its one retry; 128–199 never sent
    expect(textOf(r)).toContain(
      "Inputs 64–199 (136 of 200 inputs) were not embedded (72 of them never sent after the failure)",
    );
    expect(textOf(r)).toMatch(/internal error/);
    expect(textOf(r)).toContain("the other 64 are cached");
    expect(textOf(r)).not.toContain(FAKE_API_KEY);

    fake.reset();
    const again = await call({ texts: input, dimensions: 256, output: "none" });
    expect(again.isError).toBeFalsy();
    expect(sc(again)).toMatchObject({ cache_hits: 64, requests: 3 });
    expect(embedRequests().flatMap((q) => q.body.input)).toEqual(input.slice(64));
  });

  it("a non-retryable rejection is not retried and fails with GLM's reason", async () => {
    await open();
    fake.fail({ kind: "status", status: 400, code: "1301" }, { times: 1, path: "/embeddings" });
    const r = await call({ texts: ["something flagged"] });
    expect(r.isError).toBe(true);
    expect(embedRequests()).toHaveLength(1);
    expect(textOf(r)).toMatch(
      /^Input 0 \(1 of 1 inputs\) was not embedded because a batch failed: GLM's content safety filter/,
    );
  });

  it("serves a repeat call from the cache, keyed by model, dimensions and text", async () => {
    await open();
    const input = texts(100, "cached");
    const first = await call({ texts: input, dimensions: 512, output: "none" });
    expect(sc(first)).toMatchObject({ cache_hits: 0, requests: 2 });
    fake.reset();
    const second = await call({ texts: input, dimensions: 512, output: "file", file_format: "npy" });
    expect(sc(second)).toMatchObject({ cache_hits: 100, requests: 0, count: 100 });
    expect(sc(second).usage.total_tokens).toBe(0);
    expect(embedRequests()).toHaveLength(0);
    const { data } = decodeNpy(readFileSync(sc(second).file.path));
    expect(f32(data.subarray(99 * 512))).toEqual(f32(embedText(input[99]!, 512)));
    const otherDims = await call({ texts: input.slice(0, 3), dimensions: 256, output: "none" });
    expect(sc(otherDims)).toMatchObject({ cache_hits: 0, requests: 1 });
  });

  it("embeds identical texts of one call once", async () => {
    await open();
    const r = await call({ texts: ["alpha", "beta", "alpha"], dimensions: 256 });
    expect(embedRequests().map((q) => q.body.input)).toEqual([["alpha", "beta"]]);
    expect(sc(r)).toMatchObject({ count: 3, duplicates: 1 });
    expect(sc(r).embeddings[0]).toEqual(sc(r).embeddings[2]);
  });

  it("persists the cache in GLM_MCP_EMBED_CACHE_DIR across servers", async () => {
    const dir = (await open()).outputDir + "/cache";
    await s.close();
    await open({ GLM_MCP_EMBED_CACHE_DIR: dir });
    await call({ texts: ["persisted one", "persisted two"], dimensions: 256, output: "none" });
    await s.close();
    fake.reset();
    await open({ GLM_MCP_EMBED_CACHE_DIR: dir });
    const r = await call({ texts: ["persisted one", "persisted two"], dimensions: 256 });
    expect(sc(r)).toMatchObject({ cache_hits: 2, requests: 0 });
    expect(sc(r).embeddings[1]).toEqual(
      embedText("persisted two", 256).map((x) => Number(Math.fround(x).toPrecision(7)) + 0),
    );
    expect(embedRequests()).toHaveLength(0);
  });

  it("ranks texts by cosine similarity to the query (query embedded in the same batch)", async () => {
    await open();
    const docs = [
      "The cat sat on the warm windowsill all afternoon.",
      "Sourdough bread needs a lively starter, flour, water and salt; bake the bread in a hot oven.",
      "Kubernetes schedules containers onto nodes in a cluster.",
      "Quarterly revenue grew by eight percent year over year.",
      "Rye bread and sourdough loaves: how to bake bread at home.",
    ];
    const query = "how to bake sourdough bread";
    const r = await call({ texts: docs, query, top_k: 3 });
    expect(r.isError).toBeFalsy();
    expect(embedRequests().map((q) => q.body.input)).toEqual([[...docs, query]]);
    const out = sc(r);
    const q = Float32Array.from(embedText(query, 2048));
    const expected = docs
      .map((d, index) => ({ index, score: cosine(q, Float32Array.from(embedText(d, 2048))) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 3);
    expect(out.ranking.map((x: { index: number }) => x.index)).toEqual(expected.map((e) => e.index));
    expect(new Set(out.ranking.slice(0, 2).map((x: { index: number }) => x.index))).toEqual(new Set([1, 4]));
    out.ranking.forEach((x: { score: number }, k: number) =>
      expect(x.score).toBeCloseTo(expected[k]!.score, 3),
    );
    expect(out.ranking[0].snippet).toBe(docs[out.ranking[0].index]);
    expect(out.count).toBe(5);
    expect(out.embeddings).toBeUndefined();
    expect(out.file).toBeUndefined();
    expect(textOf(r)).toMatch(/1\. \[[14]\] 0\.\d{4}/);
  });

  it("inline up to 1,024 numbers, a file beyond; output modes override", async () => {
    await open();
    const at = await call({ texts: texts(4), dimensions: 256 });
    expect(sc(at).embeddings).toHaveLength(4);
    expect(sc(at).file).toBeUndefined();
    const over = await call({ texts: texts(5), dimensions: 256 });
    expect(sc(over).embeddings).toBeUndefined();
    expect(sc(over).file.format).toBe("jsonl");
    const oneDefault = await call({ texts: "one text at the default 2048 dimensions" });
    expect(sc(oneDefault)).toMatchObject({ dimensions: 2048, count: 1 });
    expect(sc(oneDefault).file.format).toBe("jsonl");
    const forcedInline = await call({ texts: texts(5), dimensions: 256, output: "inline" });
    expect(sc(forcedInline).file).toBeDefined();
    expect(sc(forcedInline).note).toMatch(/exceed the inline cap of 1024/);
    const forcedFile = await call({ texts: "just one", dimensions: 256, output: "file" });
    expect(sc(forcedFile).file.bytes).toBeGreaterThan(0);
    expect(sc(forcedFile).embeddings).toBeUndefined();
    const none = await call({ texts: texts(3), output: "none" });
    expect(sc(none).embeddings).toBeUndefined();
    expect(sc(none).file).toBeUndefined();
  });

  it("stays under ~20k tokens in the worst case: top_k 100 over long CJK texts plus inline vectors", async () => {
    await open();
    const docs = Array.from(
      { length: 120 },
      (_, i) => `第${i}篇文档：` + "语义检索需要把文本变成向量然后比较它们的相似度。".repeat(40),
    );
    const r = await call({
      texts: docs.slice(0, 4),
      query: "向量相似度",
      top_k: 4,
      dimensions: 256,
      output: "inline",
    });
    expect(sc(r).embeddings).toHaveLength(4);
    const big = await call({ texts: docs, query: "向量相似度", top_k: 100, dimensions: 256 });
    expect(sc(big).ranking).toHaveLength(100);
    // Pessimistic token count: digit runs split in threes, every punctuation/space a token, CJK 1.5.
    const tokens = (text: string) =>
      (text.match(/\d{1,3}/g) ?? []).length +
      (text.match(/[A-Za-z]+/g) ?? []).reduce((n, w) => n + Math.ceil(w.length / 4), 0) +
      (text.match(/[^\dA-Za-z\x80-\uFFFF]/g) ?? []).length +
      (text.match(/[\x80-\uFFFF]/g) ?? []).length * 1.5;
    for (const res of [r, big])
      expect(
        tokens(JSON.stringify(res.content)) + tokens(JSON.stringify(res.structuredContent)),
      ).toBeLessThan(20_000);
  });

  it("file contents round-trip: JSONL and .npy parse back to GLM's vectors", async () => {
    await open();
    const input = ["first text", "second text", "第三段文字"];
    const jsonl = sc(await call({ texts: input, dimensions: 1024, output: "file" }));
    expect(jsonl.file).toMatchObject({ format: "jsonl", mime_type: "application/jsonl" });
    expect(jsonl.file.path.startsWith(s.outputDir)).toBe(true);
    const rows = readJsonl(jsonl.file.path);
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      expect(row).toMatchObject({ index: i, text_sha256: sha(input[i]!) });
      expect(f32(row.embedding)).toEqual(f32(embedText(input[i]!, 1024)));
    });
    const npy = sc(await call({ texts: input, dimensions: 1024, output: "file", file_format: "npy" }));
    expect(npy.file.name).toMatch(/\.npy$/);
    const { shape, data } = decodeNpy(readFileSync(npy.file.path));
    expect(shape).toEqual([3, 1024]);
    input.forEach((t, i) =>
      expect(f32(data.subarray(i * 1024, (i + 1) * 1024))).toEqual(f32(embedText(t, 1024))),
    );
    expect(npy.file.bytes).toBe(128 + 3 * 1024 * 4);
  });

  it("over-long inputs fail by index unless truncate: true cuts and flags them", async () => {
    await open();
    const long = "word ".repeat(8000);
    const r = await call({ texts: ["short", long, "also short", long] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /^Inputs 1, 3 exceed embedding-3's limit of 3072 tokens per text .* pass truncate: true/,
    );
    expect(embedRequests()).toHaveLength(0);

    const t = await call({
      texts: ["short", long, "also short", long],
      truncate: true,
      dimensions: 256,
      output: "file",
    });
    expect(t.isError).toBeFalsy();
    expect(sc(t).truncated).toEqual({ count: 2, indices: [1, 3] });
    const sent = embedRequests()[0]!.body.input as string[];
    expect(sent).toHaveLength(3); // the two identical cut texts are embedded once
    expect(sent[1]!.length).toBeLessThan(long.length);
    expect(long.startsWith(sent[1]!)).toBe(true);
    const rows = readJsonl(sc(t).file.path);
    expect(rows[1]).toMatchObject({ truncated: true, text_sha256: sha(long) });
    expect(rows[0]!.truncated).toBeUndefined();
  });

  it("embedding-2: no dimensions sent, 1024-d vectors, batches within its 8K-token total", async () => {
    await open();
    const input = Array.from({ length: 40 }, (_, i) => `${i} ` + "lorem ipsum dolor sit amet ".repeat(50));
    const r = await call({ texts: input, model: "embedding-2", output: "none" });
    expect(r.isError).toBeFalsy();
    expect(embedRequests().length).toBeGreaterThan(1);
    for (const q of embedRequests()) {
      expect(q.body).not.toHaveProperty("dimensions");
      expect(q.body.model).toBe("embedding-2");
    }
    expect(sc(r)).toMatchObject({
      model: "embedding-2",
      dimensions: 1024,
      count: 40,
      requests: embedRequests().length,
    });
    const bad = await call({ texts: "x", model: "embedding-2", dimensions: 256 });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/embedding-2 only produces 1024-dimension vectors/);
  });

  it("rejects empty texts by index and invalid dimensions before any request", async () => {
    await open();
    const r = await call({ texts: ["ok", "  ", "fine"] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^Input 1 is empty or whitespace only/);
    const d = await call({ texts: "x", dimensions: 300 });
    expect(d.isError).toBe(true);
    expect(embedRequests()).toHaveLength(0);
  });

  it("cancellation stops the call: no batch starts after the client cancels", async () => {
    await open({ GLM_MCP_EMBED_CONCURRENCY: "2" });
    fake.setLatency(400);
    const controller = new AbortController();
    const pending = call(
      { texts: texts(640, "cancel"), dimensions: 256, output: "none" },
      { signal: controller.signal },
    );
    while (embedRequests().length < 2) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toThrow();
    while (fake.openRequests > 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(embedRequests()).toHaveLength(2);
    expect(embedRequests().every((q) => q.aborted)).toBe(true);
  });

  it("sends progress notifications while batches complete", async () => {
    await open();
    fake.setLatency(20);
    const seen: number[] = [];
    const r = await call(
      { texts: texts(300), dimensions: 256, output: "none" },
      { onprogress: (p) => seen.push(p.progress) },
    );
    expect(r.isError).toBeFalsy();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
