// GLM calls go over undici.request (src/glm/post.ts) and a finished body is read to its end, so the
// connection goes back to the pool instead of being aborted: two calls, one connection.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { GlmClient } from "../../src/glm/client.js";

let server: Server | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

/** A GLM-like chat endpoint that streams one chunk and [DONE], then ends the body a little later. */
async function upstream(): Promise<{ baseUrl: string; connections: () => number }> {
  const sockets = new Set<number | undefined>(); // the client ports the requests came from
  server = createServer((req, res) => {
    req.resume();
    sockets.add(req.socket.remotePort);
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = { choices: [{ index: 0, delta: { content: "hi" }, finish_reason: "stop" }] };
      res.write(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`);
      setTimeout(() => res.end(), 20); // the caller has all it needs before the body ends
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/api/paas/v4`, connections: () => sockets.size };
}

describe("GLM requests", () => {
  it("read a finished stream to its end and reuse the connection", async () => {
    const up = await upstream();
    agent = new Agent({ keepAliveTimeout: 10_000 });
    const glm = new GlmClient({
      baseUrl: up.baseUrl,
      apiKey: "test-key-0123456789",
      timeoutMs: 5_000,
      maxRetries: 0,
      dispatcher: agent,
    });
    for (let i = 0; i < 2; i++) {
      const chunks = [];
      for await (const c of glm.chatStream({ model: "glm-4.7", messages: [{ role: "user", content: "x" }] }))
        chunks.push(c);
      expect(chunks).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 60)); // the rest of the body has arrived
    }
    expect(up.connections()).toBe(1);
  });
});
