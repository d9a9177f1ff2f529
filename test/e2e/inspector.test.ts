// The MCP Inspector CLI (@modelcontextprotocol/inspector-cli, what `npx @modelcontextprotocol/inspector --cli`
// runs) lists and calls tools of the built server over stdio and over HTTP.
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { CLI, ROOT, cleanEnv, startHttpCli, type HttpChild } from "../helpers/cli.js";

const INSPECTOR = path.join(ROOT, "node_modules/@modelcontextprotocol/inspector-cli/build");

/** Runs the inspector CLI; its JSON answer is on stdout (its deprecation banner goes to stderr). */
function inspector(args: string[], env: Record<string, string | undefined>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // cwd: inspector-cli 1.0.3 looks for "../package.json" relative to the working directory.
    execFile(
      process.execPath,
      [path.join(INSPECTOR, "cli.js"), "--cli", ...args],
      { cwd: INSPECTOR, env: cleanEnv(env), timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`inspector failed: ${stderr}\n${stdout}`));
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new Error(`inspector printed no JSON: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

let fake: FakeGlm;
let http: HttpChild;
beforeAll(async () => {
  fake = await startFakeGlm();
  http = await startHttpCli([], { GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
});
afterAll(async () => {
  await http?.stop();
  await fake?.close();
});

const withFake = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
type ToolList = { tools: { name: string }[] };
type CallResult = {
  content: { type: string; text?: string }[];
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
};

describe("MCP Inspector CLI", () => {
  it("stdio: tools/list and tools/call", async () => {
    const list = (await inspector(["node", CLI, "--method", "tools/list"], withFake())) as ToolList;
    expect(list.tools.map((t) => t.name)).toContain("glm_reason");
    const call = (await inspector(
      [
        "node",
        CLI,
        "--method",
        "tools/call",
        "--tool-name",
        "glm_reason",
        "--tool-arg",
        "prompt=hello inspector",
      ],
      withFake(),
    )) as CallResult;
    expect(call.isError).toBeFalsy();
    expect(call.content[0]!.text).toContain("hello inspector");
    expect(call.structuredContent?.model).toBe("glm-4.7");
  });

  it("HTTP: tools/list, tools/call and resources/read", async () => {
    const list = (await inspector(
      [http.url, "--transport", "http", "--method", "tools/list"],
      {},
    )) as ToolList;
    expect(list.tools.map((t) => t.name)).toContain("glm_reason");
    const before = fake.requests.length;
    const call = (await inspector(
      [
        http.url,
        "--transport",
        "http",
        "--method",
        "tools/call",
        "--tool-name",
        "glm_reason",
        "--tool-arg",
        "prompt=over http",
      ],
      {},
    )) as CallResult;
    expect(call.isError).toBeFalsy();
    expect(call.content[0]!.text).toContain("over http");
    expect(fake.requests.length).toBe(before + 1);
    const usage = (await inspector(
      [http.url, "--transport", "http", "--method", "resources/read", "--uri", "glm://usage"],
      {},
    )) as { contents: { text: string }[] };
    expect(JSON.parse(usage.contents[0]!.text).models["glm-4.7"].calls).toBe(1);
  });
});
