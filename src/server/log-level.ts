// logging/setLevel for notifications/message that tool handlers send themselves (extra.sendNotification
// in tools/progress.ts): the SDK filters only server.sendLoggingMessage, so the same check is applied
// to every outgoing notifications/message here. A client that sets a level is marked as listening:
// only then (or with a progress token) do calls send their phase lines (tools/progress.ts).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { LoggingLevel } from "@modelcontextprotocol/sdk/types.js";
import { markLogListener } from "../tools/progress.js";

type Handler = (request: unknown, extra: unknown) => Promise<unknown>;

type Notify = McpServer["server"]["notification"];

export function honourLogLevel(server: McpServer): void {
  const inner = server.server as unknown as {
    notification: Notify;
    transport?: { sessionId?: string };
    // Private in the SDK's types; present on every Server with the logging capability.
    isMessageIgnored?: (level: LoggingLevel, sessionId?: string) => boolean;
  };
  // The SDK's own logging/setLevel handler (private map) keeps the level; this one also marks the server.
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, Handler> })._requestHandlers;
  const setLevel = handlers?.get("logging/setLevel");
  if (setLevel)
    handlers!.set("logging/setLevel", async (request, extra) => {
      const answer = await setLevel(request, extra);
      markLogListener(server);
      return answer;
    });
  const send = inner.notification.bind(server.server);
  inner.notification = (notification, options) => {
    if (notification.method === "notifications/message") {
      const level = (notification.params as { level?: LoggingLevel } | undefined)?.level;
      if (level && inner.isMessageIgnored?.(level, inner.transport?.sessionId)) return Promise.resolve();
    }
    return send(notification, options);
  };
}
