// The connect-time half of the SSRF rule: a public-looking name that RESOLVES to a private address
// (an /etc/hosts entry, a DNS rebinding domain) is refused at connect time, with the same sentence
// as the URL check, and without a single byte reaching the private host.
import type { LookupAddress, LookupOptions } from "node:dns";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createPublicOnlyLookup,
  isPrivateAddress,
  PrivateAddressError,
  setResolverForTests,
  type Resolver,
} from "../../src/media/safe-lookup.js";
import { fetchUrlBytes } from "../../src/media/url-fetch.js";

/** A resolver answering fixed addresses for every name, recording what it was asked. */
function fixedResolver(
  addresses: LookupAddress[],
  asked: { hostname: string; all: boolean | undefined; family: unknown }[] = [],
): Resolver {
  return (hostname, options, cb) => {
    asked.push({ hostname, all: options.all, family: options.family });
    cb(null, addresses);
  };
}

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** Runs a lookup and returns exactly what it called back with. */
function run(
  resolve: Resolver,
  options: LookupOptions,
): Promise<{
  err: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family: number | undefined;
}> {
  return new Promise((done) =>
    createPublicOnlyLookup(resolve)("cdn.example.com", options, (err, address, family) =>
      done({ err, address, family }),
    ),
  );
}

describe("isPrivateAddress", () => {
  it("classifies resolved addresses like the URL check does", () => {
    for (const ip of [
      "127.0.0.1",
      "10.20.30.40",
      "169.254.169.254",
      "172.16.5.5",
      "192.168.0.9",
      "100.100.100.100",
      "0.0.0.0",
      "::1",
      "::",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
      "fe80::1%eth0",
      "fd00::5",
      "not-an-ip",
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:2800:220:1::1", "::ffff:8.8.8.8"])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });
});

describe("createPublicOnlyLookup", () => {
  it("refuses a name resolving to loopback, private, link-local, IPv6 loopback or IPv4-mapped loopback, in both callback shapes", async () => {
    for (const bad of [
      v4("127.0.0.1"),
      v4("10.1.2.3"),
      v4("169.254.169.254"),
      v6("::1"),
      v6("::ffff:127.0.0.1"),
    ]) {
      for (const all of [true, false]) {
        const { err } = await run(fixedResolver([bad]), { all });
        expect(err, `${bad.address} all=${all}`).toBeInstanceOf(PrivateAddressError);
        expect((err as PrivateAddressError).address).toBe(bad.address);
        expect(err?.message).toBe(`cdn.example.com resolves to the private address ${bad.address}`);
      }
    }
  });

  it("refuses when ANY address is private, so the connection cannot land on the private one", async () => {
    const { err } = await run(fixedResolver([v4("93.184.216.34"), v4("10.0.0.7")]), { all: false });
    expect(err).toBeInstanceOf(PrivateAddressError);
    expect((err as PrivateAddressError).address).toBe("10.0.0.7");
  });

  it("passes public addresses through in the shape the caller asked for, always resolving every address", async () => {
    const addresses = [v4("93.184.216.34"), v6("2606:2800:220:1::1")];
    const asked: { hostname: string; all: boolean | undefined; family: unknown }[] = [];
    expect(await run(fixedResolver(addresses, asked), { all: true, family: 0 })).toEqual({
      err: null,
      address: addresses,
      family: undefined,
    });
    expect(await run(fixedResolver(addresses, asked), { family: 4 })).toEqual({
      err: null,
      address: "93.184.216.34",
      family: 4,
    });
    expect(asked).toEqual([
      { hostname: "cdn.example.com", all: true, family: 0 },
      { hostname: "cdn.example.com", all: true, family: 4 },
    ]);
  });

  it("passes resolver errors through unchanged, and treats an empty answer as not found", async () => {
    const notFound = Object.assign(new Error("getaddrinfo ENOTFOUND cdn.example.com"), { code: "ENOTFOUND" });
    const failing: Resolver = (_h, _o, cb) => cb(notFound, []);
    expect((await run(failing, { all: true })).err).toBe(notFound);
    const empty = await run(fixedResolver([]), { all: false });
    expect(empty.err?.code).toBe("ENOTFOUND");
  });
});

describe("fetchUrlBytes with private hosts off, for a public-looking name that resolves to loopback", () => {
  let server: http.Server;
  let connections = 0;
  let requests = 0;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      requests++;
      res.end("secret");
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterEach(() => setResolverForTests());

  const toLoopback = fixedResolver([v4("127.0.0.1")]);
  const url = () => `http://rebind.example.com:${port}/internal`;

  it("is refused with the actionable sentence, and the local server sees no connection at all", async () => {
    setResolverForTests(toLoopback);
    const before = { connections, requests };
    await expect(
      fetchUrlBytes(url(), { maxBytes: 1000, allowPrivate: false, what: "image" }),
    ).rejects.toThrow(
      /^This server does not download images from local, private or reserved addresses \(rebind\.example\.com resolved to the private address 127\.0\.0\.1\): pass a public URL, a data: URI or base64 instead, or start the server with --allow-private-urls \(GLM_MCP_ALLOW_PRIVATE_URLS=1\) to allow it\.$/,
    );
    expect({ connections, requests }).toEqual(before);
  });

  it("control: the server is reachable when private hosts are allowed", async () => {
    // Proves the refusal above comes from the address check, not from an unreachable server.
    const before = requests;
    const r = await fetchUrlBytes(`http://127.0.0.1:${port}/internal`, {
      maxBytes: 1000,
      allowPrivate: true,
    });
    expect(r.bytes.toString()).toBe("secret");
    expect(requests).toBe(before + 1);
  });
});
