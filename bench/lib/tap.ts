// A TCP pass-through in front of the fake GLM that timestamps, per connection, the first byte of
// each HTTP response body (after the header block) on this process's clock. It adds no HTTP
// parsing on the request side, so the timing is what the server under test receives.
import net from "node:net";

export interface Tap {
  url: string;
  /** performance.now() of each response's first body byte, in arrival order. */
  firstBodyBytes: number[];
  close(): Promise<void>;
}

export async function startTap(targetUrl: string): Promise<Tap> {
  const target = new URL(targetUrl);
  const firstBodyBytes: number[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let head = "";
    let inBody = false;
    // A keep-alive connection carries several responses; a new request resets the watch.
    client.on("data", () => {
      inBody = false;
      head = "";
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!inBody) {
        head += chunk.toString("latin1");
        const end = head.indexOf("\r\n\r\n");
        if (end >= 0 && head.length > end + 4) {
          inBody = true;
          firstBodyBytes.push(performance.now());
        }
      }
    });
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    firstBodyBytes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
