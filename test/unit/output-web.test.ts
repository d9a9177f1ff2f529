// Web result shaping: GLM's search items become hits even when some are malformed, a long list
// shrinks its snippets to fit the client, and a reader answer missing fields still shapes.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { WebSearchItem } from "../../src/glm/web.js";
import { pageResult, renderHits, shrinkHits, toHits } from "../../src/output/web.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "glm-output-web-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("toHits", () => {
  it("skips items that are not objects and fields that are not strings, and keeps at most max", () => {
    const items = [
      null,
      "junk",
      {
        title: "  A  ",
        link: "https://a.example/x",
        content: " snippet ",
        media: "a.example",
        publish_date: "2026-07-01",
      },
      { title: 42, link: ["x"], content: null },
      { title: "C", link: "https://c.example/" },
    ] as unknown as WebSearchItem[];
    expect(toHits(items, 2)).toEqual([
      { title: "A", url: "https://a.example/x", snippet: "snippet", site: "a.example", date: "2026-07-01" },
      { title: "(untitled)", url: "", snippet: "" },
    ]);
    expect(toHits(undefined, 5)).toEqual([]);
    expect(toHits({} as unknown as WebSearchItem[], 5)).toEqual([]);
  });
});

describe("shrinkHits", () => {
  const hits = Array.from({ length: 40 }, (_, i) => ({
    title: `T${i}`,
    url: `https://e.example/${i}`,
    snippet: "x".repeat(3000),
  }));

  it("leaves a list that fits as it is", () => {
    const small = hits.slice(0, 2);
    expect(shrinkHits("q", small, 60_000)).toBe(small);
  });

  it("cuts every snippet to an equal share so the rendered list fits", () => {
    const out = shrinkHits("q", hits, 60_000);
    expect(renderHits("q", hits).length).toBeGreaterThan(60_000);
    expect(renderHits("q", out).length).toBeLessThanOrEqual(60_000);
    expect(out.every((h) => h.snippet.endsWith("…") && h.snippet.length < 3000)).toBe(true);
  });
});

describe("pageResult", () => {
  it("shapes an answer without reader_result as an empty page with the asked URL", async () => {
    const r = await pageResult(dir, {
      url: "https://a.example/",
      format: "markdown",
      maxChars: 1000,
      response: { reader_result: { content: 5 as unknown as string, title: ["t"] as unknown as string } },
      notes: ["[empty]"],
    });
    expect(r.structured).toMatchObject({
      url: "https://a.example/",
      content: "",
      chars: 0,
      truncated: false,
      note: "[empty]",
    });
    expect(r.structured).not.toHaveProperty("title");
  });
});
