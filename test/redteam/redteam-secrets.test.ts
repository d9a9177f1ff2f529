// Red team, class 2 of issue #14: no piece of the API key (8+ characters) leaves the process, even
// when GLM's error or answer echoes it next to a truncation point. A tiny upstream on 127.0.0.1
// plays a GLM that echoes the Authorization header; tool results (text and structuredContent) and
// every log line are scanned for every 8-character window of the key.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { assertBuilt, CLI, cleanEnv } from "../helpers/cli.js";
import { createLogger } from "../../src/log.js";
import { RealtimeClosedError } from "../../src/glm/realtime-errors.js";
import { errorFromRealtimeEvent } from "../../src/glm/realtime-errors.js";
import { connect, textOf } from "../helpers/mcp.js";

const KEY = `${randomBytes(16).toString("hex")}.${randomBytes(8).toString("base64url")}`;
const WINDOWS = Array.from({ length: KEY.length - 7 }, (_, i) => KEY.slice(i, i + 8)).filter(
  // Pieces that could be part of a written number are left alone by design (util/redact.ts): a
  // vector's digits must not be corrupted. Anything else of the key must never show.
  (w) => !/^[+-]?[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]*)?$/.test(w),
);
const leaks = (text: string) => WINDOWS.filter((w) => text.includes(w));
const bearer = `Authorization: Bearer ${KEY}`;

type Mode = {
  status: number;
  body: (stream: boolean) => string;
  type?: string;
  /** Instead of body: this many bytes of `fill`, written in 64 KB chunks (a runaway upstream). */
  flood?: { bytes: number; fill: string; prefix?: string };
};
let flooded = { written: 0, aborted: false };
let mode: Mode;
let server: http.Server;
let baseUrl: string;
let held = 0;
let total = 0;

const completion = (content: string) =>
  JSON.stringify({
    id: "x",
    created: 0,
    model: "glm-4.6",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });
const sse = (content: string) =>
  [
    { id: "x", choices: [{ index: 0, delta: { role: "assistant", content } }] },
    {
      id: "x",
      choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    },
  ]
    .map((e) => `data: ${JSON.stringify(e)}\n\n`)
    .join("") + "data: [DONE]\n\n";

/** Writes mode.flood.bytes to `res`, stopping when the client goes away. */
function flood(res: http.ServerResponse, m: Mode): void {
  const f = m.flood!;
  flooded = { written: 0, aborted: false };
  res.writeHead(m.status, { "content-type": m.type ?? "application/json" });
  const chunk = Buffer.alloc(64 * 1024, f.fill);
  res.on("close", () => (flooded.aborted = flooded.written < f.bytes));
  if (f.prefix) res.write(f.prefix);
  const pump = () => {
    while (flooded.written < f.bytes && !res.destroyed) {
      flooded.written += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const stream = /"stream":true/.test(raw);
      if (mode.flood) return flood(res, mode);
      const body = mode.body(stream);
      res.writeHead(mode.status, {
        "content-type":
          mode.type ?? (stream && mode.status === 200 ? "text/event-stream" : "application/json"),
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/paas/v4`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  console.log(`[redteam] redteam-secrets.test.ts: ${total} cases, ${held} held`);
});

// Pads so the key starts `at` characters into GLM's message (the old cut was at 300, then 500).
const padTo = (at: number) => "x".repeat(at - "Authorization: Bearer ".length);
// masked: whether the key lies in the part of the text that is shown (else the cut removed it).
const ROWS: { name: string; mode: Mode; isError: boolean; masked?: false }[] = [
  {
    name: "JSON error echoing the key across the 300-character cut",
    mode: {
      status: 400,
      body: () => JSON.stringify({ error: { code: "1214", message: `${padTo(290)}${bearer} tail` } }),
    },
    isError: true,
  },
  {
    name: "JSON error with the key right at the 300-character cut",
    mode: {
      status: 400,
      body: () => JSON.stringify({ error: { code: "1214", message: `${padTo(300 - 12)}${bearer}` } }),
    },
    isError: true,
  },
  {
    name: "HTML error page echoing the key across the 500-character cut",
    mode: { status: 502, type: "text/html", body: () => `<html>${padTo(490)}${bearer}</html>` },
    isError: true,
    masked: false,
  },
  {
    name: "401 quoting the whole key",
    mode: { status: 401, body: () => JSON.stringify({ error: { code: "1000", message: `bad key ${KEY}` } }) },
    isError: true,
  },
  {
    name: "successful answer echoing the key (text and structuredContent)",
    mode: {
      status: 200,
      body: (stream) => (stream ? sse(`Your header was ${bearer}`) : completion(`Your header was ${bearer}`)),
    },
    isError: false,
  },
  {
    name: "successful answer quoting only a 10-character prefix of the key",
    mode: {
      status: 200,
      body: (stream) =>
        stream ? sse(`key starts ${KEY.slice(0, 10)}…`) : completion(`key starts ${KEY.slice(0, 10)}…`),
    },
    isError: false,
  },
];

describe("red team: key secrecy", () => {
  it.each(ROWS)("$name", async (row) => {
    total++;
    mode = row.mode;
    const lines: string[] = [];
    const logger = createLogger("debug", [KEY], (l) => lines.push(l));
    const ss = await connect({ GLM_API_KEY: KEY, GLM_BASE_URL: baseUrl, GLM_MAX_RETRIES: "0" }, { logger });
    try {
      const r = (await ss.client.callTool({
        name: "glm_reason",
        arguments: { prompt: "hello" },
      })) as CallToolResult;
      expect(Boolean(r.isError), JSON.stringify(r)).toBe(row.isError);
      expect(leaks(JSON.stringify(r))).toEqual([]);
      expect(leaks(lines.join("\n"))).toEqual([]);
      if (row.masked !== false) expect(JSON.stringify(r)).toContain("***");
    } finally {
      await ss.close();
    }
    held++;
  });

  it("realtime close reasons and error events are redacted before they are cut", () => {
    total++;
    createLogger("silent", [KEY]); // the server's logger registers the key at start-up
    const closed = new RealtimeClosedError("during the reply", 1011, `${padTo(110)}${bearer}`);
    const event = errorFromRealtimeEvent({
      type: "invalid_request_error",
      message: `${padTo(295)}${bearer}`,
    });
    expect(leaks(closed.message)).toEqual([]);
    expect(leaks(event.toolMessage())).toEqual([]);
    held++;
  });
});

// Class 4 (upstream bodies): a runaway upstream is cut at a cap far above any real answer.
const CAPS: { name: string; tool: string; args: Record<string, unknown>; mode: Mode; expected: RegExp }[] = [
  {
    name: "a 64 MB error page is read only up to 64 KB",
    tool: "glm_reason",
    args: { prompt: "hi" },
    mode: { status: 500, type: "text/html", body: () => "", flood: { bytes: 64 << 20, fill: "e" } },
    expected: /GLM said: "e+…"/,
  },
  {
    name: "a 64 MB embeddings answer for one input is refused at its cap",
    tool: "embed_text",
    args: { texts: ["one"] },
    mode: { status: 200, body: () => "", flood: { bytes: 64 << 20, fill: "1", prefix: '{"data":[' } },
    expected: /GLM's answer was larger than \d+ KB, far beyond any legitimate answer/,
  },
  {
    name: "a 16 MB server-sent event is refused at the per-event cap",
    tool: "glm_reason",
    args: { prompt: "hi" },
    mode: {
      status: 200,
      type: "text/event-stream",
      body: () => "",
      flood: { bytes: 16 << 20, fill: "a", prefix: 'data: {"choices":[{"delta":{"content":"' },
    },
    expected: /GLM's stream event was larger than 4096 KB/,
  },
];

// The shipped entry (dist/index.cjs) bundles the logger, which registers the key, while the code
// that saves files is an ES module loaded later: both must see the same registered secrets.
describe("red team: key secrecy through the shipped entry", () => {
  it("a long answer echoing the key is saved to a file without it", async () => {
    assertBuilt();
    total++;
    const longAnswer = `${"word ".repeat(14_000)}then ${bearer} at the end`;
    mode = { status: 200, body: (stream) => (stream ? sse(longAnswer) : completion(longAnswer)) };
    const outputDir = mkdtempSync(path.join(os.tmpdir(), "glm-mcp-redteam-out-"));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      env: cleanEnv({
        GLM_API_KEY: KEY,
        GLM_BASE_URL: baseUrl,
        GLM_MAX_RETRIES: "0",
        GLM_MCP_OUTPUT_DIR: outputDir,
        GLM_MCP_LOG_LEVEL: "error",
      }),
      stderr: "ignore",
    });
    const client = new Client({ name: "redteam", version: "1" });
    try {
      await client.connect(transport);
      const r = (await client.callTool({
        name: "glm_reason",
        arguments: { prompt: "hello" },
      })) as CallToolResult;
      expect(r.isError, JSON.stringify(r).slice(0, 500)).toBeFalsy();
      const saved = /the full text is in (\S+) \(glm:/.exec(textOf(r))?.[1];
      expect(saved, "the answer was cut and saved").toBeDefined();
      const file = readFileSync(saved!, "utf8");
      expect(file).toMatch(/then Authorization: Bearer [0-9.eE+-]{0,7}\*\*\*/);
      expect(leaks(file)).toEqual([]);
      expect(leaks(JSON.stringify(r))).toEqual([]);
    } finally {
      await client.close();
      rmSync(outputDir, { recursive: true, force: true });
    }
    held++;
  }, 30_000);
});

describe("red team: upstream bodies are capped", () => {
  it.each(CAPS)(
    "$name",
    async (row) => {
      total++;
      mode = row.mode;
      const ss = await connect({ GLM_API_KEY: KEY, GLM_BASE_URL: baseUrl, GLM_MAX_RETRIES: "0" });
      try {
        const r = (await ss.client.callTool({ name: row.tool, arguments: row.args })) as CallToolResult;
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(row.expected);
        // The server stopped reading: the upstream could not send everything.
        await new Promise((res) => setTimeout(res, 50));
        expect(flooded.aborted, JSON.stringify(flooded)).toBe(true);
      } finally {
        await ss.close();
      }
      held++;
    },
    30_000,
  );
});
