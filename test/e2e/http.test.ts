// The built CLI over streamable HTTP: transport security, progress over SSE, cancellation, retries.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { runCli, startHttpCli, type HttpChild } from "../helpers/cli.js";
import { textOf } from "../helpers/mcp.js";

let fake: FakeGlm;
let server: HttpChild;
const TOKEN = "e2e-http-token-0123456789";

beforeAll(async () => {
  fake = await startFakeGlm();
  server = await startHttpCli(["--http-token", TOKEN], {
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
  });
});
afterAll(async () => {
  await server?.stop();
  await fake.close();
});
beforeEach(() => fake.reset());

async function connect(token = TOKEN): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "e2e-http", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

const initBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const post = (headers: Record<string, string>, body = initBody) =>
  fetch(server.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body,
  });

describe("HTTP transport security", () => {
  it("answers /healthz without a token", async () => {
    const r = await fetch(server.url.replace("/mcp", "/healthz"));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "ok", store: "memory" });
  });

  it("requires the bearer token", async () => {
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: "Bearer wrong" })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it("refuses foreign Host and Origin headers (DNS rebinding)", async () => {
    const port = new URL(server.url).port;
    // fetch cannot forge Host, so speak raw HTTP.
    expect(await rawRequest(port, `localhost:${port}`)).toMatch(/^HTTP\/1\.1 200/);
    const raw = await rawRequest(port, `evil.example:${port}`);
    expect(raw).toMatch(/^HTTP\/1\.1 403/);
    const origin = await post({ authorization: `Bearer ${TOKEN}`, origin: "http://evil.example" });
    expect(origin.status).toBe(403);
    const okOrigin = await post({ authorization: `Bearer ${TOKEN}`, origin: `http://localhost:${port}` });
    expect(okOrigin.status).toBe(200);
  });

  it("has no standalone GET stream or sessions in stateless mode, and no CORS wildcard", async () => {
    const r = await fetch(server.url, {
      headers: { authorization: `Bearer ${TOKEN}`, accept: "text/event-stream" },
    });
    expect(r.status).toBe(405);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses to bind a non-loopback host without a token", async () => {
    const r = await runCli(["--http", "--host", "0.0.0.0", "--port", "0"], { GLM_API_KEY: FAKE_API_KEY });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/token/);
  });
});

describe("tools over HTTP", () => {
  it("calls glm_reason with progress notifications on the SSE response", async () => {
    fake.setChunkDelay(25);
    const client = await connect();
    try {
      const progress: string[] = [];
      const r = (await client.callTool(
        { name: "glm_reason", arguments: { prompt: "over http" } },
        undefined,
        {
          onprogress: (p) => progress.push(p.message ?? ""),
        },
      )) as CallToolResult;
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toContain("over http");
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress.some((m) => /thinking|answering/.test(m))).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("retries 1302 over HTTP too, and reports a 401 without retrying", async () => {
    const client = await connect();
    try {
      fake.fail({ kind: "status", status: 429, code: "1302", retryAfterMs: "10" });
      const ok = (await client.callTool({
        name: "glm_reason",
        arguments: { prompt: "a" },
      })) as CallToolResult;
      expect(ok.isError).toBeFalsy();
      expect(fake.requests).toHaveLength(2);
      fake.reset();
      fake.fail({ kind: "status", status: 401, code: "1001" });
      const bad = (await client.callTool({
        name: "glm_reason",
        arguments: { prompt: "b" },
      })) as CallToolResult;
      expect(bad.isError).toBe(true);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it("a cancelled call aborts the upstream request", async () => {
    fake.fail({ kind: "hang" });
    const client = await connect();
    try {
      const ac = new AbortController();
      const pending = client.callTool({ name: "glm_reason", arguments: { prompt: "hang" } }, undefined, {
        signal: ac.signal,
      });
      await expect.poll(() => fake.openRequests).toBe(1);
      ac.abort("cancelled by test");
      await expect(pending).rejects.toThrow();
      await expect.poll(() => fake.requests[0]?.aborted, { timeout: 5000 }).toBe(true);
      const next = (await client.callTool({
        name: "glm_reason",
        arguments: { prompt: "next" },
      })) as CallToolResult;
      expect(next.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });
});

describe("a cancelled call's POST", () => {
  const raw = (session: string, message: Record<string, unknown>) =>
    fetch(server.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${TOKEN}`,
        "mcp-protocol-version": "2025-06-18",
        "mcp-session-id": session,
      },
      body: JSON.stringify({ jsonrpc: "2.0", ...message }),
    });

  it("ends at once with no answer instead of holding the connection", async () => {
    fake.fail({ kind: "hang" });
    const init = await post({ authorization: `Bearer ${TOKEN}` });
    const session = init.headers.get("mcp-session-id")!;
    await init.text();
    const call = raw(session, {
      id: 7,
      method: "tools/call",
      params: { name: "glm_reason", arguments: { prompt: "hang" } },
    });
    await expect.poll(() => fake.openRequests).toBe(1);
    const cancel = await raw(session, { method: "notifications/cancelled", params: { requestId: 7 } });
    expect(cancel.status).toBe(202);
    const res = await Promise.race([
      call,
      new Promise<"still open">((r) => setTimeout(() => r("still open"), 5_000)),
    ]);
    expect(res).not.toBe("still open");
    const ended = res as Response;
    expect(ended.status).toBe(202);
    expect(await ended.text()).toBe("");
    await expect.poll(() => fake.requests[0]?.aborted, { timeout: 5000 }).toBe(true);
  });
});

async function rawRequest(port: string, host: string): Promise<string> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), "127.0.0.1", () => {
      sock.write(
        `POST /mcp HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(initBody)}\r\nConnection: close\r\n\r\n${initBody}`,
      );
    });
    let data = "";
    sock.on("data", (d) => (data += d));
    sock.on("end", () => resolve(data));
    sock.on("error", reject);
  });
}
