// What a user gets from npm: the packed tarball installed into an empty folder, run with npx over
// stdio and HTTP against the fake GLM.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { cleanEnv, ROOT } from "../helpers/cli.js";
import { textOf } from "../helpers/mcp.js";
import { packedInstall, type PackedInstall } from "../helpers/packed.js";
import { descendantsOf, isAlive } from "../setup/processes.js";

let fake: FakeGlm;
let pkg: PackedInstall;
beforeAll(async () => {
  fake = await startFakeGlm();
  pkg = await packedInstall();
}, 240_000);
afterAll(() => fake.close());

const withFake = () => cleanEnv({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
// Exactly what users type; the package is in the folder's node_modules, so npx never reaches the registry.
const NPX = ["glm-mcp"];

describe("npm pack", () => {
  it("ships the built CLI, manifest, the docs README links to, and no sources or tests", () => {
    expect(pkg.files).toEqual(
      expect.arrayContaining([
        "package.json",
        "dist/index.cjs",
        "dist/lazy.cjs",
        "dist/startup-snapshot.json",
        "manifest.json",
        "README.md",
        "CHANGELOG.md",
        "SECURITY.md",
        "CONTRIBUTING.md",
        "docs/tools.md",
        "docs/cli.md",
        "docs/troubleshooting.md",
        "docs/testing.md",
      ]),
    );
    expect(
      pkg.files.filter(
        (f) => /^(src|test|bench|scripts)\//.test(f) || f.endsWith(".tgz") || f.endsWith(".mcpb"),
      ),
    ).toEqual([]);
    const installed = JSON.parse(readFileSync(path.join(pkg.pkgDir, "package.json"), "utf8")) as {
      version: string;
      bin: Record<string, string>;
    };
    expect(installed.version).toBe(
      (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version,
    );
    expect(installed.bin["glm-mcp"]).toBe("dist/index.cjs");
    expect(existsSync(path.join(pkg.prefix, "node_modules", ".bin", "glm-mcp"))).toBe(true);
    // One build output: the bundles, nothing compiled module by module.
    expect(pkg.files.filter((f) => f.startsWith("dist/")).sort()).toEqual([
      "dist/index.cjs",
      "dist/index.js",
      "dist/lazy.cjs",
      "dist/startup-snapshot.json",
    ]);
  });

  it("installs only the packages loaded at run time (the SDK, zod and undici are inside the bundle)", () => {
    const installed = (name: string) =>
      existsSync(path.join(pkg.prefix, "node_modules", name, "package.json"));
    expect(installed("sharp")).toBe(true);
    expect(installed("ioredis")).toBe(true);
    for (const bundled of ["@modelcontextprotocol/sdk", "zod", "undici", "eventsource-parser"])
      expect(installed(bundled), bundled).toBe(false);
  });
});

describe("npx glm-mcp from the installed tarball", () => {
  it("stdio: initialize, tools/list, and a tool call against the fake", async () => {
    const transport = new StdioClientTransport({
      command: "npx",
      args: NPX,
      cwd: pkg.prefix,
      env: withFake(),
      stderr: "pipe",
    });
    const client = new Client({ name: "packaging", version: "1" });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe("glm-mcp");
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("glm_reason");
      const r = (await client.callTool({
        name: "glm_reason",
        arguments: { prompt: "from the tarball" },
      })) as CallToolResult;
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toContain("from the tarball");
    } finally {
      await client.close();
    }
  });

  it("--http: serves streamable HTTP, and SIGTERM to npx stops the node server under it too", async () => {
    // detached: its own process group, so the cleanup below can reach sh and node whatever happens.
    const child = spawn("npx", [...NPX, "--http", "--port", "0"], {
      cwd: pkg.prefix,
      env: withFake(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    try {
      let stderr = "";
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "listening on" line; stderr: ${stderr}`)),
          30_000,
        );
        child.stderr.on("data", (d) => {
          stderr += d;
          const m = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on("exit", (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      // npx runs `sh -c glm-mcp`, which runs node: the server is a grandchild, not `child`.
      const server = descendantsOf(child.pid!).find((p) => /^node .*glm-mcp --http/.test(p.cmdline));
      expect(server, JSON.stringify(descendantsOf(child.pid!))).toBeDefined();
      const client = new Client({ name: "packaging-http", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      try {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toContain("glm_reason");
      } finally {
        await client.close();
      }
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM"); // npx only, as a supervisor holding its pid would do
      await exited;
      await expect.poll(() => isAlive(server!.pid), { timeout: 10_000 }).toBe(false);
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // the group is already gone
      }
    }
  }, 60_000);
});
