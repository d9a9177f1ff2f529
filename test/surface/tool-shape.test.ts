// The house rule for tool files (CONTRIBUTING.md): a tool file is its schema, description and a
// thin `run`; shared work lives in the frame (define-tool.ts), output/ and the lower layers.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";

const TOOLS_DIR = path.resolve(import.meta.dirname, "../../src/tools");
const MAX_FILE_LINES = 170;
const MAX_RUN_LINES = 46;

/** Lines of the `async run(` method, from its line to the matching closing brace. */
export function runBodyLines(source: string): number | undefined {
  const lines = source.split("\n");
  const start = lines.findIndex((l) => /^\s*async run\(/.test(l));
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    for (const ch of lines[i]!) depth += ch === "{" ? 1 : ch === "}" ? -1 : 0;
    if (depth === 0 && i > start) return i - start + 1;
  }
  return undefined;
}

const toolFiles = readdirSync(TOOLS_DIR)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: f, source: readFileSync(path.join(TOOLS_DIR, f), "utf8") }))
  .filter((f) => f.source.includes("defineTool({"));

describe("tool files stay thin", () => {
  it("measures a run body", () => {
    expect(
      runBodyLines("x = defineTool({\n  async run(a, c) {\n    if (a) {\n      b();\n    }\n  },\n});"),
    ).toBe(5);
  });

  it("every registered tool is defined in its own file", () => {
    expect(toolFiles.length).toBe(TOOL_DEFINITIONS.length);
  });

  it.each(toolFiles)(`$file: at most ${MAX_FILE_LINES} lines, run at most ${MAX_RUN_LINES}`, ({ source }) => {
    expect(source.split("\n").length).toBeLessThanOrEqual(MAX_FILE_LINES);
    const run = runBodyLines(source);
    expect(run).toBeDefined();
    expect(run!).toBeLessThanOrEqual(MAX_RUN_LINES);
  });
});
