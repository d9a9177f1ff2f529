import { describe, expect, it, vi } from "vitest";
import { InflightCalls } from "../../src/transports/inflight.js";

describe("InflightCalls", () => {
  it("cancels the one call of the same caller and id only", () => {
    const reg = new InflightCalls();
    const a = "caller-a";
    const b = "caller-b";
    const abortA = vi.fn();
    const abortB = vi.fn();
    reg.add(a, 5, abortA);
    reg.add(b, 5, abortB);
    expect(reg.cancel(a, 5)).toBe(true);
    expect(abortA).toHaveBeenCalledOnce();
    expect(abortB).not.toHaveBeenCalled();
    expect(reg.cancel(a, "5")).toBe(false); // ids keep their JSON type
  });

  it("cancels nothing when the match is ambiguous, and forgets finished calls", () => {
    const reg = new InflightCalls();
    const c = "caller-c";
    const x = vi.fn();
    const y = vi.fn();
    const undoX = reg.add(c, 1, x);
    reg.add(c, 1, y);
    expect(reg.cancel(c, 1)).toBe(false);
    expect(x).not.toHaveBeenCalled();
    undoX();
    expect(reg.cancel(c, 1)).toBe(true);
    expect(y).toHaveBeenCalledOnce();
    const undo = reg.add(c, 2, vi.fn());
    undo();
    expect(reg.cancel(c, 2)).toBe(false);
  });
});
