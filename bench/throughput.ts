// HTTP throughput: closed-loop clients making tool calls (mixed kinds) over streamable HTTP against
// the fake GLM with a fixed 50 ms latency, at several concurrencies, next to the same requests sent
// straight to the fake. Every answer is checked. Run: npx tsx bench/throughput.ts
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Agent } from "undici";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { availableKinds, type CallKind } from "../test/load/calls.js";
import { httpSession, isMain, percentile, ratio, table } from "./lib/common.js";

const LATENCY_MS = 50;
const LEVELS = [1, 8, 32, 64];
const SECONDS = 2;

/** `workers` loops calling back to back for SECONDS; returns calls/s and per-call times. */
async function closedLoop(
  workers: number,
  call: (i: number) => Promise<void>,
): Promise<{ perSec: number; ms: number[] }> {
  const ms: number[] = [];
  let next = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await call(next++);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { perSec: ms.length / ((performance.now() - started) / 1000), ms };
}

export async function run(): Promise<void> {
  const fake = await startFakeGlm({ latencyMs: LATENCY_MS });
  const http = await httpSession({
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
    GLM_MCP_MAX_CONCURRENCY: String(Math.max(...LEVELS)),
  });
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  try {
    const pool: Client[] = [http.client, await http.connect(), await http.connect(), await http.connect()];
    const { tools } = await http.client.listTools();
    const kinds = await availableKinds(tools.map((t) => t.name));
    const kindOf = (i: number): CallKind => kinds[i % kinds.length]!;
    console.log(
      `## HTTP throughput (fake upstream latency ${LATENCY_MS} ms, ${SECONDS} s closed loop per row, calls mixed: ${kinds.map((k) => k.tool).join(", ")})\n`,
    );
    const rows: string[][] = [];
    let base = 1_000_000;
    for (const c of LEVELS) {
      base += 1_000_000;
      const offset = base;
      const direct = await closedLoop(c, (i) =>
        kindOf(i).direct(fake.baseUrl, FAKE_API_KEY, offset + i, dispatcher),
      );
      const viaMcp = await closedLoop(c, async (i) => {
        const kind = kindOf(i);
        const r = (await pool[i % pool.length]!.callTool({
          name: kind.tool,
          arguments: kind.args(offset + 500_000 + i),
        })) as CallToolResult;
        kind.check(r, offset + 500_000 + i);
      });
      const ideal = (c * 1000) / LATENCY_MS;
      rows.push([
        String(c),
        ideal.toFixed(0),
        direct.perSec.toFixed(1),
        viaMcp.perSec.toFixed(1),
        ratio(viaMcp.perSec, direct.perSec),
        percentile(viaMcp.ms, 50).toFixed(1),
        percentile(viaMcp.ms, 99).toFixed(1),
      ]);
    }
    table(
      [
        "concurrent clients",
        "ideal calls/s (c ÷ latency)",
        "direct to fake calls/s",
        "MCP over HTTP calls/s",
        "MCP ÷ direct",
        "MCP p50 ms",
        "MCP p99 ms",
      ],
      rows,
    );
    console.log("");
  } finally {
    await dispatcher.close();
    await http.close();
    await fake.close();
  }
}

if (isMain(import.meta.url)) await run();
