// The protocol version a request speaks: over HTTP each request names it (the MCP-Protocol-Version
// header; stateless, so nothing is remembered); over stdio and in memory it is the one initialize
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

export function protocolVersionOf(server: McpServer, extra: ToolExtra | undefined): string | undefined {
  const header = extra?.requestInfo?.headers?.["mcp-protocol-version"];
  if (typeof header === "string") return header;
  return negotiated.get(server);
}
