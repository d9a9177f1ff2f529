// embed_text batching: wall time and request count for 10,000 short texts against the fake GLM
// upstream with a fixed per-request latency, side by side with sequential batches and with one
// request per text. Run: npx tsx bench/embeddings.ts
// The fake runs in its own process (as GLM would), so its JSON work does not share our event loop.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { embedTexts } from "../src/embeddings/embed.js";
import { estimateTokens } from "../src/embeddings/tokens.js";
import { GlmClient } from "../src/glm/client.js";
import { FAKE_API_KEY } from "../test/fake-glm/index.js";
import { cpuMs } from "./lib/cpu.js";

const TEXTS = 10_000;
const LATENCY_MS = 50;
const DIMENSIONS = 256;
const CONCURRENCY = 4; // GLM_MCP_EMBED_CONCURRENCY default
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
      const fakeCpu = cpuMs(fake.pid) ?? NaN;
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
      const fakeCpuMs = (cpuMs(fake.pid) ?? NaN) - fakeCpu;
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
        fakeCpuMs,
        ownCpuMs: (own.user + own.system) / 1000,
      });
    }

    const base = rows[0]!;
    console.log(
      `embed_text batching — ${TEXTS.toLocaleString("en-US")} short texts, embedding-3 @ ${DIMENSIONS} dims, fake GLM with ${LATENCY_MS} ms per request`,
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
      "latency floor = ceil(requests / concurrency) × latency: the wall time if GLM answered in exactly the latency and nothing else cost time.",
    );
    console.log(
      `~ = one request per text was measured on ${PER_TEXT_SAMPLE} texts (${rows[2]!.requests} requests, ${(rows[2]!.ms / 1000).toFixed(2)} s) and scaled ×${TEXTS / PER_TEXT_SAMPLE} to ${TEXTS.toLocaleString("en-US")}.`,
    );
  } finally {
    await fake.close();
  }
}

/** Starts test/fake-glm/cli.ts as a child process and reads its base URL from stdout. */
async function startFakeProcess(
  latencyMs: number,
): Promise<{ baseUrl: string; pid: number; close(): Promise<void> }> {
  const cli = fileURLToPath(new URL("../test/fake-glm/cli.ts", import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", cli, "--latency", String(latencyMs)],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: { PATH: process.env.PATH },
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the fake GLM exited early (code ${code})`)));
    lines.on("line", (line) => {
      const m = /^FAKE_GLM_BASE_URL=(.+)$/.exec(line);
      if (m) resolve(m[1]!);
    });
  });
  return {
    baseUrl,
    pid: child.pid!,
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
