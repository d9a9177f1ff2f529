// logging/setLevel for notifications/message that tool handlers send themselves (extra.sendNotification
// in tools/progress.ts): the SDK filters only server.sendLoggingMessage, so the same check is applied
// to every outgoing notifications/message here.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { LoggingLevel } from "@modelcontextprotocol/sdk/types.js";

type Notify = McpServer["server"]["notification"];

export function honourLogLevel(server: McpServer): void {
  const inner = server.server as unknown as {
    notification: Notify;
    transport?: { sessionId?: string };
    // Private in the SDK's types; present on every Server with the logging capability.
    isMessageIgnored?: (level: LoggingLevel, sessionId?: string) => boolean;
  };
  const send = inner.notification.bind(server.server);
  inner.notification = (notification, options) => {
    if (notification.method === "notifications/message") {
      const level = (notification.params as { level?: LoggingLevel } | undefined)?.level;
      if (level && inner.isMessageIgnored?.(level, inner.transport?.sessionId)) return Promise.resolve();
    }
    return send(notification, options);
  };
}
