// Which replica sent an upstream request: each replica reaches GLM through its own pass-through
// proxy that adds `x-replica: <name>`, which the fake records with the request. Closing the client
// side closes the forwarded request too, so an aborted call is still seen as aborted by the fake.
import { createServer, request } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export const REPLICA_HEADER = "x-replica";

export interface TagProxy {
  /** The target base URL at this proxy's origin (same path). */
  baseUrl: string;
  close(): Promise<void>;
}

export async function tagProxy(targetBaseUrl: string, name: string): Promise<TagProxy> {
  const target = new URL(targetBaseUrl);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, [REPLICA_HEADER]: name },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on("error", () => res.destroy());
        up.on("aborted", () => res.destroy());
      },
    );
    upstream.on("error", () => res.destroy());
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname.replace(/\/$/, "")}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
