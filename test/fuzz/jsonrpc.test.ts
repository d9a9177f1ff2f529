// Raw JSON-RPC frames fuzzed into the built CLI, over stdio and over streamable HTTP: garbage
// lines, invalid UTF-8, wrong jsonrpc versions, huge and odd ids, batch arrays, deep nesting,
// random methods and params. Every frame must end in a JSON-RPC error or be ignored; stdout must
// stay pure JSON-RPC; the server must never answer 5xx or die, and must answer ping after each frame.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { CLI, assertBuilt, cleanEnv, onLines, startHttpCli, type HttpChild } from "../helpers/cli.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 30) * 4;
const PING_BOUND_MS = 10_000;
let fake: FakeGlm;
const counts = { stdio: 0, http: 0 };

beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(async () => {
  console.log(
    `JSON-RPC frame fuzzing: ${counts.stdio + counts.http} frames (stdio: ${counts.stdio}, HTTP: ${counts.http})`,
  );
  await fake?.close();
});

const env = () => ({ GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl, GLM_TIMEOUT_MS: "5000" });

/** Nested arrays/objects `depth` levels deep (JSON text built directly: no recursion anywhere). */
function deepJson(depth: number, kind: "array" | "object"): string {
  return kind === "array"
    ? "[".repeat(depth) + "1" + "]".repeat(depth)
    : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

const id = fc.oneof(
  fc.integer(),
  fc.constantFrom(1e308, -0, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, 1.5),
  fc.string({ maxLength: 20 }),
  fc.constant("x".repeat(100_000)),
  fc.constantFrom(null, true, {}, []),
);
const method = fc.oneof(
  fc.constantFrom(
    "ping",
    "tools/list",
    "tools/call",
    "resources/list",
    "resources/read",
    "prompts/get",
    "initialize",
    "logging/setLevel",
    "completion/complete",
    "notifications/cancelled",
    "notifications/initialized",
  ),
  fc.string({ maxLength: 30 }),
);
const request = fc.record(
  {
    jsonrpc: fc.constant("2.0"),
    id,
    method,
    params: fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant(undefined)),
  },
  { requiredKeys: ["jsonrpc", "method"] },
);

/** One frame as the bytes of one line (never containing a newline). */
const frame: fc.Arbitrary<{ kind: string; bytes: Buffer }> = fc.oneof(
  fc
    .string({ unit: "binary", maxLength: 300 })
    .map((s) => ({ kind: "garbage", bytes: Buffer.from(s.replace(/[\r\n]/g, " ")) })),
  fc
    .uint8Array({ minLength: 1, maxLength: 300 })
    .map((b) => ({ kind: "invalid utf-8", bytes: Buffer.from(b.filter((x) => x !== 0x0a)) })),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => ({
    kind: "invalid utf-8 in a string",
    bytes: Buffer.concat([
      Buffer.from(
        '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"glm_reason","arguments":{"prompt":"',
      ),
      Buffer.from(b.filter((x) => x !== 0x0a && x !== 0x22 && x !== 0x5c)),
      Buffer.from('"}}}'),
    ]),
  })),
  fc
    .record({
      jsonrpc: fc.constantFrom("1.0", "2", "3.0", 2, null),
      id: fc.integer(),
      method: fc.constant("ping"),
    })
    .map((m) => ({ kind: "wrong version", bytes: Buffer.from(JSON.stringify(m)) })),
  fc
    .record({ jsonrpc: fc.constant("2.0"), id, method: fc.constant("ping") })
    .map((m) => ({ kind: "odd id", bytes: Buffer.from(JSON.stringify(m)) })),
  fc.array(request, { maxLength: 6 }).map((a) => ({ kind: "batch", bytes: Buffer.from(JSON.stringify(a)) })),
  fc
    .tuple(
      fc.integer({ min: 1, max: 200_000 }),
      fc.constantFrom("array" as const, "object" as const),
      fc.boolean(),
    )
    .map(([d, k, wrapped]) => ({
      kind: "deep nesting",
      bytes: Buffer.from(
        wrapped
          ? `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"glm_reason","arguments":{"prompt":"x","junk":${deepJson(d, k)}}}}`
          : deepJson(d, k),
      ),
    })),
  fc
    .jsonValue({ maxDepth: 5 })
    .map((v) => ({ kind: "random JSON", bytes: Buffer.from(JSON.stringify(v) ?? "null") })),
  request.map((r) => ({ kind: "random request", bytes: Buffer.from(JSON.stringify(r)) })),
);

// ---- stdio ------------------------------------------------------------------------------------

interface StdioChild {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  badLines: string[];
  stderr: () => string;
  write(bytes: Buffer): void;
  /** Sends ping with this id and resolves when its answer arrives (rejects after the bound). */
  ping(pingId: string): Promise<void>;
}

function startStdio(): StdioChild {
  assertBuilt();
  const child = spawn(process.execPath, [CLI], { env: cleanEnv(env()), stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  const badLines: string[] = [];
  const waiting = new Map<string, () => void>();
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  onLines(child.stdout, (line) => {
    lines.push(line);
    try {
      const msg = JSON.parse(line) as { jsonrpc?: string; id?: unknown };
      if (msg.jsonrpc !== "2.0") badLines.push(line);
      if (typeof msg.id === "string") waiting.get(msg.id)?.();
    } catch {
      badLines.push(line);
    }
  });
  const write = (bytes: Buffer) => {
    child.stdin.write(Buffer.concat([bytes, Buffer.from("\n")]));
  };
  return {
    child,
    lines,
    badLines,
    stderr: () => stderr,
    write,
    ping: (pingId) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no answer to ping ${pingId} within ${PING_BOUND_MS} ms (exit code ${child.exitCode}); stderr: ${stderr.slice(-2000)}`,
              ),
            ),
          PING_BOUND_MS,
        );
        waiting.set(pingId, () => {
          clearTimeout(timer);
          waiting.delete(pingId);
          resolve();
        });
        write(Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: pingId, method: "ping" })));
      }),
  };
}

describe("raw JSON-RPC over stdio", () => {
  let s: StdioChild;
  beforeAll(async () => {
    s = startStdio();
    s.write(
      Buffer.from(
        JSON.stringify({
          jsonrpc: "2.0",
          id: "init",
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: "fuzz", version: "1" },
          },
        }),
      ),
    );
    s.write(Buffer.from(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })));
    await s.ping("ready");
  });
  afterAll(async () => {
    s.child.stdin.end();
    await new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once("exit", r)));
  });

  it("every fuzzed frame is answered with an error or ignored, and ping still works after it", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(frame, async (f) => {
        counts.stdio++;
        s.write(f.bytes);
        await s.ping(`after-${++n}`);
        expect(s.child.exitCode).toBeNull();
      }),
      { numRuns: RUNS },
    );
    expect(s.badLines).toEqual([]);
  });

  it("a line over the transport's buffer cap is refused without killing the server", async () => {
    counts.stdio++;
    const big = Buffer.concat([
      Buffer.from(
        '{"jsonrpc":"2.0","id":"huge","method":"tools/call","params":{"name":"glm_reason","arguments":{"prompt":"',
      ),
      Buffer.alloc(70 * 1024 * 1024, 0x61),
      Buffer.from('"}}}'),
    ]);
    const before = fake.requests.length;
    s.write(big);
    await s.ping("after-huge");
    const answer = s.lines
      .map((l) => JSON.parse(l) as { id?: unknown; error?: { message: string } })
      .find((m) => m.id === "huge");
    expect(answer?.error?.message).toMatch(/over .*MB/);
    expect(fake.requests.length).toBe(before);
    expect(s.badLines).toEqual([]);
  });
});

// ---- HTTP -------------------------------------------------------------------------------------

describe("raw JSON-RPC over streamable HTTP", () => {
  let server: HttpChild;
  beforeAll(async () => {
    server = await startHttpCli([], env());
  });
  afterAll(async () => {
    await server?.stop();
  });

  const headerSets = fc.constantFrom<Record<string, string>>(
    { "content-type": "application/json", accept: "application/json, text/event-stream" },
    { "content-type": "application/json", accept: "text/html" },
    { "content-type": "text/plain", accept: "application/json, text/event-stream" },
    { accept: "application/json, text/event-stream" },
    {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "1999-01-01",
    },
  );
  const methods = fc.constantFrom("POST", "POST", "POST", "POST", "GET", "DELETE", "PUT");

  async function ping(): Promise<void> {
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "ping", method: "ping" }),
      signal: AbortSignal.timeout(PING_BOUND_MS),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/"result":\{\}/);
  }

  it("every fuzzed request gets a 2xx/4xx answer (never 5xx, never a hang), and ping still works after it", async () => {
    await fc.assert(
      fc.asyncProperty(frame, headerSets, methods, async (f, headers, method) => {
        counts.http++;
        const res = await fetch(server.url, {
          method,
          headers,
          body: method === "GET" ? undefined : f.bytes,
          signal: AbortSignal.timeout(PING_BOUND_MS),
        });
        const text = await res.text();
        expect(res.status, `${f.kind} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400 && text)
          expect(JSON.parse(text)).toMatchObject({ jsonrpc: "2.0", error: { code: expect.any(Number) } });
        await ping();
      }),
      { numRuns: RUNS },
    );
    expect(server.child.exitCode).toBeNull();
  });
});
