// Added latency per tool call: the same upstream request sent straight to the fake GLM vs made
// through a tool call over stdio and over streamable HTTP (the built CLI), one call at a time, with
// raw JSON-RPC clients (bench/lib/raw.ts) so the client's own cost is not in the figures. Every
// answer is checked. GLM_MCP_BENCH_BEFORE=/path/to/dist/index.cjs adds another build's rows.
// Run: npx tsx bench/latency.ts
import { Agent } from "undici";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { availableKinds, type CallKind } from "../test/load/calls.js";
import { CLI } from "../test/helpers/cli.js";
import { isMain, percentile, ratio, table } from "./lib/common.js";
import { cpuMs } from "./lib/cpu.js";
import { BEFORE, BEFORE_NAME, rawHttp, rawStdio, spawnHttp, type RawClient } from "./lib/raw.js";

const WARMUP = 50;
const CALLS = 200;
const ROUNDS = 10; // paths take turns, CALLS / ROUNDS calls at a time, so load drift hits them alike

/**
 * Times `calls` per path, the paths taking turns in rounds; returns each path's per-call times and,
 * for a path with a server process (`pids`), that process's CPU per call.
 */
async function interleaved(
  paths: ((i: number) => Promise<void>)[],
  offset: number,
  pids: (number | undefined)[] = [],
): Promise<{ times: number[][]; cpuPerCall: number[] }> {
  const times = paths.map(() => [] as number[]);
  const cpu = paths.map(() => 0);
  for (const [p, call] of paths.entries())
    for (let i = 0; i < WARMUP; i++) await call(offset + p * 10_000 + i);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [p, call] of paths.entries()) {
      const pid = pids[p];
      const cpuBefore = pid === undefined ? NaN : (cpuMs(pid) ?? NaN);
      for (let i = 0; i < CALLS / ROUNDS; i++) {
        const n = offset + p * 10_000 + WARMUP + round * CALLS + i;
        const started = performance.now();
        await call(n);
        times[p]!.push(performance.now() - started);
      }
      cpu[p]! += (pid === undefined ? NaN : (cpuMs(pid) ?? NaN)) - cpuBefore;
    }
  }
  return { times, cpuPerCall: cpu.map((c) => c / CALLS) };
}

const viaTool = (client: RawClient, kind: CallKind) => async (i: number) => {
  kind.check(await client.callTool(kind.tool, kind.args(i)), i);
};

export async function run(): Promise<void> {
  const fake = await startFakeGlm(); // no added latency: what is left is the server's own cost
  const env = { GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl };
  const builds = [
    { name: "", entry: CLI },
    ...(BEFORE ? [{ name: ` (${BEFORE_NAME})`, entry: BEFORE }] : []),
  ];
  const paths: { name: string; client: RawClient; pid?: number; stop(): Promise<void> }[] = [];
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  try {
    for (const b of builds) {
      const stdio = await rawStdio(env, b.entry);
      paths.push({
        name: `MCP over stdio${b.name}`,
        client: stdio,
        pid: stdio.pid,
        stop: () => stdio.close(),
      });
      const server = await spawnHttp(b.entry, env);
      const http = await rawHttp(server.url, 1);
      paths.push({
        name: `MCP over HTTP${b.name}`,
        client: http,
        pid: server.pid,
        stop: async () => {
          await http.close();
          await server.stop();
        },
      });
    }
    const kinds = await availableKinds(["glm_reason", "embed_text", "vision_analyze"]);
    console.log(
      `## Added latency per tool call (sequential, fake upstream with 0 ms latency, ${CALLS} calls each after ${WARMUP} warm-up, paths taking turns in ${ROUNDS} rounds, raw JSON-RPC clients)\n`,
    );
    const rows: string[][] = [];
    let offset = 1_000;
    for (const kind of kinds) {
      const {
        times: [direct, ...viaPaths],
        cpuPerCall: [, ...cpuPerCall],
      } = await interleaved(
        [
          (i) => kind.direct(fake.baseUrl, FAKE_API_KEY, i, dispatcher),
          ...paths.map((p) => viaTool(p.client, kind)),
        ],
        (offset += 100_000),
        [undefined, ...paths.map((p) => p.pid)],
      );
      const d50 = percentile(direct!, 50);
      const d99 = percentile(direct!, 99);
      rows.push([kind.tool, "direct to fake", d50.toFixed(2), d99.toFixed(2), "—", "—", "1.00×", "—"]);
      for (const [n, p] of paths.entries()) {
        const s = viaPaths[n]!;
        const p50 = percentile(s, 50);
        const p99 = percentile(s, 99);
        rows.push([
          kind.tool,
          p.name,
          p50.toFixed(2),
          p99.toFixed(2),
          (p50 - d50).toFixed(2),
          (p99 - d99).toFixed(2),
          ratio(p50, d50),
          cpuPerCall[n]!.toFixed(2),
        ]);
      }
    }
    table(
      [
        "tool",
        "path",
        "p50 ms",
        "p99 ms",
        "added p50 ms",
        "added p99 ms",
        "p50 ratio to direct",
        "server CPU ms per call",
      ],
      rows,
    );
    console.log("");
  } finally {
    await dispatcher.close();
    for (const p of paths) await p.stop();
    await fake.close();
  }
}

if (isMain(import.meta.url)) await run();
