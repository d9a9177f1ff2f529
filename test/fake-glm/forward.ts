// Passes one request through to `target` and its answer back, as a transparent proxy would. Closing
// either side closes the other, so a client abort reaches the upstream as an abort.
import { request, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";

export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  headers: OutgoingHttpHeaders = req.headers,
): void {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on("error", () => res.destroy());
      up.on("aborted", () => res.destroy());
    },
  );
  upstream.on("error", () => res.destroy());
  // The client went away: abort the forwarded request too, as a dropped connection would.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
