// The MCP bundle: manifest.json passes `mcpb validate`, lists exactly the server's tools, and
// `mcpb pack` builds a bundle whose server starts the way Claude Desktop starts it (mcp_config with
// ${__dirname} and ${user_config.*} substituted; optional settings left empty stay literal).
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { serverTools } from "../../scripts/sync-manifest.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { cleanEnv, ROOT } from "../helpers/cli.js";
import { textOf } from "../helpers/mcp.js";
import { packedInstall } from "../helpers/packed.js";

const run = promisify(execFile);
const MCPB = path.join(ROOT, "node_modules/@anthropic-ai/mcpb/dist/cli/cli.js");
const mcpb = (...args: string[]) =>
  run(process.execPath, [MCPB, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });

interface Manifest {
  manifest_version: string;
  version: string;
  server: {
    type: string;
    entry_point: string;
    mcp_config: { command: string; args: string[]; env: Record<string, string> };
  };
  tools: { name: string; description: string }[];
  user_config: Record<string, { type: string; required?: boolean; sensitive?: boolean; default?: unknown }>;
  compatibility: { runtimes: { node: string } };
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, "manifest.json"), "utf8")) as Manifest;

let fake: FakeGlm;
let tmp: string;
beforeAll(async () => {
  fake = await startFakeGlm();
  tmp = mkdtempSync(path.join(os.tmpdir(), "glm-mcpb-"));
});
afterAll(async () => {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("manifest.json", () => {
  it("passes mcpb validate", async () => {
    const { stdout } = await mcpb("validate", path.join(ROOT, "manifest.json"));
    expect(stdout).toContain("Manifest schema validation passes");
  });

  it("is a 0.3 node bundle started from ${__dirname}, with the package's version and Node range", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      version: string;
      engines: { node: string };
      bin: Record<string, string>;
    };
    expect(manifest.manifest_version).toBe("0.3");
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.server).toMatchObject({
      type: "node",
      entry_point: pkg.bin["glm-mcp"],
      mcp_config: { command: "node", args: ["${__dirname}/" + pkg.bin["glm-mcp"]] },
    });
    expect(manifest.compatibility.runtimes.node).toBe(pkg.engines.node);
  });

  it("asks for the key (sensitive, required) and maps every user_config to a real env var", () => {
    expect(manifest.user_config.api_key).toMatchObject({ type: "string", sensitive: true, required: true });
    expect(manifest.server.mcp_config.env).toEqual({
      GLM_API_KEY: "${user_config.api_key}",
      GLM_REGION: "${user_config.region}",
      GLM_CODING_PLAN: "${user_config.coding_plan}",
      GLM_BASE_URL: "${user_config.base_url}",
      GLM_MCP_OUTPUT_DIR: "${user_config.output_dir}",
    });
    for (const [key, spec] of Object.entries(manifest.user_config)) {
      expect(Object.values(manifest.server.mcp_config.env)).toContain("${user_config." + key + "}");
      if (key !== "api_key") expect(spec.required).toBe(false);
    }
  });

  it("lists exactly the server's tools with the first line of each description (npx tsx scripts/sync-manifest.ts fixes drift)", async () => {
    expect(manifest.tools).toEqual(await serverTools());
  });
});

/** What Claude Desktop does with mcp_config: ${__dirname} and user_config substituted; empty optional ones stay literal. */
function resolveConfig(dir: string, userConfig: Record<string, string>) {
  const sub = (s: string) =>
    s
      .replace("${__dirname}", dir)
      .replace(/\$\{user_config\.([a-z_]+)\}/g, (m, k: string) => userConfig[k] ?? m);
  const { command, args, env } = manifest.server.mcp_config;
  return {
    command: command === "node" ? process.execPath : command,
    args: args.map(sub),
    env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, sub(v)])),
  };
}

describe("mcpb pack", () => {
  it("packs the installed package into a bundle whose server starts and answers", async () => {
    // Stage: the package as npm installed it, with its production dependencies beside it.
    const { pkgDir, prefix } = await packedInstall();
    const stage = path.join(tmp, "glm-mcp");
    cpSync(pkgDir, stage, { recursive: true });
    mkdirSync(path.join(stage, "node_modules"));
    for (const name of readdirSync(path.join(prefix, "node_modules"))) {
      if (name === "glm-mcp" || name.startsWith(".")) continue;
      cpSync(path.join(prefix, "node_modules", name), path.join(stage, "node_modules", name), {
        recursive: true,
      });
    }
    const bundle = path.join(tmp, "glm-mcp.mcpb");
    await mcpb("pack", stage, bundle);
    expect(statSync(bundle).size).toBeGreaterThan(1024 * 1024);

    const unpacked = path.join(tmp, "unpacked");
    await mcpb("unpack", bundle, unpacked);
    expect(existsSync(path.join(unpacked, "manifest.json"))).toBe(true);

    // api_key and base_url filled in; region, coding_plan and output_dir left empty (literal placeholders).
    const cfg = resolveConfig(unpacked, { api_key: FAKE_API_KEY, base_url: fake.baseUrl });
    expect(cfg.env.GLM_MCP_OUTPUT_DIR).toBe("${user_config.output_dir}");
    expect(cfg.env.GLM_REGION).toBe("${user_config.region}");
    const client = new Client({ name: "claude-desktop-like", version: "1" });
    await client.connect(
      new StdioClientTransport({
        command: cfg.command,
        args: cfg.args,
        env: cleanEnv(cfg.env),
        stderr: "pipe",
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(manifest.tools.map((t) => t.name));
      const r = (await client.callTool({
        name: "glm_reason",
        arguments: { prompt: "from the bundle" },
      })) as CallToolResult;
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toContain("from the bundle");
    } finally {
      await client.close();
    }

    // The same placeholders through the bundle's CLI: treated as unset (default region and output dir).
    const { stdout } = await run(cfg.command, [...cfg.args, "doctor", "--json"], { env: cleanEnv(cfg.env) });
    const doc = JSON.parse(stdout) as { ok: boolean; checks: { name: string; detail: string }[] };
    expect(doc.ok).toBe(true);
    const detail = (n: string) => doc.checks.find((c) => c.name === n)!.detail;
    expect(detail("Endpoint")).toContain("region cn");
    expect(detail("Output dir")).toMatch(/glm-mcp \(private to you, writable\)$/);
    expect(stdout).not.toContain("${user_config");
    expect(stdout).not.toContain(FAKE_API_KEY);
  });
});
