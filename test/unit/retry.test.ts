import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  CancelledError,
  ConnectionError,
  ContentFilteredError,
  InsufficientBalanceError,
  OverloadedError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "../../src/glm/errors.js";
import { MAX_RETRY_DELAY_MS, retryDelayMs, shouldRetry } from "../../src/glm/retry.js";

describe("shouldRetry", () => {
  it("retries only what can succeed on retry", () => {
    expect(shouldRetry(new RateLimitError({ code: "1302" }), 0, 3)).toBe(true);
    expect(shouldRetry(new OverloadedError({ code: "1305" }), 0, 3)).toBe(true);
    expect(shouldRetry(new ServerError({ status: 500 }), 0, 3)).toBe(true);
    expect(shouldRetry(new ConnectionError("ECONNRESET"), 0, 3)).toBe(true);
    expect(shouldRetry(new TimeoutError(1000), 0, 3)).toBe(true);
    expect(shouldRetry(new AuthenticationError({ status: 401 }), 0, 3)).toBe(false);
    expect(shouldRetry(new InsufficientBalanceError({ code: "1113" }), 0, 3)).toBe(false);
    expect(shouldRetry(new BadRequestError({ status: 400 }), 0, 3)).toBe(false);
    expect(shouldRetry(new ContentFilteredError({ code: "1301" }), 0, 3)).toBe(false);
    expect(shouldRetry(new CancelledError(), 0, 3)).toBe(false);
    expect(shouldRetry(new Error("random"), 0, 3)).toBe(false);
  });

  it("stops after maxRetries", () => {
    const e = new ServerError({ status: 500 });
    expect(shouldRetry(e, 2, 3)).toBe(true);
    expect(shouldRetry(e, 3, 3)).toBe(false);
    expect(shouldRetry(e, 0, 0)).toBe(false);
  });
});

describe("retryDelayMs", () => {
  it("backs off exponentially from 0.5 s, capped, with jitter that only shortens", () => {
    expect(retryDelayMs(0, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(1, undefined, () => 0)).toBe(1000);
    expect(retryDelayMs(2, undefined, () => 0)).toBe(2000);
    expect(retryDelayMs(10, undefined, () => 0)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1, undefined, () => 1)).toBe(750);
    for (let i = 0; i < 50; i++) {
      const d = retryDelayMs(1);
      expect(d).toBeGreaterThanOrEqual(750);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });

  it("honours a server Retry-After within bounds, ignores absurd ones", () => {
    expect(retryDelayMs(0, 3000)).toBe(3000);
    expect(retryDelayMs(0, 0)).toBe(0);
    expect(retryDelayMs(0, 10 * 60_000, () => 0)).toBe(500);
  });
});
