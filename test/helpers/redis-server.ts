// A real redis-server on 127.0.0.1 for the shared-store and replica suites. It is installed by
// .ci/run from Debian's packages; without it these suites fail with the reason (they never skip).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM) and waits for it to exit; the port stays reserved for start(). */
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop()), empty. */
  start(): Promise<void>;
}

const BIN = process.env.REDIS_SERVER_BIN ?? "redis-server";

/** Throws one actionable line when redis-server is not installed. */
export function requireRedisServer(): void {
  const probe = spawnSync(BIN, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `redis-server is needed by this suite and was not found (${BIN}): install it (Debian: apt-get install -y redis-server; .ci/run does this), or point REDIS_SERVER_BIN at it`,
    );
}

/** A port nothing listens on now (127.0.0.1). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  requireRedisServer();
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const proc = spawn(
      BIN,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--loglevel",
        "notice",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = proc;
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start on ${port}: ${out}`)),
        10_000,
      );
      const onData = (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/i.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on("data", onData);
      proc.stderr!.on("data", onData);
      proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code} before it was ready: ${out}`));
      });
    });
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    });
  };

  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start };
}
