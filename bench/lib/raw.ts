// Raw JSON-RPC clients for the benchmarks: a line on stdin / a POST, the answer matched by id, and
// nothing else (no schema validation, no SDK), so what is measured is the server, not the client.
import { spawn } from "node:child_process";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Agent, request } from "undici";
import { CLI, assertBuilt, cleanEnv, onLines } from "../../test/helpers/cli.js";

export interface RawClient {
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
  /** The server's process id, when this client spawned it (stdio). */
  pid?: number;
}

interface Answer {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

const initialize = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "bench-raw", version: "1" },
  },
});

function resultOf(answer: Answer): CallToolResult {
  if (answer.error) throw new Error(`JSON-RPC error: ${answer.error.message}`);
  return answer.result as CallToolResult;
}

/** The built CLI (or another build's entry) over stdio, initialized. */
export async function rawStdio(env: Record<string, string>, entry = CLI): Promise<RawClient> {
  assertBuilt();
  const child = spawn(process.execPath, [entry], {
    stdio: ["pipe", "pipe", "ignore"],
    env: cleanEnv({ GLM_MCP_LOG_LEVEL: "error", ...env }),
  });
  const waiting = new Map<number, (a: Answer) => void>();
  onLines(child.stdout, (line) => {
    const m = JSON.parse(line) as Answer;
    if (m.id !== undefined && ("result" in m || "error" in m)) waiting.get(m.id)?.(m);
  });
  let next = 0;
  const send = (message: Record<string, unknown>): Promise<Answer> => {
    const id = ++next;
    const answered = new Promise<Answer>((resolve) => waiting.set(id, resolve));
    child.stdin.write(JSON.stringify({ ...message, id }) + "\n");
    return answered.finally(() => waiting.delete(id));
  };
  await send(initialize(0));
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");
  return {
    pid: child.pid,
    callTool: async (name, args) =>
      resultOf(await send({ jsonrpc: "2.0", method: "tools/call", params: { name, arguments: args } })),
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}

/** Plain POSTs to a streamable HTTP endpoint (stateless server: no session needed after initialize). */
export async function rawHttp(url: string, connections = 64): Promise<RawClient> {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections });
  let next = 0;
  const post = async (message: Record<string, unknown>): Promise<Answer> => {
    const id = ++next;
    const res = await request(url, {
      method: "POST",
      dispatcher,
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ ...message, id }),
    });
    const text = await res.body.text();
    if (!String(res.headers["content-type"]).startsWith("text/event-stream"))
      return JSON.parse(text) as Answer;
    // SSE: the answer is the data line that carries our id
    for (const line of text.split("\n"))
      if (line.startsWith("data: ")) {
        const m = JSON.parse(line.slice(6)) as Answer;
        if (m.id === id) return m;
      }
    throw new Error(`no answer for ${id} in ${text.slice(0, 200)}`);
  };
  await post(initialize(0));
  return {
    callTool: async (name, args) =>
      resultOf(await post({ jsonrpc: "2.0", method: "tools/call", params: { name, arguments: args } })),
    close: () => dispatcher.close(),
  };
}

/**
 * A build other than this one, for before/after rows: GLM_MCP_BENCH_BEFORE=/path/to/dist/index.cjs,
 * named in the tables by GLM_MCP_BENCH_BEFORE_NAME (default "before").
 */
export const BEFORE = process.env.GLM_MCP_BENCH_BEFORE;
export const BEFORE_NAME = process.env.GLM_MCP_BENCH_BEFORE_NAME ?? "before";

/** `node <entry> --http --port 0`; resolves with its URL once it listens. */
export function spawnHttp(
  entry: string,
  env: Record<string, string>,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, "--http", "--port", "0"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: cleanEnv({ ...env, GLM_MCP_LOG_LEVEL: "info" }), // info: the URL is logged
    });
    let stderr = "";
    child.on("exit", (code) => reject(new Error(`${entry} exited with ${code}: ${stderr}`)));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
      const m = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (m) {
        child.stderr.removeAllListeners("data");
        child.stderr.resume();
        resolve({
          url: m[1]!,
          pid: child.pid!,
          stop: () =>
            new Promise<void>((done) => {
              child.removeAllListeners("exit");
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
  });
}
