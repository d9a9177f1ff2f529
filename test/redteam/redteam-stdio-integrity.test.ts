// Red team, stdio call integrity and lifetime (issue 14, classes 5 and 6), against the built CLI:
// every request that carries an id gets exactly one answer (malformed ones included, and those
// still running at shutdown), and the server never outlives the parent it serves.
// Each row: name, attack, expected outcome.
import { execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { CLI, cleanEnv } from "../helpers/cli.js";
import { startStdio, type StdioDriver } from "../security/stdio-driver.js";
import { isAlive } from "../setup/processes.js";

let fake: FakeGlm;
let d: StdioDriver; // one server for the malformed-input rows: it must survive all of them
const env = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });

beforeAll(async () => {
  fake = await startFakeGlm();
  d = startStdio(env());
  await d.initialize();
});
let held = 0;
let cases = 0;
afterAll(async () => {
  d?.child.stdin.end();
  await d?.exited;
  await fake?.close();
  console.log(`[redteam] redteam-stdio-integrity.test.ts: ${cases} cases, ${held} held`);
});
beforeEach(() => fake.reset());

/** The answer the server wrote for `id`, waiting up to `ms`. */
async function answerFor(driver: StdioDriver, id: unknown, ms = 5_000): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = driver.messages.find((m) => m.id === id && ("result" in m || "error" in m));
    if (found || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** After the attack the same server still answers a well-formed request. */
async function stillServes(): Promise<void> {
  const r = await d.request("ping");
  expect(r.result).toEqual({});
}

function malformed(line: string, id: unknown, code: number): () => Promise<void> {
  return async () => {
    d.child.stdin.write(line + "\n");
    const answer = await answerFor(d, id);
    expect(answer, `no answer for ${line}`).toBeDefined();
    expect(answer.error.code).toBe(code);
    expect(answer.result).toBeUndefined();
    await stillServes();
  };
}

interface Row {
  name: string;
  attack: string;
  expected: string;
  run: () => Promise<void>;
}

const rows: Row[] = [
  {
    name: "request without a method",
    attack: '{"jsonrpc":"2.0","id":11}',
    expected: "-32600 Invalid Request for id 11; keeps serving",
    run: malformed('{"jsonrpc":"2.0","id":11}', 11, -32600),
  },
  {
    name: "non-string method",
    attack: '{"jsonrpc":"2.0","id":12,"method":5}',
    expected: "-32600 for id 12; keeps serving",
    run: malformed('{"jsonrpc":"2.0","id":12,"method":5}', 12, -32600),
  },
  {
    name: "params as an array",
    attack: '{"jsonrpc":"2.0","id":13,"method":"tools/list","params":[1]}',
    expected: "-32602 Invalid params for id 13; keeps serving",
    run: malformed('{"jsonrpc":"2.0","id":13,"method":"tools/list","params":[1]}', 13, -32602),
  },
  {
    name: "params as a string",
    attack: '{"jsonrpc":"2.0","id":"p","method":"tools/call","params":"glm_reason"}',
    expected: '-32602 for id "p"; keeps serving',
    run: malformed('{"jsonrpc":"2.0","id":"p","method":"tools/call","params":"glm_reason"}', "p", -32602),
  },
  {
    name: "JSON-RPC 1.0",
    attack: '{"jsonrpc":"1.0","id":14,"method":"ping"}',
    expected: "-32600 for id 14; keeps serving",
    run: malformed('{"jsonrpc":"1.0","id":14,"method":"ping"}', 14, -32600),
  },
  {
    name: "jsonrpc member missing",
    attack: '{"id":"no-version","method":"ping"}',
    expected: '-32600 for id "no-version"; keeps serving',
    run: malformed('{"id":"no-version","method":"ping"}', "no-version", -32600),
  },
  {
    name: "cut JSON that still names its id",
    attack: '{"jsonrpc":"2.0","id":15,"method":"ping","params":{',
    expected: "-32700 Parse error for id 15; keeps serving",
    run: malformed('{"jsonrpc":"2.0","id":15,"method":"ping","params":{', 15, -32700),
  },
  {
    name: "batch (removed from MCP)",
    attack: '[{"jsonrpc":"2.0","id":16,"method":"ping"}]',
    expected: "-32600 for id 16; keeps serving",
    run: malformed('[{"jsonrpc":"2.0","id":16,"method":"ping"}]', 16, -32600),
  },
  {
    name: "malformed response from the client",
    attack: '{"jsonrpc":"2.0","id":17,"result":5}',
    expected: "no answer (a response is not answered); keeps serving",
    run: async () => {
      d.child.stdin.write('{"jsonrpc":"2.0","id":17,"result":5}\n');
      await stillServes();
      expect(await answerFor(d, 17, 300)).toBeUndefined();
    },
  },
  {
    name: "SIGTERM while a call never ends",
    attack: "tools/call that GLM never answers, then SIGTERM",
    expected: "that id is answered with a shutdown error before the process exits 0",
    run: async () => {
      fake.fail({ kind: "hang" });
      const s = startStdio(env());
      await s.initialize();
      s.send({
        jsonrpc: "2.0",
        id: "forever",
        method: "tools/call",
        params: { name: "glm_reason", arguments: { prompt: "hang" } },
      });
      await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(1);
      s.child.kill("SIGTERM");
      expect(await s.exited).toBe(0);
      const answer = await answerFor(s, "forever", 0);
      expect(answer?.error?.message).toMatch(/shut down before this call finished/);
      expect(s.messages.filter((m) => m.id === "forever")).toHaveLength(1);
    },
  },
  {
    name: "parent dies, pipe still held",
    attack: "the server's parent is SIGKILLed while another process keeps its stdin open",
    expected: "the server notices it was orphaned and exits",
    run: async () => {
      // The server's stdin is a FIFO this test keeps open, so it never sees EOF: only noticing that
      // its parent is gone can stop it. (A pipe from spawn would close with the parent's handle.)
      const dir = mkdtempSync(path.join(os.tmpdir(), "redteam-stdio-"));
      const fifo = path.join(dir, "stdin");
      execFileSync("mkfifo", [fifo]);
      const held = openSync(fifo, "r+"); // read-write: opens at once and keeps a writer
      const out = path.join(dir, "stdout");
      const parent = spawn(
        process.execPath,
        [
          "-e",
          `const fs = require("node:fs");
           const c = require("node:child_process").spawn(process.execPath, [${JSON.stringify(CLI)}], { stdio: ["inherit", fs.openSync(${JSON.stringify(out)}, "w"), "ignore"], env: process.env });
           process.stdout.write(c.pid + "\\n");`,
        ],
        { env: cleanEnv(env()), stdio: [held, "pipe", "ignore"] },
      );
      const pid = await new Promise<number>((resolve) =>
        parent.stdout!.once("data", (b: Buffer) => resolve(Number(b.toString().trim()))),
      );
      try {
        // The server is up (and watching its parent) once it answers a ping through the FIFO.
        writeSync(held, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }) + "\n");
        await expect
          .poll(() => (existsSync(out) ? readFileSync(out, "utf8") : ""), { timeout: 20_000 })
          .toContain('"id":1');
        expect(isAlive(pid)).toBe(true);
        parent.kill("SIGKILL");
        await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
      } finally {
        if (isAlive(pid)) process.kill(pid, "SIGKILL");
        closeSync(held);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: "client closes stdin",
    attack: "end stdin with nothing in flight",
    expected: "exits 0",
    run: async () => {
      const s = startStdio(env());
      await s.initialize();
      s.child.stdin.end();
      expect(await s.exited).toBe(0);
    },
  },
];

describe("red team: stdio call integrity and lifetime", () => {
  it.each(rows.map((r) => [r.name, r] as const))(
    "%s",
    async (_name, row) => {
      cases++;
      await row.run();
      held++;
    },
    40_000,
  );
});
