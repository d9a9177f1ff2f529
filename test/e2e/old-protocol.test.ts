// Clients that negotiate a protocol version before 2025-06-18 (issue 23 item 6), against the built
// CLI over stdio (tools/list then comes from the start-up snapshot) and HTTP (each request names its
// version in MCP-Protocol-Version): no resource_link, no structuredContent, no outputSchema — each
// result must parse with the 2025-03-26 schema, which knew only text, image, audio and embedded
// resources. 2025-06-18 keeps the structured shapes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { startFakeRealtime, type FakeRealtime } from "../fake-glm/realtime.js";
import { assertBuilt, CLI, cleanEnv, startHttpCli, type HttpChild } from "../helpers/cli.js";

/** CallToolResult as 2025-03-26 defined it (content blocks strict: a new block type fails). */
const OldContent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }).strict(),
  z.object({ type: z.literal("image"), data: z.string(), mimeType: z.string() }).strict(),
  z.object({ type: z.literal("audio"), data: z.string(), mimeType: z.string() }).strict(),
  z
    .object({
      type: z.literal("resource"),
      resource: z.object({ uri: z.string(), mimeType: z.string().optional() }).loose(),
    })
    .strict(),
]);
const OldCallToolResult = z
  .object({ content: z.array(OldContent), isError: z.boolean().optional(), _meta: z.any().optional() })
  .strict();

let fake: FakeGlm;
let realtime: FakeRealtime;
let http: HttpChild;
const env = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_REALTIME_URL: realtime.url });

beforeAll(async () => {
  assertBuilt();
  fake = await startFakeGlm();
  realtime = await startFakeRealtime({ deltaDelayMs: 2 });
  http = await startHttpCli([], env());
}, 60_000);
afterAll(async () => {
  await http?.stop();
  await fake?.close();
  await realtime?.close();
});

/** The SDK client always asks for its latest version; this makes it ask for `version`. */
function asking<T extends Transport>(transport: T, version: string): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) =>
    send(
      "method" in message && message.method === "initialize"
        ? { ...message, params: { ...message.params, protocolVersion: version } }
        : message,
      options,
    );
  return transport;
}

async function connect(kind: "stdio" | "http", version: string): Promise<Client> {
  const transport =
    kind === "stdio"
      ? new StdioClientTransport({
          command: process.execPath,
          args: [CLI],
          env: cleanEnv(env()),
          stderr: "ignore",
        })
      : new StreamableHTTPClientTransport(new URL(http.url));
  const client = new Client({ name: "old-protocol-test", version: "1" });
  await client.connect(asking(transport, version));
  return client;
}

/** The three tools whose results link saved files. */
const LINKING_CALLS: [string, Record<string, unknown>][] = [
  ["embed_text", { texts: ["a", "b"], dimensions: 256, output: "file" }],
  ["voice_reply", { text: "say hello" }],
  ["realtime_chat", { text: "say hello" }],
];

describe.each(["stdio", "http"] as const)("%s", (kind) => {
  it("2025-03-26: tools/list without outputSchema; linked files as text; no structuredContent", async () => {
    const client = await connect(kind, "2025-03-26");
    try {
      expect(client.getServerVersion()?.name).toBe("glm-mcp");
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(0);
      for (const t of tools) expect(t.outputSchema, t.name).toBeUndefined();
      for (const [name, args] of LINKING_CALLS) {
        const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
        expect(r.isError, `${name}: ${JSON.stringify(r.content)}`).toBeFalsy();
        const parsed = OldCallToolResult.safeParse(r);
        expect(parsed.error?.issues, name).toBeUndefined();
        const saved = r.content.find(
          (b) => b.type === "text" && b.text.startsWith("Saved file glm://output/"),
        );
        expect(saved, name).toBeDefined();
      }
    } finally {
      await client.close();
    }
  });

  it("2025-06-18: outputSchema, resource_link and structuredContent stay", async () => {
    const client = await connect(kind, "2025-06-18");
    try {
      const { tools } = await client.listTools();
      expect(tools.find((t) => t.name === "embed_text")!.outputSchema).toBeDefined();
      const r = (await client.callTool({
        name: "embed_text",
        arguments: LINKING_CALLS[0]![1],
      })) as CallToolResult;
      expect(r.structuredContent).toBeDefined();
      expect(r.content.some((b) => b.type === "resource_link")).toBe(true);
      expect(OldCallToolResult.safeParse(r).success).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe("http without MCP-Protocol-Version (clients older than the header, e.g. TS SDK 1.11)", () => {
  const post = async (body: unknown) => {
    const res = await fetch(http.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    // One JSON body, or SSE frames whose data lines carry it.
    const json = text.startsWith("{")
      ? text
      : text
          .split("\n")
          .find((l) => l.startsWith("data: "))!
          .slice(6);
    return JSON.parse(json) as { result?: any; error?: unknown };
  };

  it("are answered as 2025-03-26: no outputSchema, no structuredContent, no resource_link", async () => {
    const init = await post({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "old", version: "1" } },
    });
    expect(init.result.protocolVersion).toBe("2025-03-26");
    const list = await post({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    for (const t of list.result.tools) expect(t.outputSchema, t.name).toBeUndefined();
    const call = await post({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "embed_text", arguments: LINKING_CALLS[0]![1] },
    });
    expect(call.result.isError, JSON.stringify(call.result.content)).toBeFalsy();
    expect(OldCallToolResult.safeParse(call.result).error?.issues).toBeUndefined();
  });
});
