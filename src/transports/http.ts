// Streamable HTTP at /mcp, stateless (no session lives in the process), so replicas can sit behind
// any load balancer: stateless methods go through the process's one McpServer (http-shared.ts),
// usually without the SDK's transport (http-post.ts); initialize gets a server of its own. Host/Origin checks stop DNS rebinding; an optional
// bearer token guards every request; http-limits.ts bounds what one client may hold.
import { timingSafeEqual, createHash } from "node:crypto";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../state/context.js";
import { createServer } from "../server/index.js";
import { callerKey, issueSessionId, SESSION_HEADER } from "./caller-identity.js";
import {
  answerBeforeRefusing,
  capConnections,
  closeAfterRefusal,
  httpServerOptions,
  MAX_BODY_BYTES,
} from "./http-limits.js";
import { SHARED_METHODS, shareServer, type SharedServerRouter } from "./http-shared.js";
import { canAnswerDirectly, DirectPost } from "./http-post.js";
import { InflightCalls } from "./inflight.js";

export { MAX_BODY_BYTES };

export interface HttpServerHandle {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, waits for in-flight requests up to `graceMs`, then closes the rest. */
  close(graceMs?: number): Promise<void>;
}

const LOCAL_NAMES = ["localhost", "127.0.0.1", "[::1]", "::1"];

/** Host names accepted in Host/Origin: loopback names, the bind host, and --allowed-hosts. */
export function allowedHostnames(bindHost: string, extra: readonly string[]): Set<string> {
  const names = new Set(LOCAL_NAMES);
  if (bindHost !== "0.0.0.0" && bindHost !== "::") names.add(bindHost.toLowerCase());
  for (const h of extra) names.add(h.toLowerCase());
  return names;
}

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return "";
  }
}

function sameToken(given: string, expected: string): boolean {
  // Hash both so the comparison is constant-time regardless of length.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

class BodyTooLargeError extends Error {}

const hasProgressToken = (params: unknown): boolean =>
  typeof params === "object" &&
  params !== null &&
  (params as { _meta?: { progressToken?: unknown } })._meta?.progressToken !== undefined;

/** Headers that must appear once: with two, which one is checked and which one is used can differ. */
const SINGLE_HEADERS = ["host", "origin", "authorization", SESSION_HEADER];

function repeatedHeader(req: IncomingMessage): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (!SINGLE_HEADERS.includes(name)) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

export function startHttpServer(
  ctx: AppContext,
  opts: { host?: string; port?: number; maxBodyBytes?: number; requestTimeoutMs?: number } = {},
): Promise<HttpServerHandle> {
  const { config, logger } = ctx;
  const host = opts.host ?? config.http.host;
  const port = opts.port ?? config.http.port;
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const allowed = allowedHostnames(host, config.http.allowedHosts);
  const token = config.http.token;
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;
  const inflight = new InflightCalls();
  // A cancel that lands on another replica (behind a load balancer) reaches this one through the
  // state store; in one process the store's bus is silent.
  ctx.store.cancels.subscribe((caller, id) => void inflight.cancel(caller, id));
  /** Answers every open call with a JSON-RPC error (used when the shutdown grace runs out). */
  const stoppers = new Set<() => Promise<void>>();
  /** The process's one server for stateless requests, built on the first one. */
  let sharedServer: Promise<SharedServerRouter> | undefined;
  const sharedRouter = () => (sharedServer ??= shareServer(createServer(ctx)));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    closeAfterRefusal(res);
    const url = new URL(req.url ?? "/", "http://localhost");

    const repeated = repeatedHeader(req);
    if (repeated) {
      return sendJsonRpcError(res, 400, -32600, `Bad Request: more than one ${repeated} header`);
    }

    const hostName = hostnameOf(req.headers.host ?? "");
    if (!allowed.has(hostName)) {
      return sendJsonRpcError(
        res,
        403,
        -32000,
        `Forbidden: Host "${req.headers.host ?? ""}" is not allowed (use --allowed-hosts to add it)`,
      );
    }
    const origin = req.headers.origin;
    if (
      origin !== undefined &&
      origin !== "null" &&
      !allowed.has(hostnameOf(origin.replace(/^[a-z]+:\/\//i, "")))
    ) {
      return sendJsonRpcError(res, 403, -32000, `Forbidden: Origin "${origin}" is not allowed`);
    }
    if (origin === "null")
      return sendJsonRpcError(res, 403, -32000, "Forbidden: opaque Origin is not allowed");

    if (url.pathname === "/healthz") {
      res.writeHead(closing ? 503 : 200, { "content-type": "application/json" });
      // Redis being down does not make a replica unready: calls without shared state still work.
      const store =
        ctx.store.kind === "memory" ? "memory" : ctx.store.healthy ? "redis" : "redis unreachable";
      return res.end(JSON.stringify({ status: closing ? "closing" : "ok", store }));
    }
    if (url.pathname !== "/mcp")
      return sendJsonRpcError(res, 404, -32601, "Not found: the MCP endpoint is /mcp");

    if (token) {
      const auth = req.headers.authorization ?? "";
      const given = auth.toLowerCase().startsWith("bearer ") ? auth.slice(7).trim() : "";
      if (!given || !sameToken(given, token)) {
        return sendJsonRpcError(
          res,
          401,
          -32001,
          "Unauthorized: send Authorization: Bearer <GLM_MCP_HTTP_TOKEN>",
          { "www-authenticate": "Bearer" },
        );
      }
    }
    if (req.method !== "POST") {
      // Stateless: no standalone SSE stream (GET) and no sessions to delete (DELETE).
      return sendJsonRpcError(
        res,
        405,
        -32000,
        "Method not allowed: this stateless server accepts POST /mcp only",
        { allow: "POST" },
      );
    }
    if (closing) return sendJsonRpcError(res, 503, -32000, "Server is shutting down", { "retry-after": "1" });

    let body: unknown;
    try {
      const raw = await readBody(req, maxBody);
      body = JSON.parse(raw.toString("utf8"));
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        return sendJsonRpcError(
          res,
          413,
          -32600,
          `Request body over ${Math.round(maxBody / 1024 / 1024)} MB: send large media as a file path or URL instead of inline base64`,
        );
      }
      return sendJsonRpcError(res, 400, -32700, "Parse error: the body is not valid JSON");
    }

    // An empty batch is an invalid request (JSON-RPC 2.0 §6), not a batch of notifications.
    if (Array.isArray(body) && body.length === 0)
      return sendJsonRpcError(res, 400, -32600, "Invalid Request: the body is an empty array");

    const caller = callerKey(req);
    const messages = (Array.isArray(body) ? body : [body]) as {
      method?: string;
      id?: string | number;
      params?: { requestId?: string | number; _meta?: { progressToken?: unknown } };
    }[];
    if (messages.length > 0 && messages.every((m) => m?.method === "notifications/cancelled")) {
      for (const m of messages)
        if (caller && m.params?.requestId !== undefined && !inflight.cancel(caller, m.params.requestId))
          ctx.store.cancels.publish(caller, m.params.requestId);
      res.writeHead(202).end();
      return;
    }

    const requestIds = messages.filter((m) => m?.method && m.id !== undefined).map((m) => m.id!);
    // Stateless requests go through the process's one server (http-shared.ts); initialize and the
    // rest get a server of their own, as every POST once did.
    const shared =
      requestIds.length === messages.length && messages.every((m) => SHARED_METHODS.has(m.method!));
    // Without a progress token nothing streams back worth an SSE stream: answer with plain JSON.
    const streaming = !shared || messages.some((m) => hasProgressToken(m.params));
    // The usual POST skips the SDK's web-standard transport (http-post.ts); the rest keeps it.
    const direct =
      shared && canAnswerDirectly(req, messages) ? new DirectPost(res, requestIds, streaming) : undefined;
    const transport =
      direct ??
      new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: !streaming,
      });
    const own = shared ? undefined : createServer(ctx);
    const route = shared ? (await sharedRouter()).open(transport) : undefined;
    /** Aborts this POST's handlers (and so their upstream GLM requests). */
    const abort = (reason: string) => (route ? route.close(reason) : void own!.close().catch(() => {}));
    const unregister = caller
      ? requestIds.map((id) =>
          inflight.add(caller, id, () => {
            if (route) route.cancel(id, "cancelled");
            else abort("cancelled");
            direct?.cancel(id);
          }),
        )
      : [];
    // The identity a client cancels with (caller-identity.ts), issued with the InitializeResult.
    if (messages.some((m) => m?.method === "initialize")) res.setHeader(SESSION_HEADER, issueSessionId());
    const stop = async () => {
      abort("the server is shutting down");
      for (const id of requestIds) {
        await transport
          .send(
            {
              jsonrpc: "2.0",
              id,
              error: {
                code: -32000,
                message: "The server shut down before this call finished: call it again",
              },
            },
            { relatedRequestId: id },
          )
          .catch(() => {});
      }
    };
    stoppers.add(stop);
    inFlight++;
    res.on("close", () => {
      stoppers.delete(stop);
      for (const u of unregister) u();
      abort("the client disconnected");
      transport.close().catch(() => {});
      inFlight--;
      if (closing && inFlight === 0) drained?.();
    });
    if (own) await own.connect(transport);
    else await transport.start();
    if (direct) direct.receive(messages as JSONRPCMessage[]);
    else await (transport as StreamableHTTPServerTransport).handleRequest(req, res, body);
  };

  const limits = {
    requestTimeoutMs: opts.requestTimeoutMs ?? config.http.requestTimeoutMs,
    maxConnections: config.http.maxConnections,
  };
  const httpServer = createHttpServer(httpServerOptions(limits), (req, res) => {
    handle(req, res).catch((err) => {
      logger.error(`HTTP request failed: ${err instanceof Error ? err.message : String(err)}`);
      sendJsonRpcError(res, 500, -32603, "Internal server error");
    });
  });
  capConnections(httpServer, limits.maxConnections, logger);
  answerBeforeRefusing(httpServer);

  return new Promise((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => {
      httpServer.off("error", reject);
      const addr = httpServer.address() as AddressInfo;
      const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
      const handleOut: HttpServerHandle = {
        url: `http://${shownHost}:${addr.port}/mcp`,
        port: addr.port,
        server: httpServer,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            closing = true;
            httpServer.close(() => {
              void sharedServer?.then((router) => router.close());
              void ctx.store.close().finally(done);
            });
            httpServer.closeIdleConnections();
            const finish = () => {
              httpServer.closeAllConnections();
            };
            // Grace over: tell each client still waiting why, instead of just dropping it.
            const stopRemaining = () => {
              void Promise.all([...stoppers].map((stop) => stop())).finally(() =>
                setTimeout(finish, 100).unref(),
              );
            };
            if (inFlight === 0) finish();
            else {
              drained = finish;
              setTimeout(stopRemaining, graceMs).unref();
            }
          }),
      };
      resolve(handleOut);
    });
  });
}
