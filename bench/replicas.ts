// Throughput of a team deployment: 1, 2 and 4 replicas behind a real nginx sharing a real Redis
// (test/replicas/cluster.ts), closed-loop clients calling glm_reason against the fake GLM with a
// fixed 50 ms latency, next to the ideal (clients ÷ latency) and the same requests sent straight to
// the fake. GLM_MCP_MAX_CONCURRENCY is raised above the client count for the run, so the shared
// budget (a Redis semaphore every call goes through) never makes a call wait. CPU per call is the
// replicas' own (user + system, from /proc), nginx and Redis excluded. Run: npx tsx bench/replicas.ts
import { readFileSync } from "node:fs";
import { Agent } from "undici";
import { FAKE_API_KEY } from "../test/fake-glm/index.js";
import { glmReasonKind } from "../test/load/calls.js";
import { startCluster } from "../test/replicas/cluster.js";
import { isMain, percentile, ratio, table } from "./lib/common.js";
import { rawHttp } from "./lib/raw.js";

const LATENCY_MS = 50;
const REPLICAS = [1, 2, 4];
const CLIENTS = [64, 256];
const SECONDS = 3;

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function closedLoop(clients: number, call: (i: number) => Promise<void>) {
  const ms: number[] = [];
  let next = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await call(next++);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { perSec: ms.length / ((performance.now() - started) / 1000), ms, calls: ms.length };
}

export async function run(): Promise<void> {
  const max = Math.max(...CLIENTS);
  console.log(
    `## Replicas behind nginx, state in Redis (fake upstream latency ${LATENCY_MS} ms, glm_reason, ${SECONDS} s closed loop per row; GLM_MCP_MAX_CONCURRENCY=${max * 2} for the run, shared by the replicas)\n`,
  );
  const rows: string[][] = [];
  let offset = 5_000_000;
  for (const n of REPLICAS) {
    const cluster = await startCluster({
      replicas: n,
      maxConcurrency: max * 2,
      latencyMs: LATENCY_MS,
      direct: true,
      env: { GLM_MCP_LOG_LEVEL: "info" },
    });
    const client = await rawHttp(cluster.url, max);
    const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: max });
    try {
      // Warm-up: every replica's first call loads the tools.
      for (let i = 0; i < n * 4; i++)
        await client.callTool(glmReasonKind.tool, glmReasonKind.args(offset + i));
      for (const c of CLIENTS) {
        offset += 1_000_000;
        const at = offset;
        const direct = await closedLoop(c, (i) =>
          glmReasonKind.direct(cluster.fake.baseUrl, FAKE_API_KEY, at + i, dispatcher),
        );
        const pids = cluster.replicas.map((r) => r.child.pid!);
        const cpuBefore = pids.reduce((sum, p) => sum + cpuSeconds(p), 0);
        const via = await closedLoop(c, async (i) => {
          glmReasonKind.check(
            await client.callTool(glmReasonKind.tool, glmReasonKind.args(at + 500_000 + i)),
            at + 500_000 + i,
          );
        });
        const cpu = pids.reduce((sum, p) => sum + cpuSeconds(p), 0) - cpuBefore;
        const ideal = (c * 1000) / LATENCY_MS;
        rows.push([
          String(n),
          String(c),
          ideal.toFixed(0),
          direct.perSec.toFixed(1),
          via.perSec.toFixed(1),
          ratio(via.perSec, ideal),
          ratio(via.perSec, direct.perSec),
          percentile(via.ms, 50).toFixed(1),
          percentile(via.ms, 99).toFixed(1),
          ((cpu * 1000) / via.calls).toFixed(2),
        ]);
      }
    } finally {
      await dispatcher.close();
      await client.close();
      await cluster.stop();
    }
  }
  table(
    [
      "replicas",
      "concurrent clients",
      "ideal calls/s",
      "direct to fake calls/s",
      "via nginx calls/s",
      "÷ ideal",
      "÷ direct",
      "p50 ms",
      "p99 ms",
      "replica CPU ms per call",
    ],
    rows,
  );
  console.log(
    `\nThe machine has ${(await import("node:os")).availableParallelism()} cores, shared by the clients, the fake GLM, nginx and Redis: replicas beyond the core count cannot add throughput here.`,
  );
}

if (isMain(import.meta.url)) await run();
