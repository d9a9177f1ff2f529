// The README stays true and short: every environment variable the server reads and every flag
// --help lists is documented, nothing it names is invented, every tool is in its table, and the
// commands a fresh machine needs are shown as commands.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HELP } from "../../src/cli/args.js";
import { loadConfig } from "../../src/config.js";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";
import { ROOT } from "../helpers/cli.js";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const toolsDoc = readFileSync(path.join(ROOT, "docs/tools.md"), "utf8");

/** The variables loadConfig really reads, recorded by handing it an environment that logs reads. */
function variablesRead(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_t, name) => (typeof name === "string" && read.add(name), undefined),
  });
  loadConfig(env);
  return read;
}

/** The code blocks of a Markdown text, as lines. */
function codeLines(md: string): string[] {
  return [...md.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n"));
}

describe("README", () => {
  it("is at most 300 lines", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(300);
  });

  it("documents every environment variable the server reads", () => {
    const read = variablesRead();
    expect(read.has("GLM_API_KEY")).toBe(true);
    expect(read.size).toBeGreaterThan(20);
    expect([...read].filter((v) => !readme.includes(v))).toEqual([]);
  });

  it("names no GLM_* variable that the server does not read", () => {
    const read = variablesRead();
    const named = new Set([...readme.matchAll(/\b(GLM_[A-Z_]+)\b/g)].map((m) => m[1]!));
    expect([...named].filter((v) => !read.has(v))).toEqual([]);
  });

  it("documents every flag of --help", () => {
    const flags = new Set([...HELP.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]!));
    expect(flags.size).toBeGreaterThan(15);
    expect([...flags].filter((f) => !readme.includes(f))).toEqual([]);
  });

  it("shows, as commands, the install, the server and the tests", () => {
    const lines = codeLines(readme).map((l) => l.replace(/\s+#.*$/, "").trim());
    expect(lines).toContain("npm ci");
    expect(lines).toContain("npm test");
    expect(lines.some((l) => /^GLM_API_KEY=\S+ node dist\/index\.js$/.test(l))).toBe(true);
  });

  it("lists every registered tool in its table and gives each a section in docs/tools.md", () => {
    for (const { name } of TOOL_DEFINITIONS) {
      expect(readme, name).toMatch(new RegExp(`^\\| \`${name}\` \\|`, "m"));
      expect(toolsDoc, name).toContain(name);
    }
  });

  it("links only to documents that exist", () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(() => readFileSync(path.join(ROOT, link)), link).not.toThrow();
  });
});
