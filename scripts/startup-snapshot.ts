// Part of `npm run build`: asks the real server (createServer over an in-memory pair, raw JSON-RPC)
// for its `initialize` and `tools/list` answers and writes them to dist/startup-snapshot.json, which
// the stdio front (src/transports/stdio-front.ts) answers from without loading the SDK or the tools.
// test/surface/snapshot.test.ts proves the file equals the live answers for every configuration.
// Its gain on the one-bundle build (bench/startup-cpu.ts, CPU of the spawned process up to
// tools/list answered, median of 15 interleaved spawns): 38.2 ms with it, 226.8 ms without (the
// lazy bundle loaded to answer); wall 164 vs 1040 ms on a machine at load 20.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import { loadConfig, type CliOverrides } from "../src/config.js";
import { silentLogger } from "../src/log.js";
import { createServer } from "../src/server/index.js";
import { createAppContext } from "../src/state/context.js";
import type { StartupSnapshot } from "../src/transports/stdio-front.js";

export const SNAPSHOT_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../dist/startup-snapshot.json",
);

type Json = Record<string, unknown>;

/** The real server's raw answers to the given messages (requests only), in order. */
export async function liveAnswers(
  messages: Json[],
  env: Record<string, string | undefined> = {},
  overrides: CliOverrides = {},
): Promise<Json[]> {
  const config = loadConfig(env, overrides);
  const server = createServer(createAppContext(config, { logger: silentLogger }));
  const [client, serverSide] = InMemoryTransport.createLinkedPair();
  const answers: Json[] = [];
  const waiting = new Map<unknown, () => void>();
  client.onmessage = (m) => {
    answers.push(m as Json);
    waiting.get((m as Json).id)?.();
  };
  await server.connect(serverSide);
  await client.start();
  for (const message of messages) {
    const answered = "id" in message ? new Promise<void>((r) => waiting.set(message.id, r)) : undefined;
    await client.send(message as JSONRPCMessage);
    await answered;
  }
  await server.close();
  return answers;
}

export const initializeRequest = (protocolVersion: string, id: string | number = 1): Json => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion, capabilities: {}, clientInfo: { name: "snapshot", version: "1" } },
});

/** The snapshot for one configuration (the build uses the defaults, with a key set). */
export async function takeSnapshot(
  env: Record<string, string | undefined> = { GLM_API_KEY: "snapshot-key" },
  overrides: CliOverrides = {},
): Promise<StartupSnapshot> {
  const [init, tools] = await liveAnswers(
    [
      initializeRequest(LATEST_PROTOCOL_VERSION),
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
    ],
    env,
    overrides,
  );
  const { protocolVersion: _negotiated, ...initialize } = init!.result as Json;
  return {
    protocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    latestProtocolVersion: LATEST_PROTOCOL_VERSION,
    initialize,
    toolsListJson: JSON.stringify(tools!.result),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const snapshot = await takeSnapshot();
  writeFileSync(SNAPSHOT_PATH, JSON.stringify(snapshot) + "\n");
  const tools = (JSON.parse(snapshot.toolsListJson) as { tools: unknown[] }).tools.length;
  process.stdout.write(
    `startup snapshot: ${tools} tools -> ${path.relative(process.cwd(), SNAPSHOT_PATH)}\n`,
  );
}
