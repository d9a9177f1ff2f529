// A bare JSON-RPC-over-stdio driver for the built CLI: unlike the SDK client it exposes the child
// (to signal it) and its exit code, and it lets a test send anything at any time.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { CLI, assertBuilt, cleanEnv, onLines } from "../helpers/cli.js";

export interface RpcResponse {
  id: number;
  result?: any;
  error?: { code: number; message: string };
}

export interface StdioDriver {
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** Every message the server wrote, in order (notifications included). */
  messages: any[];
  send(message: unknown): void;
  /** Sends a request and resolves with its response. */
  request(method: string, params?: unknown): Promise<RpcResponse>;
  /** initialize + notifications/initialized. */
  initialize(): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export function startStdio(env: Record<string, string | undefined>, args: string[] = []): StdioDriver {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, ...args], {
    env: cleanEnv(env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  let nextId = 1;
  const messages: any[] = [];
  const waiting = new Map<number, (r: RpcResponse) => void>();
  child.stderr.on("data", (d) => (stderr += d));
  onLines(child.stdout, (line) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line);
    messages.push(msg);
    if (typeof msg.id === "number" && ("result" in msg || "error" in msg)) waiting.get(msg.id)?.(msg);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const send = (message: unknown) => {
    if (child.stdin.writable) child.stdin.write(JSON.stringify(message) + "\n");
  };
  const request = (method: string, params: unknown = {}) =>
    new Promise<RpcResponse>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      send({ jsonrpc: "2.0", id, method, params });
    });
  return {
    child,
    stderr: () => stderr,
    messages,
    send,
    request,
    initialize: async () => {
      const r = await request("initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "driver", version: "1" },
      });
      if (r.error) throw new Error(`initialize failed: ${r.error.message}`);
      send({ jsonrpc: "2.0", method: "notifications/initialized" });
    },
    exited,
  };
}
