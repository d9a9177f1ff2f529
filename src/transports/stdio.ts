// stdio transport: stdout carries JSON-RPC only; logs go to stderr.
// Shutting down (SIGTERM/SIGINT, stdin closed) must not lose calls in flight: close() first stops
// taking new requests (they get a "shutting down" error), waits for the answers still owed (up to
// a grace period), answers every id still owed with an error, and only then closes the server,
// which aborts any handler still running. Every request with an id gets exactly one answer.
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../state/context.js";
import { createServer } from "../server/index.js";
import type { StdioLines } from "./stdio-front.js";
import { screenLine } from "./stdio-screen.js";
import { LineTransport } from "./stdio-transport.js";

type Id = string | number;

const idOf = (m: JSONRPCMessage): Id | undefined =>
  "id" in m && (typeof m.id === "string" || typeof m.id === "number") ? m.id : undefined;

/** The real server on stdio, reading the lines the front (stdio-front.ts) hands it. */
export async function startStdioServer(
  ctx: AppContext,
  lines: StdioLines,
): Promise<{ close(graceMs?: number): Promise<void> }> {
  const server = createServer(ctx);
  // Each line is parsed once, here: a valid message goes to the server, a malformed request that
  // names an id gets its JSON-RPC error (the SDK's reader would drop it). The reader (line-cap.ts)
  // already capped the line at MAX_BODY_BYTES.
  const screen = (line: Buffer): boolean => {
    const screened = screenLine(line.toString("utf8"));
    if ("message" in screened) transport.deliver(screened.message);
    else {
      if (screened.refusals.length > 0) ctx.logger.warning("refused a malformed stdio request");
      for (const answer of screened.refusals)
        if (typeof answer === "string") transport.sendLine(answer);
        else transport.send(answer).catch(() => {});
    }
    return false;
  };
  const transport = new LineTransport(process.stdout);
  await server.connect(transport);

  const owed = new Set<Id>(); // requests received and not yet answered
  let closing = false;
  let drained: (() => void) | undefined;
  const settle = (id: Id) => {
    owed.delete(id);
    if (closing && owed.size === 0) drained?.();
  };

  const receive = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    const id = idOf(message);
    if ("method" in message && id !== undefined) {
      if (closing) {
        transport
          .send({
            jsonrpc: "2.0",
            id,
            error: { code: -32000, message: "Server is shutting down: start it again and retry" },
          })
          .catch(() => {});
        return;
      }
      owed.add(id);
    } else if ("method" in message && message.method === "notifications/cancelled") {
      // A cancelled request gets no answer, so it is no longer owed.
      const requestId = (message.params as { requestId?: Id } | undefined)?.requestId;
      if (requestId !== undefined) queueMicrotask(() => settle(requestId));
    }
    receive?.(message);
  };
  lines.attach(screen);
  const answeredAtShutdown = new Set<Id>();
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage) => {
    const answered = idOf(message);
    // A handler finishing after its id was answered at shutdown must not answer it twice.
    if (answered !== undefined && answeredAtShutdown.has(answered) && !("method" in message)) return;
    if (answered === lines.hiddenId && !("method" in message)) return settle(answered);
    await send(message);
    const id = idOf(message);
    if (id !== undefined && ("result" in message || "error" in message)) settle(id);
  };

  return {
    close: async (graceMs = 10_000) => {
      closing = true;
      if (owed.size > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, graceMs).unref();
        });
      }
      // Grace over: tell each caller still waiting why (as HTTP does), then abort the handlers.
      for (const id of [...owed]) {
        await transport.send({
          jsonrpc: "2.0",
          id,
          error: { code: -32000, message: "The server shut down before this call finished: call it again" },
        });
        answeredAtShutdown.add(id);
      }
      await server.close();
      // Let the last answers reach the pipe before the process exits.
      await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
    },
  };
}
