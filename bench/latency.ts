// Added latency per tool call: the same upstream request sent straight to the fake GLM vs made
// through a tool call over stdio and over streamable HTTP (the built CLI), one call at a time.
// Every MCP answer is checked. Run: npx tsx bench/latency.ts
import { Agent } from "undici";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { availableKinds, type CallKind } from "../test/load/calls.js";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { httpSession, isMain, percentile, ratio, stdioSession, table } from "./lib/common.js";

const WARMUP = 20;
const CALLS = 100;

async function timeEach(
  count: number,
  offset: number,
  call: (i: number) => Promise<void>,
): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await call(offset - WARMUP + i);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call(offset + i);
    out.push(performance.now() - started);
  }
  return out;
}

const viaTool = (client: Client, kind: CallKind) => async (i: number) => {
  const r = (await client.callTool({ name: kind.tool, arguments: kind.args(i) })) as CallToolResult;
  kind.check(r, i);
};

export async function run(): Promise<void> {
  const fake = await startFakeGlm(); // no added latency: what is left is the server's own cost
  const env = { GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl };
  const stdio = await stdioSession(env);
  const http = await httpSession(env);
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  try {
    const { tools } = await stdio.client.listTools();
    const kinds = await availableKinds(tools.map((t) => t.name));
    console.log(
      `## Added latency per tool call (sequential, fake upstream with 0 ms latency, ${CALLS} calls each after ${WARMUP} warm-up)\n`,
    );
    const rows: string[][] = [];
    let offset = 1_000;
    for (const kind of kinds) {
      const direct = await timeEach(CALLS, (offset += 1_000), (i) =>
        kind.direct(fake.baseUrl, FAKE_API_KEY, i, dispatcher),
      );
      const overStdio = await timeEach(CALLS, (offset += 1_000), viaTool(stdio.client, kind));
      const overHttp = await timeEach(CALLS, (offset += 1_000), viaTool(http.client, kind));
      const d50 = percentile(direct, 50);
      const d99 = percentile(direct, 99);
      for (const [mode, s] of [
        ["direct to fake", direct],
        ["MCP over stdio", overStdio],
        ["MCP over HTTP", overHttp],
      ] as const) {
        const p50 = percentile(s, 50);
        const p99 = percentile(s, 99);
        const isDirect = s === direct;
        rows.push([
          kind.tool,
          mode,
          p50.toFixed(2),
          p99.toFixed(2),
          isDirect ? "—" : (p50 - d50).toFixed(2),
          isDirect ? "—" : (p99 - d99).toFixed(2),
          isDirect ? "1.00×" : ratio(p50, d50),
        ]);
      }
    }
    table(["tool", "path", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms", "p50 ratio to direct"], rows);
    console.log("");
  } finally {
    await dispatcher.close();
    await stdio.close();
    await http.close();
    await fake.close();
  }
}

if (isMain(import.meta.url)) await run();
