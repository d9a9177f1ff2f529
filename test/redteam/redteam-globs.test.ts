// Red team, item 1 of issue #23: globs and .gitignore lines used to become backtracking regexes,
// so "**?**?…Z" (from a client's files, GLM's search_text path, or a cloned repository's
// .gitignore) held the event loop for minutes and froze every other client. Each case runs the
// real call while a timer measures the longest stall of the event loop and another MCP request
// must be answered meanwhile. With the old regexes these patterns stall it for seconds per path.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, testConfig, textOf } from "../helpers/mcp.js";
import { MAX_GLOB_CHARS } from "../../src/workspace/globs.js";
import { mediaPolicy } from "../../src/media/policy.js";
import { Workspace } from "../../src/workspace/workspace.js";
import { searchText } from "../../src/workspace/search.js";
import { createLogger } from "../../src/log.js";

/** 8 × "**?" then "Z": the old regex took ~7 s per 50-character path that does not end in Z. */
const EVIL = `${"**?".repeat(8)}Z`;
/** The longest the event loop may stall while one such call runs (the old code: many seconds). */
const MAX_STALL_MS = 1_500;

let fake: FakeGlm;
let dir: string;
let project: string;
let repo: string;
let held = 0;
let total = 0;

beforeAll(async () => {
  fake = await startFakeGlm();
  dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "glm-redteam-globs-")));
  project = path.join(dir, "project");
  repo = path.join(dir, "cloned");
  for (const root of [project, repo]) {
    mkdirSync(path.join(root, "src"), { recursive: true });
    for (let i = 0; i < 3; i++)
      writeFileSync(
        path.join(root, "src", `a-rather-long-module-name-number-${i}-of-three.ts`),
        `export {};\n`,
      );
  }
  // A cloned repository's own .gitignore, consulted for every entry of a walk.
  writeFileSync(path.join(repo, ".gitignore"), `node_modules\n${EVIL}\n`);
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`[redteam] redteam-globs.test.ts: ${total} cases, ${held} held`);
});
beforeEach(() => fake.reset());

const base = (allow: string) => ({
  GLM_API_KEY: FAKE_API_KEY,
  GLM_BASE_URL: fake.baseUrl,
  GLM_MAX_RETRIES: "0",
  GLM_MCP_ALLOW_DIRS: allow,
});

/** Runs `work` while a 10 ms timer records the longest gap between its ticks. */
async function stallDuring<T>(work: () => Promise<T>): Promise<{ value: T; stall: number }> {
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 10);
  try {
    const value = await work();
    stall = Math.max(stall, performance.now() - last);
    return { value, stall };
  } finally {
    clearInterval(timer);
  }
}

describe("red team: hostile globs and .gitignore lines run in linear time", () => {
  it("glm_reason files: the 8 × '**?' glob completes and another request is answered meanwhile", async () => {
    total++;
    const ss = await connect(base(project));
    try {
      const { value, stall } = await stallDuring(async () => {
        const call = ss.client.callTool({
          name: "glm_reason",
          arguments: { prompt: "review", files: [`src/${EVIL}`] },
        }) as Promise<CallToolResult>;
        // Another client's request while the hostile one runs: answered, not queued behind it.
        const other = await ss.client.listTools();
        return { result: await call, others: other.tools.length };
      });
      expect(value.others).toBeGreaterThan(0);
      expect(stall, `event loop stalled ${Math.round(stall)} ms`).toBeLessThan(MAX_STALL_MS);
      // Nothing matched (no name ends in Z): the call goes on with a note, it does not fail.
      expect(textOf(value.result)).toMatch(/no files/);
    } finally {
      await ss.close();
    }
    held++;
  });

  it("a cloned repository's .gitignore line of 8 × '**?' does not freeze a walk of it", async () => {
    total++;
    const ss = await connect(base(repo));
    try {
      const { value, stall } = await stallDuring(
        () =>
          ss.client.callTool({
            name: "glm_reason",
            arguments: { prompt: "review", files: [path.join(repo, "src")] },
          }) as Promise<CallToolResult>,
      );
      expect(stall, `event loop stalled ${Math.round(stall)} ms`).toBeLessThan(MAX_STALL_MS);
      expect(value.isError, textOf(value)).toBeFalsy();
      // The rule matches nothing here, so every file still goes to GLM.
      expect(JSON.stringify(fake.requests[0]!.body)).toContain(
        "a-rather-long-module-name-number-2-of-three.ts",
      );
    } finally {
      await ss.close();
    }
    held++;
  });

  it("search_text with GLM's path '**?'×8 completes without stalling", async () => {
    total++;
    const config = testConfig({ GLM_API_KEY: "k", GLM_MCP_ALLOW_DIRS: project });
    const ws = await Workspace.open(mediaPolicy(config, createLogger("silent"), { dirs: [] }));
    const { value, stall } = await stallDuring(() => searchText(ws, "export", { path: `src/${EVIL}` }));
    expect(stall, `event loop stalled ${Math.round(stall)} ms`).toBeLessThan(MAX_STALL_MS);
    expect(value.matches).toEqual([]);
    // The same search with a plain glob still finds all three files: matching still works.
    expect((await searchText(ws, "export", { path: "src/*.ts" })).matches).toHaveLength(3);
    held++;
  });

  it("a glob over the length cap is refused with one sentence, before any walk", async () => {
    total++;
    const ss = await connect(base(project));
    try {
      const r = (await ss.client.callTool({
        name: "glm_reason",
        arguments: { prompt: "review", files: [`src/${"*a".repeat(MAX_GLOB_CHARS)}`] },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/over the 512-character limit: use a shorter pattern or a folder path/);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await ss.close();
    }
    held++;
  });
});
