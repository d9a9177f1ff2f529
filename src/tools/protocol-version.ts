// The protocol version a request speaks: over HTTP each request names it (the MCP-Protocol-Version
// header, 2025-03-26 when it has none; stateless, so nothing is remembered); over stdio and in memory it is the one initialize
// negotiated on this server. Undefined when neither is known (then nothing is shaped down).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { wrapRequestHandler } from "../util/sdk-handlers.js";
import type { ToolExtra } from "./progress.js";

const negotiated = new WeakMap<McpServer, string>();

/** Records the version the server's initialize answer negotiates (wraps the SDK's handler once). */
export function rememberNegotiatedVersion(server: McpServer): void {
  // The SDK does not expose the negotiated version (nor the client's requested one): the wrap of
  // its initialize handler (util/sdk-handlers.ts) reads it from the answer.
  wrapRequestHandler(server, "initialize", (initialize) => async (request, extra) => {
    const result = (await initialize(request, extra)) as { protocolVersion?: unknown };
    if (typeof result?.protocolVersion === "string") negotiated.set(server, result.protocolVersion);
    return result;
  });
}

/** What an HTTP request that names no version speaks (MCP 2025-06-18, "Protocol Version Header"). */
const HTTP_VERSION_WITHOUT_HEADER = "2025-03-26";

export function protocolVersionOf(server: McpServer, extra: ToolExtra | undefined): string | undefined {
  const headers = extra?.requestInfo?.headers;
  if (headers) {
    // The header came with 2025-06-18: a client that sends none is older (TS SDK 1.11 is one) and
    // the spec says to assume 2025-03-26, as the SDK's own HTTP transport does when it checks it.
    const header = headers["mcp-protocol-version"];
    return typeof header === "string" ? header : HTTP_VERSION_WITHOUT_HEADER;
  }
  return negotiated.get(server);
}
