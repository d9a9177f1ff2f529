// The fake GLM answering in several processes at once (node:cluster, one shared port), as GLM's own
// servers answer requests in parallel: a single fake process computes concurrent answers one after
// another, and that queue is the fake's cost, not the client's. Prints FAKE_GLM_BASE_URL=… and
// FAKE_GLM_PIDS=… once every worker listens. Run: node --import tsx bench/lib/fake-cluster.ts
import cluster from "node:cluster";
import { startFakeGlm } from "../../test/fake-glm/index.js";

const workers = Number(process.env.FAKE_WORKERS ?? 4);
const latencyMs = Number(process.env.FAKE_LATENCY_MS ?? 0);

if (cluster.isPrimary) {
  const urls: string[] = [];
  const pids: number[] = [];
  for (let i = 0; i < workers; i++) {
    const worker = cluster.fork();
    worker.on("message", (url: string) => {
      urls.push(url);
      pids.push(worker.process.pid!);
      if (urls.length === workers) console.log(`FAKE_GLM_BASE_URL=${url}\nFAKE_GLM_PIDS=${pids.join(",")}`);
    });
  }
  const stop = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  // Port 0 in a cluster worker: the primary hands every worker the same port.
  const fake = await startFakeGlm({ latencyMs, latencyIncludesWork: true });
  process.send!(fake.baseUrl);
}
