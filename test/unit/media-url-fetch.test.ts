// URL rules: which hosts GLM cannot reach, and bounded downloads (size, redirects, timeout, status).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchUrlBytes, isPrivateUrl, MAX_REDIRECTS } from "../../src/media/url-fetch.js";
import { serveRoutes, sendBytes, type TinyServer } from "../helpers/media.js";

let server: TinyServer;
const payload = Buffer.from("x".repeat(1000));
beforeAll(async () => {
  const redirect = (to: string) => (_req: unknown, res: import("node:http").ServerResponse) => {
    res.statusCode = 302;
    res.setHeader("location", to);
    res.end();
  };
  const routes: Parameters<typeof serveRoutes>[0] = {
    "/file": sendBytes(payload),
    "/chunked": (_req, res) => {
      res.write(payload);
      res.end(payload);
    },
    "/hang": () => {},
    "/to-ftp": redirect("ftp://example.com/x"),
  };
  for (let i = 1; i <= MAX_REDIRECTS + 1; i++) routes[`/r${i}`] = redirect(i === 1 ? "/file" : `/r${i - 1}`);
  server = await serveRoutes(routes);
});
afterAll(() => server.close());

describe("isPrivateUrl", () => {
  it("flags loopback, private, link-local, CGNAT, .local and single-label hosts", () => {
    for (const u of [
      "http://localhost:3000/a.png", "http://app.localhost/a", "http://127.0.0.1/a", "http://127.8.9.10/a", "http://[::1]:8080/a",
      "http://10.1.2.3/a", "http://172.16.0.1/a", "http://172.31.255.255/a", "http://192.168.1.20/a", "http://169.254.169.254/latest",
      "http://100.64.0.1/a", "http://0.0.0.0/a", "http://[fe80::1]/a", "http://[fd12:3456::1]/a", "http://[::ffff:192.168.0.1]/a",
      "http://printer.local/a", "http://nas/a.png", "http://db.internal/x",
    ]) expect(isPrivateUrl(u), u).toBe(true);
  });
  it("leaves public hosts alone", () => {
    for (const u of ["https://example.com/a.png", "https://8.8.8.8/a", "http://172.32.0.1/a", "http://[2001:db8::1]/a", "https://cdn.bigmodel.cn/x.png"]) {
      expect(isPrivateUrl(u), u).toBe(false);
    }
  });
});

describe("fetchUrlBytes", () => {
  it("downloads, following up to the redirect limit", async () => {
    const r = await fetchUrlBytes(`${server.url}/r${MAX_REDIRECTS}`, { maxBytes: 10_000 });
    expect(r.bytes.equals(payload)).toBe(true);
    expect(r.finalUrl).toBe(`${server.url}/file`);
  });
  it("refuses one redirect too many, and redirects to non-http schemes", async () => {
    await expect(fetchUrlBytes(`${server.url}/r${MAX_REDIRECTS + 1}`, { maxBytes: 10_000 })).rejects.toThrow(/more than 5 redirects/);
    await expect(fetchUrlBytes(`${server.url}/to-ftp`, { maxBytes: 10_000 })).rejects.toThrow(/non-http\(s\) location/);
  });
  it("enforces the size cap from content-length and while streaming", async () => {
    await expect(fetchUrlBytes(`${server.url}/file`, { maxBytes: 999, what: "image" })).rejects.toThrow(/The image at .* is 1000 bytes, over the 999 bytes download limit/);
    await expect(fetchUrlBytes(`${server.url}/chunked`, { maxBytes: 1500 })).rejects.toThrow(/is larger than the 1.5 KB download limit/);
  });
  it("times out, and reports HTTP errors with the status", async () => {
    await expect(fetchUrlBytes(`${server.url}/hang`, { maxBytes: 100, timeoutMs: 200 })).rejects.toThrow(/timed out after 0.2 s/);
    await expect(fetchUrlBytes(`${server.url}/missing`, { maxBytes: 100 })).rejects.toThrow(/failed with HTTP 404/);
  });
  it("honours the caller's abort signal", async () => {
    const ac = new AbortController();
    const p = fetchUrlBytes(`${server.url}/hang`, { maxBytes: 100, signal: ac.signal });
    ac.abort(new Error("cancelled by client"));
    await expect(p).rejects.toThrow(/cancelled by client/);
  });
});
