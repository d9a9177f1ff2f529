// web_search through an in-memory MCP pair against the fake GLM: the request body per engine, aliases,
// the compact result list, sizing, GLM's search error codes, and a wire audit (every body sent to
// /web_search validates against the vendored OpenAPI spec).
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_RESULT_TEXT_CHARS } from "../../src/output/size.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { specValidators } from "../fake-glm/spec.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

let fake: FakeGlm;
let s: TestSession;
/** Every body sent to /web_search by any test in this file (for the wire audit at the end). */
const sent: unknown[] = [];
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
afterEach(async () => {
  sent.push(...searches().map((r) => r.body));
  await s?.close();
});

const open = async () => {
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
  return s;
};
const call = (args: Record<string, unknown>, extra: Parameters<TestSession["client"]["callTool"]>[2] = {}) =>
  s.client.callTool({ name: "web_search", arguments: args }, undefined, extra) as Promise<CallToolResult>;
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;
const searches = () => fake.requests.filter((r) => r.path.endsWith("/web_search"));

describe("web_search", () => {
  it("is listed read-only and open-world with input and output schemas", async () => {
    await open();
    const { tools } = await s.client.listTools();
    const tool = tools.find((t) => t.name === "web_search")!;
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      openWorldHint: true,
      destructiveHint: false,
    });
    expect(tool.inputSchema.required).toEqual(["query"]);
    expect(Object.keys(tool.inputSchema.properties!).sort()).toEqual(
      ["content_size", "count", "domain", "engine", "intent", "query", "recency"].sort(),
    );
    expect(tool.outputSchema?.properties).toHaveProperty("results");
    expect(tool.description).toMatch(/Use when:[\s\S]*Do not use for:[\s\S]*Cost\/latency:/);
  });

  it("sends the spec's body to the standard endpoint and returns a compact list", async () => {
    await open();
    const progress: string[] = [];
    const r = await call(
      { query: "undici proxy agent" },
      { onprogress: (p) => progress.push(p.message ?? "") },
    );
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(searches()).toHaveLength(1);
    expect(searches()[0]!.path).toBe("/api/paas/v4/web_search");
    expect(searches()[0]!.body).toEqual({
      search_query: "undici proxy agent",
      search_engine: "search_std",
      search_intent: false,
      count: 10,
    });
    const results = sc(r).results as {
      title: string;
      url: string;
      snippet: string;
      site: string;
      date: string;
    }[];
    expect(results).toHaveLength(10);
    expect(results[0]).toMatchObject({
      title: "undici proxy agent — result 1",
      snippet: "Result 1 about undici proxy agent from search_std.",
    });
    expect(results[0]!.url).toMatch(/^https:\/\/site\d\.example\.com\/undici-proxy-agent\/1$/);
    expect(results[0]!.site).toMatch(/example\.com$/);
    expect(results[0]!.date).toMatch(/^\d{4}-\d\d-\d\d$/);
    const text = textOf(r);
    expect(text).toMatch(/^10 results for "undici proxy agent":/);
    expect(text).toContain(
      `1. undici proxy agent — result 1\n   ${results[0]!.url}\n   ${results[0]!.site} · `,
    );
    expect(sc(r).engine).toBe("search_std");
    expect(sc(r)).not.toHaveProperty("intent");
    expect(progress.some((m) => m.includes("searching the web (search_std)"))).toBe(true);
    const usage = JSON.parse(
      ((await s.client.readResource({ uri: "glm://usage" })).contents[0] as { text: string }).text,
    );
    expect(usage.models.search_std.calls).toBe(1);
  });

  it("maps the API's own argument names and search-library names onto its arguments", async () => {
    await open();
    const r = await call({
      search_query: "asyncio taskgroup",
      max_results: "3",
      site: "docs.python.org",
      search_recency_filter: "oneweek",
      content_size: "HIGH",
      search_engine: "search_pro",
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(searches()[0]!.body).toEqual({
      search_query: "asyncio taskgroup",
      search_engine: "search_pro",
      search_intent: false,
      count: 3,
      search_domain_filter: "docs.python.org",
      search_recency_filter: "oneWeek",
      content_size: "high",
    });
    for (const hit of sc(r).results) expect(hit.url).toMatch(/^https:\/\/docs\.python\.org\//);
  });

  it("asks Sogou for the next ten and keeps the count asked for", async () => {
    await open();
    const r = await call({ query: "rust tokio", engine: "search_pro_sogou", count: 7 });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(searches()[0]!.body.count).toBe(10);
    expect(sc(r).results).toHaveLength(7);
  });

  it("sends no count to Quark (it takes none) and says so; refuses a domain for it before sending", async () => {
    await open();
    const r = await call({ query: "rust tokio", engine: "search_pro_quark", count: 4 });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(searches()[0]!.body).not.toHaveProperty("count");
    expect(sc(r).results).toHaveLength(4);
    expect(sc(r).note).toMatch(/picks its own number of results/);
    const bad = await call({ query: "rust tokio", engine: "search_pro_quark", domain: "docs.rs" });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/search_pro_quark cannot limit results to one site: drop domain/);
    expect(searches()).toHaveLength(1);
  });

  it("refuses an over-long or empty query and a URL as a domain, sending nothing", async () => {
    await open();
    for (const args of [
      { query: "x".repeat(71) },
      { query: "   " },
      { query: "a", domain: "https://a.com/x" },
    ]) {
      const r = await call(args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(r)).toMatch(
        /query is longer than 70 characters|query is empty|domain must be a host name/,
      );
    }
    expect(searches()).toHaveLength(0);
  });

  it("with intent, reports GLM's reading of the query and what to do when it finds no search intent", async () => {
    await open();
    const r = await call({ query: "hello", intent: true });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(searches()[0]!.body.search_intent).toBe(true);
    expect(sc(r).intent).toEqual([{ query: "hello", intent: "SEARCH_NONE", keywords: "hello" }]);
    expect(sc(r).results).toEqual([]);
    expect(textOf(r)).toContain('No results for "hello".');
    expect(textOf(r)).toMatch(/call again with intent false/);
  });

  it("shrinks long snippets so 50 detailed results fit the client", async () => {
    await open();
    const r = await call({ query: "kubernetes operators", count: 50, content_size: "high" });
    expect(r.isError, textOf(r)).toBeFalsy();
    const text = textOf(r);
    expect(text.length).toBeLessThanOrEqual(MAX_RESULT_TEXT_CHARS);
    expect(sc(r).results).toHaveLength(50);
    expect(sc(r).results[0].snippet).toMatch(/…$/);
    // GLM sent ~1.9k characters per snippet (50 × that would not fit): each was cut, not dropped.
    expect(sc(r).results[0].snippet).toMatch(
      /^Result 1 about kubernetes operators from search_std\. Detailed/,
    );
    expect(sc(r).results[0].snippet.length).toBeLessThan(1_300);
  });

  it("maps GLM's search codes: 1703 to a rephrase sentence, 1702 to another engine, 1701 retried", async () => {
    await open();
    fake.fail({ kind: "status", status: 400, code: "1703" }, { path: "/api/paas/v4/web_search" });
    const none = await call({ query: "zzqx nothing" });
    expect(none.isError).toBe(true);
    expect(textOf(none)).toMatch(/returned no usable results for this query: rephrase or shorten it/);
    fake.fail({ kind: "status", status: 500, code: "1702" }, { path: "/api/paas/v4/web_search" });
    const down = await call({ query: "zzqx engine" });
    expect(textOf(down)).toMatch(/no search engine service available .*: try another engine/);
    expect(searches()).toHaveLength(2);
    fake.fail(
      { kind: "status", status: 400, code: "1701", retryAfterMs: "1" },
      { path: "/api/paas/v4/web_search" },
    );
    // Retried because of the code, whatever the HTTP status (a 400 alone is never retried).
    const busy = await call({ query: "zzqx busy" });
    expect(busy.isError, textOf(busy)).toBeFalsy();
    expect(searches()).toHaveLength(4);
  });

  it("wire audit: every body sent to /web_search validates against the vendored spec", () => {
    const validate = specValidators().webSearch;
    expect(sent.length).toBeGreaterThanOrEqual(10);
    const bad = sent.filter((b) => !validate(b)).map((b) => ({ body: b, errors: validate.errors }));
    expect(bad).toEqual([]);
  });
});
