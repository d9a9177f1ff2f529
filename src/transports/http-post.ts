// The HTTP side of a routed POST (http-shared.ts) written straight to Node's response, for the
// common case only: well-formed requests to stateless methods with the headers the spec asks for.
// The SDK's transport converts every POST into web Request/Response objects and re-checks each
// message with zod several times; at 64 clients that was about a fifth of the server's CPU.
// Anything unusual (a missing Accept, a bad Content-Type or protocol version, a malformed message)
// is not taken here: http.ts hands it to the SDK's transport, which answers with its own errors.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { isJsonContentType } from "@modelcontextprotocol/sdk/shared/mediaType.js";
import { isWellFormedRequest } from "./jsonrpc-shape.js";
import {
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";

/** The SDK's own limits and timings, kept so both paths behave alike. */
export const MAX_BATCH = 100;
export const SSE_KEEP_ALIVE_MS = 15_000;

/** True when this POST can be answered by DirectPost: what the SDK's transport would accept as is. */
export function canAnswerDirectly(req: IncomingMessage, messages: readonly unknown[]): boolean {
  const accept = req.headers.accept;
  if (!accept?.includes("application/json") || !accept.includes("text/event-stream")) return false;
  if (!isJsonContentType(req.headers["content-type"])) return false;
  const version = req.headers["mcp-protocol-version"];
  if (
    version !== undefined &&
    (typeof version !== "string" || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))
  )
    return false;
  if (messages.length === 0 || messages.length > MAX_BATCH || !messages.every(isWellFormedRequest))
    return false;
  // Answers are matched by id: a batch that repeats one is left to the SDK.
  return new Set(messages.map((m) => (m as { id: RequestId }).id)).size === messages.length;
}

/**
 * One POST's requests, answered on `res`: one JSON body once every request has its answer, or
 * (`streaming`) an SSE stream carrying the call's notifications and then the answers.
 */
export class DirectPost implements Transport {
  onmessage?: Transport["onmessage"];
  private readonly answers = new Map<RequestId, JSONRPCMessage>();
  private readonly cancelled = new Set<RequestId>();
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly ids: readonly RequestId[],
    private readonly streaming: boolean,
  ) {}

  async start(): Promise<void> {
    if (!this.streaming) return;
    this.res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    this.res.flushHeaders();
    this.keepAlive = setInterval(() => this.write(": keepalive\n\n"), SSE_KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  /** Hands the POST's messages to whoever connected (the shared server's router). */
  receive(messages: readonly JSONRPCMessage[]): void {
    // The headers go along as the SDK's transport sends them: the frame reads MCP-Protocol-Version.
    const requestInfo = { headers: this.res.req.headers as Record<string, string | string[] | undefined> };
    for (const m of messages) this.onmessage?.(m, { requestInfo });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const isAnswer = "id" in message && ("result" in message || "error" in message);
    if (this.streaming) this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    if (!isAnswer || message.id === undefined) return; // a notification: only a stream carries it
    this.answers.set(message.id, message);
    this.finishIfSettled();
  }

  /**
   * A cancelled request gets no answer (MCP), so a POST whose requests were all cancelled would stay
   * open until the client gave up, holding a connection (and, behind a balancer, a proxy slot) per
   * cancelled call. It ends instead: an empty 202, or the end of its stream.
   */
  cancel(id: RequestId): void {
    this.cancelled.add(id);
    this.finishIfSettled();
  }

  private finishIfSettled(): void {
    const open = this.ids.filter((id) => !this.answers.has(id) && !this.cancelled.has(id));
    if (open.length > 0) return;
    if (this.streaming) return void this.close();
    if (this.res.headersSent) return;
    const answered = this.ids.filter((id) => this.answers.has(id));
    if (answered.length === 0) return void this.res.writeHead(202).end();
    const body =
      this.ids.length === 1 ? this.answers.get(answered[0]!) : answered.map((id) => this.answers.get(id));
    this.res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  async close(): Promise<void> {
    clearInterval(this.keepAlive);
    if (this.streaming && !this.res.writableEnded) this.res.end();
  }

  private write(chunk: string): void {
    if (!this.res.writableEnded && !this.res.destroyed) this.res.write(chunk);
  }
}
