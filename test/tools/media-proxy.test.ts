// Media downloads from public hosts go through HTTPS_PROXY/HTTP_PROXY; private hosts never do.
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { solid } from "../helpers/media.js";
import { connect, textOf } from "../helpers/mcp.js";

let fake: FakeGlm;
let imageServer: http.Server;
let proxy: http.Server;
let proxyUrl: string;
const tunnels: string[] = [];
const sockets = new Set<net.Socket>();
let png: Buffer;

beforeAll(async () => {
  fake = await startFakeGlm();
  png = await solid(64, 48, "#ff0000", "png");
  imageServer = http.createServer((_req, res) =>
    res.writeHead(200, { "content-type": "image/png" }).end(png),
  );
  await new Promise<void>((r) => imageServer.listen(0, "127.0.0.1", r));
  const imagePort = (imageServer.address() as AddressInfo).port;
  // A CONNECT proxy that is the only way to reach "media.example" (it maps it to the image server).
  proxy = http.createServer((_req, res) => res.writeHead(400).end());
  proxy.on("connect", (req, client: net.Socket, head) => {
    tunnels.push(req.url!);
    const [host, port] = req.url!.split(":");
    const target =
      host === "media.example" ? { host: "127.0.0.1", port: imagePort } : { host: host!, port: Number(port) };
    const upstream = net.connect(target.port, target.host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream).add(client);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  proxy.closeAllConnections();
  imageServer.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  await new Promise((r) => imageServer.close(r));
  await fake.close();
});

describe("media downloads and the outbound proxy", () => {
  it("downloads a public URL through the proxy when --inline-urls is on", async () => {
    tunnels.length = 0;
    const s = await connect({
      GLM_API_KEY: FAKE_API_KEY,
      GLM_BASE_URL: fake.baseUrl,
      HTTP_PROXY: proxyUrl,
      NO_PROXY: "127.0.0.1",
      GLM_MCP_INLINE_URLS: "1",
    });
    try {
      const r = (await s.client.callTool({
        name: "vision_analyze",
        arguments: { image: "http://media.example/red.png", prompt: "colour?" },
      })) as CallToolResult;
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(tunnels).toEqual(["media.example:80"]);
      const part = fake.requests.at(-1)!.body.messages[0].content[0];
      expect(Buffer.from(part.image_url.url, "base64").equals(png)).toBe(true);
    } finally {
      await s.close();
    }
  });

  it("fetches and converts a public image URL GLM cannot take (webp, gif, no extension); a png URL passes as is", async () => {
    const s = await connect({
      GLM_API_KEY: FAKE_API_KEY,
      GLM_BASE_URL: fake.baseUrl,
      HTTP_PROXY: proxyUrl,
      NO_PROXY: "127.0.0.1",
    });
    try {
      tunnels.length = 0;
      for (const url of [
        "http://media.example/shot.webp",
        "http://media.example/anim.gif",
        "http://media.example/img?id=1",
      ]) {
        const r = (await s.client.callTool({
          name: "vision_analyze",
          arguments: { image: url, prompt: "colour?" },
        })) as CallToolResult;
        expect(r.isError, textOf(r)).toBeFalsy();
        const part = fake.requests.at(-1)!.body.messages[0].content[0];
        expect(part.image_url.url).not.toMatch(/^http/);
        expect(Buffer.from(part.image_url.url, "base64").equals(png)).toBe(true);
      }
      const r = (await s.client.callTool({
        name: "vision_analyze",
        arguments: { image: "https://media.example/photo.JPG", prompt: "colour?" },
      })) as CallToolResult;
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(fake.requests.at(-1)!.body.messages[0].content[0].image_url.url).toBe(
        "https://media.example/photo.JPG",
      );
    } finally {
      await s.close();
    }
  });
});
