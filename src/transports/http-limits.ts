// What one HTTP client may hold on the server: how long it may take to send a request, how long an
// idle keep-alive socket stays open, and how many connections exist at once. None of these limits
// applies to a response: a tool call streaming SSE for many minutes is never cut by them.
import type { Server, ServerOptions, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "../log.js";

/** One request body (HTTP) or one message line (stdio); large media goes by path or URL instead. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** The request line and headers must arrive within this (a silent or trickling socket gets 408). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** An idle keep-alive socket between two requests is closed after this. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** How often Node checks the header and request deadlines (its default, 30 s, is too coarse). */
const DEADLINE_CHECK_MS = 1_000;

export interface HttpLimits {
  /** The whole request (headers and body) must arrive within this; then the response may run freely. */
  requestTimeoutMs: number;
  maxConnections: number;
}

export function httpServerOptions(limits: HttpLimits): ServerOptions {
  return {
    // Node measures both deadlines from the start of a request until its last body byte, so they
    // stop counting once the request is in: a streamed answer is not timed.
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, limits.requestTimeoutMs),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: DEADLINE_CHECK_MS,
  };
}

/** Caps open connections: beyond the cap Node drops new ones at accept. Logs drops, once a minute. */
export function capConnections(server: Server, max: number, logger: Logger): void {
  server.maxConnections = max;
  let lastWarned = 0;
  server.on("drop", () => {
    const now = Date.now();
    if (now - lastWarned < 60_000) return;
    lastWarned = now;
    logger.warning(
      `HTTP connection refused: ${max} connections are open (raise GLM_MCP_HTTP_MAX_CONNECTIONS if clients are legitimate)`,
    );
  });
}

/**
 * Every refusal (status >= 400) ends its connection: a client that was refused (401, 403, 413…)
 * must not keep a socket, nor send a body nobody reads. Wraps writeHead so that answers written by
 * the MCP SDK (406, 415, 400…) get it too.
 */
export function closeAfterRefusal(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  (res as { writeHead: (...args: unknown[]) => ServerResponse }).writeHead = (...args: unknown[]) => {
    if (typeof args[0] === "number" && args[0] >= 400 && !res.headersSent)
      res.setHeader("connection", "close");
    return writeHead(...args);
  };
}

const REFUSALS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: "431 Request Header Fields Too Large",
  HPE_CHUNK_EXTENSIONS_OVERFLOW: "413 Payload Too Large",
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
};

/**
 * Bytes Node cannot parse on a keep-alive socket (junk pipelined after a complete request) make it
 * answer 400 and destroy the socket at once, losing the answer still owed to the request before.
 * Here that answer is written first; then the 400 (or 408/431, as Node would) and the close.
 */
export function answerBeforeRefusing(server: Server): void {
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    const refuse = () => {
      if (socket.writable) {
        const status = REFUSALS[err.code ?? ""] ?? "400 Bad Request";
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        setTimeout(() => socket.destroy(), 1_000).unref();
      } else socket.destroy();
    };
    const owed = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    // Only an answer to a request that fully arrived is owed; a request cut by its deadline gets 408.
    if (owed?.req.complete && !owed.writableFinished && !owed.destroyed) {
      owed.once("finish", refuse);
      owed.once("close", () => {
        if (!owed.writableFinished) socket.destroy();
      });
    } else if (owed?.headersSent) socket.destroy();
    else refuse();
  });
}
