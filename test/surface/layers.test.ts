// Imports point one way: cli → transports → server → tools → state → output → workspace →
// (media, embeddings) → glm → the neutral bottom (config, log, errors, util, version). A module may
// import its own layer or any lower one, never a higher one; this test names every import against
// the flow.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../../src");

/** Layer of a file under src/, highest first in this list = highest rank. */
const LAYERS: Array<[rank: number, name: string, match: (rel: string) => boolean]> = [
  [10, "cli", (r) => r === "index.ts" || r.startsWith("cli/")],
  [9, "transports", (r) => r.startsWith("transports/")],
  [8, "server", (r) => r.startsWith("server/")],
  [7, "tools", (r) => r.startsWith("tools/")],
  [6, "state", (r) => r.startsWith("state/")],
  [5, "output", (r) => r.startsWith("output/")],
  [4, "workspace", (r) => r.startsWith("workspace/")],
  [3, "media/embeddings", (r) => r.startsWith("media/") || r.startsWith("embeddings/")],
  [2, "glm/store", (r) => r.startsWith("glm/") || r.startsWith("store/")],
  [
    1,
    "bottom",
    (r) => ["config.ts", "log.ts", "errors.ts", "version.ts"].includes(r) || r.startsWith("util/"),
  ],
];

export function layerOf(rel: string): { rank: number; name: string } {
  const hit = LAYERS.find(([, , match]) => match(rel));
  if (!hit) throw new Error(`src/${rel} is in no layer: add its folder to LAYERS in this test`);
  return { rank: hit[0], name: hit[1] };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Relative import specifiers (static, type-only and dynamic) of one source file. */
export function importsOf(source: string): string[] {
  const re = /(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g;
  return [...source.matchAll(re)].map((m) => m[1]!);
}

describe("import direction", () => {
  it("finds the imports of a file, type-only and dynamic included", () => {
    const src = `import type { A } from "../a.js";\nimport { B } from "./b.js";\nconst c = await import("../c/d.js");\nimport "./side.js";`;
    expect(importsOf(src)).toEqual(["../a.js", "./b.js", "../c/d.js", "./side.js"]);
  });

  it("ranks the layers as the design draws them", () => {
    expect(layerOf("tools/glm-reason.ts").rank).toBeGreaterThan(layerOf("media/sources.ts").rank);
    expect(layerOf("media/audio/wav.ts").name).toBe("media/embeddings");
    // Workspace reading sits under the tools that use it and over media's sandbox it reads through.
    expect(layerOf("tools/glm-reason.ts").rank).toBeGreaterThan(layerOf("workspace/walk.ts").rank);
    expect(layerOf("workspace/walk.ts").rank).toBeGreaterThan(layerOf("media/sources.ts").rank);
    expect(layerOf("glm/client.ts").rank).toBeGreaterThan(layerOf("config.ts").rank);
    expect(() => layerOf("stray.ts")).toThrow(/no layer/);
  });

  it("no module under src/ imports from a higher layer", () => {
    const violations: string[] = [];
    const files = walk(SRC);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const rel = path.relative(SRC, file);
      const from = layerOf(rel);
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).replace(/\.js$/, ".ts");
        if (target.startsWith("..")) continue;
        const to = layerOf(target);
        if (to.rank > from.rank)
          violations.push(`src/${rel} (${from.name}) imports src/${target} (${to.name})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
