// The fake GLM-Realtime WebSocket server: a real ws:// server on 127.0.0.1 serving
// /api/paas/v4/realtime with the platform's auth (Authorization: Bearer <key> header, or the
// browser form ?Authorization=<key>), event flow and validation (see realtime-session.ts).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { messageForCode } from "./errors.js";
import { FakeRealtimeSession } from "./realtime-session.js";
import type {
  FakeRealtime,
  FakeRealtimeOptions,
  RealtimeScript,
  RecordedConnection,
} from "./realtime-types.js";
import { FAKE_API_KEY } from "./server.js";

export type * from "./realtime-types.js";

export const REALTIME_PATH = "/api/paas/v4/realtime";

export async function startFakeRealtime(opts: FakeRealtimeOptions = {}): Promise<FakeRealtime> {
  const apiKey = opts.apiKey ?? FAKE_API_KEY;
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  const deltaDelayMs = opts.deltaDelayMs ?? 5;
  const connections: RecordedConnection[] = [];
  const rejectedHandshakes: { path: string; status: number }[] = [];
  const scripts: RealtimeScript[] = [];
  const sessions = new Set<FakeRealtimeSession>();
  const sockets = new Set<WebSocket>();

  const http = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "application/json; charset=UTF-8" });
    res.end(JSON.stringify({ error: { code: "1214", message: "该接口仅支持 WebSocket 连接" } }));
  });
  const wss = new WebSocketServer({ noServer: true });

  const reject = (socket: Socket, path: string, status: number, code: string) => {
    rejectedHandshakes.push({ path, status });
    const body = JSON.stringify({ error: { code, message: messageForCode(code) } });
    const reason = status === 401 ? "Unauthorized" : "Not Found";
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  http.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname !== REALTIME_PATH) return reject(socket, url.pathname, 404, "1222");
    const header = req.headers.authorization;
    const queryKey = url.searchParams.get("Authorization");
    const presented = header ? /^Bearer (.+)$/.exec(header)?.[1] : (queryKey ?? undefined);
    if (!presented) return reject(socket, url.pathname, 401, "1001");
    if (presented !== apiKey) return reject(socket, url.pathname, 401, "1000");
    wss.handleUpgrade(req, socket, head, (ws) => {
      let markClosed!: (c: { by: "client" | "server"; code: number }) => void;
      const record: RecordedConnection = {
        id: connections.length + 1,
        path: url.pathname,
        headers: { ...req.headers },
        events: [],
        sent: [],
        droppedAppends: 0,
        peakAppendsPerSec: 0,
        whenClosed: new Promise((resolve) => (markClosed = resolve)),
      };
      connections.push(record);
      sockets.add(ws);
      const session = new FakeRealtimeSession(
        ws,
        record,
        { ...(scripts.shift() ?? {}) },
        { heartbeatMs, deltaDelayMs },
      );
      sessions.add(session);
      let serverClosing = false;
      const origTerminate = ws.terminate.bind(ws);
      ws.terminate = () => {
        serverClosing = true;
        origTerminate();
      };
      session.markServerClose = () => (serverClosing = true);
      ws.on("message", (data, isBinary) => {
        if (isBinary) return session.handle("\u0000binary");
        session.handle(data.toString("utf8"));
      });
      ws.on("close", (code) => {
        session.stop();
        sessions.delete(session);
        sockets.delete(ws);
        record.closed = { by: serverClosing ? "server" : "client", code };
        markClosed(record.closed);
      });
      ws.on("error", () => {});
      session.start();
    });
  });

  await new Promise<void>((resolve) => http.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;

  return {
    url: `ws://127.0.0.1:${port}${REALTIME_PATH}`,
    apiKey,
    connections,
    get events() {
      return connections.flatMap((c) => c.events).sort((a, b) => a.at - b.at);
    },
    rejectedHandshakes,
    script(s, o = {}) {
      for (let i = 0; i < (o.times ?? 1); i++) scripts.push(structuredClone(s));
    },
    get openConnections() {
      return sockets.size;
    },
    reset() {
      connections.length = 0;
      rejectedHandshakes.length = 0;
      scripts.length = 0;
    },
    async close() {
      for (const s of sessions) s.stop();
      for (const ws of sockets) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
