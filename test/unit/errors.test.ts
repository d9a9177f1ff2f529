import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  ContentFilteredError,
  InsufficientBalanceError,
  ModelNotFoundError,
  OverloadedError,
  PermissionDeniedError,
  PromptTooLongError,
  QuotaExceededError,
  RateLimitError,
  ServerError,
  errorFromResponse,
  parseRetryAfter,
} from "../../src/glm/errors.js";

const body = (code: string, message = "msg") => JSON.stringify({ error: { code, message } });

describe("errorFromResponse maps HTTP status + business code to one typed error", () => {
  const cases: [number, string, new (...a: never[]) => Error, boolean][] = [
    [401, "1000", AuthenticationError, false],
    [401, "1001", AuthenticationError, false],
    [401, "1003", AuthenticationError, false],
    [401, "1005", AuthenticationError, false],
    [429, "1113", InsufficientBalanceError, false],
    [400, "1210", BadRequestError, false],
    [400, "1211", ModelNotFoundError, false],
    [400, "1214", BadRequestError, false],
    [400, "1261", PromptTooLongError, false],
    [400, "1301", ContentFilteredError, false],
    [429, "1302", RateLimitError, true],
    [429, "1303", RateLimitError, true],
    [429, "1305", OverloadedError, true],
    [429, "1308", QuotaExceededError, false],
    [429, "1309", QuotaExceededError, false],
    [403, "1220", PermissionDeniedError, false],
    [500, "1200", ServerError, true],
    [500, "1230", ServerError, true],
    [500, "1234", ServerError, true],
  ];
  it.each(cases)("HTTP %i code %s", (status, code, cls, retryable) => {
    const err = errorFromResponse(status, body(code, "上游消息"));
    expect(err).toBeInstanceOf(cls);
    expect(err.retryable).toBe(retryable);
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    const msg = err.toolMessage();
    expect(msg).toContain(`code ${code}`);
    expect(msg).toContain("上游消息");
    // One actionable sentence: says what to do.
    expect(msg).toMatch(/: /);
  });

  it("falls back on the HTTP status when the body is not GLM's shape", () => {
    expect(errorFromResponse(500, "<html>bad gateway</html>")).toBeInstanceOf(ServerError);
    expect(errorFromResponse(503, "")).toBeInstanceOf(ServerError);
    expect(errorFromResponse(401, "")).toBeInstanceOf(AuthenticationError);
    expect(errorFromResponse(429, "{}")).toBeInstanceOf(RateLimitError);
    expect(errorFromResponse(400, "nope")).toBeInstanceOf(BadRequestError);
  });

  it("accepts numeric codes (z.ai documents int32)", () => {
    const err = errorFromResponse(429, JSON.stringify({ error: { code: 1305, message: "busy" } }));
    expect(err).toBeInstanceOf(OverloadedError);
    expect(err.code).toBe("1305");
  });

  it("reads Retry-After in seconds, as a date, and retry-after-ms", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "2" }))).toBe(2000);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "150" }))).toBe(150);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "150", "retry-after": "9" }))).toBe(150);
    const soon = new Date(Date.now() + 3000).toUTCString();
    expect(parseRetryAfter(new Headers({ "retry-after": soon }))).toBeGreaterThan(1000);
    expect(parseRetryAfter(new Headers({}))).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    const err = errorFromResponse(429, body("1302"), new Headers({ "retry-after": "1" }));
    expect(err.retryAfterMs).toBe(1000);
  });
});

describe("TimeoutError wording", () => {
  it("says the limit in a unit that reads right", async () => {
    const { TimeoutError } = await import("../../src/glm/errors.js");
    expect(new TimeoutError(300_000).message).toMatch(/within 300 s/);
    expect(new TimeoutError(250).message).toMatch(/within 250 ms/);
    expect(new TimeoutError(0).message).toMatch(/did not answer in time/);
  });
});
