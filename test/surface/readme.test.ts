// The README stays true: every environment variable config.ts reads and every flag --help lists is
// documented, and every GLM_* variable the README names is one the code reads.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HELP } from "../../src/cli/args.js";
import { ROOT } from "../helpers/cli.js";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const configSource = readFileSync(path.join(ROOT, "src/config.ts"), "utf8");

describe("README", () => {
  it("documents every environment variable the server reads", () => {
    const read = new Set(
      [...configSource.matchAll(/\b((?:GLM|ZHIPUAI|Z_AI|HTTPS?|NO)_[A-Z_]+)\b/g)].map((m) => m[1]!),
    );
    expect(read.size).toBeGreaterThan(20);
    expect([...read].filter((v) => !readme.includes(v))).toEqual([]);
  });

  it("names no GLM_* variable that the code does not read", () => {
    const named = new Set([...readme.matchAll(/\b(GLM_[A-Z_]+)\b/g)].map((m) => m[1]!));
    expect([...named].filter((v) => !configSource.includes(v))).toEqual([]);
  });

  it("documents every flag of --help", () => {
    const flags = new Set([...HELP.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]!));
    expect(flags.size).toBeGreaterThan(15);
    expect([...flags].filter((f) => !readme.includes(f))).toEqual([]);
  });

  it("shows the two commands that set everything up", () => {
    expect(readme).toContain("npm ci");
    expect(readme).toContain("npm test");
    expect(readme).toContain("npm start");
  });
});
