// A team deployment on 127.0.0.1 made of the real parts: the fake GLM behind an account concurrency
// limit, a real redis-server, N glm-mcp replicas (the built CLI) and a real nginx load balancer
// running the shipped deploy/nginx/glm-mcp.conf (only its listen line rewritten to a free port).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { limitConcurrency, type ConcurrencyLimit } from "../fake-glm/limits.js";
import { ROOT, startHttpCli, type HttpChild } from "../helpers/cli.js";
import { freePort, startRedis, type RedisServer } from "../helpers/redis-server.js";
import { REPLICA_HEADER, tagProxy, type TagProxy } from "./tag-proxy.js";

export const NGINX = process.env.NGINX_BIN ?? "nginx";
export const SHIPPED_CONF = path.join(ROOT, "deploy/nginx/glm-mcp.conf");

export interface Cluster {
  fake: FakeGlm;
  limit: ConcurrencyLimit;
  redis: RedisServer;
  replicas: HttpChild[];
  /** The balancer's MCP endpoint: http://127.0.0.1:PORT/mcp */
  url: string;
  /** Which replica ("r0", "r1", …: the index in `replicas`) sent a recorded upstream request. */
  replicaOf(req: FakeGlm["requests"][number]): string | undefined;
  stop(): Promise<void>;
}

export function requireNginx(): void {
  const probe = spawnSync(NGINX, ["-v"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `nginx is needed by the replicas suite and was not found (${NGINX}): install it (Debian: apt-get install -y nginx; .ci/run does this), or point NGINX_BIN at it`,
    );
}

/** nginx in the foreground with its own prefix, logs and temp paths, as the current user. */
export async function startNginx(upstreams: string[]): Promise<{ port: number; stop(): Promise<void> }> {
  requireNginx();
  const dir = mkdtempSync(path.join(os.tmpdir(), "glm-mcp-nginx-"));
  const port = await freePort();
  const server = readFileSync(SHIPPED_CONF, "utf8").replace(/listen\s+8080;/, `listen 127.0.0.1:${port};`);
  if (!server.includes(`127.0.0.1:${port}`))
    throw new Error("deploy/nginx/glm-mcp.conf has no `listen 8080;`");
  writeFileSync(path.join(dir, "glm-mcp.conf"), server);
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  writeFileSync(
    path.join(dir, "nginx.conf"),
    [
      "daemon off;",
      "worker_processes 1;",
      `pid ${path.join(dir, "nginx.pid")};`,
      `error_log ${path.join(dir, "error.log")} warn;`,
      "events { worker_connections 4096; }",
      "http {",
      `  access_log off;`,
      `  ${temp("client_body")} ${temp("proxy")} ${temp("fastcgi")} ${temp("uwsgi")} ${temp("scgi")}`,
      // keepalive_timeout under the replicas' 5 s, as deploy/nginx/glm-mcp.conf advises.
      `  upstream glm_mcp { ${upstreams.map((u) => `server ${u};`).join(" ")} keepalive 64; keepalive_timeout 4s; }`,
      `  include ${path.join(dir, "glm-mcp.conf")};`,
      "}",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((done) => {
        child.once("exit", () => done());
        child.kill("SIGQUIT");
        setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when /healthz answers through it.
  const end = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > end) {
      await stop();
      throw new Error(`nginx did not answer on ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, stop };
}

export async function startCluster(opts: {
  replicas: number;
  maxConcurrency?: number;
  env?: Record<string, string>;
  latencyMs?: number;
  /** Replicas call the fake straight instead of through the concurrency counter (benchmarks). */
  direct?: boolean;
}): Promise<Cluster> {
  const fake = await startFakeGlm(opts.latencyMs ? { latencyMs: opts.latencyMs } : {});
  // The account limit sits well above the cluster budget: any excess shows as peak > budget.
  const limit = await limitConcurrency(fake, 1_000);
  const redis = await startRedis();
  const replicas: HttpChild[] = [];
  // Outside the benchmark, each replica reaches the counter through its own tagging proxy, so every
  // upstream request names the replica that sent it.
  const tags: TagProxy[] = [];
  // Each replica its own output directory, as replicas without a shared volume have.
  const outputDirs: string[] = [];
  const stopAll = async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    for (const d of outputDirs) rmSync(d, { recursive: true, force: true });
    await redis.stop();
    for (const t of tags) await t.close();
    await limit.close();
    await fake.close();
  };
  try {
    for (let i = 0; i < opts.replicas; i++) {
      outputDirs.push(mkdtempSync(path.join(os.tmpdir(), `glm-mcp-replica${i}-`)));
      if (!opts.direct) tags.push(await tagProxy(limit.baseUrl, `r${i}`));
      replicas.push(
        await startHttpCli([], {
          GLM_MCP_OUTPUT_DIR: outputDirs[i]!,
          GLM_API_KEY: FAKE_API_KEY,
          GLM_BASE_URL: opts.direct ? fake.baseUrl : tags[i]!.baseUrl,
          GLM_MCP_REDIS_URL: redis.url,
          GLM_MCP_MAX_CONCURRENCY: String(opts.maxConcurrency ?? 8),
          GLM_MAX_RETRIES: "0",
          ...opts.env,
        }),
      );
    }
    const lb = await startNginx(replicas.map((r) => new URL(r.url).host));
    return {
      fake,
      limit,
      redis,
      replicas,
      url: `http://127.0.0.1:${lb.port}/mcp`,
      replicaOf: (req) => {
        const tag = req.headers[REPLICA_HEADER];
        return typeof tag === "string" ? tag : undefined;
      },
      stop: async () => {
        await lb.stop();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
