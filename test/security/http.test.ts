// Streamable HTTP transport security against the built CLI: DNS-rebinding Host/Origin checks (raw
// sockets, so Host can be forged), the bearer token, no CORS wildcard, the loopback-only default,
// and the request body cap. Refused requests must never reach GLM, and the server keeps serving.
import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "../../src/config.js";
import { MAX_BODY_BYTES } from "../../src/transports/http.js";
import { FAKE_API_KEY, startFakeGlm, type FakeGlm } from "../fake-glm/index.js";
import { runCli, startHttpCli, type HttpChild } from "../helpers/cli.js";

const TOKEN = "sec-http-token-4f1c9a7e2b6d8053";
let fake: FakeGlm;
let server: HttpChild;
let port: number;
const seen: RawResponse[] = []; // every response this file received, for the CORS check

beforeAll(async () => {
  fake = await startFakeGlm();
  server = await startHttpCli(["--http-token", TOKEN], {
    GLM_API_KEY: FAKE_API_KEY,
    GLM_BASE_URL: fake.baseUrl,
  });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});
beforeEach(() => fake.reset());

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 exchange over a raw socket: every header is exactly what the test says. */
function raw(lines: string[], body = ""): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, "127.0.0.1", () => {
      sock.write(
        [...lines, `Content-Length: ${Buffer.byteLength(body)}`, "Connection: close", "", ""].join("\r\n"),
      );
      sock.write(body);
    });
    let data = Buffer.alloc(0);
    let done = false;
    // The MCP transport answers keep-alive even to "Connection: close": stop at Content-Length.
    sock.on("data", (d) => {
      data = Buffer.concat([data, d]);
      const headEnd = data.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: *(\d+)/i.exec(
        data.subarray(0, Math.max(0, headEnd)).toString("latin1"),
      )?.[1];
      if (headEnd >= 0 && length !== undefined && data.length - headEnd - 4 >= Number(length)) sock.destroy();
      // An SSE answer has no length: stop once the JSON-RPC response event is complete.
      else if (
        headEnd >= 0 &&
        /data: \{[^\n]*"id":1[,}][^\n]*\n\n/.test(data.subarray(headEnd).toString("utf8"))
      )
        sock.destroy();
    });
    sock.on("error", (e) => (done ? undefined : reject(e)));
    sock.on("close", () => {
      done = true;
      const text = data.toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const l of headerLines) {
        const i = l.indexOf(":");
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const res = { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
      seen.push(res);
      resolve(res);
    });
  });
}

const callBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "glm_reason", arguments: { prompt: "rebinding" } },
});
const initBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

function post(
  headers: Record<string, string | undefined>,
  body = initBody,
  path = "/mcp",
  method = "POST",
): Promise<RawResponse> {
  const all: Record<string, string | undefined> = {
    Host: `127.0.0.1:${port}`,
    Authorization: `Bearer ${TOKEN}`,
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
    ...headers,
  };
  return raw(
    [
      `${method} ${path} HTTP/1.1`,
      ...Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}: ${v}`),
    ],
    body,
  );
}

describe("DNS rebinding: Host header", () => {
  it.each([
    `evil.example:${PORT_PLACEHOLDER()}`,
    "evil.example",
    `localhost.evil.example:${PORT_PLACEHOLDER()}`,
    `127.0.0.1.nip.io:${PORT_PLACEHOLDER()}`,
    `localhost@evil.example:${PORT_PLACEHOLDER()}`,
    `0.0.0.0:${PORT_PLACEHOLDER()}`,
    `192.168.1.20:${PORT_PLACEHOLDER()}`,
    `[::ffff:127.0.0.1]:${PORT_PLACEHOLDER()}`,
    "",
  ])("refuses Host %j with 403 before anything reaches GLM", async (hostTemplate) => {
    const host = hostTemplate.replace(PORT_PLACEHOLDER(), String(port));
    const r = await post({ Host: host }, callBody);
    expect(r.status === 403 || r.status === 400).toBe(true);
    expect(r.body).not.toContain("Echo:");
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses a forged Host even on /healthz", async () => {
    const r = await raw([`GET /healthz HTTP/1.1`, `Host: evil.example:${port}`]);
    expect(r.status).toBe(403);
  });

  it.each(["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])("accepts the loopback Host %s", async (name) => {
    const r = await post({ Host: `${name}:${port}` });
    expect(r.status).toBe(200);
  });
});

describe("DNS rebinding: Origin header", () => {
  it.each([
    "http://evil.example",
    `http://localhost.evil.example:${PORT_PLACEHOLDER()}`,
    "https://127.0.0.1.evil.example",
    "null",
    "file://",
    "http://[::ffff:7f00:1]",
  ])("refuses Origin %j with 403 before anything reaches GLM", async (originTemplate) => {
    const r = await post({ Origin: originTemplate.replace(PORT_PLACEHOLDER(), String(port)) }, callBody);
    expect(r.status).toBe(403);
    expect(fake.requests).toHaveLength(0);
  });

  it("accepts a loopback Origin (a local web client)", async () => {
    expect((await post({ Origin: `http://localhost:${port}` })).status).toBe(200);
    expect((await post({ Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });
});

describe("bearer token", () => {
  const wrong = [
    ["no Authorization header", undefined],
    ["an empty bearer", "Bearer "],
    ["another token", "Bearer not-the-token"],
    ["the token minus its last character", `Bearer ${TOKEN.slice(0, -1)}`],
    ["the token plus one character", `Bearer ${TOKEN}0`],
    [
      "the same length, last character changed",
      `Bearer ${TOKEN.slice(0, -1)}${TOKEN.endsWith("3") ? "4" : "3"}`,
    ],
    ["the token upper-cased", `Bearer ${TOKEN.toUpperCase()}`],
    ["the token as Basic credentials", `Basic ${Buffer.from(`user:${TOKEN}`).toString("base64")}`],
    ["the token without a scheme", TOKEN],
  ] as const;

  it.each(wrong)("refuses %s with 401, and GLM is never called", async (_label, authorization) => {
    const r = await post({ Authorization: authorization }, callBody);
    expect(r.status).toBe(401);
    expect(r.headers["www-authenticate"]).toBe("Bearer");
    expect(r.body).not.toContain(TOKEN);
    expect(r.body).not.toContain("not-the-token"); // what was sent is not echoed either
    expect(fake.requests).toHaveLength(0);
  });

  it("does not accept the token in the query string", async () => {
    const r = await post({ Authorization: undefined }, callBody, `/mcp?token=${TOKEN}`);
    expect(r.status).toBe(401);
  });

  it("asks for the token before saying anything about the method (GET, DELETE)", async () => {
    for (const method of ["GET", "DELETE"]) {
      expect((await post({ Authorization: undefined }, "", "/mcp", method)).status).toBe(401);
      expect((await post({}, "", "/mcp", method)).status).toBe(405);
    }
  });

  it("accepts the right token (scheme case-insensitive) and the call reaches GLM", async () => {
    const r = await post({ Authorization: `bearer ${TOKEN}` }, callBody);
    expect(r.status).toBe(200);
    expect(r.body).toContain("Echo: rebinding");
    expect(fake.requests).toHaveLength(1);
  });
});

describe("CORS", () => {
  it("never sends a wildcard Access-Control-Allow-Origin (preflight, success, refusals)", async () => {
    await raw([
      `OPTIONS /mcp HTTP/1.1`,
      `Host: localhost:${port}`,
      `Origin: http://evil.example`,
      "Access-Control-Request-Method: POST",
    ]);
    await raw([
      `OPTIONS /mcp HTTP/1.1`,
      `Host: localhost:${port}`,
      `Origin: http://localhost:${port}`,
      "Access-Control-Request-Method: POST",
    ]);
    await post({ Origin: `http://localhost:${port}` });
    expect(seen.length).toBeGreaterThan(20);
    for (const r of seen) {
      expect(r.headers["access-control-allow-origin"]).not.toBe("*");
      expect(r.headers["access-control-allow-credentials"]).toBeUndefined();
    }
  });
});

describe("bind address", () => {
  it.each([
    [["--host", "0.0.0.0"], {}],
    [["--host", "::"], {}],
    [["--host", "192.168.1.20"], {}],
    [["--host", "localhost.evil.example"], {}],
    [[], { GLM_MCP_HOST: "0.0.0.0" }],
  ] as const)("refuses a non-loopback bind without a token: %j %j", async (args, env) => {
    const r = await runCli(["--http", "--port", "0", ...args], { GLM_API_KEY: FAKE_API_KEY, ...env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/without a token.*GLM_MCP_HTTP_TOKEN/);
    expect(r.stderr).not.toContain("listening");
  });

  it("allows a non-loopback bind once a token is set, and any 127.x / ::1 without one (config only, nothing bound)", () => {
    expect(() =>
      loadConfig({ GLM_MCP_HTTP: "1", GLM_MCP_HOST: "0.0.0.0", GLM_MCP_HTTP_TOKEN: "t0ken-value" }),
    ).not.toThrow();
    for (const host of ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"]) {
      expect(() => loadConfig({ GLM_MCP_HTTP: "1", GLM_MCP_HOST: host })).not.toThrow();
    }
    expect(() => loadConfig({ GLM_MCP_HTTP: "1", GLM_MCP_HOST: "10.0.0.1" })).toThrow(ConfigError);
  });
});

describe("request body cap", () => {
  it("refuses a declared Content-Length over the cap with 413 without reading it", async () => {
    const lying = await new Promise<RawResponse>((resolve, reject) => {
      const sock = net.connect(port, "127.0.0.1", () => {
        sock.write(
          [
            `POST /mcp HTTP/1.1`,
            `Host: localhost:${port}`,
            `Authorization: Bearer ${TOKEN}`,
            "Content-Type: application/json",
            `Content-Length: ${MAX_BODY_BYTES + 1}`,
            "Connection: close",
            "",
            "",
          ].join("\r\n"),
        );
      });
      let data = "";
      sock.on("data", (d) => {
        data += d;
        if (data.includes("\r\n\r\n") && data.includes("}")) sock.destroy();
      });
      sock.on("error", reject);
      sock.on("close", () =>
        resolve({ status: Number(data.split(" ")[1]), headers: {}, body: data.split("\r\n\r\n")[1] ?? "" }),
      );
    });
    expect(lying.status).toBe(413);
    expect(lying.body).toMatch(/file path or URL/);
  });

  it("refuses a chunked body that grows past the cap with 413, and keeps serving", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const sock = net.connect(port, "127.0.0.1", () => {
        sock.write(
          [
            `POST /mcp HTTP/1.1`,
            `Host: localhost:${port}`,
            `Authorization: Bearer ${TOKEN}`,
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
            "Connection: close",
            "",
            "",
          ].join("\r\n"),
        );
        const piece = Buffer.alloc(1024 * 1024, 0x61);
        let sent = 0;
        const pump = () => {
          while (sent <= MAX_BODY_BYTES + piece.length && !sock.destroyed) {
            sent += piece.length;
            sock.write(`${piece.length.toString(16)}\r\n`);
            sock.write(piece);
            if (!sock.write("\r\n")) return void sock.once("drain", pump);
          }
        };
        pump();
      });
      let data = "";
      sock.on("data", (d) => {
        data += d;
        const m = /^HTTP\/1\.1 (\d+)/.exec(data);
        if (m) {
          sock.destroy();
          resolve(Number(m[1]));
        }
      });
      sock.on("error", (e) => (data ? undefined : reject(e)));
    });
    expect(status).toBe(413);
    const after = await post({}, callBody);
    expect(after.status).toBe(200);
    expect(after.body).toContain("Echo: rebinding");
  }, 60_000);
});

/** Port placeholder for it.each titles (the port is only known after beforeAll). */
function PORT_PLACEHOLDER(): string {
  return "{port}";
}
