// Shared bench plumbing: "run when executed directly", tables, stats, and spawning the built CLI
// as an MCP client would (stdio and streamable HTTP), with a clean environment.
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CLI, assertBuilt, cleanEnv, startHttpCli, type HttpChild } from "../../test/helpers/cli.js";
export { percentile, rssBytes } from "../../test/load/calls.js";

/** True when the module at `metaUrl` is the script node was asked to run. */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(metaUrl) === process.argv[1];
}

export function median(sample: readonly number[]): number {
  const s = [...sample].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const ms = (n: number, digits = 2) => `${n.toFixed(digits)} ms`;
export const mb = (bytes: number | undefined) =>
  bytes === undefined ? "n/a" : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** Prints a Markdown table (the runner copies stdout into BENCHMARKS.md verbatim). */
export function table(headers: string[], rows: (string | number)[][]): void {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  console.log([line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n"));
}

export function machine(): { cpu: string; cores: number; memory: string; node: string; platform: string } {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

export interface StdioSession {
  client: Client;
  pid: number;
  close(): Promise<void>;
}

/** The built CLI over stdio, connected (initialize done). */
export async function stdioSession(env: Record<string, string>): Promise<StdioSession> {
  assertBuilt();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: cleanEnv({ GLM_MCP_LOG_LEVEL: "error", ...env }),
    stderr: "ignore",
  });
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(transport);
  return { client, pid: transport.pid!, close: () => client.close() };
}

export interface HttpSession {
  client: Client;
  server: HttpChild;
  /** Another client on the same server (parallel agents). */
  connect(): Promise<Client>;
  close(): Promise<void>;
}

/** The built CLI over streamable HTTP on a loopback port, with one connected client. */
export async function httpSession(env: Record<string, string>): Promise<HttpSession> {
  const server = await startHttpCli([], { GLM_MCP_LOG_LEVEL: "info", ...env });
  const clients: Client[] = [];
  const connect = async () => {
    const c = new Client({ name: "bench", version: "1.0.0" });
    await c.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    clients.push(c);
    return c;
  };
  const client = await connect();
  return {
    client,
    server,
    connect,
    close: async () => {
      for (const c of clients) await c.close().catch(() => {});
      await server.stop();
    },
  };
}
