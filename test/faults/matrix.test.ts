// The fault matrix: every registered tool × every upstream fault, against the fake GLM (HTTP/SSE)
// and the fake GLM-Realtime (WebSocket). Each case asserts the outcome (an isError result with the
// right actionable sentence, or success where a retry should win), the number of upstream attempts,
// no unhandled rejection, no leaked socket/timer/open upstream request, no file left in the output
// directory by a failed call (and no *.part ever), and that the very next call succeeds.
// Adding a tool = one row in TOOLS; adding a fault = one entry in FAULTS.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import sharp from "sharp";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlmClient } from "../../src/glm/client.js";
import { TOOL_DEFINITIONS } from "../../src/tools/index.js";
import { FAKE_API_KEY, makeToneWav, startFakeGlm, type FakeGlm, type Fault } from "../fake-glm/index.js";
import { startFakeRealtime, type FakeRealtime, type RealtimeScript } from "../fake-glm/realtime.js";
import { connect, textOf, type TestSession } from "../helpers/mcp.js";

/** GLM_TIMEOUT_MS for every case: small, so the hang fault costs 3 × this. */
const TIMEOUT_MS = 1500;
const MAX_RETRIES = 2;
const CHAT = "/chat/completions";
const EMBED = "/embeddings";

type Protocol = "chat-sse" | "embeddings-json" | "realtime-ws" | "images-json" | "asr-multipart";

interface Fixtures {
  pngDataUri: string;
  wavDataUri: string;
}

/** One row per tool: a minimal valid call and the upstream path/protocol it reaches. */
interface ToolRow {
  tool: string;
  protocol: Protocol;
  /** Arguments of a minimal valid call; `nonce` keeps calls distinct (no cache hits). */
  args(fx: Fixtures, nonce: string): Record<string, unknown>;
  /** A second row of the same tool: its name in the table, and the upstream path it faults. */
  label?: string;
  path?: string;
  /** The stage keeps the call alive: an error outcome is a success result whose note has the sentence. */
  degrades?: boolean;
  /** Sentences that differ from the shared ones for this row, by fault id. */
  sentences?: Record<string, RegExp>;
}

const TOOLS: ToolRow[] = [
  {
    tool: "glm_reason",
    protocol: "chat-sse",
    args: (_fx, n) => ({ prompt: `Is 7 prime? ${n}`, thinking: false }),
  },
  {
    tool: "embed_text",
    protocol: "embeddings-json",
    args: (_fx, n) => ({ texts: [`fault matrix text ${n}`] }),
  },
  {
    tool: "vision_analyze",
    protocol: "chat-sse",
    args: (fx, n) => ({ image: fx.pngDataUri, prompt: `What colour? ${n}`, thinking: false }),
  },
  {
    tool: "vision_locate",
    protocol: "chat-sse",
    args: (fx, n) => ({ image: fx.pngDataUri, targets: `the square ${n}`, thinking: false }),
  },
  {
    tool: "video_understand",
    protocol: "chat-sse",
    args: (_fx, n) => ({ video: "https://example.com/demo.mp4", prompt: `Summarise ${n}`, thinking: false }),
  },
  {
    tool: "document_analyze",
    protocol: "chat-sse",
    args: (_fx, n) => ({
      files: ["https://example.com/report.pdf"],
      prompt: `Summarise ${n}`,
      thinking: false,
    }),
  },
  { tool: "voice_reply", protocol: "chat-sse", args: (_fx, n) => ({ text: `Say hello ${n}` }) },
  { tool: "realtime_chat", protocol: "realtime-ws", args: (_fx, n) => ({ text: `Say hello ${n}` }) },
  {
    tool: "web_search",
    protocol: "embeddings-json",
    path: "/web_search",
    args: (_fx, n) => ({ query: `fault matrix ${n}` }),
  },
  {
    tool: "web_read",
    protocol: "embeddings-json",
    path: "/reader",
    args: (_fx, n) => ({ url: `https://example.com/fault-matrix?n=${encodeURIComponent(n)}` }),
  },
  {
    tool: "image_generate",
    protocol: "images-json",
    path: "/images/generations",
    args: (_fx, n) => ({ prompt: `a blue square ${n}`, model: "cogview-3-flash", size: "512x512" }),
  },
  {
    tool: "audio_transcribe",
    protocol: "asr-multipart",
    path: "/audio/transcriptions",
    args: (fx, n) => ({ audio: fx.wavDataUri, prompt: `context ${n}` }),
  },
  {
    tool: "document_analyze",
    label: "document_analyze/ocr",
    path: "/layout_parsing",
    protocol: "embeddings-json",
    args: (_fx, n) => ({
      files: ["https://example.com/scan.pdf"],
      mode: "ocr",
      prompt: `Sum ${n}`,
      thinking: false,
    }),
    // 1261 is a parameter error about the file here: GLM-OCR's own sentence names the file and limits.
    sentences: { "1261": /GLM-OCR could not read https:\/\/example\.com\/scan\.pdf \(it refused the file\)/ },
  },
  {
    tool: "embed_text",
    label: "embed_text/rerank",
    path: "/rerank",
    protocol: "embeddings-json",
    args: (_fx, n) => ({ texts: [`rerank a ${n}`, `rerank b ${n}`], query: `rerank ${n}`, rerank: true }),
    degrades: true,
  },
];

/** What a case must end in. */
type Outcome =
  | { kind: "error"; sentence: RegExp; attempts: number }
  | { kind: "success"; attempts: number }
  | { kind: "cancelled"; attempts: number };

/** How one fault is produced for HTTP tools (on the tool's path). */
interface HttpFault {
  fault: Fault;
  times: number;
  expect: Outcome;
}

/** The closest WebSocket equivalent of a fault, for realtime_chat. */
interface WsFault {
  /** Shown in the table. */
  as: string;
  script?: RealtimeScript;
  /** Use the session with a wrong key (the handshake is refused with HTTP 401). */
  badKey?: boolean;
  /** Use the realtime fake that streams reply events slowly. */
  slowFake?: boolean;
  expect: Outcome;
}

type Mapping<T> = T | { na: string };

interface FaultCase {
  id: string;
  sse: Mapping<HttpFault>;
  json: Mapping<HttpFault>;
  ws: Mapping<WsFault>;
  /** Cancel the call mid-flight from the MCP client. */
  cancel?: boolean;
}

const AUTH = /GLM rejected the API key: check GLM_API_KEY/;
const BALANCE = /no balance or resource package for this model: top up the account/;
// Chat-based tools name the model and list the region's models (src/glm/model-refusal.ts).
const MODEL = /GLM does not know (this|the) model.*\(or the key cannot use it\): .*glm:\/\/models/;
const TOO_LONG = /longer than the model's context window: shorten the input/;
const FILTERED = /GLM's content safety filter blocked this request or its answer: rephrase the prompt/;
const RATE = /GLM's rate or concurrency limit for this account was hit/;
const OVERLOADED = /The GLM model is overloaded right now and retries did not get through/;
const SERVER = /GLM had an internal error and retries did not get through: try again shortly/;
const UNREACHABLE = /Could not reach GLM \(.+\): check the network, HTTPS_PROXY and GLM_BASE_URL/;
const STREAM_CUT = /The GLM stream broke off before it finished \(.+\): call the tool again/;
const UNREADABLE = /GLM sent a response that could not be read \(malformed JSON.*\): try again/;
const TIMEOUT =
  /GLM did not answer within 2 s: try a smaller input or a faster model, or raise GLM_TIMEOUT_MS/;
const WS_CLOSED = /The GLM-Realtime connection closed .*\(WebSocket code 1006\): call the tool again/;
const WS_REFUSED = /Could not open the GLM-Realtime WebSocket at .*check GLM_API_KEY/;
const WS_SILENT = /GLM-Realtime sent nothing for 1\.5 s .*raise GLM_TIMEOUT_MS/;

const err = (sentence: RegExp, attempts: number): Outcome => ({ kind: "error", sentence, attempts });
const ok = (attempts: number): Outcome => ({ kind: "success", attempts });
const both = (f: HttpFault) => ({ sse: f, json: f });
const wsError = (
  code: string,
  on: NonNullable<RealtimeScript["fault"]>["on"],
  sentence: RegExp,
  type = "invalid_request_error",
): WsFault => ({
  as: `error event ${code} on ${on}`,
  script: { fault: { kind: "error", on, error: { type, code, message: `fake ${code}` } } },
  expect: err(sentence, 1),
});
const FOREVER = 99;

const FAULTS: FaultCase[] = [
  {
    id: "401",
    ...both({ fault: { kind: "status", status: 401, code: "1000" }, times: FOREVER, expect: err(AUTH, 1) }),
    // undici's WebSocket re-sends a handshake refused with 401 once (its fetch auth step): 2 handshakes.
    ws: {
      as: "handshake refused 401 (wrong key; undici re-sends a 401 handshake once)",
      badKey: true,
      expect: err(WS_REFUSED, 2),
    },
  },
  {
    id: "1113",
    ...both({
      fault: { kind: "status", status: 429, code: "1113" },
      times: FOREVER,
      expect: err(BALANCE, 1),
    }),
    ws: wsError("1113", "connect", BALANCE),
  },
  {
    id: "1211",
    ...both({ fault: { kind: "status", status: 400, code: "1211" }, times: FOREVER, expect: err(MODEL, 1) }),
    ws: wsError("1211", "session.update", MODEL),
  },
  {
    id: "1261",
    ...both({
      fault: { kind: "status", status: 400, code: "1261" },
      times: FOREVER,
      expect: err(TOO_LONG, 1),
    }),
    ws: wsError("1261", "response.create", TOO_LONG),
  },
  {
    id: "1301/sensitive",
    // Chat: a 200 stream whose finish_reason is "sensitive"; embeddings: HTTP 400 code 1301.
    ...both({ fault: { kind: "sensitive" }, times: FOREVER, expect: err(FILTERED, 1) }),
    ws: { ...wsError("1301", "mid-response", FILTERED), as: "error event 1301 mid-response" },
  },
  {
    id: "1302 then ok",
    ...both({
      fault: { kind: "status", status: 429, code: "1302", retryAfterMs: "1" },
      times: 1,
      expect: ok(2),
    }),
    // A realtime turn is never retried (audio may already have been streamed): one attempt, an error.
    ws: { ...wsError("1302", "connect", RATE), as: "error event 1302 on connect (WS turns are not retried)" },
  },
  {
    id: "1305 forever",
    ...both({
      fault: { kind: "status", status: 429, code: "1305", retryAfterMs: "1" },
      times: FOREVER,
      expect: err(OVERLOADED, 1 + MAX_RETRIES),
    }),
    ws: { ...wsError("1305", "connect", OVERLOADED), as: "error event 1305 on connect (not retried)" },
  },
  {
    id: "500",
    ...both({
      fault: { kind: "status", status: 500, retryAfterMs: "1" },
      times: FOREVER,
      expect: err(SERVER, 1 + MAX_RETRIES),
    }),
    ws: {
      ...wsError("1234", "connect", SERVER, "server_error"),
      as: "error event 1234 (server error) on connect",
    },
  },
  {
    id: "reset before headers",
    ...both({ fault: { kind: "reset" }, times: FOREVER, expect: err(UNREACHABLE, 1 + MAX_RETRIES) }),
    ws: {
      as: "TCP drop right after the upgrade",
      script: { fault: { kind: "drop", on: "connect" } },
      expect: err(WS_CLOSED, 1),
    },
  },
  {
    id: "stream cut",
    // Chunks already reached the tool, so the stream is not replayed: one attempt.
    sse: { fault: { kind: "stream-cut", afterChunks: 2 }, times: FOREVER, expect: err(STREAM_CUT, 1) },
    // Non-stream JSON: half the body, then the socket dies: a connection fault, retried.
    json: {
      fault: { kind: "stream-cut", afterChunks: 0 },
      times: FOREVER,
      expect: err(UNREACHABLE, 1 + MAX_RETRIES),
    },
    ws: {
      as: "TCP drop after 2 reply deltas",
      script: { fault: { kind: "drop", on: "mid-response", afterDeltas: 2 } },
      expect: err(WS_CLOSED, 1),
    },
  },
  {
    id: "malformed JSON",
    ...both({ fault: { kind: "malformed-json" }, times: FOREVER, expect: err(UNREADABLE, 1 + MAX_RETRIES) }),
    ws: { na: "the realtime fake has no malformed-frame fault; the client skips non-JSON frames by design" },
  },
  {
    id: "hang (timeout)",
    ...both({ fault: { kind: "hang" }, times: FOREVER, expect: err(TIMEOUT, 1 + MAX_RETRIES) }),
    ws: {
      as: "silence from the start (no session.created)",
      script: { fault: { kind: "silent", on: "connect" } },
      expect: err(WS_SILENT, 1),
    },
  },
  {
    id: "slow trickle",
    // Each gap stays under GLM_TIMEOUT_MS, so the call must succeed on the first attempt.
    sse: { fault: { kind: "slow", chunkDelayMs: 40 }, times: 1, expect: ok(1) },
    json: { fault: { kind: "slow", chunkDelayMs: 400 }, times: 1, expect: ok(1) },
    ws: {
      as: "reply events 40 ms apart",
      slowFake: true,
      script: { transcript: "a slow but steady reply", audioMs: 300 },
      expect: ok(1),
    },
  },
  {
    id: "cancel mid-call",
    cancel: true,
    sse: { fault: { kind: "slow", chunkDelayMs: 150 }, times: 1, expect: { kind: "cancelled", attempts: 1 } },
    json: {
      fault: { kind: "slow", chunkDelayMs: 5_000 },
      times: 1,
      expect: { kind: "cancelled", attempts: 1 },
    },
    ws: {
      as: "client cancel while speech streams in",
      script: { audioMs: 20_000 },
      expect: { kind: "cancelled", attempts: 1 },
    },
  },
];

/** Tool names in the registry, so the test list follows src/tools/index.ts. */
const REGISTERED: string[] = TOOL_DEFINITIONS.map((t) => t.name);
const ROWS = TOOLS.filter((t) => REGISTERED.includes(t.tool));

let fake: FakeGlm;
let rt: FakeRealtime;
let rtSlow: FakeRealtime;
let fx: Fixtures;
let baseline: Map<string, number>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
/** tool -> fault id -> cell text for the printed table. */
const cells = new Map<string, Map<string, string>>();
let nonceCounter = 0;

function resourceCounts(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/** Sockets and timers back to the baseline taken before the first case (polled, bounded). */
async function expectNoLeakedHandles(): Promise<void> {
  const kinds = ["TCPSocketWrap", "Timeout"];
  const over = () => kinds.filter((k) => (resourceCounts().get(k) ?? 0) > (baseline.get(k) ?? 0));
  const until = Date.now() + 3_000;
  while (over().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  const now = resourceCounts();
  expect(Object.fromEntries(kinds.map((k) => [k, now.get(k) ?? 0]))).toEqual(
    Object.fromEntries(kinds.map((k) => [k, Math.min(now.get(k) ?? 0, baseline.get(k) ?? 0)])),
  );
}

async function waitFor(cond: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}

function files(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  fake = await startFakeGlm();
  rt = await startFakeRealtime({ deltaDelayMs: 2 });
  rtSlow = await startFakeRealtime({ deltaDelayMs: 40 });
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3366cc" } })
    .png()
    .toBuffer();
  fx = {
    pngDataUri: `data:image/png;base64,${png.toString("base64")}`,
    wavDataUri: `data:audio/wav;base64,${makeToneWav({ durationMs: 300, sampleRate: 16000 }).toString("base64")}`,
  };
  // Warm up module-level lazies (sharp, undici's WebSocket) so they do not count as leaks.
  const warm = await openSession({});
  await warm.s.client.callTool({ name: "realtime_chat", arguments: { text: "warm-up" } });
  await warm.close();
  await new Promise((r) => setTimeout(r, 200));
  baseline = resourceCounts();
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  printMatrix();
  await fake?.close();
  await rt?.close();
  await rtSlow?.close();
});

interface CaseSession {
  s: TestSession;
  close(): Promise<void>;
}

/** A session with its own GlmClient (fast backoff, its own connection pool) and output dir. */
async function openSession(opts: { badKey?: boolean; slowFake?: boolean }): Promise<CaseSession> {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), "glm-faults-out-"));
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  // badKey is a realtime-only fault (HTTP faults are scripted at the fake), so only realtime sees it.
  const glm = new GlmClient({
    baseUrl: fake.baseUrl,
    apiKey: opts.badKey ? "wrong-key-0000000000000000" : FAKE_API_KEY,
    timeoutMs: TIMEOUT_MS,
    maxRetries: MAX_RETRIES,
    dispatcher: agent,
    backoffScale: 0.01,
    realtimeUrl: (opts.slowFake ? rtSlow : rt).url,
  });
  const s = await connect(
    {
      GLM_API_KEY: opts.badKey ? "wrong-key-0000000000000000" : FAKE_API_KEY,
      GLM_BASE_URL: fake.baseUrl,
      GLM_REALTIME_URL: (opts.slowFake ? rtSlow : rt).url,
      GLM_TIMEOUT_MS: String(TIMEOUT_MS),
      GLM_MAX_RETRIES: String(MAX_RETRIES),
      GLM_MCP_OUTPUT_DIR: outputDir,
    },
    { glm },
  );
  return {
    s,
    close: async () => {
      await s.close();
      // Waits for requests still in flight: a leaked one would hang here (and fail the case).
      await agent.close();
      rmSync(outputDir, { recursive: true, force: true });
    },
  };
}

function callTool(
  s: TestSession,
  name: string,
  args: Record<string, unknown>,
  extra: Parameters<TestSession["client"]["callTool"]>[2] = {},
) {
  return s.client.callTool({ name, arguments: args }, undefined, extra) as Promise<CallToolResult>;
}

function isNa<T extends object>(m: Mapping<T>): m is { na: string } {
  return "na" in m;
}

function cellText(o: Outcome): string {
  const n = o.attempts;
  if (o.kind === "success") return `ok ×${n}`;
  if (o.kind === "cancelled") return `cancel ×${n}`;
  return `err ×${n}`;
}

function setCell(tool: string, fault: string, text: string): void {
  if (!cells.has(tool)) cells.set(tool, new Map());
  cells.get(tool)!.set(fault, text);
}

async function runCase(row: ToolRow, fc: FaultCase): Promise<void> {
  const mapping = row.protocol === "realtime-ws" ? fc.ws : row.protocol === "chat-sse" ? fc.sse : fc.json;
  if (isNa(mapping)) {
    setCell(row.label ?? row.tool, fc.id, `n/a`);
    // Documented, not silently skipped: the reason is printed with the table.
    expect(mapping.na.length).toBeGreaterThan(10);
    return;
  }
  fake.reset();
  rt.reset();
  rtSlow.reset();
  unhandled.length = 0;
  const ws = row.protocol === "realtime-ws" ? (mapping as WsFault) : undefined;
  const http = ws ? undefined : (mapping as HttpFault);
  const upstreamPath = row.path ?? (row.protocol === "embeddings-json" ? EMBED : CHAT);
  const name = row.label ?? row.tool;
  const faultSession = await openSession({ badKey: ws?.badKey, slowFake: ws?.slowFake });
  const normal = ws?.badKey || ws?.slowFake ? await openSession({}) : faultSession;
  const rtUsed = ws?.slowFake ? rtSlow : rt;
  try {
    if (http) fake.fail(http.fault, { times: http.times, path: upstreamPath });
    if (ws?.script) rtUsed.script(ws.script);
    const args = row.args(fx, `#${++nonceCounter}`);
    const attempts = () =>
      ws
        ? rtUsed.connections.length + rtUsed.rejectedHandshakes.length
        : fake.requests.filter((r) => r.path.endsWith(upstreamPath)).length;

    let result: CallToolResult | undefined;
    if (fc.cancel) {
      const controller = new AbortController();
      const pending = callTool(faultSession.s, row.tool, args, {
        signal: controller.signal,
        onprogress: (p) => {
          if (ws && p.message?.startsWith("receiving speech")) controller.abort();
        },
      });
      if (!ws) {
        // Mid-call: the upstream request has arrived and is streaming (or waiting) slowly.
        await waitFor(() => attempts() > 0);
        await new Promise((r) => setTimeout(r, 200));
        controller.abort();
      }
      await expect(pending).rejects.toThrow();
      if (ws) {
        const conn = rtUsed.connections[0]!;
        expect(await conn.whenClosed).toEqual({ by: "client", code: 1000 });
        expect(conn.events.map((e) => e.type)).toContain("response.cancel");
      } else {
        await waitFor(() => fake.requests.some((r) => r.aborted));
        expect(fake.requests.filter((r) => r.path.endsWith(upstreamPath)).map((r) => r.aborted)).toEqual([
          true,
        ]);
      }
    } else {
      result = await callTool(faultSession.s, row.tool, args);
    }

    const want = mapping.expect;
    if (want.kind === "error" && row.degrades) {
      expect(result?.isError, textOf(result ?? {})).toBeFalsy();
      expect(textOf(result!)).toMatch(row.sentences?.[fc.id] ?? want.sentence);
      expect(textOf(result!)).not.toContain(FAKE_API_KEY);
    } else if (want.kind === "error") {
      expect(result?.isError, textOf(result ?? {})).toBe(true);
      expect(textOf(result!)).toMatch(row.sentences?.[fc.id] ?? want.sentence);
      expect(textOf(result!)).not.toContain(FAKE_API_KEY);
    } else if (want.kind === "success") {
      expect(result?.isError, textOf(result ?? {})).toBeFalsy();
    }
    // Let a retry that should not happen show itself before counting.
    await new Promise((r) => setTimeout(r, 30));
    expect(
      attempts(),
      JSON.stringify({ conns: rtUsed.connections.map((c) => c.path), rej: rtUsed.rejectedHandshakes }),
    ).toBe(want.attempts);

    // Nothing left open upstream.
    await waitFor(() => fake.openRequests === 0 && rt.openConnections === 0 && rtSlow.openConnections === 0);
    expect({ http: fake.openRequests, ws: rt.openConnections + rtSlow.openConnections }).toEqual({
      http: 0,
      ws: 0,
    });

    // A failed or cancelled call leaves nothing in the output dir; nothing is ever left half-written.
    const out = files(faultSession.s.outputDir);
    expect(out.filter((f) => f.endsWith(".part"))).toEqual([]);
    if (want.kind !== "success" && !row.degrades) expect(out).toEqual([]);

    // The very next call succeeds (fresh arguments, no fault queued).
    fake.reset();
    const next = await callTool(normal.s, row.tool, row.args(fx, `#${++nonceCounter}`));
    expect(next.isError, textOf(next)).toBeFalsy();
    expect(files(normal.s.outputDir).filter((f) => f.endsWith(".part"))).toEqual([]);

    expect(unhandled).toEqual([]);
    setCell(name, fc.id, row.degrades && want.kind === "error" ? `note ×${want.attempts}` : cellText(want));
  } catch (e) {
    setCell(name, fc.id, "FAIL");
    throw e;
  } finally {
    if (normal !== faultSession) await normal.close();
    await faultSession.close();
  }
  await expectNoLeakedHandles();
}

function printMatrix(): void {
  const tools = ROWS.map((r) => r.label ?? r.tool);
  const head = ["fault", ...tools];
  const body = FAULTS.map((f) => [f.id, ...tools.map((t) => cells.get(t)?.get(f.id) ?? "not run")]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((r) => r[i]!.length)));
  const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |";
  const out = [
    `Fault matrix: ${tools.length} tools × ${FAULTS.length} faults = ${tools.length * FAULTS.length} cells (${[...cells.values()].reduce((n, m) => n + [...m.values()].filter((v) => v !== "n/a").length, 0)} run, ${[...cells.values()].reduce((n, m) => n + [...m.values()].filter((v) => v === "n/a").length, 0)} n/a)`,
    "err ×N: isError with the expected sentence after N upstream attempts; ok ×N: success after N attempts; cancel ×N: client cancelled, upstream aborted.",
    "Every run cell also proved: no unhandled rejection, no open upstream request/socket/timer left, no file from a failed call, no *.part, next call succeeds.",
    line(head),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
    "Upstream per tool: " +
      ROWS.map((r) => `${r.label ?? r.tool}=${r.path ? `${r.path} JSON` : r.protocol}`).join(", "),
    "realtime_chat (WebSocket) equivalents:",
    ...FAULTS.map((f) => `  ${f.id}: ${isNa(f.ws) ? `n/a (${f.ws.na})` : f.ws.as}`),
    "embed_text (non-stream JSON) notes: 1301 = HTTP 400 code 1301; stream cut = half a JSON body then a dropped socket (retried as a connection fault).",
  ];
  if (REGISTERED.some((t) => !TOOLS.some((r) => r.tool === t)))
    out.push(
      `Registered tools without a row: ${REGISTERED.filter((t) => !TOOLS.some((r) => r.tool === t)).join(", ")}`,
    );
  console.log(out.join("\n"));
}

describe("fault matrix", () => {
  it("has a row for every registered tool", () => {
    expect(REGISTERED.filter((t) => !TOOLS.some((r) => r.tool === t))).toEqual([]);
    expect(ROWS.length).toBeGreaterThanOrEqual(7);
  });

  for (const row of ROWS) {
    describe(row.label ?? row.tool, () => {
      for (const fc of FAULTS) {
        it(`${fc.id}`, async () => {
          await runCase(row, fc);
        });
      }
    });
  }
});
