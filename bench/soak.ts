// Soak over streamable HTTP: 32 agents call mixed tools back to back for a few minutes against the
// fake GLM with realistic latency (and GLM's concurrency limit of 16 enforced in front of it).
// Prints calls, latency and the server's RSS per round, and RSS once the load stops, next to the
// idle baseline. Every answer is checked. Run: npx tsx bench/soak.ts (SOAK_SECONDS=60 for a shorter run)
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { limitConcurrency } from "../test/fake-glm/limits.js";
import { availableKinds } from "../test/load/calls.js";
import { httpSession, isMain, mb, percentile, rssBytes, table } from "./lib/common.js";

const LIMIT = 16;
const AGENTS = 32;
const ROUNDS = 6;

export async function run(): Promise<void> {
  const totalSeconds = Number(process.env.SOAK_SECONDS ?? 120);
  const roundMs = (totalSeconds * 1000) / ROUNDS;
  const fake = await startFakeGlm();
  fake.setLatency(() => 20 + Math.floor(Math.random() * 60));
  fake.setChunkDelay(5);
  const limit = await limitConcurrency(fake, LIMIT);
  // The embedding cache is bounded (64 MB) but would dominate RSS growth with ever-new texts.
  const http = await httpSession({
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: limit.baseUrl,
    GLM_MCP_MAX_CONCURRENCY: String(LIMIT),
    GLM_MCP_EMBED_CACHE_MB: "0",
  });
  try {
    const pid = http.server.child.pid!;
    const pool: Client[] = [http.client, await http.connect(), await http.connect(), await http.connect()];
    const { tools } = await http.client.listTools();
    const kinds = await availableKinds(tools.map((t) => t.name));
    const idle = await rssBytes(pid);
    console.log(
      `## Soak over HTTP (${totalSeconds} s, ${AGENTS} agents, GLM concurrency limit ${LIMIT}, upstream 20–80 ms + 5 ms/chunk; calls: ${kinds.map((k) => k.tool).join(", ")})\n`,
    );
    const rows: (string | number)[][] = [["idle", "—", "—", "—", "—", mb(idle)]];
    let next = 0;
    let failures = 0;
    for (let r = 1; r <= ROUNDS; r++) {
      const ms: number[] = [];
      const until = performance.now() + roundMs;
      await Promise.all(
        Array.from({ length: AGENTS }, async (_, w) => {
          while (performance.now() < until) {
            const i = next++;
            const kind = kinds[i % kinds.length]!;
            const t = performance.now();
            try {
              kind.check(
                (await pool[w % pool.length]!.callTool({
                  name: kind.tool,
                  arguments: kind.args(i),
                })) as CallToolResult,
                i,
              );
              ms.push(performance.now() - t);
            } catch {
              failures++;
            }
          }
        }),
      );
      rows.push([
        `round ${r}`,
        ms.length,
        (ms.length / (roundMs / 1000)).toFixed(1),
        percentile(ms, 50).toFixed(0),
        percentile(ms, 99).toFixed(0),
        mb(await rssBytes(pid)),
      ]);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    rows.push(["2 s after the load", "—", "—", "—", "—", mb(await rssBytes(pid))]);
    table(["phase", "calls", "calls/s", "p50 ms", "p99 ms", "server RSS"], rows);
    console.log(
      `\nFailed or wrong answers: ${failures}. Peak requests open toward GLM: ${limit.peak} (limit ${LIMIT}); refused by the limit: ${limit.refused}.`,
    );
  } finally {
    await http.close();
    await limit.close();
    await fake.close();
  }
}

if (isMain(import.meta.url)) await run();
