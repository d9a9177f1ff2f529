// HTTP throughput: closed-loop clients making tool calls (mixed kinds) over streamable HTTP against
// the fake GLM with a fixed 50 ms latency, at several concurrencies, next to the same requests sent
// straight to the fake. Raw JSON-RPC POSTs (bench/lib/raw.ts), every answer checked. The server runs
// with GLM_MCP_MAX_CONCURRENCY raised to the highest level, so GLM's own limit does not cap it. The
// server's CPU per call (from /proc) is printed too: on a shared machine it moves far less than calls/s.
// GLM_MCP_BENCH_BEFORE=/path/to/dist/index.cjs adds another build's column. Run: npx tsx bench/throughput.ts
import { Agent } from "undici";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { CLI } from "../test/helpers/cli.js";
import { availableKinds, type CallKind } from "../test/load/calls.js";
import { isMain, percentile, ratio, table } from "./lib/common.js";
import { cpuMs } from "./lib/cpu.js";
import { BEFORE, BEFORE_NAME, rawHttp, spawnHttp } from "./lib/raw.js";

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
  const env = {
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
    GLM_MCP_MAX_CONCURRENCY: String(Math.max(...LEVELS)),
    GLM_MCP_LOG_LEVEL: "error",
  };
  const builds = [
    { name: "MCP over HTTP", entry: CLI },
    ...(BEFORE ? [{ name: BEFORE_NAME, entry: BEFORE }] : []),
  ];
  const servers = await Promise.all(builds.map((b) => spawnHttp(b.entry, env)));
  const clients = await Promise.all(servers.map((s) => rawHttp(s.url, Math.max(...LEVELS))));
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: Math.max(...LEVELS) });
  try {
    const kinds = await availableKinds(["glm_reason", "embed_text", "vision_analyze"]);
    const kindOf = (i: number): CallKind => kinds[i % kinds.length]!;
    console.log(
      `## HTTP throughput (fake upstream latency ${LATENCY_MS} ms, ${SECONDS} s closed loop per row, calls mixed: ${kinds.map((k) => k.tool).join(", ")}; GLM_MCP_MAX_CONCURRENCY=${Math.max(...LEVELS)} for the run)\n`,
    );
    const rows: string[][] = [];
    let base = 1_000_000;
    for (const c of LEVELS) {
      base += 1_000_000;
      const offset = base;
      const direct = await closedLoop(c, (i) =>
        kindOf(i).direct(fake.baseUrl, FAKE_API_KEY, offset + i, dispatcher),
      );
      const row = [String(c), ((c * 1000) / LATENCY_MS).toFixed(0), direct.perSec.toFixed(1)];
      for (const [b, client] of clients.entries()) {
        const at = offset + 300_000 * (b + 1);
        const cpuBefore = cpuMs(servers[b]!.pid) ?? NaN;
        const viaMcp = await closedLoop(c, async (i) => {
          const kind = kindOf(i);
          kind.check(await client.callTool(kind.tool, kind.args(at + i)), at + i);
        });
        const cpuPerCall = ((cpuMs(servers[b]!.pid) ?? NaN) - cpuBefore) / viaMcp.ms.length;
        row.push(
          viaMcp.perSec.toFixed(1),
          ratio(viaMcp.perSec, direct.perSec),
          percentile(viaMcp.ms, 50).toFixed(1),
          percentile(viaMcp.ms, 99).toFixed(1),
          cpuPerCall.toFixed(2),
        );
      }
      rows.push(row);
    }
    table(
      [
        "concurrent clients",
        "ideal calls/s (c ÷ latency)",
        "direct to fake calls/s",
        ...builds.flatMap((b) => [
          `${b.name} calls/s`,
          `${b.name} ÷ direct`,
          `${b.name} p50 ms`,
          `${b.name} p99 ms`,
          `${b.name} server CPU ms per call`,
        ]),
      ],
      rows,
    );
    console.log("");
  } finally {
    await dispatcher.close();
    for (const c of clients) await c.close();
    for (const s of servers) await s.stop();
    await fake.close();
  }
}

if (isMain(import.meta.url)) await run();
