// The house rule for tool files (CONTRIBUTING.md): one file per tool, holding its schema, description
// and `run`, the tool's flow readable in one place. The work it drives lives below it: files and
// sandboxed reads in media/ and workspace/, HTTP in glm/, result files in output/. No line count:
// a readable flow beats a short file.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";

const TOOLS_DIR = path.resolve(import.meta.dirname, "../../src/tools");

/** What a tool file does itself that belongs to a lower layer: Node built-ins, undici, the environment. */
export function ownIo(source: string): string[] {
  const imports = [...source.matchAll(/from\s+["']((?:node:[^"']+)|undici)["']/g)].map((m) => m[1]!);
  return [...imports, ...(/\bprocess\.env\b/.test(source) ? ["process.env"] : [])];
}

const toolFiles = readdirSync(TOOLS_DIR)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: f, source: readFileSync(path.join(TOOLS_DIR, f), "utf8") }))
  .filter((f) => f.source.includes("defineTool({"));

describe("tool files", () => {
  it("finds a tool file's own I/O", () => {
    const src = `import { readFile } from "node:fs/promises";\nimport { fetch } from "undici";\nconst k = process.env.X;`;
    expect(ownIo(src)).toEqual(["node:fs/promises", "undici", "process.env"]);
    expect(ownIo(`import { z } from "zod";\nimport { postJson } from "../glm/client.js";`)).toEqual([]);
  });

  it("every registered tool is defined in its own file", () => {
    expect(toolFiles.length).toBe(TOOL_DEFINITIONS.length);
  });

  it.each(toolFiles)("$file: one tool with a run, no I/O of its own", ({ source }) => {
    expect(source.match(/defineTool\(\{/g)).toHaveLength(1);
    expect(source).toMatch(/^\s*async run\(/m);
    expect(ownIo(source)).toEqual([]);
  });
});
