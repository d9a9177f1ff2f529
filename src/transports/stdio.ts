// stdio transport: stdout carries JSON-RPC only; logs go to stderr.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { AppContext } from "../context.js";
import { createServer } from "../server.js";

export async function startStdioServer(ctx: AppContext): Promise<{ close(): Promise<void> }> {
  const server = createServer(ctx);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  return { close: () => server.close() };
}
