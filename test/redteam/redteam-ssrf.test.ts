// Red team, class 1 of issue #14: over HTTP, no client URL reaches a loopback, private or reserved
// address, whichever path the download takes: through the proxy, directly (no proxy, NO_PROXY
// matching the name, NO_PROXY=*), after a redirect, or with --inline-urls. Only
// --allow-private-urls opens it. A real forward proxy on 127.0.0.1 relays anything it is asked to
// the "internal" server, so a request that got past the rule would be seen there.
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { setResolverForTests, treatAsPublicForTests } from "../../src/glm/outbound.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { connect, textOf } from "../helpers/mcp.js";

const INTERNAL = "INTERNAL-ONLY-CONTENT";
let fake: FakeGlm;
let internal: http.Server;
let internalPort = 0;
const internalHits: string[] = [];
let proxy: http.Server;
let proxyUrl = "";
const proxied: string[] = [];
let held = 0;
let total = 0;

beforeAll(async () => {
  fake = await startFakeGlm();
  internal = http.createServer((req, res) => {
    internalHits.push(req.url ?? "");
    if (req.url === "/redirect-to-metadata") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
      return res.end();
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`${INTERNAL}\n`);
  });
  await new Promise<void>((r) => internal.listen(0, "127.0.0.1", r));
  internalPort = (internal.address() as AddressInfo).port;
  // A forward proxy that relays every request to the internal server, whatever host it names.
  proxy = http.createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const up = http.request(
      { host: "127.0.0.1", port: internalPort, path: target.pathname, method: req.method },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  // undici tunnels through CONNECT, like a corporate proxy: relay those to the internal server too.
  proxy.on("connect", (req, client, head) => {
    proxied.push(`CONNECT ${req.url}`);
    const up = net.connect(internalPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    up.on("error", () => client.destroy());
    client.on("error", () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  internal.closeAllConnections();
  proxy.closeAllConnections();
  await new Promise((r) => internal.close(r));
  await new Promise((r) => proxy.close(r));
  await fake.close();
  console.log(`[redteam] redteam-ssrf.test.ts: ${total} cases, ${held} held`);
});
beforeEach(() => {
  fake.reset();
  // Every made-up name resolves to loopback, as an /etc/hosts entry or a rebinding DNS would.
  setResolverForTests((_h, _o, cb) => cb(null, [{ address: "127.0.0.1", family: 4 }]));
});
afterEach(() => {
  setResolverForTests();
  treatAsPublicForTests();
});

const overHttp = { GLM_MCP_HTTP: "1", GLM_MCP_INLINE_URLS: "1" };
const name = (p = "/doc.txt") => `http://rebind.example.com:${internalPort}${p}`;

interface Row {
  name: string;
  env: () => Record<string, string>;
  url: () => string;
  setup?: () => void;
  /** Refusal sentence, or undefined when the download is expected to go through (controls). */
  refused?: RegExp;
}

const ROWS: Row[] = [
  {
    name: "proxied: a name resolving to loopback is refused before the proxy sees it",
    env: () => ({ ...overHttp, HTTP_PROXY: proxyUrl }),
    url: () => name(),
    refused: /rebind\.example\.com resolved to the private address 127\.0\.0\.1/,
  },
  {
    name: "NO_PROXY matching the name: the direct path checks the resolved address",
    env: () => ({ ...overHttp, HTTP_PROXY: proxyUrl, NO_PROXY: "rebind.example.com" }),
    url: () => name(),
    refused: /resolved to the private address 127\.0\.0\.1/,
  },
  {
    name: "NO_PROXY=*: the direct path checks the resolved address",
    env: () => ({ ...overHttp, HTTP_PROXY: proxyUrl, NO_PROXY: "*" }),
    url: () => name(),
    refused: /resolved to the private address 127\.0\.0\.1/,
  },
  {
    name: "no proxy: a rebinding name is refused at connect time",
    env: () => overHttp,
    url: () => name(),
    refused: /resolved to the private address 127\.0\.0\.1/,
  },
  {
    name: "--inline-urls does not open loopback",
    env: () => overHttp,
    url: () => `http://127.0.0.1:${internalPort}/doc.txt`,
    refused: /local, private or reserved addresses \(127\.0\.0\.1\).*--allow-private-urls/,
  },
  {
    name: "proxied: a name resolving to the benchmarking range 198.18/15",
    env: () => ({ ...overHttp, HTTP_PROXY: proxyUrl }),
    setup: () => setResolverForTests((_h, _o, cb) => cb(null, [{ address: "198.18.0.7", family: 4 }])),
    url: () => name(),
    refused: /resolved to the private address 198\.18\.0\.7/,
  },
  {
    name: "proxied: a name resolving to multicast ff02::1",
    env: () => ({ ...overHttp, HTTP_PROXY: proxyUrl }),
    setup: () => setResolverForTests((_h, _o, cb) => cb(null, [{ address: "ff02::1", family: 6 }])),
    url: () => name(),
    refused: /resolved to the private address ff02::1/,
  },
  ...[
    "192.0.0.9",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "203.0.113.5",
    "[2001:db8::1]",
    "[64:ff9b::a00:1]",
  ].map((ip): Row => ({
    name: `a reserved or private literal ${ip}`,
    env: () => ({ ...overHttp, HTTP_PROXY: proxyUrl }),
    url: () => `http://${ip}/doc.txt`,
    refused: /local, private or reserved addresses/,
  })),
  {
    name: "proxied redirect from a public host to the metadata address",
    env: () => ({ ...overHttp, HTTP_PROXY: proxyUrl }),
    setup: () => treatAsPublicForTests(["127.0.0.1"]), // the first hop stands in for a public host
    url: () => name("/redirect-to-metadata"),
    refused: /169\.254\.169\.254, reached by a redirect from/,
  },
  {
    name: "control: --allow-private-urls lets the loopback download through",
    env: () => ({ ...overHttp, GLM_MCP_ALLOW_PRIVATE_URLS: "1" }),
    url: () => `http://127.0.0.1:${internalPort}/doc.txt`,
  },
];

describe("red team: SSRF over HTTP", () => {
  it.each(ROWS)("$name", async (row) => {
    total++;
    row.setup?.();
    const before = { internal: internalHits.length, proxied: proxied.length };
    const ss = await connect({
      GLM_API_KEY: FAKE_API_KEY,
      GLM_BASE_URL: fake.baseUrl, // GLM itself on 127.0.0.1: its API is not subject to the rule
      GLM_MAX_RETRIES: "0",
      ...row.env(),
    });
    try {
      const r = (await ss.client.callTool({
        name: "document_analyze",
        arguments: { files: [row.url()], prompt: "summarise" },
      })) as CallToolResult;
      const sent = JSON.stringify(fake.requests.map((q) => q.body));
      if (row.refused) {
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(row.refused);
        expect(sent).not.toContain(INTERNAL);
        if (!row.setup || row.name.startsWith("proxied:")) {
          expect(internalHits.length).toBe(before.internal);
          expect(proxied.length).toBe(before.proxied);
        }
      } else {
        expect(r.isError, textOf(r)).toBeFalsy();
        expect(sent).toContain(INTERNAL);
      }
    } finally {
      await ss.close();
    }
    held++;
  });
});
