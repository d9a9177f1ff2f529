// The built CLI over stdio, as a user's MCP client runs it, against the fake GLM.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { CLI, assertBuilt, cleanEnv, runCli } from "../helpers/cli.js";
import { textOf } from "../helpers/mcp.js";

let fake: FakeGlm;
beforeAll(async () => {
  assertBuilt();
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

let client: Client | undefined;
let stderr = "";
afterEach(async () => {
  await client?.close();
  client = undefined;
});

async function start(env: Record<string, string | undefined>): Promise<Client> {
  stderr = "";
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: cleanEnv(env),
    stderr: "pipe",
  });
  transport.stderr?.on("data", (d) => (stderr += d));
  client = new Client({ name: "e2e", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

const withFake = (extra: Record<string, string> = {}) => ({
  GLM_API_KEY: FAKE_API_KEY,
  GLM_BASE_URL: fake.baseUrl,
  GLM_MCP_LOG_LEVEL: "debug",
  ...extra,
});

describe("CLI basics", () => {
  it("--version and --help print to stdout and exit 0", async () => {
    const v = await runCli(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await runCli(["--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("--http");
    expect(h.stdout).toContain("GLM_API_KEY");
  });

  it("a malformed setting fails at start with one line on stderr and exit code 2", async () => {
    const r = await runCli([], { GLM_BASE_URL: "not-a-url" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("GLM_BASE_URL");
    const t = await runCli([], { GLM_TIMEOUT_MS: "-1" });
    expect(t.code).toBe(2);
    const f = await runCli(["--no-such-flag"]);
    expect(f.code).toBe(2);
  });
});

describe("stdio server", () => {
  it("answers glm_reason end to end; stdout carries only JSON-RPC", async () => {
    const c = await start(withFake());
    const r = (await c.callTool({
      name: "glm_reason",
      arguments: { prompt: "ping from e2e" },
    })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toContain("ping from e2e");
    expect(fake.requests).toHaveLength(1);
    // Logs went to stderr (the transport would have failed on non-JSON stdout).
    expect(stderr).toContain("[glm-mcp]");
  });

  it("starts without a key, lists tools, and each call names the variable to set", async () => {
    const c = await start({ GLM_BASE_URL: fake.baseUrl });
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name)).toContain("glm_reason");
    const r = (await c.callTool({ name: "glm_reason", arguments: { prompt: "x" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("GLM_API_KEY");
    expect(fake.requests).toHaveLength(0);
  });

  it("retries a 1302 and succeeds", async () => {
    fake.fail({ kind: "status", status: 429, code: "1302", retryAfterMs: "50" });
    const c = await start(withFake());
    const r = (await c.callTool({ name: "glm_reason", arguments: { prompt: "retry me" } })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(fake.requests).toHaveLength(2);
  });

  it("does not retry a 401 and never echoes the key", async () => {
    fake.fail({ kind: "status", status: 401, code: "1000" });
    const c = await start(withFake());
    const r = (await c.callTool({ name: "glm_reason", arguments: { prompt: "x" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/rejected the API key/);
    expect(fake.requests).toHaveLength(1);
    expect(JSON.stringify(r)).not.toContain(FAKE_API_KEY);
    expect(stderr).not.toContain(FAKE_API_KEY);
  });

  it("a cancelled call aborts the upstream request and the server keeps serving", async () => {
    fake.fail({ kind: "hang" });
    const c = await start(withFake());
    const ac = new AbortController();
    const pending = c.callTool({ name: "glm_reason", arguments: { prompt: "hang" } }, undefined, {
      signal: ac.signal,
    });
    // The first call loads the server (the snapshot answered initialize): allow for a busy machine.
    await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(1);
    ac.abort("user cancelled");
    await expect(pending).rejects.toThrow();
    await expect.poll(() => fake.requests[0]?.aborted, { timeout: 5000 }).toBe(true);
    const next = (await c.callTool({
      name: "glm_reason",
      arguments: { prompt: "after cancel" },
    })) as CallToolResult;
    expect(next.isError).toBeFalsy();
    expect(textOf(next)).toContain("after cancel");
  });
});
