// Red team, JSON-RPC edges (issue 23 item 7), against the built CLI: ids the SDK cannot take, the
// front's private id, an empty HTTP batch, initialize params that do not fit, and junk pipelined
// after a complete HTTP request. Each row: name, attack, expected outcome.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { startHttpCli, type HttpChild } from "../helpers/cli.js";
import { startStdio, type StdioDriver } from "../security/stdio-driver.js";
import { probe, request } from "./redteam-http-raw.js";

let fake: FakeGlm;
let http: HttpChild;
const env = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl });
const portOf = (s: HttpChild) => Number(new URL(s.url).port);

beforeAll(async () => {
  fake = await startFakeGlm();
  http = await startHttpCli([], env());
}, 60_000);
let held = 0;
let cases = 0;
afterAll(async () => {
  await http?.stop();
  await fake?.close();
  console.log(`[redteam] redteam-protocol-edges.test.ts: ${cases} cases, ${held} held`);
});
beforeEach(() => fake.reset());

/** A stdio server with every stdout byte kept raw (JSON.parse would round 9007199254740993). */
async function rawStdio(): Promise<{ d: StdioDriver; raw: () => string }> {
  const d = startStdio(env());
  let raw = "";
  d.child.stdout.on("data", (b: Buffer) => (raw += b.toString("utf8")));
  await d.initialize();
  return { d, raw: () => raw };
}

/** Waits until a raw stdout line satisfies `test`. */
async function rawLine(raw: () => string, test: (line: string) => boolean, ms = 5_000): Promise<string> {
  await expect.poll(() => raw().split("\n").find(test), { timeout: ms }).toBeDefined();
  return raw().split("\n").find(test)!;
}

const httpHead = (port: number) => [
  "POST /mcp HTTP/1.1",
  `Host: 127.0.0.1:${port}`,
  "Content-Type: application/json",
  "Accept: application/json, text/event-stream",
  "MCP-Protocol-Version: 2025-06-18",
];

interface Row {
  name: string;
  attack: string;
  expected: string;
  run: () => Promise<void>;
}

const ODD_IDS = ["1e308", "1.5", "9007199254740993", "-9007199254740993"];

const rows: Row[] = [
  ...ODD_IDS.map((id): Row => ({
    name: `stdio id ${id}`,
    attack: `{"jsonrpc":"2.0","id":${id},"method":"ping"}`,
    expected: `one -32600 answer carrying the id exactly as written (${id}); keeps serving`,
    run: async () => {
      const { d, raw } = await rawStdio();
      try {
        d.child.stdin.write(`{"jsonrpc":"2.0","id":${id},"method":"ping"}\n`);
        const line = await rawLine(raw, (l) => l.includes(`"id":${id},`));
        const answer = JSON.parse(line);
        expect(answer.error.code).toBe(-32600);
        expect(answer.error.message).toMatch(/^Invalid Request: .*integer/);
        expect((await d.request("ping")).result).toEqual({});
      } finally {
        d.child.stdin.end();
        await d.exited;
      }
    },
  })),
  {
    name: "odd ids do not hold shutdown",
    attack: "three requests with ids 1e308, 1.5 and 9007199254740993, then stdin closed",
    expected: "each answered; the process exits 0 well inside the 10 s grace",
    run: async () => {
      const { d, raw } = await rawStdio();
      for (const id of ODD_IDS.slice(0, 3))
        d.child.stdin.write(`{"jsonrpc":"2.0","id":${id},"method":"tools/list"}\n`);
      for (const id of ODD_IDS.slice(0, 3)) await rawLine(raw, (l) => l.includes(`"id":${id},`));
      const started = Date.now();
      d.child.stdin.end();
      expect(await d.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  },
  {
    name: "the front's private id",
    attack: 'a client request whose id is "glm-mcp/replayed-initialize", before and after the server loads',
    expected: "both answered like any other request",
    run: async () => {
      const d = startStdio(env());
      try {
        await d.initialize();
        const id = "glm-mcp/replayed-initialize";
        d.send({ jsonrpc: "2.0", id, method: "tools/list" }); // the snapshot front answers this one
        await expect.poll(() => d.messages.filter((m) => m.id === id).length).toBe(1);
        // resources/list starts the real server, which replays initialize under its own private id
        d.send({ jsonrpc: "2.0", id, method: "resources/list" });
        await expect.poll(() => d.messages.filter((m) => m.id === id).length, { timeout: 10_000 }).toBe(2);
        expect(d.messages.filter((m) => m.id === id)[1].result.resources).toBeDefined();
      } finally {
        d.child.stdin.end();
        await d.exited;
      }
    },
  },
  {
    name: "invalid initialize params (stdio)",
    attack: 'initialize with "protocolVersion": 5 and no clientInfo',
    expected: "-32602 with one sentence naming the field, no zod issue dump",
    run: async () => {
      const d = startStdio(env());
      try {
        d.send({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion: 5, capabilities: {} },
        });
        await expect.poll(() => d.messages.find((m) => m.id === 1), { timeout: 10_000 }).toBeDefined();
        const { error } = d.messages.find((m) => m.id === 1);
        expect(error.code).toBe(-32602);
        expect(error.message).toMatch(/^Invalid params for initialize: params\.protocolVersion: [^\n]+$/);
        expect(error.message).not.toMatch(/[[{]/);
      } finally {
        d.child.stdin.end();
        await d.exited;
      }
    },
  },
  {
    name: "invalid initialize params (HTTP)",
    attack: "POST initialize without capabilities",
    expected: "-32602 with one sentence",
    run: async () => {
      const body = JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", clientInfo: { name: "x", version: "1" } },
      });
      const res = await fetch(http.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body,
      });
      const text = await res.text();
      const answer = JSON.parse(/^data: (.*)$/m.exec(text)?.[1] ?? text);
      expect(answer.error.code).toBe(-32602);
      expect(answer.error.message).toMatch(/^Invalid params for initialize: params\.capabilities: [^\n]+$/);
    },
  },
  {
    name: "HTTP empty batch",
    attack: "POST /mcp with the body []",
    expected: "400 with a -32600 Invalid Request, not an empty 202",
    run: async () => {
      const res = await fetch(http.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: "[]",
      });
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { error: { code: number; message: string } };
      expect(answer.error.code).toBe(-32600);
      expect(answer.error.message).toMatch(/empty array/);
    },
  },
  {
    name: "junk pipelined after a Content-Length body",
    attack: "a complete tools/list POST and, in the same write, bytes that are not HTTP",
    expected: "the tools/list answer arrives first, then 400 and the close",
    run: async () => {
      const port = portOf(http);
      const body = JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list" });
      const p = await probe(port, {
        first: request(httpHead(port), body) + "NOT HTTP AT ALL\r\n\r\n",
        holdMs: 8_000,
      });
      expect(p.status).toBe(200);
      expect(p.text).toContain('"id":7');
      expect(p.text).toContain('"tools":[');
      expect(p.text.indexOf("HTTP/1.1 400")).toBeGreaterThan(p.text.indexOf('"id":7'));
      expect(p.closedByServer).toBe(true);
    },
  },
];

describe("red team: JSON-RPC edges", () => {
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
