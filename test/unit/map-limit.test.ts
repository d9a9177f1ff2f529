// mapLimit (src/util/pool.ts): bounded parallelism that stops starting work after a failure.
import { describe, expect, it } from "vitest";
import { mapLimit } from "../../src/util/pool.js";

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("mapLimit", () => {
  it("keeps order and never has more than `limit` items in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (x, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await flush();
      inFlight--;
      return `${i}:${x * 10}`;
    });
    expect(out).toEqual(["0:10", "1:20", "2:30", "3:40", "4:50", "5:60", "6:70"]);
    expect(peak).toBe(3);
  });

  it("starts no new item after a failure; the ones in flight finish", async () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const started: number[] = [];
    const finished: number[] = [];
    const gates: (() => void)[] = [];
    const run = mapLimit(items, 4, async (x) => {
      started.push(x);
      if (x === 1) {
        await Promise.resolve();
        throw new Error("source 2 could not be downloaded");
      }
      await new Promise<void>((resolve) => gates.push(resolve));
      finished.push(x);
      return x;
    });
    await expect(run).rejects.toThrow("source 2 could not be downloaded");
    // Release whatever is waiting until nothing new starts (before the fix, the surviving workers
    // went on through all 20 items, one release at a time).
    for (let round = 0; round < 30 && gates.length; round++) {
      for (const release of gates.splice(0)) release();
      await flush();
    }
    expect(started).toEqual([0, 1, 2, 3]);
    expect(finished.sort((a, b) => a - b)).toEqual([0, 2, 3]);
  });
});
