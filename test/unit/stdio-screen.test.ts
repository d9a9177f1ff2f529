// Each stdio line is parsed and checked once (src/transports/stdio-screen.ts): what the SDK's schema
// takes comes back as the message to deliver, anything else as the errors owed for it.
import { describe, expect, it } from "vitest";
import { screenLine } from "../../src/transports/stdio-screen.js";

const line = (v: unknown) => JSON.stringify(v);

describe("screenLine", () => {
  it("hands back requests, notifications and responses as parsed messages", () => {
    const request = { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "x", arguments: {} } };
    const notification = { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3 } };
    const response = { jsonrpc: "2.0", id: "s1", result: { roots: [] } };
    for (const m of [request, notification, response]) expect(screenLine(line(m))).toEqual({ message: m });
  });

  it("answers a malformed request that names an id, and nothing for one that does not", () => {
    expect(screenLine('{"jsonrpc":"2.0","id":4,"method":')).toEqual({
      refusals: [
        { jsonrpc: "2.0", id: 4, error: { code: -32700, message: expect.stringContaining("Parse error") } },
      ],
    });
    expect(screenLine(line({ jsonrpc: "1.0", id: 5, method: "ping" }))).toEqual({
      refusals: [{ jsonrpc: "2.0", id: 5, error: { code: -32600, message: expect.stringContaining("2.0") } }],
    });
    expect(screenLine(line({ jsonrpc: "2.0", id: 6, method: "ping", params: [1] }))).toEqual({
      refusals: [{ jsonrpc: "2.0", id: 6, error: { code: -32602, message: expect.any(String) } }],
    });
    expect(screenLine(line({ jsonrpc: "2.0", id: 7, method: "ping", extra: 1 }))).toMatchObject({
      refusals: [{ id: 7 }],
    });
    expect(screenLine(line({ jsonrpc: "2.0", method: 5 }))).toEqual({ refusals: [] });
    expect(screenLine("   ")).toEqual({ refusals: [] });
  });
});
