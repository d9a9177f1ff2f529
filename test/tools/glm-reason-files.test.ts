// glm_reason files: the server reads paths, folders and globs inside the sandbox and sends them as
// labelled, line-numbered blocks ahead of the prompt, within the model's token budget.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";
import { makeWorkspace, type TestWorkspace } from "../helpers/workspace.js";

let fake: FakeGlm;
let ws: TestWorkspace;
let s: TestSession;
beforeAll(async () => {
  fake = await startFakeGlm();
  ws = makeWorkspace();
});
afterAll(async () => {
  await fake.close();
  ws.remove();
});
beforeEach(async () => {
  fake.reset();
  s = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MCP_ALLOW_DIRS: ws.root });
});
afterEach(() => s.close());

const call = (args: Record<string, unknown>) =>
  s.client.callTool({ name: "glm_reason", arguments: args }) as Promise<CallToolResult>;
const sent = () => fake.requests.at(-1)!.body.messages.at(-1).content as string;
const report = (r: CallToolResult) => (r.structuredContent as Record<string, any>).files;

describe("glm_reason files", () => {
  it("sends a named file as a numbered block ahead of the prompt, without tools", async () => {
    const r = await call({ prompt: "Any bug?", files: ["src/config.ts"] });
    expect(r.isError).toBeFalsy();
    expect(sent()).toBe(
      '<file path="src/config.ts" lines="1-4" of="4">\n1| export function loadConfig() {\n2|   if (!process.env.KEY) throw new Error("no key");\n3|   return {};\n4| }\n</file>\n\nAny bug?',
    );
    expect(fake.requests[0]!.body.tools).toBeUndefined();
    expect(report(r)).toMatchObject({ sent: [{ path: "src/config.ts", lines: "1-4", of: 4 }], left_out: [] });
    expect(textOf(r)).toMatch(/Files sent to GLM \(~\d+ tokens\): src\/config\.ts\./);
  });

  it("expands folders and globs, skipping hidden, .gitignore'd, node_modules, binary and key-like files", async () => {
    const r = await call({ prompt: "x", files: ["src/**/*.ts", "."] });
    const paths = report(r).sent.map((f: any) => f.path);
    expect(paths.slice(0, 4)).toEqual([
      "src/config.ts",
      "src/glm/client.ts",
      "src/glm/retry.ts",
      "src/server.ts",
    ]);
    expect(paths).not.toContain("src/escape.ts"); // a symlink: never followed in a walk
    expect(paths.join(" ")).not.toMatch(/dist|debug\.log|\.hidden|node_modules|\.env|logo\.png/);
    expect(report(r).left_out).toContainEqual({
      path: "assets/logo.png",
      reason: expect.stringMatching(/not a text/),
    });
    expect(sent()).not.toContain("abc123");
  });

  it("sends a hidden or ignored file when it is named exactly", async () => {
    const r = await call({ prompt: "x", files: [".hidden/notes.md", "debug.log"] });
    expect(report(r).sent.map((f: any) => f.path)).toEqual([".hidden/notes.md", "debug.log"]);
  });

  it.each([
    ["../outside/secret.txt", /outside the folders this server may read/],
    ["src/escape.ts", /leads \(through a symbolic link\) outside/],
    ["src/missing.ts", /does not exist/],
    ["assets/logo.png", /not a text file/],
    [".env", /key-like files stay on this machine/],
  ])("refuses %s by name with one sentence and sends nothing", async (file, why) => {
    const r = await call({ prompt: "x", files: [file] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(why);
    expect(fake.requests).toHaveLength(0);
  });

  it("cuts a file over the model's context budget and says so", async () => {
    // glm-4.5-air: 128K context; max_tokens 90000 leaves ~36K tokens for files.
    const r = await call({
      prompt: "x",
      files: ["big.txt", "src/config.ts"],
      model: "glm-4.5-air",
      max_tokens: 90_000,
    });
    expect(r.isError).toBeFalsy();
    const [big] = report(r).sent;
    expect(big).toMatchObject({ path: "big.txt", of: 30_000, cut: true });
    expect(report(r).left_out).toEqual([
      { path: "src/config.ts", reason: "the token budget was spent on earlier files" },
    ]);
    expect(report(r).tokens).toBeLessThanOrEqual(report(r).budget);
    expect(sent()).toMatch(/^<file path="big.txt" lines="1-\d+" of="30000" cut="true">/);
    expect(textOf(r)).toMatch(/big\.txt \(lines 1-\d+ of 30000, cut to fit\)/);
  });

  it("is refused over HTTP without --allow-dir", async () => {
    const http = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MCP_HTTP: "1" });
    try {
      const r = (await http.client.callTool({
        name: "glm_reason",
        arguments: { prompt: "x", files: ["src/config.ts"] },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/--allow-dir/);
    } finally {
      await http.close();
    }
  });
});
