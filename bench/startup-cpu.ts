// CPU a spawned server uses up to `tools/list` answered (and, with --call, up to its first
// `tools/call` answered: glm_reason against the fake), for builds compared side by side in
// interleaved rounds. On a shared machine the wall clock swings with others' load; CPU time moves
// far less. Read from /proc/<pid>/task/*/schedstat (nanoseconds, every thread: V8 parses and
// compiles off the main thread too), since /proc/<pid>/stat counts 10 ms ticks, too coarse here.
// Not part of `npm run bench` (no run()). Run, e.g. to weigh a build step:
//   npx tsx bench/startup-cpu.ts [--rounds 15] [--call] now=dist/index.cjs before=/other/dist/index.cjs
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { cleanEnv } from "../test/helpers/cli.js";
import { median, ms } from "./lib/common.js";

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
  wallCall?: number;
  cpuCall?: number;
}

async function once(entry: string, baseUrl: string, call: boolean): Promise<Sample> {
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
  const sample: Sample = { wallList: performance.now() - started, cpuList: cpuNs(child.pid!) / 1e6 };
  if (call) {
    await ask(3, "tools/call", { name: "glm_reason", arguments: { prompt: "hi" } });
    sample.wallCall = performance.now() - started;
    sample.cpuCall = cpuNs(child.pid!) / 1e6;
  }
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill();
  await exited;
  return sample;
}

const args = process.argv.slice(2);
const call = args.includes("--call");
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 15;
const builds = args.filter((a) => a.includes("=")).map((a) => a.split("=", 2) as [string, string]);
if (!builds.length) throw new Error("name at least one build: name=path/to/dist/index.cjs");

const fake = await startFakeGlm();
const samples = new Map<string, Sample[]>(builds.map(([name]) => [name, []]));
for (let round = 0; round < rounds; round++)
  for (const [name, entry] of builds) samples.get(name)!.push(await once(entry, fake.baseUrl, call));
await fake.close();

const cell = (list: Sample[], key: keyof Sample) =>
  `${ms(median(list.map((s) => s[key]!)), 1)} (min ${ms(Math.min(...list.map((s) => s[key]!)), 1)})`;
process.stdout.write(`median of ${rounds} interleaved spawns\n`);
for (const [name, list] of samples)
  process.stdout.write(
    `${name}: tools/list CPU ${cell(list, "cpuList")}, wall ${cell(list, "wallList")}` +
      (call ? `; first tools/call CPU ${cell(list, "cpuCall")}, wall ${cell(list, "wallCall")}` : "") +
      "\n",
  );
