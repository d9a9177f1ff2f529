// --workers N: a node:cluster primary that loads nothing of the server, runs N HTTP workers on one
// port (the kernel hands connections out round robin), replaces a worker that dies, and on SIGTERM
// or SIGINT lets every worker drain its calls before the process exits. State the workers share
// (conversations, usage, the GLM budget, cancellations) lives in Redis: config.ts refuses N > 1
// without it.
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "../log.js";

/** Restarts of a worker that dies young wait longer each time (a crash loop must not spin). */
const YOUNG_MS = 5_000;
const MAX_BACKOFF_MS = 10_000;
/** Time the workers get to finish their calls (each has its own 10 s grace, plus its exit). */
const DRAIN_MS = 20_000;

/** `fields` go on the one "listening" line (the workers themselves do not announce). */
export function runPrimary(count: number, logger: Logger, fields: Record<string, unknown> = {}): void {
  let stopping = false;
  let exitCode = 0;
  // Ready once every worker has listened: only then is a dead worker replaced. Before that a worker
  // that dies (port taken, bad address) would die again, so the primary stops as one process would.
  let ready = false;
  const listened = new Set<Worker>();
  let crashes = 0;
  const born = new Map<Worker, number>();

  const fork = () => born.set(cluster.fork(), Date.now());
  const finish = () => {
    if (born.size === 0) process.exit(exitCode);
  };
  const drainAll = () => {
    for (const w of born.keys()) w.process.kill("SIGTERM");
    setTimeout(() => {
      for (const w of born.keys()) w.process.kill("SIGKILL");
      process.exit(1);
    }, DRAIN_MS).unref();
    finish();
  };

  cluster.on("listening", (worker, address) => {
    if (ready) return;
    listened.add(worker);
    if (listened.size < count) return;
    ready = true;
    const host = address.addressType === 6 ? `[${address.address}]` : address.address;
    logger.info(`listening on http://${host}:${address.port}/mcp with ${count} workers`, {
      pid: process.pid,
      ...fields,
    });
  });
  cluster.on("exit", (worker, code, signal) => {
    const age = Date.now() - (born.get(worker) ?? 0);
    born.delete(worker);
    const how = signal ?? `code ${code}`;
    if (stopping) return finish();
    if (!ready) {
      logger.error(`worker ${worker.process.pid} exited while starting (${how}): stopping`);
      stopping = true;
      exitCode = 1;
      return drainAll();
    }
    crashes = age < YOUNG_MS ? crashes + 1 : 0;
    const delay = Math.min(MAX_BACKOFF_MS, crashes === 0 ? 0 : 250 * 2 ** (crashes - 1));
    logger.warning(
      `worker ${worker.process.pid} exited (${how}); starting another${delay ? ` in ${delay} ms` : ""}`,
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  const stop = (why: string) => {
    if (stopping) {
      // A second signal: stop waiting.
      for (const w of born.keys()) w.process.kill("SIGKILL");
      process.exit(1);
    }
    stopping = true;
    logger.info(`shutting down ${born.size} workers (${why}): finishing calls in flight`);
    drainAll();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  for (let i = 0; i < count; i++) fork();
}
