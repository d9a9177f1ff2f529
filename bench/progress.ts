// Time from the upstream's first response byte to the first progress notification the client
// receives that reflects it (glm_reason's "thinking…" after the first SSE chunk), over stdio and
// HTTP. A TCP tap in front of the fake timestamps the first body byte on the same clock as the
// client. Run: npx tsx bench/progress.ts
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { glmReasonKind } from "../test/load/calls.js";
import { httpSession, isMain, median, percentile, stdioSession, table } from "./lib/common.js";
import { startTap, type Tap } from "./lib/tap.js";

const CALLS = 20;

async function measure(client: Client, tap: Tap, offset: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = offset; i < offset + CALLS; i++) {
    const seen = tap.firstBodyBytes.length;
    let firstProgress: number | undefined;
    const r = (await client.callTool(
      { name: "glm_reason", arguments: { prompt: `progress ${i}` } },
      undefined,
      {
        onprogress: (p) => {
          if (firstProgress === undefined && /thinking|answering/.test(p.message ?? ""))
            firstProgress = performance.now();
        },
      },
    )) as CallToolResult;
    if (r.isError) throw new Error(`call ${i} failed`);
    const firstByte = tap.firstBodyBytes[seen];
    if (firstByte === undefined || firstProgress === undefined)
      throw new Error(`call ${i}: no first byte or progress seen`);
    out.push(firstProgress - firstByte);
  }
  return out;
}

export async function run(): Promise<void> {
  // 100 ms to the headers, then 20 ms between chunks: the first chunk arrives on its own.
  const fake = await startFakeGlm({ latencyMs: 100, chunkDelayMs: 20 });
  const tap = await startTap(fake.baseUrl);
  const env = { GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: tap.url };
  const stdio = await stdioSession(env);
  const http = await httpSession(env);
  try {
    // Warm up both paths (and check the answer is right).
    for (const c of [stdio.client, http.client])
      glmReasonKind.check(
        (await c.callTool({ name: "glm_reason", arguments: glmReasonKind.args(0) })) as CallToolResult,
        0,
      );
    const overStdio = await measure(stdio.client, tap, 1_000);
    const overHttp = await measure(http.client, tap, 2_000);
    console.log(
      `## Upstream first byte → first progress notification (glm_reason, ${CALLS} calls each, fake: 100 ms to headers, 20 ms between chunks)\n`,
    );
    table(
      ["transport", "median ms", "p99 ms", "max ms"],
      [
        [
          "stdio",
          median(overStdio).toFixed(2),
          percentile(overStdio, 99).toFixed(2),
          Math.max(...overStdio).toFixed(2),
        ],
        [
          "streamable HTTP (SSE response)",
          median(overHttp).toFixed(2),
          percentile(overHttp, 99).toFixed(2),
          Math.max(...overHttp).toFixed(2),
        ],
      ],
    );
    console.log("");
  } finally {
    await stdio.close();
    await http.close();
    await tap.close();
    await fake.close();
  }
}

if (isMain(import.meta.url)) await run();
