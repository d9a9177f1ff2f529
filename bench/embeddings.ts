// embed_text batching: wall time and request count for 10,000 short texts against the fake GLM
// upstream with a fixed per-request latency, side by side with sequential batches and with one
// request per text, and against a bare client sending the batched arm's requests (what the fake and
// the network alone take: the floor this machine can reach). Run: npx tsx bench/embeddings.ts
// The fake runs in processes of its own (as GLM would), so its JSON work does not share our event
// loop, and in several (FAKE_WORKERS, default 4) so that concurrent requests are answered in parallel
// as GLM's servers answer them: one fake process computes them one after another.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { Agent, request } from "undici";
import { fileURLToPath, pathToFileURL } from "node:url";
import { embedTexts } from "../src/embeddings/embed.js";
import { estimateTokens } from "../src/embeddings/tokens.js";
import { runPool } from "../src/util/pool.js";
import { GlmClient } from "../src/glm/client.js";
import { FAKE_API_KEY } from "../test/fake-glm/index.js";
import { cpuMs } from "./lib/cpu.js";

const TEXTS = 10_000;
const LATENCY_MS = 50;
const DIMENSIONS = 256;
const CONCURRENCY = 4; // GLM_MCP_EMBED_CONCURRENCY default
/** Fake processes answering in parallel, as GLM's servers do (FAKE_WORKERS=1: one process, one queue). */
const FAKE_WORKERS = Number(process.env.FAKE_WORKERS ?? 4);
/** One request per text would take minutes at 10,000: it is measured on this many and scaled. */
const PER_TEXT_SAMPLE = 400;

interface Arm {
  name: string;
  texts: number;
  batchSize: number;
  concurrency: number;
}

export async function run(): Promise<void> {
  const fake = await startFakeProcess(LATENCY_MS);
  const fakeCpuMs = () => fake.pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? NaN), 0);
  const glm = new GlmClient({
    baseUrl: fake.baseUrl,
    apiKey: FAKE_API_KEY,
    timeoutMs: 60_000,
    maxRetries: 0,
    maxConcurrency: 64,
  });
  try {
    const arms: Arm[] = [
      {
        name: `batched (64/request, ${CONCURRENCY} concurrent)`,
        texts: TEXTS,
        batchSize: 64,
        concurrency: CONCURRENCY,
      },
      { name: "sequential batches (64/request, 1 at a time)", texts: TEXTS, batchSize: 64, concurrency: 1 },
      {
        name: `one request per text (${CONCURRENCY} concurrent)`,
        texts: PER_TEXT_SAMPLE,
        batchSize: 1,
        concurrency: CONCURRENCY,
      },
    ];
    // Warm-up (JIT, keep-alive sockets) so the first arm is not charged for it; not reported.
    const warm = Array.from({ length: 256 }, (_, i) => `warm-up ${i}`);
    await embedTexts({
      glm,
      model: "embedding-3",
      dimensions: DIMENSIONS,
      texts: warm,
      tokens: warm.map(estimateTokens),
      concurrency: CONCURRENCY,
    });
    const rows: {
      name: string;
      concurrency: number;
      measured: number;
      ms: number;
      requests: number;
      scaledMs: number;
      scaledRequests: number;
      fakeCpuMs: number;
      ownCpuMs: number;
    }[] = [];
    for (const [k, arm] of arms.entries()) {
      // Distinct texts per arm and no cache: every arm pays for every text.
      const texts = Array.from(
        { length: arm.texts },
        (_, i) => `arm ${k} text ${i}: a short sentence about topic ${i % 97}`,
      );
      const started = performance.now();
      const fakeCpu = fakeCpuMs();
      const ownCpu = process.cpuUsage();
      const r = await embedTexts({
        glm,
        model: "embedding-3",
        dimensions: DIMENSIONS,
        texts,
        tokens: texts.map(estimateTokens),
        concurrency: arm.concurrency,
        batchSize: arm.batchSize,
      });
      const ms = performance.now() - started;
      const own = process.cpuUsage(ownCpu);
      const fakeCpuUsed = fakeCpuMs() - fakeCpu;
      if (r.vectors.length !== arm.texts)
        throw new Error(`${arm.name}: ${r.vectors.length} vectors for ${arm.texts} texts`);
      const scale = TEXTS / arm.texts;
      rows.push({
        name: arm.name,
        concurrency: arm.concurrency,
        measured: arm.texts,
        ms,
        requests: r.requests,
        scaledMs: ms * scale,
        scaledRequests: Math.round(r.requests * scale),
        fakeCpuMs: fakeCpuUsed,
        ownCpuMs: (own.user + own.system) / 1000,
      });
    }

    const raw = await rawFloor(fake.baseUrl, TEXTS, 64, CONCURRENCY);
    const base = rows[0]!;
    console.log(
      `embed_text batching — ${TEXTS.toLocaleString("en-US")} short texts, embedding-3 @ ${DIMENSIONS} dims, fake GLM with ${LATENCY_MS} ms per request, answering in ${FAKE_WORKERS} process${FAKE_WORKERS === 1 ? "" : "es"}`,
    );
    console.log(
      "arm".padEnd(48) +
        "texts run".padStart(10) +
        "requests".padStart(10) +
        "wall (10k)".padStart(13) +
        "latency floor".padStart(15) +
        "fake CPU/req".padStart(14) +
        "client CPU/req".padStart(16) +
        "  vs batched",
    );
    for (const row of rows) {
      const extrapolated = row.measured !== TEXTS;
      console.log(
        row.name.padEnd(48) +
          String(row.measured).padStart(10) +
          `${extrapolated ? "~" : ""}${row.scaledRequests}`.padStart(10) +
          `${extrapolated ? "~" : ""}${(row.scaledMs / 1000).toFixed(2)} s`.padStart(13) +
          `${((Math.ceil(row.scaledRequests / row.concurrency) * LATENCY_MS) / 1000).toFixed(2)} s`.padStart(
            15,
          ) +
          `${(row.fakeCpuMs / row.requests).toFixed(1)} ms`.padStart(14) +
          `${(row.ownCpuMs / row.requests).toFixed(1)} ms`.padStart(16) +
          `  ${(row.scaledMs / base.scaledMs).toFixed(1)}× time, ${(row.scaledRequests / base.scaledRequests).toFixed(1)}× requests`,
      );
    }
    console.log(
      `measured floor: the same ${raw.requests} requests, ${CONCURRENCY} at a time, sent by a bare client (undici + JSON.parse, no glm-mcp code): ` +
        `${(raw.ms / 1000).toFixed(2)} s; batched glm-mcp is ${(base.scaledMs / raw.ms).toFixed(2)}× that and ${(base.scaledMs / (Math.ceil(base.scaledRequests / CONCURRENCY) * LATENCY_MS)).toFixed(2)}× the latency floor.`,
    );
    console.log(
      "latency floor = ceil(requests / concurrency) × latency: the wall time if GLM answered in exactly the latency and nothing else cost time.",
    );
    console.log(
      `~ = one request per text was measured on ${PER_TEXT_SAMPLE} texts (${rows[2]!.requests} requests, ${(rows[2]!.ms / 1000).toFixed(2)} s) and scaled ×${TEXTS / PER_TEXT_SAMPLE} to ${TEXTS.toLocaleString("en-US")}.`,
    );
  } finally {
    await fake.close();
  }
}

/**
 * What the fake and the network alone take for the batched arm's requests: each request sent by a
 * bare undici client, its answer read and parsed, `concurrency` at a time — no batching plan, no
 * retries, no vectors copied. glm-mcp's batched row over this is its own cost.
 */
async function rawFloor(
  baseUrl: string,
  texts: number,
  batch: number,
  concurrency: number,
): Promise<{ ms: number; requests: number }> {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const requests = Math.ceil(texts / batch);
  const started = performance.now();
  const { failure } = await runPool(requests, concurrency, async (r) => {
    const input = Array.from(
      { length: Math.min(batch, texts - r * batch) },
      (_, i) => `floor text ${r * batch + i}: a short sentence about topic ${i % 97}`,
    );
    const res = await request(`${baseUrl}/embeddings`, {
      method: "POST",
      dispatcher,
      headers: { authorization: `Bearer ${FAKE_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "embedding-3", input, dimensions: DIMENSIONS }),
    });
    const answer = (await res.body.json()) as { data?: unknown[] };
    if (res.statusCode !== 200 || answer.data?.length !== input.length)
      throw new Error(`the fake answered ${res.statusCode} with ${answer.data?.length} vectors`);
  });
  await dispatcher.close();
  if (failure) throw failure.error;
  return { ms: performance.now() - started, requests };
}

/**
 * Starts the fake GLM in FAKE_WORKERS processes (bench/lib/fake-cluster.ts) and reads its base URL
 * and worker pids from stdout.
 */
async function startFakeProcess(
  latencyMs: number,
): Promise<{ baseUrl: string; pids: number[]; close(): Promise<void> }> {
  const launcher = fileURLToPath(new URL("./lib/fake-cluster.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", launcher], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { PATH: process.env.PATH, FAKE_WORKERS: String(FAKE_WORKERS), FAKE_LATENCY_MS: String(latencyMs) },
  });
  const lines = createInterface({ input: child.stdout! });
  const started = await new Promise<{ baseUrl: string; pids: number[] }>((resolve, reject) => {
    let baseUrl = "";
    child.once("exit", (code) => reject(new Error(`the fake GLM exited early (code ${code})`)));
    lines.on("line", (line) => {
      baseUrl = /^FAKE_GLM_BASE_URL=(.+)$/.exec(line)?.[1] ?? baseUrl;
      const pids = /^FAKE_GLM_PIDS=(.+)$/.exec(line)?.[1];
      if (pids) resolve({ baseUrl, pids: pids.split(",").map(Number) });
    });
  });
  return {
    ...started,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
