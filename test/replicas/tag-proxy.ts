// Which replica sent an upstream request: each replica reaches GLM through its own pass-through
// proxy that adds `x-replica: <name>`, which the fake records with the request. Closing the client
// side closes the forwarded request too, so an aborted call is still seen as aborted by the fake.
import { createServer } from "node:http";
import { forward } from "../fake-glm/forward.js";
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
    forward(req, res, target, { ...req.headers, [REPLICA_HEADER]: name });
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
