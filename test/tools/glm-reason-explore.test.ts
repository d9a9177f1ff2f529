// glm_reason explore: GLM reads the workspace itself through function calls, the server runs each
// call inside the sandbox, and the recorded upstream requests prove what GLM was given.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, importExplorer, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
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

const progress: string[] = [];
const call = (args: Record<string, unknown>) => {
  progress.length = 0;
  return s.client.callTool({ name: "glm_reason", arguments: args }, undefined, {
    onprogress: (p) => void progress.push(p.message ?? ""),
  }) as Promise<CallToolResult>;
};
const sc = (r: CallToolResult) => r.structuredContent as Record<string, any>;
const toolMessages = (i: number) =>
  (fake.requests[i]!.body.messages as any[]).filter((m) => m.role === "tool").map((m) => m.content as string);
const script = (name: string, args: Record<string, unknown>) => ({
  tool_calls: [{ function: { name, arguments: JSON.stringify(args) } }],
});

describe("glm_reason explore", () => {
  it("reviews src/server.ts and everything it imports, GLM choosing the files itself", async () => {
    fake.answer(importExplorer("src/server.ts"), { times: 10 });
    const r = await call({
      prompt: "Review src/server.ts and anything it imports for error handling.",
      explore: true,
    });
    expect(r.isError).toBeFalsy();
    // Turn 1 reads the entry; turn 2 its two imports (two calls in one turn); turn 3 retry.ts; turn 4 answers.
    expect(fake.requests).toHaveLength(4);
    const first = fake.requests[0]!.body;
    expect(first.tools.map((t: any) => t.function.name)).toEqual([
      "list_directory",
      "read_file",
      "search_text",
    ]);
    expect(first.tool_stream).toBe(true);
    expect(toolMessages(1)[0]).toMatch(
      /^<file path="src\/server\.ts" lines="1-10" of="10">\n 1\| import \{ loadConfig \}/,
    );
    expect(toolMessages(2).slice(1).join("\n")).toContain('<file path="src/glm/client.ts"');
    expect(toolMessages(3).join("\n")).toContain("swallows every error");
    // Interleaved thinking: each assistant tool turn goes back with its reasoning_content and content "".
    const assistants = (fake.requests[3]!.body.messages as any[]).filter((m) => m.role === "assistant");
    expect(assistants).toHaveLength(3);
    expect(assistants[1]).toMatchObject({
      content: "",
      reasoning_content: expect.stringContaining("imports lead to"),
    });
    expect(assistants[1].tool_calls).toHaveLength(2);
    const out = sc(r);
    expect(out.answer).toBe(
      "Reviewed src/server.ts, src/config.ts, src/glm/client.ts, src/glm/retry.ts for error handling.",
    );
    expect(out.exploration.files_read).toEqual([
      "src/server.ts",
      "src/config.ts",
      "src/glm/client.ts",
      "src/glm/retry.ts",
    ]);
    expect(out.exploration.tool_rounds).toBe(3);
    expect(progress).toContain("step 1: read src/server.ts");
    expect(progress).toContain("step 2: read src/glm/client.ts");
    expect(textOf(r)).toMatch(/explored the workspace in 3 tool rounds/);
    expect(out.reasoning).toBeUndefined();
  });

  it("returns every step's reasoning with include_reasoning", async () => {
    fake.answer(importExplorer("src/config.ts"), { times: 5 });
    const r = await call({ prompt: "Check config", explore: true, include_reasoning: true });
    expect(sc(r).reasoning).toBe("Start with src/config.ts.\n\nI have read every file the imports lead to.");
  });

  it.each([
    [
      "a path outside the sandbox",
      { path: "../outside/secret.txt" },
      /outside the folders this server may read/,
    ],
    ["an absolute path outside", { path: "/etc/passwd" }, /outside the folders this server may read/],
    [
      "a symlink that leads out",
      { path: "src/escape.ts" },
      /leads \(through a symbolic link\) outside the folders/,
    ],
    ["a missing file", { path: "src/nope.ts" }, /does not exist/],
    ["a binary file", { path: "assets/logo.png" }, /not a text file|not a text/],
    ["a key-like file", { path: ".env" }, /key-like files stay on this machine/],
  ])("answers %s with an error GLM can read, never the content", async (_name, args, error) => {
    fake.answer(script("read_file", args));
    const r = await call({ prompt: "look", explore: true });
    expect(r.isError).toBeFalsy();
    const [result] = toolMessages(1);
    expect(result).toMatch(/^Error: /);
    expect(result).toMatch(error);
    expect(result).not.toContain("outside the sandbox\n");
    expect(result).not.toContain("abc123");
    expect(sc(r).exploration.steps[0]).toMatchObject({ ok: false });
    expect(sc(r).exploration.files_read).toEqual([]);
  });

  it("lists a directory without hidden, ignored or node_modules entries, and searches text", async () => {
    fake.answer({
      tool_calls: [
        { function: { name: "list_directory", arguments: '{"path":"."}' } },
        { function: { name: "search_text", arguments: '{"query":"throw new Error"}' } },
        {
          function: {
            name: "search_text",
            arguments: '{"query":"catch \\\\(\\\\w+\\\\)","regex":true,"path":"src/**/*.ts"}',
          },
        },
      ],
    });
    await call({ prompt: "look", explore: true });
    const [list, literal, regex] = toolMessages(1);
    expect(list).toContain("src/");
    expect(list).toContain("big.txt");
    expect(list).not.toMatch(/dist|debug\.log|\.hidden|node_modules|\.env/);
    expect(list).toMatch(/entries not listed/);
    expect(literal).toContain(
      'src/config.ts:2:   if (!process.env.KEY) throw new Error("no key");'.replace(":   ", ": "),
    );
    expect(regex).toMatch(/^1 matches in \d+ files\nsrc\/server\.ts:7: } catch \(err\) \{$/);
  });

  it("stops a GLM that never stops calling tools at max_steps", async () => {
    fake.answer(script("list_directory", { path: "src" }), { times: Infinity });
    const r = await call({ prompt: "loop", explore: true, max_steps: 3 });
    expect(r.isError).toBeFalsy();
    // 3 tool rounds, then the turn told to answer; it calls again and the loop stops.
    expect(fake.requests).toHaveLength(4);
    expect(toolMessages(3).at(-1)).toMatch(/last tool round/);
    expect(sc(r).exploration).toMatchObject({ tool_rounds: 3, stopped: "max_steps" });
    expect(textOf(r)).toMatch(/still exploring when max_steps ran out/);
  });

  it("defaults to 8 steps and refuses more than the hard cap", async () => {
    fake.answer(script("list_directory", { path: "." }), { times: Infinity });
    await call({ prompt: "loop", explore: true });
    expect(fake.requests).toHaveLength(9);
    const r = await call({ prompt: "loop", explore: true, max_steps: 26 });
    expect(r.isError).toBe(true);
  });

  it("cuts a huge file to the token budget and says how to read on", async () => {
    fake.answer(script("read_file", { path: "big.txt" }));
    await call({ prompt: "read", explore: true });
    const [result] = toolMessages(1);
    expect(result).toMatch(/^<file path="big.txt" lines="1-800" of="30000">/);
    expect(result).toMatch(/29200 more lines: read on with start_line 801/);
    fake.answer(script("read_file", { path: "big.txt", start_line: 29_999, end_line: 40_000 }));
    await call({ prompt: "read", explore: true });
    expect(toolMessages(fake.requests.length - 1)[0]).toMatch(
      /lines="29999-30000" of="30000">\n29999\| line 29999/,
    );
  });

  it("continues a conversation: the follow-up sees the earlier tool turns and keeps exploring", async () => {
    fake.answer(importExplorer("src/config.ts"), { times: 2 });
    const first = await call({ prompt: "Review config", explore: true });
    fake.answer(script("read_file", { path: "src/glm/retry.ts" }));
    const r = await call({ prompt: "now check retry", conversation_id: sc(first).conversation_id });
    expect(r.isError).toBeFalsy();
    const body = fake.requests[2]!.body;
    expect(body.tools).toHaveLength(3);
    expect(body.thinking).toEqual({ type: "enabled", clear_thinking: false });
    expect((body.messages as any[]).map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
    ]);
    expect(sc(r).exploration.files_read).toEqual(["src/glm/retry.ts"]);
  });

  it.each([
    [
      "review-changes",
      { paths: "src/server.ts, src/config.ts", focus: "error handling" },
      ["src/server.ts", "src/config.ts"],
    ],
    ["explain-module", { module: "src/glm" }, ["src/glm"]],
  ])("the %s prompt fills a glm_reason call that sends the files and explores", async (name, args, files) => {
    const got = await s.client.getPrompt({ name, arguments: args });
    const text = (got.messages[0]!.content as { text: string }).text;
    const toolArgs = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(text)![1]!);
    expect(toolArgs).toMatchObject({ files, explore: true });
    fake.answer(importExplorer("src/glm/client.ts"), { times: 4 });
    const r = await call(toolArgs);
    expect(r.isError).toBeFalsy();
    expect(fake.requests[0]!.body.messages[0].content).toMatch(/^<file path="src\//);
    expect(sc(r).exploration.files_read).toEqual(["src/glm/client.ts", "src/glm/retry.ts"]);
  });

  it("is refused over HTTP without --allow-dir", async () => {
    const http = await connect({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_MCP_HTTP: "1" });
    try {
      const r = (await http.client.callTool({
        name: "glm_reason",
        arguments: { prompt: "x", explore: true },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/over HTTP unless the server allows a directory.*--allow-dir/);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await http.close();
    }
  });
});
