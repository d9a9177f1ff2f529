// The stdio front answers initialize and tools/list from dist/startup-snapshot.json (written by the
// build). These tests prove that file equals what the real server answers, for every setting that
// could change the answer, and that the spawned CLI hands everything else to the real server with
// the client's initialize replayed into it.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { initializeRequest, liveAnswers, SNAPSHOT_PATH } from "../../scripts/startup-snapshot.js";
import { readStartupSnapshot, snapshotAnswer } from "../../src/transports/stdio-front.js";
import type { CliOverrides } from "../../src/config.js";
import { assertBuilt, CLI, cleanEnv, ROOT } from "../helpers/cli.js";

const KEY = { GLM_API_KEY: "snapshot-test-key" };

/** Every setting a user can change, each away from its default (one per row). */
const SETTINGS: Array<[name: string, env: Record<string, string | undefined>, cli?: CliOverrides]> = [
  ["defaults", KEY],
  ["no API key", {}],
  ["GLM_REGION=intl", { ...KEY, GLM_REGION: "intl" }],
  ["GLM_CODING_PLAN=1", { ...KEY, GLM_CODING_PLAN: "1" }],
  ["GLM_BASE_URL", { ...KEY, GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4" }],
  ["GLM_REALTIME_URL", { ...KEY, GLM_REALTIME_URL: "ws://127.0.0.1:9/realtime" }],
  ["GLM_MODEL", { ...KEY, GLM_MODEL: "glm-4.5" }],
  ["GLM_VISION_MODEL / Z_AI_MODE", { ...KEY, GLM_VISION_MODEL: "glm-5.3-flash", Z_AI_MODE: "ZAI" }],
  ["Z_AI_VISION_MODEL", { ...KEY, Z_AI_VISION_MODEL: "glm-5.9v" }],
  ["GLM_TIMEOUT_MS / GLM_MAX_RETRIES", { ...KEY, GLM_TIMEOUT_MS: "5000", GLM_MAX_RETRIES: "0" }],
  ["GLM_MCP_LOG_LEVEL=debug", { ...KEY, GLM_MCP_LOG_LEVEL: "debug" }],
  ["GLM_MCP_OUTPUT_DIR", { ...KEY, GLM_MCP_OUTPUT_DIR: os.tmpdir() }],
  ["GLM_MCP_ALLOW_DIRS", { ...KEY, GLM_MCP_ALLOW_DIRS: os.tmpdir() }],
  ["GLM_MCP_INLINE_URLS=1", { ...KEY, GLM_MCP_INLINE_URLS: "1" }],
  ["GLM_MCP_MAX_CONCURRENCY", { ...KEY, GLM_MCP_MAX_CONCURRENCY: "64" }],
  [
    "media limits",
    {
      ...KEY,
      GLM_MCP_IMAGE_MAX_EDGE: "1024",
      GLM_MCP_IMAGE_MAX_MB: "2",
      GLM_MCP_VIDEO_MAX_MB: "10",
      GLM_MCP_MEDIA_MAX_MB: "10",
    },
  ],
  [
    "embedding cache and concurrency",
    { ...KEY, GLM_MCP_EMBED_CACHE_MB: "1", GLM_MCP_EMBED_CONCURRENCY: "2", GLM_MCP_FETCH_TIMEOUT_MS: "5000" },
  ],
  [
    "HTTP settings",
    { ...KEY, GLM_MCP_HTTP: "1", GLM_MCP_HTTP_TOKEN: "a-long-test-token", GLM_MCP_PORT: "0" },
  ],
  [
    "CLI flags",
    KEY,
    { region: "intl", codingPlan: true, model: "glm-4.6", inlineUrls: true, logLevel: "error" },
  ],
];

describe("startup snapshot", () => {
  const snapshot = readStartupSnapshot(new URL(`file://${SNAPSHOT_PATH}`));

  it("was written by the build", () => {
    assertBuilt();
    expect(snapshot, `${SNAPSHOT_PATH} is missing: run npm run build`).toBeDefined();
    expect((JSON.parse(snapshot!.toolsListJson) as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
  });

  it.each(SETTINGS)("equals the live initialize and tools/list answers (%s)", async (_name, env, cli) => {
    const versions = [...snapshot!.protocolVersions, "1999-01-01"];
    for (const version of versions) {
      const request = initializeRequest(version, 7);
      const listRequest = { jsonrpc: "2.0", id: "list", method: "tools/list", params: {} };
      const pingRequest = { jsonrpc: "2.0", id: 9, method: "ping" };
      const live = await liveAnswers(
        [request, { jsonrpc: "2.0", method: "notifications/initialized" }, listRequest, pingRequest],
        env,
        cli,
      );
      const front = (...a: Parameters<typeof snapshotAnswer>) => JSON.parse(snapshotAnswer(...a) ?? "null");
      expect(front(snapshot!, request, false)).toEqual(live[0]);
      const negotiated = (live[0] as { result: { protocolVersion: string } }).result.protocolVersion;
      expect(front(snapshot!, listRequest, true, negotiated)).toEqual(live[1]);
      expect(front(snapshot!, pingRequest, true)).toEqual(live[2]);
    }
  });

  it("leaves to the real server what it cannot be sure of", () => {
    const init = initializeRequest("2025-06-18");
    const odd: Array<[Record<string, unknown>, boolean]> = [
      [{ ...init, extra: 1 }, false], // the SDK's request schema is strict
      [{ ...init, id: 1.5 }, false],
      [{ ...init, params: { ...(init.params as object), capabilities: { roots: true } } }, false],
      [{ ...init, params: { protocolVersion: "2025-06-18", capabilities: {} } }, false],
      [init, true], // a second initialize
      [{ jsonrpc: "2.0", id: 2, method: "tools/list" }, false], // before initialize
      [{ jsonrpc: "2.0", id: 2, method: "tools/list", params: { cursor: 5 } }, true],
      [{ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "glm_reason" } }, true],
      [{ jsonrpc: "2.0", id: 2, method: "prompts/list" }, true],
    ];
    for (const [message, initialized] of odd)
      expect(snapshotAnswer(snapshot!, message, initialized)).toBe(undefined);
  });
});

/** A raw line client on the spawned CLI: every stdout message, and a way to wait for one. */
function spawnRaw(env: Record<string, string>, entry = CLI) {
  const child = spawn(process.execPath, [entry], { stdio: ["pipe", "pipe", "pipe"], env: cleanEnv(env) });
  const received: Record<string, unknown>[] = [];
  let stderr = "";
  let buffer = "";
  const waiters: Array<() => void> = [];
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  child.stdout.on("data", (d: Buffer) => {
    buffer += d.toString("utf8");
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      received.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
      for (const w of waiters.splice(0)) w();
    }
  });
  const waitFor = async (test: (m: Record<string, unknown>) => boolean) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const hit = received.find(test);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no such message; got ${JSON.stringify(received)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  return {
    child,
    received,
    stderr: () => stderr,
    send: (m: unknown) => child.stdin.write(JSON.stringify(m) + "\n"),
    waitFor,
    stop: () =>
      new Promise<number | null>((resolve) => {
        child.once("exit", (code) => resolve(code));
        child.stdin.end();
      }),
  };
}

describe("spawned CLI with the snapshot", () => {
  it("answers initialize and tools/list before loading the server, then replays initialize into it", async () => {
    assertBuilt();
    const dir = mkdtempSync(path.join(os.tmpdir(), "glm-mcp-snapshot-"));
    const image = path.join(dir, "x.png");
    writeFileSync(image, Buffer.from("not really a png"));
    const cli = spawnRaw({
      ...KEY,
      GLM_MCP_LOG_LEVEL: "debug",
      GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4",
    });
    const started = /starting the full server/;
    try {
      const init = initializeRequest("2025-06-18", 1);
      (init.params as { capabilities: object }).capabilities = { roots: {} };
      cli.send(init);
      await cli.waitFor((m) => m.id === 1);
      cli.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      cli.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
      await cli.waitFor((m) => m.id === 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(cli.stderr()).not.toMatch(started);

      // A local path makes the real server ask for the client's roots: it knows them only if the
      // client's initialize (which declared roots) was replayed into it.
      cli.send({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "vision_analyze", arguments: { image, prompt: "what is it?" } },
      });
      const rootsRequest = await cli.waitFor((m) => m.method === "roots/list");
      cli.send({ jsonrpc: "2.0", id: rootsRequest.id, result: { roots: [{ uri: `file://${dir}` }] } });
      const answer = await cli.waitFor((m) => m.id === 3);
      expect(answer.result).toBeDefined();
      expect(cli.stderr()).toMatch(started);
      // The replayed initialize's answer never reaches the client: one answer per id it sent.
      const ids = cli.received.filter((m) => "result" in m || "error" in m).map((m) => m.id);
      expect(ids).toEqual([1, 2, 3]);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it("a bad configuration still fails at start with one line and exit code 2", async () => {
    assertBuilt();
    const cli = spawnRaw({ ...KEY, GLM_REGION: "mars" });
    const code = await new Promise<number | null>((resolve) => cli.child.once("exit", resolve));
    expect(code).toBe(2);
    expect(cli.stderr().trim().split("\n")).toEqual([expect.stringMatching(/^glm-mcp: GLM_REGION must be/)]);
    expect(cli.received).toEqual([]);
  });
});

describe("the shipped entry (dist/index.cjs)", () => {
  it("is one CommonJS file that needs only Node's own modules until the first call", () => {
    assertBuilt();
    const source = readFileSync(CLI, "utf8");
    expect(source.startsWith("#!/usr/bin/env node\n")).toBe(true);
    const required = [...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    // Node's modules, and the lazy bundle beside it (loaded on the first call, not at start).
    expect(required.filter((r) => !r.startsWith("node:"))).toEqual(["./lazy.cjs"]);
    expect(source).not.toMatch(/\bimport\(/); // an import() would start Node's ES module loader
    const bundled = new Set([...source.matchAll(/^\/\/ (src\/\S+\.ts)$/gm)].map((m) => m[1]));
    expect([...bundled].sort()).toEqual([
      "src/cli/args.ts",
      "src/config.ts",
      "src/index.ts",
      "src/log.ts",
      "src/state/secrets.ts",
      "src/transports/http-limits.ts",
      "src/transports/line-cap.ts",
      "src/transports/stdio-front.ts",
      "src/util/nearest.ts",
      "src/util/redact.ts",
      "src/util/url-credentials.ts",
    ]);
  });

  it("ships one bundle set: dist/ holds the entry, the lazy bundle, the snapshot and the old name", () => {
    assertBuilt();
    expect(readdirSync(path.join(ROOT, "dist")).sort()).toEqual([
      "index.cjs",
      "index.js",
      "lazy.cjs",
      "startup-snapshot.json",
    ]);
    // The lazy bundle needs only Node's modules and the packages kept out on purpose; the entry's
    // modules it takes from the entry (one copy per process), so none of them is inside it.
    const lazy = readFileSync(path.join(ROOT, "dist/lazy.cjs"), "utf8");
    // (ajv's `require("ajv/dist/runtime/…")` and ajv-formats' are strings of the code it generates.)
    const required = new Set([...lazy.matchAll(/\brequire\d*\("([^"]+)"\)/g)].map((m) => m[1]!));
    expect(
      [...required].filter((r) => !r.startsWith("node:") && !/^ajv(-formats)?\//.test(r)).sort(),
    ).toEqual(["sharp"]);
    expect([...lazy.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]).sort()).toEqual([
      "ioredis",
      "ioredis",
    ]);
    // esbuild names each module it wraps ("src/x.ts"() { … }); the entry names its own in comments.
    const lazyModules = new Set([...lazy.matchAll(/"(src\/[^"]+\.ts)"\(/g)].map((m) => m[1]!));
    expect(lazyModules).toContain("src/server/index.ts");
    const entry = readFileSync(CLI, "utf8");
    const entryModules = [...entry.matchAll(/^\/\/ (src\/\S+\.ts)$/gm)].map((m) => m[1]!);
    expect(entryModules.filter((m) => lazyModules.has(m))).toEqual([]);
  });

  it("package.json's bin, main/exports and start name those files", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
      main?: string;
      exports: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ "glm-mcp": "dist/index.cjs" });
    expect(pkg.main).toBeUndefined();
    expect(pkg.exports).toEqual({ "./package.json": "./package.json" });
    expect(pkg.scripts.start).toBe("node dist/index.cjs");
  });

  it("dist/index.js, which older client configs name, still serves", async () => {
    const cli = spawnRaw({ ...KEY }, path.join(ROOT, "dist/index.js"));
    try {
      cli.send(initializeRequest("2025-06-18", 1));
      await cli.waitFor((m) => m.id === 1);
      cli.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      cli.send({ jsonrpc: "2.0", id: 2, method: "resources/list" });
      const answer = await cli.waitFor((m) => m.id === 2);
      expect((answer.result as { resources: unknown[] }).resources.length).toBeGreaterThan(0);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });
});
