// docs/aliases.md documents every alias a tool accepts, under that tool, mapped to the argument the
// code maps it to: the alias tables in src/tools/aliases/ and the docs cannot drift apart.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";
import { ROOT } from "../helpers/cli.js";

const doc = readFileSync(path.join(ROOT, "docs/aliases.md"), "utf8");

/** The table rows of one tool's section: canonical argument → the aliases its row lists. */
function documented(tool: string): Map<string, string> {
  const section = doc.split(/^## /m).find((s) => s.startsWith(`${tool}\n`)) ?? "";
  const out = new Map<string, string>();
  for (const row of section.matchAll(/^\| `([a-z0-9_]+)`[^|]*\| (.+) \|$/gm))
    for (const alias of row[2]!.matchAll(/`([a-z0-9_]+)`/g)) out.set(alias[1]!, row[1]!);
  return out;
}

describe("docs/aliases.md", () => {
  it.each(TOOL_DEFINITIONS.map((t) => [t.name, t] as const))("%s: every alias documented", (name, tool) => {
    const table = tool.aliases?.names ?? {};
    expect(Object.keys(table).length, `${name} has aliases`).toBeGreaterThan(0);
    const docs = documented(name);
    const wrong = Object.entries(table).filter(([alias, target]) => docs.get(alias) !== target);
    expect(wrong).toEqual([]);
  });
});
