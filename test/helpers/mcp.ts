// Test plumbing: an McpServer and a Client joined in memory, with the app context aimed at a fake.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { loadConfig } from "../../src/config.js";
import { createAppContext, type AppContext } from "../../src/state/context.js";
import { createServer } from "../../src/server/index.js";

export interface TestSession {
  client: Client;
  ctx: AppContext;
  outputDir: string;
  close(): Promise<void>;
}

/** Builds a config from an explicit env only (never the real process env, so no real key leaks in). */
export function testConfig(env: Record<string, string | undefined>) {
  return loadConfig({ GLM_MCP_LOG_LEVEL: "silent", ...env });
}

export async function connect(
  env: Record<string, string | undefined>,
  ctxOverrides: Parameters<typeof createAppContext>[1] = {},
): Promise<TestSession> {
  const outputDir = env.GLM_MCP_OUTPUT_DIR ?? mkdtempSync(path.join(os.tmpdir(), "glm-mcp-test-"));
  const config = testConfig({ GLM_MAX_RETRIES: "2", ...env, GLM_MCP_OUTPUT_DIR: outputDir });
  const ctx = createAppContext(config, ctxOverrides);
  const server = createServer(ctx);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test-client", version: "1.0.0" });
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return {
    client,
    ctx,
    outputDir,
    close: async () => {
      await client.close();
      await server.close();
      if (!env.GLM_MCP_OUTPUT_DIR) rmSync(outputDir, { recursive: true, force: true });
    },
  };
}

/** The text of all text blocks of a tool result. */
export function textOf(result: { content?: unknown }): string {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content
    .filter((c) => c.type === "text")
    .map((c) => c.text)
    .join("\n");
}
