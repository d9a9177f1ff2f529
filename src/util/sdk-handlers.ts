// The one place that reaches into the SDK's private request-handler map (Protocol._requestHandlers
// in @modelcontextprotocol/sdk 1.x). The SDK can replace a handler (setRequestHandler) but not wrap
// the one it installed itself (initialize) nor the zod parse that runs before every handler. Wraps
// go in after registration; the SDK reads the map on each request, so they apply from then on.
// test/surface/sdk-bypasses.test.ts fails if an SDK upgrade moves the map or stops reading it.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

export type RequestHandler = (request: { method: string }, extra: unknown) => Promise<unknown>;

function handlerMap(server: McpServer): Map<string, RequestHandler> {
  const map = (server.server as unknown as { _requestHandlers?: unknown })._requestHandlers;
  // Loud, at createServer: every test then names the cause instead of a server that half works.
  if (!(map instanceof Map))
    throw new Error(
      "@modelcontextprotocol/sdk no longer keeps Protocol._requestHandlers: see CONTRIBUTING.md, Where we go around the SDK",
    );
  return map as Map<string, RequestHandler>;
}

/** Wraps the handler installed for `method`; false when there is none yet. */
export function wrapRequestHandler(
  server: McpServer,
  method: string,
  wrap: (inner: RequestHandler) => RequestHandler,
): boolean {
  const handlers = handlerMap(server);
  const inner = handlers.get(method);
  if (!inner) return false;
  handlers.set(method, wrap(inner));
  return true;
}

/** Wraps every handler installed so far. */
export function wrapEveryRequestHandler(
  server: McpServer,
  wrap: (method: string, inner: RequestHandler) => RequestHandler,
): void {
  const handlers = handlerMap(server);
  for (const [method, inner] of handlers) handlers.set(method, wrap(method, inner));
}
