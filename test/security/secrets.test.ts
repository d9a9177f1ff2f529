// The API key (and the HTTP token) never appear in a log line, an error text, a notification or a
// result. A representative set of calls — successes, every error kind, retries, a timeout, a
// cancellation, bad input, and upstream errors that echo the key back — runs at debug log level
// through the in-memory server, the spawned CLI over stdio and over HTTP (token set). Everything produced is scanned for the secrets and any long piece of them.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startFakeGlm, type Fault, type FakeGlm } from "../fake-glm/index.js";
import { CLI, cleanEnv, startHttpCli } from "../helpers/cli.js";
import { connect } from "../helpers/mcp.js";
import { availableKinds, type CallKind } from "../load/calls.js";

const KEY_SECRET = randomBytes(16).toString("hex");
const TOKEN_SECRET = randomBytes(16).toString("hex");
const KEY = `sk.${KEY_SECRET}`;
const TOKEN = `tok-${TOKEN_SECRET}`;

/** Every 12-character piece of the secrets' random parts (catches partial or cut-off leaks). */
const NEEDLES = [
  KEY,
  TOKEN,
  ...[KEY_SECRET, TOKEN_SECRET].flatMap((s) =>
    Array.from({ length: s.length - 11 }, (_, i) => s.slice(i, i + 12)),
  ),
];
const leaks = (text: string) => NEEDLES.filter((n) => text.includes(n));

interface Scenario {
  name: string;
  setup?(fake: FakeGlm): void;
  fault?: Fault;
  times?: number;
  /** Replace the call's arguments (bad input). */
  args?: Record<string, unknown>;
  /** Abort the call once GLM has it. */
  cancel?: boolean;
  expectError: boolean;
}

const many = 10; // more than the retries allowed, so "forever"
const SCENARIOS: Scenario[] = [
  { name: "success", expectError: false },
  { name: "401 bad key (1000)", fault: { kind: "status", status: 401, code: "1000" }, expectError: true },
  { name: "401 no key (1001)", fault: { kind: "status", status: 401, code: "1001" }, expectError: true },
  { name: "1113 no balance", fault: { kind: "status", status: 429, code: "1113" }, expectError: true },
  { name: "1211 unknown model", fault: { kind: "status", status: 400, code: "1211" }, expectError: true },
  { name: "1261 prompt too long", fault: { kind: "status", status: 400, code: "1261" }, expectError: true },
  { name: "1301 sensitive", fault: { kind: "status", status: 400, code: "1301" }, expectError: true },
  { name: "finish_reason sensitive", fault: { kind: "sensitive" }, expectError: true },
  {
    name: "1302 then success (retry)",
    fault: { kind: "status", status: 429, code: "1302" },
    expectError: false,
  },
  {
    name: "1305 forever",
    fault: { kind: "status", status: 429, code: "1305" },
    times: many,
    expectError: true,
  },
  { name: "500 forever", fault: { kind: "status", status: 500 }, times: many, expectError: true },
  { name: "connection reset forever", fault: { kind: "reset" }, times: many, expectError: true },
  { name: "stream cut", fault: { kind: "stream-cut", afterChunks: 2 }, expectError: true },
  { name: "malformed JSON", fault: { kind: "malformed-json" }, times: many, expectError: true },
  { name: "hang until the client timeout", fault: { kind: "hang" }, times: many, expectError: true },
  { name: "slow trickle", fault: { kind: "slow", chunkDelayMs: 20 }, expectError: false },
  // GLM (or a proxy) echoing the key or token back in an error message must not carry it through.
  {
    name: "upstream error quoting the key",
    fault: {
      kind: "status",
      status: 400,
      code: "1214",
      message: `invalid Authorization: Bearer ${KEY} (token ${TOKEN})`,
    },
    expectError: true,
  },
  {
    name: "in-stream error quoting the key",
    fault: { kind: "stream-error", afterChunks: 1, code: "1214", message: `key ${KEY} rejected` },
    expectError: true,
  },
  { name: "cancelled mid-call", fault: { kind: "hang" }, cancel: true, expectError: true },
  {
    name: "invalid arguments",
    args: { prompt: 42, texts: 42, no_such_field: KEY.slice(0, 3) },
    expectError: true,
  },
];

const ENV = (fake: FakeGlm) => ({
  GLM_BASE_URL: fake.baseUrl,
  GLM_MCP_LOG_LEVEL: "debug",
  GLM_MAX_RETRIES: "1",
  GLM_TIMEOUT_MS: "400",
});

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm({ apiKey: KEY });
});
afterAll(() => fake.close());

/** Runs every scenario for every available tool kind; returns all text the client saw. */
async function runAll(
  client: Client,
  seen: string[],
): Promise<{ errors: number; calls: number; keyed: number }> {
  client.fallbackNotificationHandler = async (n) => void seen.push(JSON.stringify(n));
  const { tools } = await client.listTools();
  seen.push(JSON.stringify(tools));
  const kinds: CallKind[] = await availableKinds(tools.map((t) => t.name));
  let errors = 0;
  let calls = 0;
  let keyed = 0; // requests that reached GLM carrying the key
  let i = 0;
  for (const kind of kinds) {
    for (const s of SCENARIOS) {
      fake.reset();
      if (s.fault) fake.fail(s.fault, { times: s.times ?? 1 });
      const ac = new AbortController();
      const call = client.callTool({ name: kind.tool, arguments: s.args ?? kind.args(i++) }, undefined, {
        signal: ac.signal,
        onprogress: (p) => void seen.push(JSON.stringify(p)),
      });
      if (s.cancel) {
        await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(1);
        ac.abort(new Error("cancelled by the test"));
      }
      calls++;
      try {
        const r = (await call) as CallToolResult;
        seen.push(JSON.stringify(r));
        if (r.isError) errors++;
        expect(Boolean(r.isError), `${kind.tool}: ${s.name}`).toBe(s.expectError);
      } catch (e) {
        // Protocol-level errors (validation, cancellation) reach the client as rejections.
        seen.push(String(e), JSON.stringify(e, Object.getOwnPropertyNames(e)));
        errors++;
        expect(s.expectError, `${kind.tool}: ${s.name} threw ${String(e)}`).toBe(true);
      }
      keyed += fake.requests.filter((r) => r.headers.authorization === `Bearer ${KEY}`).length;
    }
  }
  // The key was live in the server: a leak-free result is not just a server that never had it.
  expect(keyed).toBeGreaterThan(calls);
  return { errors, calls, keyed };
}

describe("secrets never leak", () => {
  it("the scanner finds a planted key, token, or a 12-character piece of either", () => {
    expect(leaks(`x${KEY}y`).length).toBeGreaterThan(0);
    expect(leaks(`…${TOKEN_SECRET.slice(5, 17)}…`).length).toBeGreaterThan(0);
    expect(leaks("nothing secret here")).toEqual([]);
  });

  it("in-memory server: results, errors, notifications and stderr logs", async () => {
    const seen: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      seen.push(String(chunk));
      return true;
    });
    const session = await connect({
      ...ENV(fake),
      GLM_API_KEY: KEY,
      GLM_MCP_HTTP_TOKEN: TOKEN,
      GLM_MCP_LOG_LEVEL: "debug",
    });
    try {
      const { errors, calls } = await runAll(session.client, seen);
      expect(errors).toBeGreaterThan(calls / 2);
    } finally {
      await session.close();
      stderr.mockRestore();
    }
    expect(seen.some((t) => t.includes("[glm-mcp]"))).toBe(true); // the logs were captured
    expect(leaks(seen.join("\n"))).toEqual([]);
  }, 120_000);

  it("spawned CLI over stdio with the key in ZHIPUAI_API_KEY (token configured too)", async () => {
    const seen: string[] = [];
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      env: cleanEnv({ ...ENV(fake), ZHIPUAI_API_KEY: KEY, GLM_MCP_HTTP_TOKEN: TOKEN }),
      stderr: "pipe",
    });
    transport.stderr?.on("data", (d) => seen.push(String(d)));
    const client = new Client({ name: "secrets-stdio", version: "1.0.0" });
    await client.connect(transport);
    try {
      await runAll(client, seen);
    } finally {
      await client.close();
    }
    expect(seen.join("")).toContain("glm_reason failed"); // the error logs were captured
    expect(leaks(seen.join("\n"))).toEqual([]);
  }, 120_000);

  it("spawned CLI over HTTP with the key in the environment and a token", async () => {
    const server = await startHttpCli(["--http-token", TOKEN], { ...ENV(fake), GLM_API_KEY: KEY });
    const seen: string[] = [];
    const client = new Client({ name: "secrets-http", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    try {
      await runAll(client, seen);
      // A refused token must not be echoed back either.
      const refused = await fetch(server.url, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}x`, "content-type": "application/json" },
        body: "{}",
      });
      expect(refused.status).toBe(401);
      seen.push(await refused.text(), JSON.stringify([...refused.headers]));
    } finally {
      await client.close();
      await server.stop();
    }
    seen.push(server.stderr());
    expect(server.stderr()).toContain("glm_reason failed");
    expect(leaks(seen.join("\n"))).toEqual([]);
  }, 120_000);
});
