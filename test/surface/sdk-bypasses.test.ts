// Every place glm-mcp goes around @modelcontextprotocol/sdk rests on something the SDK does today.
// Each test here asserts that SDK behaviour on a bare SDK server (none of our code in the way, unless
// the test compares the two), so an SDK upgrade that changes it fails here, by name, instead of
// somewhere far away. The table in CONTRIBUTING.md ("Where we go around the SDK") points at each one.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { MAX_BATCH_SIZE } from "@modelcontextprotocol/sdk/server/requestBody.js";
import { DEFAULT_SSE_KEEP_ALIVE_MS } from "@modelcontextprotocol/sdk/server/sseKeepAlive.js";
import { getParseErrorMessage } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import {
  ReadBuffer,
  serializeMessage,
  STDIO_DEFAULT_MAX_BUFFER_SIZE,
} from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolResultSchema,
  ErrorCode,
  JSONRPCMessageSchema,
  JSONRPCRequestSchema,
  ListToolsRequestSchema,
  McpError,
  SetLevelRequestSchema,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import { wrapEveryRequestHandler, wrapRequestHandler } from "../../src/util/sdk-handlers.js";
import { isWellFormedRequest } from "../../src/transports/jsonrpc-shape.js";
import { screenLine } from "../../src/transports/stdio-screen.js";
import { LineTransport } from "../../src/transports/stdio-transport.js";
import { DirectPost, MAX_BATCH, SSE_KEEP_ALIVE_MS } from "../../src/transports/http-post.js";
import { answerInvalidParams } from "../../src/server/param-errors.js";
import { MAX_BODY_BYTES } from "../../src/transports/http-limits.js";
import { ROOT } from "../helpers/cli.js";
import { codeSpans, tableRows } from "../helpers/markdown.js";

const bare = (options: ConstructorParameters<typeof McpServer>[1] = {}) =>
  new McpServer({ name: "bare", version: "0.0.0" }, { capabilities: { logging: {} }, ...options });

const INIT = {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "pin", version: "0" },
};

/** A server on one end of an in-memory pair; raw JSON-RPC in, every message out collected. */
async function rawPeer(server: McpServer) {
  const [client, serverSide] = InMemoryTransport.createLinkedPair();
  const out: JSONRPCMessage[] = [];
  client.onmessage = (m) => void out.push(m);
  await server.connect(serverSide);
  await client.start();
  const answerTo = async (message: Record<string, unknown>) => {
    await client.send(message as JSONRPCMessage);
    for (let i = 0; i < 50; i++) {
      const hit = out.find((m) => "id" in m && m.id === message.id && !("method" in m));
      if (hit) return hit as { result?: Record<string, unknown>; error?: { code: number; message: string } };
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no answer to ${String(message.id)}`);
  };
  return { answerTo, close: () => server.close() };
}

async function sdkClient(server: McpServer) {
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "pin", version: "0" });
  await server.connect(b);
  await client.connect(a);
  return client;
}

describe("the SDK's private request-handler map (src/util/sdk-handlers.ts)", () => {
  it("is a Map on server.server holding the handlers the SDK and registerTool install", () => {
    const server = bare();
    const map = (server.server as unknown as { _requestHandlers: unknown })._requestHandlers;
    expect(map).toBeInstanceOf(Map);
    const keys = () => [...(map as Map<string, unknown>).keys()];
    expect(keys()).toEqual(expect.arrayContaining(["initialize", "ping", "logging/setLevel"]));
    server.registerTool("t", { inputSchema: z.looseObject({}) }, () => ({ content: [] }));
    expect(keys()).toEqual(expect.arrayContaining(["tools/call", "tools/list"]));
    expect(wrapRequestHandler(server, "initialize", (inner) => inner)).toBe(true);
    expect(wrapRequestHandler(server, "no/such/method", (inner) => inner)).toBe(false);
  });

  it("fails loudly when the map is gone", () => {
    const server = bare();
    Object.defineProperty(server.server, "_requestHandlers", { value: undefined });
    expect(() => wrapRequestHandler(server, "initialize", (i) => i)).toThrow(/_requestHandlers/);
  });

  it("is read on every request, so a wrap installed after connect applies", async () => {
    const server = bare();
    const peer = await rawPeer(server);
    const seen: string[] = [];
    wrapEveryRequestHandler(server, (method, inner) => async (request, extra) => {
      seen.push(method);
      return inner(request, extra);
    });
    expect(
      (await peer.answerTo({ jsonrpc: "2.0", id: 1, method: "initialize", params: INIT })).result,
    ).toMatchObject({ protocolVersion: "2025-06-18" }); // what protocol-version.ts reads
    await peer.answerTo({ jsonrpc: "2.0", id: 2, method: "ping" });
    expect(seen).toEqual(["initialize", "ping"]);
    await peer.close();
  });

  it("hands a handler's params parse failure up as a ZodError, which the SDK answers -32603", async () => {
    // The reason for server/param-errors.ts: without it a caller's bad params are an internal error.
    const server = bare();
    let thrown: unknown;
    wrapRequestHandler(server, "initialize", (inner) => async (request, extra) => {
      try {
        return await inner(request, extra);
      } catch (err) {
        thrown = err;
        throw err;
      }
    });
    const peer = await rawPeer(server);
    const bad = { jsonrpc: "2.0", id: 1, method: "initialize", params: { ...INIT, protocolVersion: 5 } };
    const answer = await peer.answerTo(bad);
    expect(answer.error?.code).toBe(ErrorCode.InternalError);
    expect((thrown as Error).name).toMatch(/^\$?ZodError$/); // param-errors.ts's isZodError
    expect((thrown as { issues: { path: unknown[] }[] }).issues[0]?.path).toEqual([
      "params",
      "protocolVersion",
    ]);
    await peer.close();
  });

  it("answers a thrown Error with a numeric code with exactly that code and message", async () => {
    const server = bare();
    answerInvalidParams(server);
    const peer = await rawPeer(server);
    const bad = { jsonrpc: "2.0", id: 1, method: "initialize", params: { ...INIT, protocolVersion: 5 } };
    expect((await peer.answerTo(bad)).error).toEqual({
      code: ErrorCode.InvalidParams,
      message:
        "Invalid params for initialize: params.protocolVersion: Invalid input: expected string, received number",
    });
    await peer.close();
  });
});

describe("logging/setLevel (src/server/log-level.ts): public API only", () => {
  it("setRequestHandler replaces the SDK's own setLevel handler", async () => {
    const server = bare();
    let ours = 0;
    server.server.setRequestHandler(SetLevelRequestSchema, () => {
      ours++;
      return {};
    });
    const client = await sdkClient(server);
    await client.setLoggingLevel("error");
    expect(ours).toBe(1);
    // The SDK's store did not see it: its own filter would let an info line through.
    const ignored = (server.server as unknown as { isMessageIgnored(l: string): boolean }).isMessageIgnored;
    expect(ignored("info")).toBe(false);
    await client.close();
  });

  it("a tool's extra.sendNotification goes through the instance's notification method", async () => {
    const server = bare();
    server.registerTool("t", { inputSchema: z.looseObject({}) }, async (_a, extra) => {
      await extra.sendNotification({ method: "notifications/message", params: { level: "info", data: "x" } });
      return { content: [] };
    });
    const seen: string[] = [];
    const send = server.server.notification.bind(server.server);
    server.server.notification = (n, o) => {
      seen.push(n.method);
      return send(n, o);
    };
    const client = await sdkClient(server);
    await client.callTool({ name: "t", arguments: {} });
    expect(seen).toContain("notifications/message");
    await client.close();
  });
});

describe("registerTool with z.looseObject (tools/define-tool.ts: aliases need every argument)", () => {
  it("hands the callback every argument unchanged, unknown keys and nesting kept", async () => {
    const server = bare();
    let got: unknown;
    server.registerTool("t", { inputSchema: z.looseObject({}) }, (args) => {
      got = args;
      return { content: [] };
    });
    const client = await sdkClient(server);
    const args = { Prompt: "p", image_url: { url: "u" }, list: [1, [2, { x: null }]], n: 1.5 };
    await client.callTool({ name: "t", arguments: args });
    expect(got).toEqual(args);
    await client.close();
  });

  it("still applies maxToolInputElements before the callback", async () => {
    const server = bare({ maxToolInputElements: 3 });
    let called = false;
    server.registerTool("t", { inputSchema: z.looseObject({}) }, () => {
      called = true;
      return { content: [] };
    });
    const client = await sdkClient(server);
    const r = await client.callTool({ name: "t", arguments: { a: [1, 2, 3, 4] } });
    expect(r.isError).toBe(true);
    expect(called).toBe(false);
    await client.close();
  });

  it("the SDK's input-error wording is the one define-tool.ts's validationError copies", async () => {
    const server = bare();
    server.registerTool("t", { inputSchema: { n: z.number() } }, () => ({ content: [] }));
    const client = await sdkClient(server);
    const r = await client.callTool({ name: "t", arguments: { n: "x" } });
    const parsed = z.object({ n: z.number() }).strict().safeParse({ n: "x" });
    const expected = new McpError(
      ErrorCode.InvalidParams,
      `Input validation error: Invalid arguments for tool t: ${getParseErrorMessage(parsed.error!)}`,
    ).message;
    expect(r).toMatchObject({ isError: true, content: [{ type: "text", text: expected }] });
    await client.close();
  });
});

describe("own tools/list handler (tools/define-tool.ts serveCanonicalList)", () => {
  it("the SDK would list the permissive schema: no properties, so agents would see no arguments", async () => {
    const server = bare();
    server.registerTool("t", { inputSchema: z.looseObject({}) }, () => ({ content: [] }));
    const client = await sdkClient(server);
    const { tools } = await client.listTools();
    expect(tools[0]?.inputSchema.properties ?? {}).toEqual({});
    await client.close();
  });

  it("setRequestHandler(ListToolsRequestSchema) replaces the SDK's, and later registerTool keeps it", async () => {
    const server = bare();
    const first = server.registerTool(
      "a",
      { title: "A", description: "d", inputSchema: z.looseObject({}) },
      () => ({
        content: [],
      }),
    );
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [
        { name: "ours", inputSchema: { type: "object" as const, properties: { p: { type: "string" } } } },
      ],
    }));
    server.registerTool("b", { inputSchema: z.looseObject({}) }, () => ({ content: [] }));
    const client = await sdkClient(server);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["ours"]);
    // The fields serveCanonicalList copies from the RegisteredTool.
    expect(first).toMatchObject({ title: "A", description: "d", enabled: true });
    first.disable();
    expect(first.enabled).toBe(false);
    await client.close();
  });
});

describe("outputSchema withheld from the SDK (tools/define-tool.ts)", () => {
  const wrong = () => ({ content: [{ type: "text" as const, text: "x" }], structuredContent: { n: "x" } });

  it("given one, the SDK checks every result's structuredContent against it", async () => {
    const server = bare();
    server.registerTool("t", { inputSchema: z.looseObject({}), outputSchema: { n: z.number() } }, wrong);
    const client = await sdkClient(server);
    const r = await client.callTool({ name: "t", arguments: {} }, CallToolResultSchema);
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toContain("Output validation error");
    // And a result without structuredContent (what output/legacy-shape.ts makes for a client older
    // than 2025-06-18) would fail every call.
    server.registerTool(
      "legacy",
      { inputSchema: z.looseObject({}), outputSchema: { n: z.number() } },
      () => ({
        content: [{ type: "text" as const, text: "x" }],
      }),
    );
    const legacy = await client.callTool({ name: "legacy", arguments: {} }, CallToolResultSchema);
    expect(legacy.isError).toBe(true);
    expect(JSON.stringify(legacy.content)).toContain("no structured content");
    await client.close();
  });

  it("withheld, the result passes as is, and an SDK client still checks it against the listed schema", async () => {
    const server = bare();
    server.registerTool("t", { inputSchema: z.looseObject({}) }, wrong);
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [
        {
          name: "t",
          inputSchema: { type: "object" as const },
          outputSchema: { type: "object" as const, properties: { n: { type: "number" } }, required: ["n"] },
        },
      ],
    }));
    const client = await sdkClient(server);
    // The client takes the schemas from its last tools/list: without one, it checks nothing.
    await expect(client.callTool({ name: "t", arguments: {} })).resolves.toMatchObject({
      structuredContent: { n: "x" },
    });
    await client.listTools();
    await expect(client.callTool({ name: "t", arguments: {} })).rejects.toThrow(/structured content/i);
    await client.close();
  });
});

describe("one shared McpServer for stateless HTTP requests (src/transports/http-shared.ts)", () => {
  it("a handler's notifications reach the transport with the id of the request they belong to", async () => {
    // The router sends each call's notifications back to that call's POST by relatedRequestId.
    const sent: { message: JSONRPCMessage; related: unknown }[] = [];
    const transport: Transport = {
      start: async () => {},
      close: async () => {},
      send: async (message, options) => void sent.push({ message, related: options?.relatedRequestId }),
    };
    const server = bare();
    server.registerTool("t", { inputSchema: z.looseObject({}) }, async (_a, extra) => {
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken: 1, progress: 1 },
      });
      return { content: [] };
    });
    await server.connect(transport);
    transport.onmessage?.({
      jsonrpc: "2.0",
      id: "h7",
      method: "tools/call",
      params: { name: "t", arguments: {} },
    });
    for (let i = 0; i < 50 && sent.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(sent[0]).toMatchObject({ message: { method: "notifications/progress" }, related: "h7" });
    // The answer is routed by its own id (the router's id for the client's).
    expect(sent[1]?.message).toMatchObject({ jsonrpc: "2.0", id: "h7", result: {} });
    await server.close();
  });
});

describe("stdio: own line screen and line transport (src/transports/stdio-*.ts)", () => {
  const messages: JSONRPCMessage[] = [
    { jsonrpc: "2.0", id: 1, result: { text: 'héllo \u2028 \u{1F600} "q" \\ \n' } },
    { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "t", progress: 1 } },
    { jsonrpc: "2.0", id: "s", error: { code: -32602, message: "m" } },
  ];

  it("the line transport writes exactly the SDK's serializeMessage framing", async () => {
    let written = "";
    const out = new Writable({
      write(chunk: Buffer, _e, done) {
        written += chunk.toString("utf8");
        done();
      },
    });
    const t = new LineTransport(out);
    for (const m of messages) await t.send(m);
    expect(written).toBe(messages.map(serializeMessage).join(""));
  });

  it("the SDK's ReadBuffer and the screen read the same messages from the same bytes", () => {
    const lines = messages.map((m, i) => JSON.stringify(m) + (i === 1 ? "\r\n" : "\n")).join("");
    const rb = new ReadBuffer();
    rb.append(Buffer.from(lines));
    const sdk: unknown[] = [];
    for (let m = rb.readMessage(); m; m = rb.readMessage()) sdk.push(m);
    const ours = lines
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => screenLine(l));
    expect(ours).toEqual(sdk.map((message) => ({ message })));
  });

  it("requests the screen takes without zod are ones the SDK's schema takes", () => {
    const samples: unknown[] = [
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", id: "a", method: "tools/call", params: { name: "x", _meta: { progressToken: 2 } } },
      { jsonrpc: "2.0", id: 1, method: "ping", extra: 1 },
      { jsonrpc: "2.0", id: 1.5, method: "ping" },
      { jsonrpc: "2.0", id: null, method: "ping" },
      { jsonrpc: "2.0", id: 1, method: "x", params: [] },
      { jsonrpc: "2.0", id: 1, method: "x", params: { _meta: { progressToken: 1.5 } } },
      { jsonrpc: "2.0", id: 1, method: "x", params: { _meta: 3 } },
    ];
    for (const m of samples)
      expect([JSON.stringify(m), isWellFormedRequest(m)]).toEqual([
        JSON.stringify(m),
        JSONRPCRequestSchema.safeParse(m).success && JSONRPCMessageSchema.safeParse(m).success,
      ]);
  });

  it("the SDK's stdio transport closes on one line over its 10 MB buffer (why line-cap.ts caps per line)", async () => {
    const stdin = new PassThrough();
    const transport = new StdioServerTransport(stdin, new PassThrough());
    const server = bare();
    await server.connect(transport);
    let closed = false;
    transport.onclose = () => void (closed = true);
    transport.onerror = () => {};
    stdin.write(Buffer.alloc(STDIO_DEFAULT_MAX_BUFFER_SIZE + 1, 0x61));
    for (let i = 0; i < 50 && !closed; i++) await new Promise((r) => setTimeout(r, 5));
    expect(closed).toBe(true);
    expect(MAX_BODY_BYTES).toBeGreaterThan(STDIO_DEFAULT_MAX_BUFFER_SIZE);
    await server.close();
  });

  it("the SDK's stdio transport drops a malformed request unanswered (why the screen answers it)", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let written = "";
    stdout.on("data", (c: Buffer) => (written += c.toString("utf8")));
    const transport = new StdioServerTransport(stdin, stdout);
    const server = bare();
    const errors: Error[] = [];
    await server.connect(transport);
    transport.onerror = (e) => void errors.push(e);
    const malformed = '{"jsonrpc":"2.0","id":7,"method":5}';
    stdin.write(malformed + "\n" + JSON.stringify({ jsonrpc: "2.0", id: 8, method: "ping" }) + "\n");
    for (let i = 0; i < 50 && !written.includes('"id":8'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(written).toContain('"id":8');
    expect(written).not.toContain('"id":7');
    expect(errors.length).toBeGreaterThan(0);
    expect(screenLine(malformed)).toMatchObject({ refusals: [{ id: 7, error: { code: -32600 } }] });
    await server.close();
  });
});

describe("HTTP fast path (src/transports/http-post.ts)", () => {
  const servers: ReturnType<typeof createHttpServer>[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  it("copies the SDK's batch cap and SSE keep-alive", () => {
    expect(MAX_BATCH).toBe(MAX_BATCH_SIZE);
    expect(SSE_KEEP_ALIVE_MS).toBe(DEFAULT_SSE_KEEP_ALIVE_MS);
  });

  /** One HTTP server answering each POST through either the SDK's transport or DirectPost. */
  async function listen(path: "sdk" | "direct"): Promise<string> {
    const http = createHttpServer(async (req: IncomingMessage, res: ServerResponse) => {
      let raw = "";
      for await (const c of req) raw += String(c);
      const body = JSON.parse(raw) as Record<string, unknown> | Record<string, unknown>[];
      const messages = (Array.isArray(body) ? body : [body]) as JSONRPCMessage[];
      const streaming = messages.some((m) => "params" in m && (m.params as { _meta?: object })?._meta);
      const server = bare();
      server.registerTool("echo", { inputSchema: z.looseObject({}) }, async (args, extra) => {
        if (extra._meta?.progressToken !== undefined)
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken: extra._meta.progressToken, progress: 1 },
          });
        // tools/protocol-version.ts reads the request's version from extra.requestInfo.
        const version = extra.requestInfo?.headers["mcp-protocol-version"];
        return { content: [{ type: "text", text: JSON.stringify({ args, version }) }] };
      });
      res.on("close", () => void server.close());
      if (path === "direct") {
        const ids = messages.map((m) => (m as { id: string | number }).id);
        const direct = new DirectPost(res, ids, streaming);
        await server.connect(direct);
        direct.receive(messages);
      } else {
        const t = new StreamableHTTPServerTransport({
          sessionIdGenerator: undefined,
          enableJsonResponse: !streaming,
        });
        await server.connect(t);
        await t.handleRequest(req, res, body);
      }
    });
    servers.push(http);
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  }

  const HEADERS = ["content-type", "cache-control", "connection", "x-accel-buffering"] as const;

  async function post(url: string, body: unknown) {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify(body),
    });
    const headers = Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)]));
    if (headers["connection"] !== "keep-alive" || !headers["content-type"]?.startsWith("text/event-stream"))
      delete headers["connection"]; // Node's own default for a plain response, not the transport's
    return { status: res.status, headers, text: await res.text() };
  }

  const call = (id: number | string, progress?: number) => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: {
      name: "echo",
      arguments: { a: [1, "é"] },
      ...(progress === undefined ? {} : { _meta: { progressToken: progress } }),
    },
  });

  it("answers a JSON POST, single and batched, as the SDK's transport does", async () => {
    const [sdk, direct] = [await listen("sdk"), await listen("direct")];
    for (const body of [call(1), [call(1), call("two")], { jsonrpc: "2.0", id: 3, method: "tools/list" }]) {
      const [a, b] = [await post(sdk, body), await post(direct, body)];
      expect(b.status).toBe(a.status);
      expect(b.headers).toEqual(a.headers);
      expect(JSON.parse(b.text)).toEqual(JSON.parse(a.text));
    }
    expect((await post(sdk, call(4))).text).toContain('\\"version\\":\\"2025-06-18\\"');
  });

  it("streams a call with a progress token with the SDK's headers and frames", async () => {
    const [sdk, direct] = [await listen("sdk"), await listen("direct")];
    const [a, b] = [await post(sdk, call(5, 9)), await post(direct, call(5, 9))];
    expect(b.status).toBe(a.status);
    expect(b.headers).toEqual(a.headers);
    const frames = (t: string) =>
      t
        .split("\n\n")
        .filter((f) => f.startsWith("event:"))
        .map((f) => f.replace(/^id: .*\n/m, ""));
    expect(frames(b.text)).toEqual(frames(a.text));
    expect(frames(a.text)).toHaveLength(2);
  });
});

describe('CONTRIBUTING.md "Where we go around the SDK"', () => {
  const rows = tableRows(readFileSync(path.join(ROOT, "CONTRIBUTING.md"), "utf8"), /^\| Bypass \(where\) \|/);
  const self = readFileSync(path.join(ROOT, "test/surface/sdk-bypasses.test.ts"), "utf8");

  it("names only files that exist and test names this file has", () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    const files = rows
      .flatMap((r) => codeSpans(r.join(" ")))
      .filter((c) => /^(src|test|scripts)\/.+\.ts$/.test(c));
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => !existsSync(path.join(ROOT, f)))).toEqual([]);
    const names = rows.flatMap((r) => [...r[3]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
    expect(names.length).toBeGreaterThanOrEqual(8);
    // A name is the start of a describe block's title here.
    expect(names.filter((n) => !self.includes(`describe("${n}`))).toEqual([]);
  });

  it("gives every row its reason and its pin", () => {
    for (const r of rows) {
      expect(r[2], r[0]).toMatch(/^(Measured|Behaviour):/);
      expect(r[3]!.length, r[0]).toBeGreaterThan(10);
    }
  });
});
