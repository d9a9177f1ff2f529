// README promises a progress notification at least every 10 s while a tool works. The heartbeat is
// scheduled from the last send, so no gap between notifications exceeds heartbeatMs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProgress, type ToolExtra } from "../../src/tools/progress.js";

let sentAt: number[];
const extra = () =>
  ({
    _meta: { progressToken: "t" },
    sendNotification: async (n: { method: string }) => {
      if (n.method === "notifications/progress") sentAt.push(Date.now());
    },
  }) as unknown as ToolExtra;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  sentAt = [];
});
afterEach(() => vi.useRealTimers());

const gaps = (start: number, end: number) =>
  [start, ...sentAt, end].slice(1).map((t, i, all) => t - (i === 0 ? start : all[i - 1]!));

describe("progress heartbeat", () => {
  it("never leaves more than heartbeatMs between notifications, whenever the last one went out", async () => {
    const p = createProgress(extra(), { heartbeatMs: 10_000 });
    await vi.advanceTimersByTimeAsync(3_000);
    p.now("preparing"); // at 3 s: the next heartbeat is due at 13 s, not at the next fixed tick
    await vi.advanceTimersByTimeAsync(60_000);
    p.stop();
    expect(sentAt[0]).toBe(3_000);
    expect(sentAt[1]).toBe(13_000);
    expect(Math.max(...gaps(0, 63_000))).toBeLessThanOrEqual(10_000);
  });

  it("the first heartbeat comes heartbeatMs after the start when nothing else was sent", async () => {
    const p = createProgress(extra(), { heartbeatMs: 10_000 });
    await vi.advanceTimersByTimeAsync(25_000);
    p.stop();
    expect(sentAt).toEqual([10_000, 20_000]);
  });

  it("sends nothing after stop, and nothing without a progress token", async () => {
    const p = createProgress(extra(), { heartbeatMs: 10_000 });
    p.stop();
    const q = createProgress({ ...extra(), _meta: {} } as ToolExtra, { heartbeatMs: 10_000 });
    await vi.advanceTimersByTimeAsync(30_000);
    q.stop();
    expect(sentAt).toEqual([]);
  });
});
