// Pure pieces of embed_text: token estimates, batch planning, the worker pool, the LRU cache,
// .npy encoding, ranking and index-range formatting.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { planBatches } from "../../src/embeddings/batching.js";
import { cacheKey, EmbeddingCache } from "../../src/embeddings/cache.js";
import { decodeNpy, encodeNpy } from "../../src/output/npy.js";
import { formatIndexRanges, prepareInputs } from "../../src/embeddings/prepare.js";
import { cosine, rankBySimilarity, snippet } from "../../src/embeddings/rank.js";
import { estimateTokens, truncateToTokens } from "../../src/embeddings/tokens.js";
import { planOutput } from "../../src/output/embeddings.js";
import { estimateTokens as fakeEstimate } from "../fake-glm/index.js";
import { runPool } from "../../src/util/pool.js";
import { float32Text, inlineNumber, roundSignificant } from "../../src/embeddings/float32.js";

describe("token estimates", () => {
  it("never count fewer tokens than the fake upstream's estimator (so accepted inputs are accepted upstream)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        (s) => estimateTokens(s) >= fakeEstimate(s),
      ),
    );
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => estimateTokens(s) >= fakeEstimate(s)));
  });

  it("counts CJK as a token per character and ASCII words at ~3.3 characters per token", () => {
    expect(estimateTokens("你好世界")).toBe(4);
    expect(estimateTokens("abcdefghij")).toBe(3);
    expect(estimateTokens("😀")).toBe(2);
  });

  it("truncation fits the budget, keeps a prefix and never splits a surrogate pair", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 300 }),
        fc.integer({ min: 0, max: 80 }),
        (s, budget) => {
          const cut = truncateToTokens(s, budget);
          expect(s.startsWith(cut)).toBe(true);
          expect(estimateTokens(cut)).toBeLessThanOrEqual(budget);
          expect(/[\uD800-\uDBFF]$/.test(cut)).toBe(false);
        },
      ),
    );
    expect(truncateToTokens("abc", 10)).toBe("abc");
  });

  it("prepareInputs reports over-long and empty inputs by index, or cuts them with truncate", () => {
    const long = "x".repeat(20);
    const strict = prepareInputs(["ok", long, " "], 5, false);
    expect(strict.tooLong).toEqual([{ index: 1, tokens: 6 }]);
    expect(strict.empty).toEqual([2]);
    const cut = prepareInputs(["ok", long], 5, true);
    expect(cut.truncated).toEqual([1]);
    expect(cut.tooLong).toEqual([]);
    expect(cut.texts[1]).toBe("x".repeat(16));
    expect(cut.tokens[1]).toBe(5);
  });
});

describe("planBatches", () => {
  const sizes = (n: number, maxItems = 64, maxTokens = Infinity, t = 1) =>
    planBatches(Array(n).fill(t), maxItems, maxTokens).map((b) => b.length);

  it("splits into ≤ 64 inputs per request, in order", () => {
    expect(sizes(1)).toEqual([1]);
    expect(sizes(64)).toEqual([64]);
    expect(sizes(65)).toEqual([64, 1]);
    expect(sizes(1000)).toEqual([...Array(15).fill(64), 40]);
    expect(planBatches([1, 1, 1], 2).flat()).toEqual([0, 1, 2]);
    expect(sizes(0)).toEqual([]);
  });

  it("also keeps each request within a token total (embedding-2's 8K)", () => {
    expect(planBatches([3000, 3000, 3000, 100], 64, 8192)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 512 }), { maxLength: 300 }), (tokens) => {
        const batches = planBatches(tokens, 64, 8192);
        expect(batches.flat()).toEqual(tokens.map((_, i) => i));
        for (const b of batches) {
          expect(b.length).toBeLessThanOrEqual(64);
          expect(b.reduce((n, i) => n + tokens[i]!, 0)).toBeLessThanOrEqual(8192);
        }
      }),
    );
  });
});

describe("runPool", () => {
  it("never runs more than the limit at once and runs every task", async () => {
    let active = 0;
    let peak = 0;
    const ran: number[] = [];
    const r = await runPool(20, 3, async (i) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((res) => setTimeout(res, (i * 7) % 5));
      ran.push(i);
      active--;
    });
    expect(r).toEqual({ failure: undefined, notStarted: [] });
    expect(peak).toBe(3);
    expect(ran.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it("stops starting tasks after a failure, lets running ones finish and reports the rest", async () => {
    const finished: number[] = [];
    const r = await runPool(10, 2, async (i) => {
      if (i === 1) throw new Error("boom");
      await new Promise((res) => setTimeout(res, 5));
      finished.push(i);
    });
    expect(r.failure?.task).toBe(1);
    expect((r.failure?.error as Error).message).toBe("boom");
    expect(finished).toEqual([0]); // was running when 1 failed, and was allowed to finish
    expect(r.notStarted).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("EmbeddingCache", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const vec = (n: number, fill: number) => new Float32Array(n).fill(fill);

  it("keys by model, dimensions and text", () => {
    expect(cacheKey("embedding-3", 256, "a")).not.toBe(cacheKey("embedding-3", 512, "a"));
    expect(cacheKey("embedding-3", 256, "a")).not.toBe(cacheKey("embedding-2", 256, "a"));
    expect(cacheKey("embedding-3", 256, "a")).toBe(cacheKey("embedding-3", 256, "a"));
  });

  it("evicts the least recently used entries to stay under its byte bound", async () => {
    const entry = 256 * 4 + 200;
    const cache = new EmbeddingCache({ maxBytes: entry * 3 });
    for (const k of ["a", "b", "c"]) await cache.set("m", 256, k, vec(256, 1));
    await cache.get("m", 256, "a"); // a becomes most recent; b is now the oldest
    await cache.set("m", 256, "d", vec(256, 2));
    expect(cache.size).toBe(3);
    expect(cache.usedBytes).toBeLessThanOrEqual(cache.maxBytes);
    expect(await cache.get("m", 256, "b")).toBeUndefined();
    expect(await cache.get("m", 256, "a")).toBeDefined();
    expect(await cache.get("m", 256, "d")).toEqual(vec(256, 2));
    const off = new EmbeddingCache({ maxBytes: 0 });
    await off.set("m", 256, "a", vec(256, 1));
    expect(off.size).toBe(0);
  });

  it("persists to and reloads from its directory", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "emb-cache-"));
    dirs.push(dir);
    const key = cacheKey("embedding-3", 4, "hello");
    await new EmbeddingCache({ maxBytes: 1e6, dir }).set(
      "embedding-3",
      4,
      key,
      Float32Array.from([0.5, -0.25, 1e-8, 3]),
    );
    expect(readdirSync(path.join(dir, "embedding-3-4", key.slice(0, 2)))).toEqual([`${key}.f32`]);
    const fresh = new EmbeddingCache({ maxBytes: 1e6, dir });
    expect(Array.from((await fresh.get("embedding-3", 4, key))!)).toEqual(
      Array.from(Float32Array.from([0.5, -0.25, 1e-8, 3])),
    );
    expect(await new EmbeddingCache({ maxBytes: 1e6, dir }).get("embedding-3", 8, key)).toBeUndefined(); // no such file
    // A file of the wrong size (e.g. a torn write from elsewhere) is a miss, not a bad vector.
    mkdirSync(path.join(dir, "embedding-3-8", key.slice(0, 2)), { recursive: true });
    writeFileSync(path.join(dir, "embedding-3-8", key.slice(0, 2), `${key}.f32`), new Uint8Array(12));
    expect(await new EmbeddingCache({ maxBytes: 1e6, dir }).get("embedding-3", 8, key)).toBeUndefined();
  });
});

describe(".npy", () => {
  it("writes a 64-byte aligned v1.0 header numpy can read, and round-trips", () => {
    const rows = [Float32Array.from([1, 2, 3]), Float32Array.from([-1.5, 0.25, 1e-7])];
    const bytes = encodeNpy(rows, 3);
    const headerLen = bytes[8]! | (bytes[9]! << 8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    const { shape, data } = decodeNpy(bytes);
    expect(shape).toEqual([2, 3]);
    expect(Array.from(data)).toEqual([...rows[0]!, ...rows[1]!]);
    expect(decodeNpy(encodeNpy([], 8)).shape).toEqual([0, 8]);
    expect(() => encodeNpy([Float32Array.from([1])], 3)).toThrow(/expected 3/);
  });
});

describe("ranking and output sizing", () => {
  it("cosine and top-k order, ties by index", () => {
    const q = Float32Array.from([1, 0]);
    expect(cosine(q, Float32Array.from([2, 0]))).toBeCloseTo(1);
    expect(cosine(q, Float32Array.from([0, 3]))).toBeCloseTo(0);
    expect(cosine(q, Float32Array.from([0, 0]))).toBe(0);
    const vs = [
      [0, 1],
      [1, 1],
      [1, 0],
      [1, 1],
    ].map((v) => Float32Array.from(v));
    expect(rankBySimilarity(q, vs, 3).map((r) => r.index)).toEqual([2, 1, 3]);
  });

  it("snippets are one line and bounded", () => {
    expect(snippet("a\n\n  b")).toBe("a b");
    const s = snippet("汉".repeat(500));
    expect(s.length).toBe(49);
    expect(s.endsWith("…")).toBe(true);
  });

  it("inline only up to 1,024 numbers in auto mode; the query's ranking replaces vectors", () => {
    expect(planOutput("auto", 1, 1024, false)).toEqual({ inline: true, file: false });
    expect(planOutput("auto", 4, 256, false)).toEqual({ inline: true, file: false });
    expect(planOutput("auto", 1, 2048, false)).toEqual({ inline: false, file: true });
    expect(planOutput("auto", 5, 256, false)).toEqual({ inline: false, file: true });
    expect(planOutput("auto", 1, 256, true)).toEqual({ inline: false, file: false });
    expect(planOutput("inline", 3, 2048, false)).toMatchObject({
      inline: false,
      file: true,
      note: expect.stringMatching(/inline cap/),
    });
  });

  it("index ranges compress contiguous runs and cap their number", () => {
    expect(formatIndexRanges([5, 1, 2, 3, 9])).toBe("1–3, 5, 9");
    expect(formatIndexRanges([0, 2, 4, 6], 2)).toBe("0, 2 and 2 more ranges");
  });
});

describe("numbers as text", () => {
  /** Significant digits of a number's shortest decimal form. */
  const significant = (x: number) => {
    const [mantissa] = Math.abs(x).toExponential().split("e");
    return mantissa!.replace(".", "").replace(/0+$/, "").length;
  };
  const edges = [
    1, -1, 0.1, 0.001, 1e-7, 9.9999999e-4, 1000, 999999.95, 1e21, 1e-30, 3.4e38, 1.17549435e-38, 0.5,
    0.123456789,
  ].map(Math.fround);

  it("rounds to 7 / 9 significant digits as toPrecision does, at most one last digit apart at halves", () => {
    const values = [...edges];
    const random = fc.sample(fc.float({ noNaN: true, noDefaultInfinity: true }), 50_000);
    values.push(...random, ...fc.sample(fc.float({ min: -1, max: 1, noNaN: true }), 50_000));
    let differ = 0;
    for (const v of values) {
      for (const digits of [7, 9]) {
        const fast = roundSignificant(v, digits);
        const slow = Number(v.toPrecision(digits));
        if (fast === slow) continue; // -0 and 0 alike
        differ++;
        expect(significant(fast), `${v} → ${fast}`).toBeLessThanOrEqual(digits);
        const unit = 10 ** (Math.floor(Math.log10(Math.abs(slow))) - digits + 1);
        expect(Math.abs(fast - slow), `${v}: ${fast} vs ${slow}`).toBeLessThanOrEqual(unit * 1.000001);
      }
    }
    expect(differ / (values.length * 2)).toBeLessThan(0.001);
    expect(roundSignificant(0, 7)).toBe(0);
    expect(Object.is(roundSignificant(-0, 7), -0)).toBe(true);
  });

  it("float32Text round-trips every float32; inlineNumber keeps 7 significant digits", () => {
    const values = [...edges, ...fc.sample(fc.float({ noNaN: true, noDefaultInfinity: true }), 50_000)];
    for (const v of values) {
      expect(Math.fround(Number(float32Text(v))) === v, `${v}`).toBe(true);
      expect(significant(inlineNumber(v)), `${v}`).toBeLessThanOrEqual(7);
      if (v !== 0) expect(Math.abs(inlineNumber(v) - v) / Math.abs(v)).toBeLessThan(1e-6);
    }
  });
});
