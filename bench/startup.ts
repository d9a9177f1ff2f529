// Cold start over stdio, side by side in one run (interleaved: node -e 0, then each server, round
// after round): spawn -> `initialize` + `tools/list` answered, with the ratio to `node -e 0`; the
// idle RSS 0.5 s after; for glm-mcp, spawn -> first `tools/call` answered (glm_reason against the
// fake upstream) and how a bad configuration fails. The peers are the official GLM server
// (@z_ai/mcp-server) and minimax-mcp-js, installed as devDependencies; their tools are never called.
// GLM_MCP_BENCH_BEFORE=/path/to/other/dist/index.cjs adds another glm-mcp build (bench/lib/raw.ts).
// Run: npx tsx bench/startup.ts
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { CLI, ROOT, assertBuilt, cleanEnv, onLines } from "../test/helpers/cli.js";
import { isMain, mb, median, ms, ratio, rssBytes, table } from "./lib/common.js";
import { BEFORE, BEFORE_NAME, spawnHttp } from "./lib/raw.js";

const RUNS = 11;
const RSS_RUNS = 3;
const RSS_AFTER_MS = 500;

interface Subject {
  name: string;
  entry: string;
  env: Record<string, string>;
}

const peer = (pkg: string) => {
  const dir = path.join(ROOT, "node_modules", pkg);
  const { version, bin } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
    version: string;
    bin: Record<string, string>;
  };
  return { label: `${pkg} ${version}`, entry: path.join(dir, Object.values(bin)[0]!) };
};

function subjects(): Subject[] {
  const official = peer("@z_ai/mcp-server");
  const minimax = peer("minimax-mcp-js");
  const glmEnv = { GLM_API_KEY: "bench-not-used-000000", GLM_MCP_LOG_LEVEL: "error" };
  const list: Subject[] = [{ name: "glm-mcp (this build)", entry: CLI, env: glmEnv }];
  if (BEFORE) list.push({ name: `glm-mcp (${BEFORE_NAME})`, entry: BEFORE, env: glmEnv });
  list.push(
    // The official server refuses a key that contains "api" or "key".
    {
      name: `${official.label} (official GLM)`,
      entry: official.entry,
      env: { Z_AI_API_KEY: "bench0000000000" },
    },
    { name: minimax.label, entry: minimax.entry, env: { MINIMAX_API_KEY: "bench0000000000" } },
  );
  return list;
}

function nodeNoop(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore", env: cleanEnv() });
    child.on("error", reject);
    child.on("exit", () => resolve(performance.now() - started));
  });
}

interface ColdStart {
  /** spawn -> tools/list answered */
  listed: number;
  tools: number;
  /** spawn -> the tools/call answered (when one was asked for) */
  called?: number;
  rss?: number;
}

/** One stdio client session as an agent opens it; optionally one tools/call, optionally the idle RSS. */
function coldStart(
  s: Subject,
  opts: { call?: { name: string; arguments: unknown }; env?: Record<string, string>; rss?: boolean } = {},
): Promise<ColdStart> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [s.entry], {
      stdio: ["pipe", "pipe", "ignore"],
      env: cleanEnv({ ...s.env, ...opts.env }),
    });
    const send = (msg: unknown) => child.stdin.write(JSON.stringify(msg) + "\n");
    const out: ColdStart = { listed: 0, tools: 0 };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${s.name} did not answer within 20 s`));
    }, 20_000);
    const finish = async () => {
      if (opts.rss) {
        await new Promise((r) => setTimeout(r, RSS_AFTER_MS));
        out.rss = await rssBytes(child.pid!);
      }
      clearTimeout(timer);
      child.once("exit", () => resolve(out));
      child.stdin.end(); // a client closing stdin is how stdio servers are told to exit
      setTimeout(() => child.kill("SIGKILL"), 3_000).unref(); // peers that ignore it
    };
    child.on("error", reject);
    onLines(child.stdout, (line) => {
      let msg: { id?: number; result?: { tools?: unknown[] }; error?: unknown };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return; // a peer writing logs to stdout
      }
      if (msg.id === 1) {
        send({ jsonrpc: "2.0", method: "notifications/initialized" });
        send({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });
      } else if (msg.id === 2) {
        out.listed = performance.now() - started;
        out.tools = msg.result?.tools?.length ?? 0;
        if (opts.call) send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: opts.call });
        else void finish();
      } else if (msg.id === 3) {
        out.called = performance.now() - started;
        if (msg.error) reject(new Error(`${s.name}: tools/call failed: ${JSON.stringify(msg.error)}`));
        void finish();
      }
    });
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "bench", version: "1" },
      },
    });
  });
}

/** How a bad configuration ends: exit code, stderr lines, time to exit. */
function badConfig(entry: string): Promise<{ code: number | null; lines: string[]; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [entry], {
      stdio: ["pipe", "ignore", "pipe"],
      env: cleanEnv({ GLM_API_KEY: "bench-not-used-000000", GLM_REGION: "mars" }),
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("exit", (code) =>
      resolve({ code, lines: stderr.trim().split("\n"), ms: performance.now() - started }),
    );
  });
}

const row = (name: string, sample: number[], base: number) => [
  name,
  ms(median(sample), 1),
  ms(Math.min(...sample), 1),
  ms(Math.max(...sample), 1),
  ratio(median(sample), base),
];

export async function run(): Promise<void> {
  assertBuilt();
  const list = subjects();
  const glm = list.filter((s) => s.name.startsWith("glm-mcp"));
  const fake = await startFakeGlm();
  const call = { name: "glm_reason", arguments: { prompt: "Say hi.", thinking: false } };
  const callEnv = { GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl };
  try {
    for (const s of list) await coldStart(s); // warm the file system cache once
    const noop: number[] = [];
    const listed = new Map<Subject, number[]>(list.map((s) => [s, []]));
    const called = new Map<Subject, number[]>(glm.map((s) => [s, []]));
    const tools = new Map<Subject, number>();
    for (let i = 0; i < RUNS; i++) {
      noop.push(await nodeNoop());
      for (const s of list) {
        const r = await coldStart(s);
        listed.get(s)!.push(r.listed);
        tools.set(s, r.tools);
      }
      for (const s of glm) called.get(s)!.push((await coldStart(s, { call, env: callEnv })).called!);
    }
    const rss = new Map<Subject, number[]>(list.map((s) => [s, []]));
    for (let i = 0; i < RSS_RUNS; i++)
      for (const s of list) rss.get(s)!.push((await coldStart(s, { rss: true })).rss ?? NaN);
    const base = median(noop);

    console.log(`## Cold start (stdio), side by side\n`);
    console.log(
      `Interleaved rounds (node -e 0, then each server), median of ${RUNS}; RSS ${RSS_AFTER_MS} ms after ` +
        `tools/list, median of ${RSS_RUNS}.\n`,
    );
    table(
      [
        "spawn → initialize + tools/list answered",
        `median of ${RUNS}`,
        "min",
        "max",
        "ratio to node -e 0",
        "idle RSS",
      ],
      [
        [...row("`node -e 0` (spawn → exit)", noop, base), "—"],
        ...list.map((s) => [
          ...row(`${s.name}, ${tools.get(s)} tools`, listed.get(s)!, base),
          mb(median(rss.get(s)!)),
        ]),
      ],
    );
    console.log("");
    table(
      [
        "spawn → initialize + tools/list + first tools/call answered (glm_reason, fake upstream)",
        `median of ${RUNS}`,
        "min",
        "max",
        "ratio to node -e 0",
      ],
      glm.map((s) => row(s.name, called.get(s)!, base)),
    );
    console.log("");
    const httpRss: string[][] = [];
    for (const s of glm) {
      const server = await spawnHttp(s.entry, s.env);
      await new Promise((r) => setTimeout(r, RSS_AFTER_MS));
      httpRss.push([s.name, mb(await rssBytes(server.pid))]);
      await server.stop();
    }
    table([`streamable HTTP, listening (${RSS_AFTER_MS} ms after)`, "idle RSS"], httpRss);
    console.log("");
    const bad = await badConfig(CLI);
    console.log(
      `Bad configuration (GLM_REGION=mars): exit code ${bad.code} after ${ms(bad.ms, 1)}, ` +
        `${bad.lines.length} line on stderr: \`${bad.lines[0]}\`\n`,
    );
  } finally {
    await fake.close();
  }
}

if (isMain(import.meta.url)) await run();
