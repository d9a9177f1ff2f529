// The client snippets in README.md and docs/cli.md, run where they can run here: every server
// command a client config or CLI line starts (`node /abs/path/glm-mcp/dist/index.cjs …`) is started
// as written, with the checkout's path, and must answer tools/list; the /healthz answer and the
// doctor sample are compared with the built server's. What cannot run here is checked against a
// stated version: the Python snippet (mcp 2.3 is not installable offline; python3 has no `mcp`) and
// the Inspector notes (v2 needs Node ≥ 22.19; this suite runs on Node 20).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { loadConfig } from "../../src/config.js";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";
import { videoUnderstandInput } from "../../src/tools/video-understand.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { assertBuilt, cleanEnv, ROOT, startHttpCli } from "../helpers/cli.js";
import { codeBlocks } from "../helpers/markdown.js";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const cliDoc = readFileSync(path.join(ROOT, "docs/cli.md"), "utf8");
const PLACEHOLDER = "/abs/path/glm-mcp";

let fake: FakeGlm;
beforeAll(async () => {
  assertBuilt();
  fake = await startFakeGlm();
});
afterAll(() => fake?.close());
const env = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });

/** Every `node /abs/path/glm-mcp/dist/index.cjs [server flags]` the docs tell a client to start. */
function serverCommands(): string[][] {
  const found = new Set<string>();
  const add = (args: string[]) => found.add(JSON.stringify(args));
  for (const md of [readme, cliDoc]) {
    // JSON configs (Cline, Cursor, the Python parameters) and Codex's TOML: an args array.
    for (const m of md.matchAll(/args"?\s*[:=]\s*(\[[^\]\n]*dist\/index\.cjs[^\]\n]*\])/g))
      add(JSON.parse(m[1]!) as string[]);
    // Command lines (claude mcp add … -- node …, the Inspector's --cli node …): up to an option of
    // the client, or a `--` that ends the server's own flags.
    for (const m of md.matchAll(
      /\bnode (\/abs\/path\/glm-mcp\/dist\/index\.cjs(?: --?[a-z-]+(?: [a-z0-9]+)?)*)/g,
    )) {
      const words = m[1]!.split(" ");
      const end = words.findIndex((w, i) => i > 0 && (w === "--" || w === "-e" || w.startsWith("--method")));
      add(end < 0 ? words : words.slice(0, end));
    }
  }
  return [...found].map((a) => JSON.parse(a) as string[]);
}

describe("server commands in README.md and docs/cli.md", () => {
  const commands = serverCommands();

  it("were found (the snippets this test runs)", () => {
    expect(commands.length).toBeGreaterThanOrEqual(2);
    expect(commands).toContainEqual([`${PLACEHOLDER}/dist/index.cjs`]);
    expect(commands).toContainEqual([`${PLACEHOLDER}/dist/index.cjs`, "--region", "intl"]);
  });

  it.each(commands.map((c) => [c.join(" "), c] as const))("node %s answers tools/list", async (_s, args) => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: args.map((a) => a.replace(PLACEHOLDER, ROOT)),
      env: cleanEnv(env()),
      stderr: "ignore",
    });
    const client = new Client({ name: "docs-snippets", version: "1" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(TOOL_DEFINITIONS.map((t) => t.name).sort());
    } finally {
      await client.close();
    }
  });

  it("the Windows line names the entry the build writes", () => {
    const line = readme.split("\n").find((l) => l.includes('"command": "cmd"'))!;
    const entry = /glm-mcp\\\\(dist\\\\[a-z.]+)/.exec(line)![1]!.replaceAll("\\\\", "/");
    expect(entry).toBe("dist/index.cjs");
    expect(existsSync(path.join(ROOT, entry))).toBe(true);
  });
});

describe("answers the docs quote", () => {
  it("GET /healthz answers what the README says", async () => {
    const quoted = /`GET \/healthz` answers `([^`]+)`/.exec(readme)?.[1];
    expect(quoted, "README names the /healthz answer").toBeDefined();
    const http = await startHttpCli([], env());
    try {
      const res = await fetch(new URL("/healthz", http.url));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(JSON.parse(quoted!));
    } finally {
      await http.stop();
    }
  });

  it("docs/cli.md's doctor sample has the checks doctor prints, in order", async () => {
    const sample = codeBlocks(cliDoc).find((b) => b.body.startsWith("$ glm-mcp doctor\n"))!.body;
    const names = (text: string) =>
      [...text.matchAll(/^\[(?:ok {2}|warn|FAIL)\] (\S+(?: \S+)?) {2,}/gm)].map((m) => m[1]);
    const out = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, "dist/index.cjs"), "doctor"], {
        env: cleanEnv({
          ...env(),
          GLM_MCP_OUTPUT_DIR: path.join(ROOT, "node_modules/.cache/docs-snippets-out"),
        }),
      });
      let text = "";
      child.stdout.on("data", (d) => (text += d));
      child.on("close", () => resolve(text));
    });
    expect(names(out).length).toBeGreaterThan(5);
    expect(names(sample)).toEqual(names(out));
    expect(out).toMatch(/^All checks passed\.$/m);
    expect(sample).toMatch(/^All checks passed\.$/m);
  });
});

describe("what tool descriptions promise", () => {
  it("video_understand's video argument states the default local-video cap", () => {
    const described = videoUnderstandInput.video.description ?? "";
    const mb = /inline cap \((\d+) MB by default/.exec(described)?.[1];
    expect(Number(mb)).toBe(loadConfig({}).media.videoMaxBytes / 1024 / 1024);
  });
});

describe("snippets that cannot run here, checked against a stated version", () => {
  // mcp 2.3 (Python): timeouts are floats in seconds; `streamablehttp_client` (1.x) was removed in 2.0
  // for `streamable_http_client(url, http_client=httpx.AsyncClient(...))`, which yields (read, write).
  const python = codeBlocks(readme).find((b) => b.lang === "python")!.body;
  const afterPython = readme.slice(
    readme.indexOf(python) + python.length,
    readme.indexOf("</details>", readme.indexOf(python)),
  );

  it("the Python snippet uses mcp 2.3's names and types", () => {
    expect(python).toMatch(/from mcp import ClientSession, StdioServerParameters/);
    expect(python).toMatch(/from mcp\.client\.stdio import stdio_client/);
    expect(python).not.toMatch(/timedelta/);
    const timeout = /read_timeout_seconds=([^)\s,]+)/.exec(python)?.[1];
    expect(timeout).toMatch(/^\d+\.\d+$/);
    expect(python).toContain(`args=["${PLACEHOLDER}/dist/index.cjs"]`);
  });

  it("the Python HTTP line uses streamable_http_client and its two streams", () => {
    const v2 = afterPython.split("(mcp 1.x")[0]!;
    expect(v2).toMatch(/from mcp\.client\.streamable_http import streamable_http_client`/);
    expect(v2).toMatch(
      /streamable_http_client\("http:\/\/127\.0\.0\.1:3000\/mcp", http_client=httpx\.AsyncClient\(/,
    );
    expect(v2).toMatch(/yields `\(read, write\)`/);
    expect(v2).not.toMatch(/streamablehttp_client/);
  });

  it("the Inspector notes name no tag that does not exist", () => {
    for (const doc of [readme, cliDoc]) expect(doc).not.toMatch(/inspector@v1-latest/);
  });
});
