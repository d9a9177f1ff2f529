// Which POSTs skip the SDK's transport (src/transports/http-post.ts): only what that transport would
// accept unchanged, so every refusal keeps the SDK's own status and wording.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { canAnswerDirectly } from "../../src/transports/http-post.js";

const req = (headers: Record<string, string | undefined>) =>
  ({
    headers: {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-protocol-version": "2025-06-18",
      ...headers,
    },
  }) as unknown as IncomingMessage;
const call = (extra: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "glm_reason", arguments: { prompt: "hi" } },
  ...extra,
});

describe("canAnswerDirectly", () => {
  it("takes well-formed requests with the spec's headers, single or batched", () => {
    expect(canAnswerDirectly(req({}), [call()])).toBe(true);
    expect(canAnswerDirectly(req({ "mcp-protocol-version": undefined }), [call()])).toBe(true);
    expect(canAnswerDirectly(req({ "content-type": "application/json; charset=utf-8" }), [call()])).toBe(
      true,
    );
    expect(canAnswerDirectly(req({}), [call(), call({ id: "two" })])).toBe(true);
    expect(canAnswerDirectly(req({}), [call({ params: { name: "x", _meta: { progressToken: 3 } } })])).toBe(
      true,
    );
  });

  it("leaves headers the SDK refuses to the SDK", () => {
    expect(canAnswerDirectly(req({ accept: "application/json" }), [call()])).toBe(false);
    expect(canAnswerDirectly(req({ accept: undefined }), [call()])).toBe(false);
    expect(canAnswerDirectly(req({ "content-type": "text/plain" }), [call()])).toBe(false);
    expect(canAnswerDirectly(req({ "mcp-protocol-version": "1999-01-01" }), [call()])).toBe(false);
  });

  it("leaves messages the SDK's schema refuses, repeated ids and oversized batches to the SDK", () => {
    const bad = [
      call({ jsonrpc: "1.0" }),
      call({ id: 1.5 }),
      call({ id: null }),
      call({ extra: true }),
      call({ params: [] }),
      call({ params: { _meta: "x" } }),
      call({ params: { _meta: { progressToken: 1.5 } } }),
      { jsonrpc: "2.0", method: "tools/call" },
      null,
    ];
    for (const m of bad) expect(canAnswerDirectly(req({}), [m]), JSON.stringify(m)).toBe(false);
    expect(canAnswerDirectly(req({}), [call(), call()])).toBe(false);
    expect(canAnswerDirectly(req({}), [])).toBe(false);
    const batch = Array.from({ length: 101 }, (_, i) => call({ id: i }));
    expect(canAnswerDirectly(req({}), batch)).toBe(false);
    expect(canAnswerDirectly(req({}), batch.slice(0, 100))).toBe(true);
  });
});
