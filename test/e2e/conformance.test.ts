// @modelcontextprotocol/conformance@0.1.13 server scenarios against `glm-mcp --http` (the built CLI,
// aimed at the fake GLM). The CLI compares the results with the committed expected-failures file
// (fixture-only scenarios), and the scenarios a real server must pass are checked one by one.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { ROOT, startHttpCli, type HttpChild } from "../helpers/cli.js";

const CONFORMANCE = path.join(ROOT, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
const EXPECTED_FAILURES = path.join(ROOT, "test/e2e/conformance-expected-failures.yaml");
const MUST_PASS = [
  "server-initialize",
  "ping",
  "logging-set-level",
  "tools-list",
  "resources-list",
  "prompts-list",
  "dns-rebinding-protection",
];

let fake: FakeGlm;
let http: HttpChild;
let out: string;
beforeAll(async () => {
  fake = await startFakeGlm();
  http = await startHttpCli([], {
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
    GLM_MCP_LOG_LEVEL: "info",
  });
  out = mkdtempSync(path.join(os.tmpdir(), "glm-conformance-"));
});
afterAll(async () => {
  await http?.stop();
  await fake?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | "SKIPPED";
  errorMessage?: string;
}

/** checks.json of each scenario run, by scenario name (-o writes <dir>/server-<scenario>-<timestamp>/checks.json). */
function resultsByScenario(dir: string): Map<string, Check[]> {
  const byName = new Map<string, Check[]>();
  for (const d of readdirSync(dir)) {
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T/.exec(d);
    if (m) byName.set(m[1]!, JSON.parse(readFileSync(path.join(dir, d, "checks.json"), "utf8")) as Check[]);
  }
  return byName;
}

describe("MCP conformance suite (server)", () => {
  it("passes the active suite apart from the committed fixture-only expected failures", async () => {
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [CONFORMANCE, "server", "--url", http.url, "--expected-failures", EXPECTED_FAILURES, "-o", out],
        { cwd: out, maxBuffer: 32 * 1024 * 1024 },
        (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: stdout + stderr }),
      );
    });
    // Exit 0 = no unexpected failure and no stale entry in the expected-failures file.
    expect(result.code, result.stdout.slice(result.stdout.indexOf("=== SUMMARY ==="))).toBe(0);
    expect(result.stdout).toContain("Baseline check passed");

    const results = resultsByScenario(out);
    for (const name of MUST_PASS) {
      const checks = results.get(name);
      expect(checks, `${name} did not run`).toBeDefined();
      expect(checks!.length).toBeGreaterThan(0);
      expect(
        checks!.filter((c) => c.status !== "SUCCESS").map((c) => `${c.id}: ${c.errorMessage ?? c.status}`),
        name,
      ).toEqual([]);
    }
    // The expected-failures file names only scenarios that exist and none of the must-pass ones.
    const listed = [...readFileSync(EXPECTED_FAILURES, "utf8").matchAll(/^\s+- ([a-z0-9-]+)$/gm)].map(
      (m) => m[1]!,
    );
    expect(listed.length).toBeGreaterThan(0);
    for (const name of listed) expect(results.has(name), `${name} is not a scenario`).toBe(true);
    expect(listed.filter((n) => MUST_PASS.includes(n))).toEqual([]);
    // Every entry carries a one-line reason (a comment right above it).
    const lines = readFileSync(EXPECTED_FAILURES, "utf8").split("\n");
    for (const [i, line] of lines.entries())
      if (/^\s+- /.test(line)) expect(lines[i - 1], line).toMatch(/^\s+# \S/);
  }, 120_000);
});
