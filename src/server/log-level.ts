// logging/setLevel for notifications/message that tool handlers send themselves (extra.sendNotification
// in tools/progress.ts): the SDK filters only server.sendLoggingMessage, so the same check is applied
// to every outgoing notifications/message here. A client that sets a level is marked as listening:
// only then (or with a progress token) do calls send their phase lines (tools/progress.ts).
// Public SDK API only: setRequestHandler replaces the SDK's own setLevel handler (its level store is
// private), and the instance's notification method, which extra.sendNotification also goes through,
// is wrapped (test/surface/sdk-bypasses.test.ts pins both).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  LoggingLevelSchema,
  SetLevelRequestSchema,
  type LoggingLevel,
} from "@modelcontextprotocol/sdk/types.js";
import { markLogListener } from "../tools/progress.js";

const SEVERITY = new Map<string, number>(LoggingLevelSchema.options.map((level, i) => [level, i]));

export function honourLogLevel(server: McpServer): void {
  const inner = server.server;
  // One level per server: a server has one transport (stdio, one HTTP POST, or in memory); the
  // shared HTTP server never takes logging/setLevel (transports/http-shared.ts).
  let threshold: LoggingLevel | undefined;
  inner.setRequestHandler(SetLevelRequestSchema, (request) => {
    threshold = request.params.level;
    markLogListener(server);
    return {};
  });
  const send = inner.notification.bind(inner);
  inner.notification = (notification, options) => {
    if (notification.method === "notifications/message" && threshold) {
      const level = (notification.params as { level?: LoggingLevel } | undefined)?.level;
      if (level && SEVERITY.get(level)! < SEVERITY.get(threshold)!) return Promise.resolve();
    }
    return send(notification, options);
  };
}
