// Rewrites manifest.json's version (from package.json) and tools (name + first line of each
// description, from the server's own tools/list) so the MCP bundle never drifts from the code.
// Run: npx tsx scripts/sync-manifest.ts   (test/e2e/mcpb.test.ts fails when it is needed)
import { readFileSync, writeFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { loadConfig } from "../src/config.js";
import { createAppContext } from "../src/state/context.js";
import { createServer } from "../src/server/index.js";

export async function serverTools(): Promise<{ name: string; description: string }[]> {
  const server = createServer(createAppContext(loadConfig({ GLM_MCP_LOG_LEVEL: "silent" })));
  const client = new Client({ name: "sync-manifest", version: "1" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  await client.connect(a);
  const { tools } = await client.listTools();
  await client.close();
  return tools.map((t) => ({ name: t.name, description: (t.description ?? "").split("\n")[0]!.trim() }));
}

async function main(): Promise<void> {
  const url = new URL("../manifest.json", import.meta.url);
  const manifest = JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  manifest.version = pkg.version;
  manifest.tools = await serverTools();
  writeFileSync(url, JSON.stringify(manifest, null, 2) + "\n");
  process.stdout.write(
    `manifest.json: version ${pkg.version}, ${(manifest.tools as unknown[]).length} tools\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
