// CPU a spawned server uses up to `tools/list` answered and up to its first `tools/call` answered
// (glm_reason against the fake), for builds compared side by side in interleaved rounds. On a
// shared machine the wall clock swings with others' load; CPU time moves far less. Read from
// /proc/<pid>/task/*/schedstat (nanoseconds, every thread: V8 parses and compiles off the main
// thread too), since /proc/<pid>/stat counts 10 ms ticks, too coarse here. In `npm run bench`:
// this build, and GLM_MCP_BENCH_BEFORE's if set. By hand, any builds, e.g. to weigh a build step:
//   npx tsx bench/startup-cpu.ts [--rounds 15] now=dist/index.cjs before=/other/dist/index.cjs
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { CLI, assertBuilt, cleanEnv } from "../test/helpers/cli.js";
import { isMain, median, ms, table } from "./lib/common.js";
import { BEFORE, BEFORE_NAME } from "./lib/raw.js";

function cpuNs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns;
}

interface Sample {
  wallList: number;
  cpuList: number;
  wallCall: number;
  cpuCall: number;
}

async function once(entry: string, baseUrl: string): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, [entry], {
    env: cleanEnv({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: baseUrl, GLM_MCP_LOG_LEVEL: "error" }),
    stdio: ["pipe", "pipe", "ignore"],
  });
  const waiting = new Map<number, () => void>();
  let buffer = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
      const id = (JSON.parse(buffer.slice(0, i)) as { id?: number }).id;
      buffer = buffer.slice(i + 1);
      if (id !== undefined) waiting.get(id)?.();
    }
  });
  const ask = (id: number, method: string, params: object) => {
    const answered = new Promise<void>((resolve) => waiting.set(id, resolve));
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    return answered;
  };
  const clientInfo = { name: "startup-cpu", version: "1" };
  void ask(1, "initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo });
  child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
  await ask(2, "tools/list", {});
  const wallList = performance.now() - started;
  const cpuList = cpuNs(child.pid!) / 1e6;
  await ask(3, "tools/call", { name: "glm_reason", arguments: { prompt: "hi" } });
  const sample = {
    wallList,
    cpuList,
    wallCall: performance.now() - started,
    cpuCall: cpuNs(child.pid!) / 1e6,
  };
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill();
  await exited;
  return sample;
}

const cell = (list: Sample[], key: keyof Sample) =>
  `${ms(median(list.map((s) => s[key])), 1)} (min ${ms(Math.min(...list.map((s) => s[key])), 1)})`;

export async function run(
  builds: [name: string, entry: string][] = [
    ["glm-mcp (this build)", CLI],
    ...(BEFORE ? [[`glm-mcp (${BEFORE_NAME})`, BEFORE] as [string, string]] : []),
  ],
  rounds = 15,
): Promise<void> {
  assertBuilt();
  const fake = await startFakeGlm();
  const samples = new Map<string, Sample[]>(builds.map(([name]) => [name, []]));
  try {
    for (let round = 0; round < rounds; round++)
      for (const [name, entry] of builds) samples.get(name)!.push(await once(entry, fake.baseUrl));
  } finally {
    await fake.close();
  }
  process.stdout.write(
    `## Start-up CPU (stdio), side by side\n\nCPU of the spawned server (all threads), median of ${rounds} interleaved spawns.\n\n`,
  );
  table(
    [
      "build",
      "CPU to tools/list",
      "wall to tools/list",
      "CPU to first tools/call",
      "wall to first tools/call",
    ],
    [...samples].map(([name, list]) => [
      name,
      cell(list, "cpuList"),
      cell(list, "wallList"),
      cell(list, "cpuCall"),
      cell(list, "wallCall"),
    ]),
  );
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const roundsAt = args.indexOf("--rounds");
  const builds = args.filter((a) => a.includes("=")).map((a) => a.split("=", 2) as [string, string]);
  await run(builds.length ? builds : undefined, roundsAt >= 0 ? Number(args[roundsAt + 1]) : 15);
}
