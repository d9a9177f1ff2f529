// An account concurrency limit in front of the fake GLM: a pass-through HTTP proxy that counts
// requests in flight (arrival to end of response) and answers GLM's 429 / 1302 "rate limited" when
// one more would exceed `max`, the way GLM treats an account over its concurrency allowance.
// It wraps the fake rather than hooking into it, so the fake itself stays unchanged.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { forward } from "./forward.js";
import type { AddressInfo, Socket } from "node:net";
import { messageForCode } from "./errors.js";
import { API_PREFIXES } from "./server.js";
import type { FakeGlm } from "./types.js";

export interface ConcurrencyLimit {
  /** Point the client here instead of fake.baseUrl. */
  baseUrl: string;
  /** Requests forwarded and not yet finished. */
  readonly open: number;
  /** Most requests that were open at once (including refused ones, which never reached the fake). */
  readonly peak: number;
  /** Requests answered 1302 because `max` were already open. */
  readonly refused: number;
  /** Requests forwarded to the fake. */
  readonly forwarded: number;
  close(): Promise<void>;
}

export async function limitConcurrency(fake: FakeGlm, max: number): Promise<ConcurrencyLimit> {
  const target = new URL(fake.url);
  let open = 0;
  let peak = 0;
  let refused = 0;
  let forwarded = 0;
  const sockets = new Set<Socket>();

  const refuse = (res: ServerResponse) => {
    refused++;
    const body = JSON.stringify({ error: { code: "1302", message: messageForCode("1302") } });
    res.writeHead(429, {
      "content-type": "application/json; charset=UTF-8",
      "content-length": String(Buffer.byteLength(body)),
    });
    res.end(body);
  };

  let arrived = 0; // open requests, refused ones included (until their 429 is sent)
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    arrived++;
    peak = Math.max(peak, arrived);
    res.on("close", () => arrived--);
    if (open >= max) {
      req.resume();
      return refuse(res);
    }
    open++;
    forwarded++;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      open--;
    };
    res.on("close", finish);
    forward(req, res, target);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl: url + API_PREFIXES[0],
    get open() {
      return open;
    },
    get peak() {
      return peak;
    },
    get refused() {
      return refused;
    },
    get forwarded() {
      return forwarded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
