// CONTRIBUTING's "Adding a tool" stays true: a tool's name is spelled only in its own file (src/
// stays free of per-tool lists), the registry feeds everything that lists tools, and every file
// that names every tool (a per-tool table a newcomer must extend) is one CONTRIBUTING lists.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_INSTRUCTIONS } from "../../src/server/index.js";
import { toolEndpoints } from "../../src/server/tool-endpoints.js";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NAMES = TOOL_DEFINITIONS.map((t) => t.name);
/** glm_reason → glm-reason: the tool file, alias file and test file share it. */
const fileOf = (name: string) => name.replace(/_/g, "-");
const SKIP = new Set(["node_modules", "dist", ".git", "fixtures", "spec"]);

function walk(dir: string, keep: (p: string) => boolean): string[] {
  return readdirSync(dir).flatMap((n) => {
    if (SKIP.has(n) || n.startsWith(".")) return [];
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p, keep) : keep(p) ? [p] : [];
  });
}
const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join("/");
const read = (p: string) => readFileSync(path.join(ROOT, p), "utf8");

/** String literals made only of tool names ("web_search" or "web_search, web_read"), with their file. */
export function toolNameLiterals(source: string, names: readonly string[]): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(["'`])([a-z0-9_]+(?:, [a-z0-9_]+)*)\1/g))
    for (const part of m[2]!.split(", ")) if (names.includes(part)) found.push(part);
  return found;
}

/** The backticked paths in CONTRIBUTING's "Adding a tool" section. */
function contributingPaths(): string[] {
  const text = read("CONTRIBUTING.md");
  const start = text.indexOf("## Adding a tool");
  const end = text.indexOf("\n## ", start + 1);
  const section = text.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/`([\w./<>-]+\.(?:ts|md|json)|[\w.-]+\/(?:[\w./<>-]+\/)?)`/g)].map(
    (m) => m[1]!,
  );
}

describe("adding a tool", () => {
  it("finds tool-name literals, single and in lists, and nothing else", () => {
    const src = `const a = "web_search"; const b = 'x'; const c = "glm_reason, web_read"; // web_read\nconst d = "use web_read";`;
    expect(toolNameLiterals(src, ["web_search", "web_read", "glm_reason"])).toEqual([
      "web_search",
      "glm_reason",
      "web_read",
    ]);
  });

  it("spells each tool's name as a string only in its own tool file (not glm/, server/, cli/ …)", () => {
    const stray: string[] = [];
    for (const file of walk(path.join(ROOT, "src"), (p) => p.endsWith(".ts"))) {
      const r = rel(file);
      for (const name of toolNameLiterals(readFileSync(file, "utf8"), NAMES)) {
        const own = [
          `src/tools/${fileOf(name)}.ts`,
          `src/tools/aliases/${fileOf(name)}.ts`,
          "src/tools/index.ts",
        ];
        if (!own.includes(r)) stray.push(`${r}: "${name}"`);
      }
    }
    expect(stray).toEqual([]);
  });

  it("has, for every registered tool, its tool file, alias file and test file where CONTRIBUTING says", () => {
    const missing = NAMES.flatMap((name) =>
      [
        `src/tools/${fileOf(name)}.ts`,
        `src/tools/aliases/${fileOf(name)}.ts`,
        `test/tools/${fileOf(name)}.test.ts`,
      ]
        .filter((p) => !existsSync(path.join(ROOT, p)))
        .map((p) => `${name}: ${p}`),
    );
    expect(missing).toEqual([]);
    for (const name of NAMES) expect(read(`src/tools/${fileOf(name)}.ts`)).toContain(`"${name}"`);
  });

  it("builds the tool lists from the registry: instructions, endpoints (glm://models, doctor)", () => {
    for (const t of TOOL_DEFINITIONS) expect(t.calls.length, t.name).toBeGreaterThan(0);
    expect(NAMES.filter((n) => !SERVER_INSTRUCTIONS.includes(n))).toEqual([]);
    const urls = { baseUrl: "https://open.bigmodel.cn/api/paas/v4" };
    expect(new Set(toolEndpoints(urls).map((e) => e.tool))).toEqual(new Set(NAMES));
  });

  it("lists in CONTRIBUTING every file that names every tool, and only paths that exist", () => {
    const listed = contributingPaths();
    expect(listed).toContain("src/tools/index.ts");
    // Files that name every registered tool are per-tool tables: a new tool must be added to each.
    const everyTool = walk(ROOT, (p) => /\.(ts|md|json)$/.test(p))
      .filter((p) => {
        const text = readFileSync(p, "utf8");
        return NAMES.every((n) => new RegExp(`\\b${n}\\b`).test(text));
      })
      .map(rel)
      .filter((r) => r !== "test/surface/adding-a-tool.test.ts");
    expect(everyTool.length).toBeGreaterThan(3);
    expect(everyTool.filter((r) => !listed.includes(r))).toEqual([]);
    // Every listed path exists (for `<file>` paths: for every registered tool).
    const absent = listed.flatMap((p) =>
      (p.includes("<file>") ? NAMES.map((n) => p.replace("<file>", fileOf(n))) : [p]).filter(
        (q) => !existsSync(path.join(ROOT, q)),
      ),
    );
    expect(absent).toEqual([]);
  });
});
