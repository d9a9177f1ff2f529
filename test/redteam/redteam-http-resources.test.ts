// Red team, HTTP server resources and call integrity (issue 14, classes 4 and 5), against the built
// CLI: what one client may hold (slow, silent, refused or idle sockets; connections), how repeated
// headers are judged, and who may cancel a call. Each row: name, attack, expected outcome.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { startHttpCli, type HttpChild } from "../helpers/cli.js";
import { textOf } from "../helpers/mcp.js";
import { probe, request } from "./redteam-http-raw.js";

const TOKEN = "redteam-http-token-5d0c2a91e7";
const REQUEST_TIMEOUT_MS = 2_000; // short for the test; the default is 60 s
const CAP = 4;

let fake: FakeGlm;
let guarded: HttpChild; // token, short request deadline
let capped: HttpChild; // no token, CAP connections
let open: HttpChild; // no token, defaults: every local client looks alike
const portOf = (s: HttpChild) => Number(new URL(s.url).port);

beforeAll(async () => {
  fake = await startFakeGlm();
  const env = { GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl };
  [guarded, capped, open] = await Promise.all([
    startHttpCli(["--http-token", TOKEN], {
      ...env,
      GLM_MCP_HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    }),
    startHttpCli([], { ...env, GLM_MCP_HTTP_MAX_CONNECTIONS: String(CAP) }),
    startHttpCli([], env),
  ]);
}, 60_000);
let held = 0;
let cases = 0;
afterAll(async () => {
  await Promise.all([guarded?.stop(), capped?.stop(), open?.stop()]);
  await fake?.close();
  console.log(`[redteam] redteam-http-resources.test.ts: ${cases} cases, ${held} held`);
});
beforeEach(() => fake.reset());

const initBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "redteam", version: "1" } },
});
const callBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: { name: "glm_reason", arguments: { prompt: "duplicate host" } },
});
const mcpHeaders = (port: number, extra: string[] = []) => [
  "POST /mcp HTTP/1.1",
  `Host: 127.0.0.1:${port}`,
  "Content-Type: application/json",
  "Accept: application/json, text/event-stream",
  ...extra,
];
const auth = `Authorization: Bearer ${TOKEN}`;

async function sdkClient(server: HttpChild, token?: string): Promise<Client> {
  const client = new Client({ name: "redteam", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : undefined,
    }),
  );
  return client;
}

/** A refused request: its answer says Connection: close and the server really closes the socket. */
async function refusedAndClosed(first: string, status: number): Promise<void> {
  const p = await probe(portOf(guarded), { first, holdMs: 4_000 });
  expect(p.status).toBe(status);
  expect(p.headers.connection).toBe("close");
  expect(p.closedByServer).toBe(true);
}

interface Row {
  name: string;
  attack: string;
  expected: string;
  run: () => Promise<void>;
}

const rows: Row[] = [
  {
    name: "silent socket",
    attack: "connect and send nothing",
    expected: "408 and closed once the header deadline passes",
    run: async () => {
      const p = await probe(portOf(guarded), { holdMs: 10_000 });
      expect(p.closedByServer).toBe(true);
      expect(p.status).toBe(408);
    },
  },
  {
    name: "slowloris headers",
    attack: "send the request line, then one header byte every 300 ms, forever",
    expected: "408 and closed once the header deadline passes",
    run: async () => {
      const p = await probe(portOf(guarded), {
        first: `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${portOf(guarded)}\r\nX-Slow: `,
        drip: "a",
        dripEveryMs: 300,
        holdMs: 10_000,
      });
      expect(p.closedByServer).toBe(true);
      expect(p.status).toBe(408);
    },
  },
  {
    name: "body trickled at 1 byte per 300 ms",
    attack: "authorized POST declaring 1000 bytes, then one byte every 300 ms",
    expected: "408 and closed once the request deadline passes; GLM never called",
    run: async () => {
      const head = [...mcpHeaders(portOf(guarded), [auth]), "Content-Length: 1000", "", ""].join("\r\n");
      const p = await probe(portOf(guarded), { first: head, drip: " ", dripEveryMs: 300, holdMs: 10_000 });
      expect(p.closedByServer).toBe(true);
      expect(p.status).toBe(408);
      expect(fake.requests).toHaveLength(0);
    },
  },
  {
    name: "unauthenticated client keeps its socket",
    attack: "POST without a token over keep-alive, then hold the socket",
    expected: "401 with Connection: close, and the server closes the socket",
    run: () => refusedAndClosed(request(mcpHeaders(portOf(guarded)), initBody), 401),
  },
  {
    name: "unauthenticated client trickles a body after its 401",
    attack: "POST without a token declaring 1 MB, send 10 bytes, keep dripping",
    expected: "401 with Connection: close, socket closed without reading the body",
    run: async () => {
      const head = [...mcpHeaders(portOf(guarded)), "Content-Length: 1048576", "", "0123456789"].join("\r\n");
      const p = await probe(portOf(guarded), { first: head, drip: "x", dripEveryMs: 200, holdMs: 4_000 });
      expect(p.status).toBe(401);
      expect(p.headers.connection).toBe("close");
      expect(p.closedByServer).toBe(true);
    },
  },
  {
    name: "forged Host keeps its socket",
    attack: "POST with Host: evil.example over keep-alive",
    expected: "403 with Connection: close, socket closed",
    run: () =>
      refusedAndClosed(
        request(
          ["POST /mcp HTTP/1.1", "Host: evil.example", auth, "Content-Type: application/json"],
          initBody,
        ),
        403,
      ),
  },
  {
    name: "wrong path keeps its socket",
    attack: "POST /other over keep-alive",
    expected: "404 with Connection: close, socket closed",
    run: () =>
      refusedAndClosed(
        request(["POST /other HTTP/1.1", `Host: 127.0.0.1:${portOf(guarded)}`, auth], initBody),
        404,
      ),
  },
  {
    name: "refusal written by the MCP SDK keeps its socket",
    attack: "authorized POST that does not accept text/event-stream",
    expected: "406 with Connection: close, socket closed",
    run: () =>
      refusedAndClosed(
        request(
          [
            "POST /mcp HTTP/1.1",
            `Host: 127.0.0.1:${portOf(guarded)}`,
            auth,
            "Content-Type: application/json",
          ],
          initBody,
        ),
        406,
      ),
  },
  {
    name: "duplicate Host, allowed one first",
    attack: "Host: 127.0.0.1 then Host: evil.example on a tool call",
    expected: "400, socket closed, GLM never called",
    run: async () => {
      await refusedAndClosed(
        request([...mcpHeaders(portOf(guarded), [auth, "Host: evil.example"])], callBody),
        400,
      );
      expect(fake.requests).toHaveLength(0);
    },
  },
  {
    name: "duplicate Host, foreign one first",
    attack: "Host: evil.example then Host: 127.0.0.1",
    expected: "400, GLM never called",
    run: async () => {
      const lines = mcpHeaders(portOf(guarded), [auth]);
      lines.splice(1, 0, "Host: evil.example");
      const p = await probe(portOf(guarded), { first: request(lines, callBody), holdMs: 4_000 });
      expect(p.status).toBe(400);
      expect(fake.requests).toHaveLength(0);
    },
  },
  {
    name: "duplicate Authorization",
    attack: "a wrong bearer and the right one in two Authorization headers",
    expected: "400, GLM never called",
    run: async () => {
      await refusedAndClosed(
        request(mcpHeaders(portOf(guarded), ["Authorization: Bearer wrong", auth]), callBody),
        400,
      );
      expect(fake.requests).toHaveLength(0);
    },
  },
  {
    name: "idle keep-alive socket",
    attack: "one good request over keep-alive, then hold the socket silent",
    expected: "answered 200, then closed by the server within the keep-alive timeout (5 s)",
    run: async () => {
      const p = await probe(portOf(guarded), {
        first: request(mcpHeaders(portOf(guarded), [auth]), initBody),
        holdMs: 12_000,
      });
      expect(p.status).toBe(200);
      expect(p.closedByServer).toBe(true);
    },
  },
  {
    name: "long call outlives the request deadline",
    attack: "(honest client) a tool call GLM answers after 2x the request deadline",
    expected: "the streamed answer arrives whole: deadlines never cut a response",
    run: async () => {
      fake.setLatency(REQUEST_TIMEOUT_MS * 2);
      const client = await sdkClient(guarded, TOKEN);
      try {
        const r = (await client.callTool({
          name: "glm_reason",
          arguments: { prompt: "slow but honest" },
        })) as CallToolResult;
        expect(r.isError).toBeFalsy();
        expect(textOf(r)).toContain("slow but honest");
      } finally {
        await client.close();
      }
    },
  },
  {
    name: "connection flood",
    attack: `hold ${CAP} silent sockets open, then connect more`,
    expected: "connections over the cap are dropped unanswered; served again once the holders leave",
    run: async () => {
      const port = portOf(capped);
      const holders = Array.from({ length: CAP }, () => probe(port, { holdMs: 4_000 }));
      // Give a loaded machine time to accept every holder before the one over the cap connects.
      await new Promise((r) => setTimeout(r, 1_000));
      const over = await probe(port, { first: request(mcpHeaders(port), initBody), holdMs: 2_000 });
      expect(over.status).toBeUndefined();
      expect(over.closedByServer).toBe(true);
      await Promise.all(holders);
      // The server frees a slot when it sees the holder's close; on a busy machine that can lag.
      let after: Awaited<ReturnType<typeof probe>> | undefined;
      for (let attempt = 0; attempt < 5 && after?.status !== 200; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, 300));
        after = await probe(port, {
          first: request(mcpHeaders(port, ["Connection: close"]), initBody),
          holdMs: 1_500,
        });
      }
      expect(after?.status).toBe(200);
    },
  },
  {
    name: "another local client cancels my call",
    attack: "client B (own session, and none) sends notifications/cancelled for A's request ids",
    expected: "A's call keeps running upstream; A's own cancel still aborts it",
    run: async () => {
      fake.fail({ kind: "hang" });
      const a = await sdkClient(open);
      const b = await sdkClient(open);
      try {
        const ac = new AbortController();
        const pending = a
          .callTool({ name: "glm_reason", arguments: { prompt: "mine" } }, undefined, { signal: ac.signal })
          .catch((e: Error) => e);
        await expect.poll(() => fake.openRequests, { timeout: 10_000 }).toBe(1);
        const cancels = Array.from({ length: 6 }, (_, id) => ({
          jsonrpc: "2.0",
          method: "notifications/cancelled",
          params: { requestId: id, reason: "hostile" },
        }));
        // B's own session id, then none at all: neither may reach A's call.
        for (const { method, params } of cancels) await b.notification({ method, params } as never);
        for (const m of cancels) {
          const res = await fetch(open.url, {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
            body: JSON.stringify(m),
          });
          expect(res.status).toBe(202);
        }
        await new Promise((r) => setTimeout(r, 500));
        expect(fake.openRequests).toBe(1);
        expect(fake.requests[0]!.aborted).toBe(false);
        ac.abort("mine to cancel");
        await pending;
        await expect.poll(() => fake.requests[0]?.aborted, { timeout: 5_000 }).toBe(true);
      } finally {
        await a.close();
        await b.close();
      }
    },
  },
];

describe("red team: HTTP resources and call integrity", () => {
  it.each(rows.map((r) => [r.name, r] as const))("%s", async (_name, row) => {
    cases++;
    await row.run();
    held++;
  });
});
