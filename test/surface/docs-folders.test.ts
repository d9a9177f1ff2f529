// CONTRIBUTING.md's folder map stays the real tree: every folder of src/ and test/ (and every file at
// the src/ root) has its line, and every path the map names exists.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { codeSpans, tableRows } from "../helpers/markdown.js";

const contributing = readFileSync(path.join(ROOT, "CONTRIBUTING.md"), "utf8");
/** The paths named in the first column of the folder tables. */
const mapped = new Set(
  tableRows(contributing, /^\| Folder \|/)
    .flatMap((cells) => codeSpans(cells[0]!))
    .map((p) => p.replace(/\/$/, "")),
);

describe("CONTRIBUTING.md folder map", () => {
  it("gives every folder of src/ and test/, and every file at the src/ root, a line", () => {
    const entries = ["src", "test"].flatMap((top) =>
      readdirSync(path.join(ROOT, top), { withFileTypes: true })
        .filter((e) => e.isDirectory() || (top === "src" && e.name.endsWith(".ts")))
        .map((e) => `${top}/${e.name}`),
    );
    expect(entries.length).toBeGreaterThan(20);
    expect(entries.filter((e) => !mapped.has(e))).toEqual([]);
  });

  it("names only paths that exist", () => {
    expect(mapped.size).toBeGreaterThan(20);
    expect([...mapped].filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});
