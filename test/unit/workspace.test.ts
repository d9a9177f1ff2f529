// The workspace module on its own: globs and .gitignore rules, the sandbox check, walks, search,
// numbered blocks under a budget, and streamed tool-call folding.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GitIgnore,
  globToRegExp,
  MAX_GLOB_CHARS,
  MAX_IGNORE_CHARS,
  MAX_IGNORE_RULES,
} from "../../src/workspace/globs.js";
import { fileBlock } from "../../src/workspace/text-blocks.js";
import { Workspace } from "../../src/workspace/workspace.js";
import { expandPaths } from "../../src/workspace/walk.js";
import { REGEX_BUDGET_MS, searchText } from "../../src/workspace/search.js";
import { mediaPolicy } from "../../src/media/policy.js";
import { ToolCallFolder } from "../../src/glm/tool-calls.js";
import { createLogger } from "../../src/log.js";
import { testConfig } from "../helpers/mcp.js";
import { makeWorkspace, type TestWorkspace } from "../helpers/workspace.js";

let tw: TestWorkspace;
let ws: Workspace;
beforeAll(async () => {
  tw = makeWorkspace();
  const config = testConfig({ GLM_API_KEY: "k", GLM_MCP_ALLOW_DIRS: tw.root });
  ws = await Workspace.open(mediaPolicy(config, createLogger("silent"), { dirs: [] }));
});
afterAll(() => tw.remove());

describe("globs and .gitignore", () => {
  it.each([
    ["src/**/*.ts", "src/a.ts", true],
    ["src/**/*.ts", "src/glm/b.ts", true],
    ["src/**/*.ts", "test/a.ts", false],
    ["*.{md,txt}", "README.md", true],
    ["*.{md,txt}", "docs/README.md", false],
    ["a/?.js", "a/b.js", true],
    ["a/[bc].js", "a/d.js", false],
    ["a/[!bc].js", "a/d.js", true],
    ["a/**/b/**/c", "a/x/b/y/c", true],
    ["a/**/b/**/c", "a/b/x/c", true],
    ["docs/**", "docs/x/y", true],
    ["{a,b/{c,d}}/*.js", "b/c/x.js", true],
    ["{a,b/{c,d}}/*.js", "b/e/x.js", false],
    ["x}y", "x}y", true],
  ])("%s matches %s: %s", (glob, p, want) => {
    expect(globToRegExp(glob).test(p)).toBe(want);
  });

  it("applies git's rules: unanchored names, anchored paths, dir-only, negation, last match wins", () => {
    const g = GitIgnore.parse("# c\n*.log\n!keep.log\n/build\ncache/\ndocs/*.tmp\n");
    expect(g.verdict("a/b/x.log", false)).toBe(true);
    expect(g.verdict("keep.log", false)).toBe(false);
    expect(g.verdict("build", true)).toBe(true);
    expect(g.verdict("sub/build", true)).toBeUndefined();
    expect(g.verdict("cache", false)).toBeUndefined();
    expect(g.verdict("x/cache", true)).toBe(true);
    expect(g.verdict("docs/a.tmp", false)).toBe(true);
  });
});

describe("Workspace", () => {
  it("resolves relative paths from its base and shows paths relative to it", async () => {
    expect(ws.base).toBe(tw.root);
    expect(await ws.locate("src/../src/config.ts")).toBe(`${tw.root}/src/config.ts`);
    expect(ws.display(`${tw.root}/src/config.ts`)).toBe("src/config.ts");
  });

  it("refuses ../, absolute paths and symlinks that leave the sandbox", async () => {
    await expect(ws.locate("../outside/secret.txt")).rejects.toThrow(/is outside the folders/);
    await expect(ws.locate("/etc/hostname")).rejects.toThrow(/is outside the folders/);
    await expect(ws.readText("src/escape.ts")).rejects.toThrow(/symbolic link\) outside/);
  });

  it("reads text only", async () => {
    expect((await ws.readText("src/config.ts")).text).toContain("loadConfig");
    await expect(ws.readText("assets/logo.png")).rejects.toThrow(/not a text file/);
    await expect(ws.readText(".env")).rejects.toThrow(/key-like/);
  });

  it("expands folders and globs without hidden, ignored or symlinked entries", async () => {
    const { files, notes } = await expandPaths(ws, ["src", "*.nothing"], 50);
    expect(files.map((f) => ws.display(f))).toEqual([
      "src/config.ts",
      "src/glm/client.ts",
      "src/glm/retry.ts",
      "src/server.ts",
    ]);
    expect(notes).toEqual(["*.nothing: no files (hidden, .gitignore'd and node_modules skipped)"]);
    const all = await expandPaths(ws, ["."], 3);
    expect(all.files).toHaveLength(3);
  });

  it("searches literally or by regex, capping matches", async () => {
    const lit = await searchText(ws, "export", { path: "src" });
    expect(lit.matches.map((m) => `${m.path}:${m.line}`)).toEqual([
      "src/config.ts:1",
      "src/glm/client.ts:3",
      "src/glm/retry.ts:1",
      "src/server.ts:4",
    ]);
    const capped = await searchText(ws, "line \\d+ of", { regex: true, maxMatches: 5 });
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.matches).toHaveLength(5);
    await expect(searchText(ws, "(", { regex: true })).rejects.toThrow(/not a valid regular expression/);
  });

  it("stops a catastrophically backtracking regex within its budget and keeps serving", async () => {
    writeFileSync(path.join(tw.root, "src/backtrack.txt"), "a".repeat(40) + "b\n");
    const started = Date.now();
    // (a+)+$ on 40 a's and a b takes minutes in V8's backtracking engine without the budget.
    await expect(searchText(ws, "(a+)+$", { regex: true, path: "src/backtrack.txt" })).rejects.toThrow(
      /took over 2 s \(it backtracks catastrophically\): simplify it/,
    );
    expect(Date.now() - started).toBeLessThan(REGEX_BUDGET_MS + 3_000);
    const after = await searchText(ws, "a{3}b", { regex: true, path: "src/backtrack.txt" });
    expect(after.matches.map((m) => m.line)).toEqual([1]);
  });

  it("is closed over HTTP without --allow-dir", async () => {
    const config = testConfig({ GLM_API_KEY: "k", GLM_MCP_HTTP: "1" });
    await expect(Workspace.open(mediaPolicy(config, createLogger("silent"), { dirs: [] }))).rejects.toThrow(
      /over HTTP unless the server allows a directory/,
    );
  });
});

describe("fileBlock", () => {
  it("numbers lines and keeps whole lines within the budget", () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join("\n");
    const whole = fileBlock("a.txt", text, 10_000, 9, 11);
    expect(whole.text).toBe(
      '<file path="a.txt" lines="9-11" of="100">\n 9| line 9\n10| line 10\n11| line 11\n</file>',
    );
    const cut = fileBlock("a.txt", text, 60);
    expect(cut.cut).toBe(true);
    expect(cut.last).toBeLessThan(100);
    expect(cut.text).toContain('cut="true"');
  });
});

describe("ToolCallFolder", () => {
  it("joins argument pieces per index, several calls in one turn", () => {
    const f = new ToolCallFolder();
    f.add([{ index: 1, id: "b", type: "function", function: { name: "read_file", arguments: "" } }]);
    f.add([{ index: 0, id: "a", type: "function", function: { name: "list_directory", arguments: '{"pa' } }]);
    f.add([{ index: 1, id: "", function: { arguments: '{"path":' } }]);
    f.add([
      { index: 0, function: { arguments: 'th":"."}' } },
      { index: 1, function: { arguments: '"x"}' } },
    ]);
    expect(f.calls()).toEqual([
      { id: "a", type: "function", function: { name: "list_directory", arguments: '{"path":"."}' } },
      { id: "b", type: "function", function: { name: "read_file", arguments: '{"path":"x"}' } },
    ]);
    expect(new ToolCallFolder().calls()).toBeUndefined();
  });
});

describe("a .gitignore a cloned repository wrote cannot buy unbounded work", () => {
  it("skips lines over the glob limit", () => {
    const long = "a".repeat(MAX_GLOB_CHARS) + "*";
    expect(
      GitIgnore.parse(`${long}\nbuild/`).verdict("a".repeat(MAX_GLOB_CHARS) + "x", false),
    ).toBeUndefined();
    expect(GitIgnore.parse(`${long}\nbuild/`).verdict("build", true)).toBe(true);
  });

  it("counts only the first rules, up to the rule and character budgets", () => {
    const filler = Array.from({ length: MAX_IGNORE_RULES }, (_, i) => `f${i}.tmp`);
    expect(GitIgnore.parse([...filler, "late.log"].join("\n")).verdict("late.log", false)).toBeUndefined();
    expect(GitIgnore.parse([...filler.slice(1), "late.log"].join("\n")).verdict("late.log", false)).toBe(
      true,
    );
    const wide = Array.from(
      { length: Math.ceil(MAX_IGNORE_CHARS / 500) + 1 },
      (_, i) => `${"w".repeat(496)}${i}`,
    );
    expect(GitIgnore.parse([...wide, "late.log"].join("\n")).verdict("late.log", false)).toBeUndefined();
  });
});
