// The README stays true and short: its settings table is exactly the variables the server reads,
// with the flags --help offers for them; every flag is documented; its tool table is exactly the
// registered tools; the commands a fresh machine needs are shown as commands that match package.json.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HELP, parseCli } from "../../src/cli/args.js";
import { loadConfig } from "../../src/config.js";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";
import { ROOT } from "../helpers/cli.js";
import { codeBlocks, codeSpans, tableRows } from "../helpers/markdown.js";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const cliDoc = readFileSync(path.join(ROOT, "docs/cli.md"), "utf8");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
};

/**
 * The variables loadConfig really reads, recorded by handing it environments that log reads. Several
 * environments, because some variables are read only when another setting switches a feature on.
 */
function variablesRead(): Set<string> {
  const read = new Set<string>();
  const variants: Record<string, string>[] = [
    {},
    { GLM_CODING_PLAN: "1" },
    { GLM_REGION: "intl", GLM_CODING_PLAN: "1" },
    { GLM_MCP_HTTP: "1", GLM_MCP_HTTP_TOKEN: "t0ken-for-the-read-log" },
    { GLM_BASE_URL: "http://127.0.0.1:9/api/paas/v4" },
    { HTTPS_PROXY: "http://127.0.0.1:9", GLM_API_KEY: "k" },
  ];
  for (const values of variants) {
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_t, name) => {
        if (typeof name !== "string") return undefined;
        read.add(name);
        return values[name];
      },
    });
    loadConfig(env);
  }
  return read;
}

/** The README's settings table: the variables and flags of each row. */
function settingsRows(): { vars: string[]; flags: string[]; line: string }[] {
  return tableRows(readme, /^\| Variable \| Flag \|/).map((cells) => ({
    vars: codeSpans(cells[0] ?? "").filter((s) => /^[A-Za-z_]+$/.test(s)),
    flags: codeSpans(cells[1] ?? "").filter((s) => s.startsWith("--")),
    line: cells.join(" | "),
  }));
}

/** Flags --help lists, each with its help text (the line and its continuation lines). */
function helpFlags(): Map<string, string> {
  const flags = new Map<string, string>();
  let current: string | undefined;
  for (const line of HELP.split("\n")) {
    const m = /^\s+(?:-[a-z], )?(--[a-z-]+)/.exec(line);
    if (m) flags.set((current = m[1]!), line);
    else if (current && /^\s{20,}\S/.test(line)) flags.set(current, `${flags.get(current)!} ${line.trim()}`);
    else current = undefined;
  }
  return flags;
}

/** `flag` as a whole word (so `--http` is not found inside `--http-token`). */
function mentions(text: string, flag: string): boolean {
  return new RegExp(`(?<![\\w-])${flag}(?![\\w-])`).test(text);
}

/** Command lines of the fenced shell blocks, comments stripped and continuation lines joined. */
function commandLines(md: string): string[] {
  return codeBlocks(md)
    .filter((b) => ["sh", "bash", ""].includes(b.lang))
    .flatMap((b) => b.body.replace(/\\\n\s*/g, " ").split("\n"))
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
}

describe("README", () => {
  it("is at most 300 lines", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(300);
  });

  it("has a settings table of exactly the variables the server reads", () => {
    const read = variablesRead();
    expect(read.has("GLM_API_KEY")).toBe(true);
    expect(read.size).toBeGreaterThan(20);
    const documented = new Set(settingsRows().flatMap((r) => r.vars));
    expect([...read].filter((v) => !documented.has(v)).sort()).toEqual([]);
    expect([...documented].filter((v) => !read.has(v)).sort()).toEqual([]);
  });

  it("names no GLM_* variable anywhere that the server does not read", () => {
    const read = variablesRead();
    const named = new Set([...readme.matchAll(/\b(GLM_[A-Z_]+)\b/g)].map((m) => m[1]!));
    expect([...named].filter((v) => !read.has(v))).toEqual([]);
  });

  it("gives each setting the flag --help gives it, and each such flag parses", () => {
    const help = helpFlags();
    const rowsWithFlags = settingsRows().filter((r) => r.flags.length > 0);
    expect(rowsWithFlags.length).toBeGreaterThan(15);
    for (const { vars, flags, line } of rowsWithFlags) {
      for (const flag of flags) {
        const text = help.get(flag);
        expect(text, `${flag} (README row "${line}") is not a flag of --help`).toBeDefined();
        // The flag's help line names the variable of the same row: they are one setting.
        expect(
          vars.some((v) => text!.includes(v)),
          `${flag} vs ${vars.join(", ")}`,
        ).toBe(true);
        const argv = /^\s+--[a-z-]+ </.test(text!) ? [flag, "1"] : [flag];
        expect(() => parseCli(argv), flag).not.toThrow();
      }
    }
  });

  it("documents every flag of --help, in the settings table or the command-line docs", () => {
    const flags = [...helpFlags().keys()];
    expect(flags.length).toBeGreaterThan(15);
    const inTable = new Set(settingsRows().flatMap((r) => r.flags));
    const missing = flags.filter((f) => !inTable.has(f) && !mentions(readme, f) && !mentions(cliDoc, f));
    expect(missing).toEqual([]);
  });

  it("shows, as commands, the install, the server and the tests, matching package.json", () => {
    const lines = commandLines(readme);
    expect(lines).toContain("npm ci");
    expect(lines).toContain("npm test");
    expect(lines.indexOf("npm ci")).toBeLessThan(lines.indexOf("npm test"));
    expect(pkg.scripts.test).toBeDefined();
    // The server command runs the file package.json declares as the glm-mcp command.
    const server = lines.find((l) => /^GLM_API_KEY=\S+ node \S+$/.test(l));
    expect(server, "a `GLM_API_KEY=... node dist/index.cjs` line").toBeDefined();
    expect(server!.split(" ")[2]).toBe(pkg.bin["glm-mcp"]);
  });

  it("starts the server in client set-ups with node or the installed command, never npm start", () => {
    const claude = commandLines(readme).filter((l) => l.startsWith("claude mcp add "));
    const stdio = claude.filter((l) => l.includes(" -- "));
    expect(stdio.length).toBeGreaterThan(0);
    for (const l of stdio) expect(l.split(" -- ")[1], l).toMatch(/^node \/\S+\/dist\/index\.cjs$/);
    expect(readme).not.toMatch(/"command":\s*"npm"/);
    expect(commandLines(readme).filter((l) => / -- npm /.test(l))).toEqual([]);
    // README says why: npm's banner on stdout breaks the protocol.
    expect(readme).toMatch(/`npm start`[^.]*not[^.]*client/);
  });

  it("names the Claude Code stdio and HTTP servers differently, so both can be added", () => {
    const names = { stdio: new Set<string>(), http: new Set<string>() };
    for (const l of commandLines(readme).filter((x) => x.startsWith("claude mcp add "))) {
      const words = l.split(" -- ")[0]!.split(/\s+/).slice(3);
      let transport = "stdio";
      const positional: string[] = [];
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        if (w === "--transport" || w === "-t") transport = words[++i]!;
        else if (w.startsWith("-"))
          i++; // --scope user, --env K=V, --header "…"
        else positional.push(w);
      }
      names[transport === "stdio" ? "stdio" : "http"].add(positional[0]!);
    }
    expect(names.stdio.size).toBeGreaterThan(0);
    expect(names.http.size).toBeGreaterThan(0);
    expect([...names.stdio].filter((n) => names.http.has(n))).toEqual([]);
  });

  it("has a tool table of exactly the registered tools", () => {
    const listed = tableRows(readme, /^\| Tool \| What it does \|/).map((c) => codeSpans(c[0] ?? "")[0]);
    expect(listed.sort()).toEqual(TOOL_DEFINITIONS.map((t) => t.name).sort());
  });

  it("links only to documents that exist", () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(() => readFileSync(path.join(ROOT, link)), link).not.toThrow();
  });
});
