// Cold start: spawn the built CLI -> answered `initialize` + `tools/list` over stdio, median of N
// runs, against `node -e 0` measured in the same run (interleaved); plus the idle RSS of the server
// (stdio and HTTP). Run: npx tsx bench/startup.ts
import { spawn } from "node:child_process";
import { CLI, assertBuilt, cleanEnv, startHttpCli } from "../test/helpers/cli.js";
import { isMain, mb, median, ms, ratio, rssBytes, table } from "./lib/common.js";

const RUNS = 11;

function nodeNoop(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore", env: cleanEnv() });
    child.on("error", reject);
    child.on("exit", () => resolve(performance.now() - started));
  });
}

/** Spawn -> initialize answered -> tools/list answered; returns the time and the child's idle RSS. */
function coldStart(measureRss: boolean): Promise<{ ms: number; tools: number; rss?: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI], {
      stdio: ["pipe", "pipe", "ignore"],
      env: cleanEnv({ GLM_API_KEY: "bench-key-not-used", GLM_MCP_LOG_LEVEL: "error" }),
    });
    const send = (msg: unknown) => child.stdin.write(JSON.stringify(msg) + "\n");
    let buffer = "";
    child.on("error", reject);
    child.stdout.on("data", async (d: Buffer) => {
      buffer += d.toString("utf8");
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const msg = JSON.parse(line) as { id?: number; result?: { tools?: unknown[] } };
        if (msg.id === 1) {
          send({ jsonrpc: "2.0", method: "notifications/initialized" });
          send({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });
        } else if (msg.id === 2) {
          const elapsed = performance.now() - started;
          const tools = msg.result?.tools?.length ?? 0;
          let rss: number | undefined;
          if (measureRss) {
            await new Promise((r) => setTimeout(r, 1000)); // let start-up garbage settle
            rss = await rssBytes(child.pid!);
          }
          child.once("exit", () => resolve({ ms: elapsed, tools, rss }));
          child.stdin.end(); // a client closing stdin is how stdio servers are told to exit
        }
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

export async function run(): Promise<void> {
  assertBuilt();
  console.log(`## Cold start (stdio)\n`);
  await coldStart(false); // warm the file system cache once
  const noop: number[] = [];
  const cold: number[] = [];
  let tools = 0;
  let stdioRss: number | undefined;
  for (let i = 0; i < RUNS; i++) {
    noop.push(await nodeNoop());
    const r = await coldStart(i === RUNS - 1);
    cold.push(r.ms);
    tools = r.tools;
    if (r.rss !== undefined) stdioRss = r.rss;
  }
  const http = await startHttpCli([], { GLM_API_KEY: "bench-key-not-used" });
  await new Promise((r) => setTimeout(r, 1000));
  const httpRss = await rssBytes(http.child.pid!);
  await http.stop();

  table(
    ["measure", `median of ${RUNS}`, "min", "max", "ratio to node -e 0"],
    [
      ["`node -e 0`", ms(median(noop), 1), ms(Math.min(...noop), 1), ms(Math.max(...noop), 1), "1.00×"],
      [
        `glm-mcp spawn → initialize + tools/list (${tools} tools)`,
        ms(median(cold), 1),
        ms(Math.min(...cold), 1),
        ms(Math.max(...cold), 1),
        ratio(median(cold), median(noop)),
      ],
    ],
  );
  console.log("");
  table(
    ["idle server (1 s after start)", "RSS"],
    [
      ["stdio, after initialize + tools/list", mb(stdioRss)],
      ["streamable HTTP, listening", mb(httpRss)],
    ],
  );
  console.log("");
}

if (isMain(import.meta.url)) await run();
