// The fake's /web_search and /reader refuse what the vendored OpenAPI spec refuses (1213 for a
// missing required field, 1214 for an illegal one, naming the field) and the rules its prose states,
// and answer valid bodies with the spec's response shapes, deterministically.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

async function post(path: string, body: unknown, base = fake.baseUrl) {
  const res = await fetch(base + path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${FAKE_API_KEY}`, "content-type": "application/json" },
  });
  return { status: res.status, json: (await res.json()) as any };
}

const search = { search_query: "vitest config", search_engine: "search_std", search_intent: false };

describe("fake POST /web_search", () => {
  it.each([
    [{ search_engine: "search_std", search_intent: false }, "1213", "search_query"],
    [{ search_query: "x", search_intent: false }, "1213", "search_engine"],
    [{ search_query: "x", search_engine: "search_std" }, "1213", "search_intent"],
    [{ ...search, search_engine: "google" }, "1214", "search_engine"],
    [{ ...search, search_query: "q".repeat(71) }, "1214", "search_query"],
    [{ ...search, count: 0 }, "1214", "count"],
    [{ ...search, count: 51 }, "1214", "count"],
    [{ ...search, count: 2.5 }, "1214", "count"],
    [{ ...search, search_intent: "no" }, "1214", "search_intent"],
    [{ ...search, search_recency_filter: "oneHour" }, "1214", "search_recency_filter"],
    [{ ...search, content_size: "low" }, "1214", "content_size"],
    [{ ...search, request_id: "abc" }, "1214", "request_id"],
    [{ ...search, user_id: "u" }, "1214", "user_id"],
    [{ ...search, search_domain_filter: ["a.com"] }, "1214", "search_domain_filter"],
    [{ ...search, search_query: "   " }, "1214", "search_query"],
    [{ ...search, search_engine: "search_pro_sogou", count: 15 }, "1214", "count"],
  ])("refuses %j with %s naming the field", async (body, code, field) => {
    const r = await post("/web_search", body);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message).toContain(field);
  });

  it("answers the spec's shape, honouring count, the domain and the recency filter", async () => {
    const r = await post("/web_search", {
      ...search,
      count: 3,
      search_domain_filter: "docs.python.org",
      search_recency_filter: "oneWeek",
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual([
      "created",
      "id",
      "request_id",
      "search_intent",
      "search_result",
    ]);
    expect(r.json.search_intent).toEqual([
      { query: "vitest config", intent: "SEARCH_ALWAYS", keywords: "vitest config" },
    ]);
    expect(r.json.search_result).toHaveLength(3);
    for (const item of r.json.search_result) {
      expect(Object.keys(item).sort()).toEqual([
        "content",
        "icon",
        "link",
        "media",
        "publish_date",
        "refer",
        "title",
      ]);
      expect(item.link).toMatch(/^https:\/\/docs\.python\.org\//);
      expect(item.publish_date >= "2026-07-04").toBe(true);
    }
    // Deterministic: the same body gets the same answer.
    expect(
      (
        await post("/web_search", {
          ...search,
          count: 3,
          search_domain_filter: "docs.python.org",
          search_recency_filter: "oneWeek",
        })
      ).json,
    ).toEqual(r.json);
  });

  it("quark ignores count and the domain; intent recognition can find no search intent", async () => {
    const q = await post("/web_search", {
      ...search,
      search_engine: "search_pro_quark",
      count: 2,
      search_domain_filter: "a.com",
    });
    expect(q.json.search_result).toHaveLength(10);
    expect(q.json.search_result[0].link).not.toContain("a.com");
    const hi = await post("/web_search", { ...search, search_query: "hello", search_intent: true });
    expect(hi.json.search_intent[0].intent).toBe("SEARCH_NONE");
    expect(hi.json.search_result).toEqual([]);
  });

  it("is not served on the coding endpoint", async () => {
    const r = await post("/web_search", search, fake.url + "/api/coding/paas/v4");
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe("1222");
  });
});

describe("fake POST /reader", () => {
  it.each([
    [{}, "1213", "url"],
    [{ url: 42 }, "1214", "url"],
    [{ url: "not a url" }, "1214", "url"],
    [{ url: "file:///etc/passwd" }, "1214", "url"],
    [{ url: "https://a.com", timeout: "20" }, "1214", "timeout"],
    [{ url: "https://a.com", timeout: 0 }, "1214", "timeout"],
    [{ url: "https://a.com", no_cache: "yes" }, "1214", "no_cache"],
    [{ url: "https://a.com", return_format: "html" }, "1214", "return_format"],
    [{ url: "https://a.com", retain_images: 1 }, "1214", "retain_images"],
    [{ url: "https://a.com", with_links_summary: null }, "1214", "with_links_summary"],
  ])("refuses %j with %s naming the field", async (body, code, field) => {
    const r = await post("/reader", body);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message).toContain(field);
  });

  it("answers the spec's shape with a page derived from the URL", async () => {
    const r = await post("/reader", { url: "https://docs.example.org/guide?size=5000" });
    expect(r.status).toBe(200);
    const page = r.json.reader_result;
    expect(page.title).toBe("Page docs.example.org/guide");
    expect(page.url).toBe("https://docs.example.org/guide?size=5000");
    expect(page.content).toHaveLength(5000);
    expect(page.content).toContain("![figure](https://docs.example.org/figure.png)");
    const plain = await post("/reader", {
      url: "https://docs.example.org/guide",
      return_format: "text",
      retain_images: false,
    });
    expect(plain.json.reader_result.content).not.toMatch(/[#![]/);
    const empty = await post("/reader", { url: "https://docs.example.org/empty" });
    expect(empty.json.reader_result.content).toBe("");
  });
});
