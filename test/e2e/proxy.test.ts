// HTTP_PROXY / NO_PROXY are honoured by the built CLI (undici's EnvHttpProxyAgent).
import { createServer, request as httpRequest, type Server } from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { CLI, assertBuilt, cleanEnv } from "../helpers/cli.js";

let fake: FakeGlm;
let proxy: Server;
let proxyUrl: string;
const proxied: string[] = [];
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  assertBuilt();
  fake = await startFakeGlm();
  // A minimal forward proxy: plain-HTTP requests arrive in absolute form and are relayed.
  proxy = createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  // undici tunnels through CONNECT (as it does for HTTPS targets), like a corporate proxy.
  proxy.on("connect", (req, client, head) => {
    proxied.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(":");
    const upstream = net.connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    sockets.add(client as net.Socket);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  for (const s of sockets) s.destroy();
  await new Promise((r) => proxy.close(r));
  await fake.close();
});

async function callThrough(env: Record<string, string>): Promise<CallToolResult> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: cleanEnv({
      GLM_API_KEY: FAKE_API_KEY,
      GLM_BASE_URL: fake.baseUrl,
      GLM_MCP_LOG_LEVEL: "silent",
      ...env,
    }),
  });
  const client = new Client({ name: "proxy-e2e", version: "1.0.0" });
  await client.connect(transport);
  try {
    return (await client.callTool({
      name: "glm_reason",
      arguments: { prompt: "via proxy", thinking: false },
    })) as CallToolResult;
  } finally {
    await client.close();
  }
}

describe("outbound proxy", () => {
  it("sends GLM requests through HTTP_PROXY", async () => {
    proxied.length = 0;
    fake.reset();
    const r = await callThrough({ HTTP_PROXY: proxyUrl });
    expect(r.isError).toBeFalsy();
    const host = new URL(fake.baseUrl).host;
    expect(proxied.length).toBeGreaterThan(0);
    expect(
      proxied.every((p) => p === `CONNECT ${host}` || p === `POST ${fake.baseUrl}/chat/completions`),
    ).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it("bypasses the proxy for hosts in NO_PROXY", async () => {
    proxied.length = 0;
    const r = await callThrough({ HTTP_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" });
    expect(r.isError).toBeFalsy();
    expect(proxied).toEqual([]);
    expect(fake.requests.length).toBeGreaterThan(0);
  });
});
