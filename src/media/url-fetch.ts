// Downloading media the GLM cloud cannot reach itself (loopback/private hosts, or --inline-urls):
// bounded in time, size and redirects, and only http(s) at every hop.
import net from "node:net";
import { fetch, type Dispatcher } from "undici";
import { formatBytes, MediaError } from "./errors.js";

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
export const MAX_REDIRECTS = 5;

export function isHttpUrl(input: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(input.trim());
}

/**
 * True when GLM's servers cannot fetch this URL: a loopback, private, link-local or otherwise
 * local host. Decided from the URL alone (no DNS lookup, so it is instant and deterministic).
 * Out of scope on purpose: a public-looking name whose DNS answer is a private address (or that
 * rebinds between check and connect) is not caught here; that needs resolving and pinning the
 * address at connect time.
 */
export function isPrivateUrl(input: string): boolean {
  let host: string;
  try {
    host = new URL(input).hostname.toLowerCase();
  } catch {
    return false;
  }
  // "localhost." is the same host as "localhost" (a fully qualified name with the root label).
  host = host.replace(/^\[|\]$/g, "").replace(/\.+$/, "");
  if (host === "") return true;
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal") || host.endsWith(".lan")) return true;
  if (net.isIPv4(host)) return isPrivateIPv4(host);
  if (net.isIPv6(host)) return isPrivateIPv6(host);
  // A single-label name ("nas", "devbox") only resolves inside a local network.
  return !host.includes(".");
}

function isPrivateIPv4(ip: string): boolean {
  const [a = 0, b = 0] = ip.split(".").map(Number);
  return (
    a === 0 || a === 10 || a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) // carrier-grade NAT, also Tailscale
  );
}

/** The eight 16-bit groups of an IPv6 address (any dotted IPv4 tail folded into two groups). */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.replace(/%.*$/, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1].split(".").map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function embeddedIPv4(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function isPrivateIPv6(ip: string): boolean {
  const g = ipv6Groups(ip);
  if (!g) return true; // net.isIPv6 accepted it but we cannot read it: refuse rather than guess
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  // ::a.b.c.d (IPv4-compatible, also :: and ::1), ::ffff:a.b.c.d (IPv4-mapped; the URL parser
  // writes ::ffff:127.0.0.1 as ::ffff:7f00:1), ::ffff:0:a.b.c.d (IPv4-translated) and
  // 64:ff9b::a.b.c.d (NAT64) all reach the embedded IPv4 address: judge that address.
  if (zeroTo(6) || (zeroTo(5) && g5 === 0xffff) || (zeroTo(4) && g4 === 0xffff && g5 === 0) || (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)) {
    return isPrivateIPv4(embeddedIPv4(g6, g7));
  }
  if (g0 === 0x2002) return isPrivateIPv4(embeddedIPv4(g1, g2)); // 6to4 carries an IPv4 address too
  // fc00::/7 unique-local, fe80::/10 link-local, fec0::/10 old site-local.
  return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0;
}

/** The sentence for a refused download from a local/private host (first URL or a redirect target). */
export function privateDownloadRefusal(url: string, what: string, redirectedFrom?: string): MediaError {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    host = url;
  }
  const where = redirectedFrom ? `${host}, reached by a redirect from ${redirectedFrom}` : host;
  return new MediaError(
    `This server runs over HTTP and does not download ${what}s from local or private hosts (${where}): pass a public URL, a data: URI or base64 instead, or start the server with --inline-urls to allow it.`,
  );
}

/** The per-hop SSRF check: refuses `url` when private hosts are off and it names one. */
export function assertUrlHostAllowed(url: string, opts: { allowPrivate: boolean; what: string; redirectedFrom?: string }): void {
  if (opts.allowPrivate || !isPrivateUrl(url)) return;
  throw privateDownloadRefusal(url, opts.what, opts.redirectedFrom);
}

export interface FetchOptions {
  maxBytes: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Noun for messages, e.g. "image". */
  what?: string;
  /** Replaces the generic way out in "too large" messages. */
  tooBigHint?: string;
  /** Outbound proxy for public hosts (private hosts are always fetched directly). */
  dispatcher?: Dispatcher;
  /**
   * Whether loopback/private hosts may be fetched. Checked on EVERY hop (the first URL and each
   * redirect target), so a public URL cannot bounce the server into its own network.
   */
  allowPrivate: boolean;
}

export interface FetchedUrl {
  bytes: Buffer;
  finalUrl: string;
  contentType: string | undefined;
}

/** Downloads a URL with a size cap, a timeout, at most MAX_REDIRECTS redirects, http(s) and the host rule at every hop. */
export async function fetchUrlBytes(url: string, opts: FetchOptions): Promise<FetchedUrl> {
  const what = opts.what ?? "file";
  const timeoutMs = opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      assertUrlHostAllowed(current, { allowPrivate: opts.allowPrivate, what, ...(hop > 0 ? { redirectedFrom: url } : {}) });
      const viaProxy = opts.dispatcher && !isPrivateUrl(current) ? { dispatcher: opts.dispatcher } : {};
      const res = await fetch(current, { redirect: "manual", signal, headers: { accept: "*/*", "user-agent": "glm-mcp" }, ...viaProxy });
      if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
        await res.body?.cancel().catch(() => {});
        if (hop >= MAX_REDIRECTS) {
          throw new MediaError(`Downloading the ${what} at ${url} failed: more than ${MAX_REDIRECTS} redirects; pass the final URL or a local file instead.`);
        }
        const next = new URL(res.headers.get("location") ?? "", current).toString();
        if (!isHttpUrl(next)) throw new MediaError(`Downloading the ${what} at ${url} failed: it redirects to a non-http(s) location; pass a direct http(s) URL.`);
        current = next;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        throw new MediaError(`Downloading the ${what} at ${current} failed with HTTP ${res.status}; check that the URL is reachable from the MCP server.`);
      }
      const declared = Number(res.headers.get("content-length") ?? NaN);
      if (Number.isFinite(declared) && declared > opts.maxBytes) {
        await res.body?.cancel().catch(() => {});
        throw tooBig(what, current, declared, opts.maxBytes, opts.tooBigHint);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      if (res.body) {
        for await (const chunk of res.body) {
          total += chunk.byteLength;
          if (total > opts.maxBytes) throw tooBig(what, current, undefined, opts.maxBytes, opts.tooBigHint);
          chunks.push(Buffer.from(chunk));
        }
      }
      return { bytes: Buffer.concat(chunks, total), finalUrl: current, contentType: res.headers.get("content-type") ?? undefined };
    }
  } catch (err) {
    if (err instanceof MediaError) throw err;
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    if (timeout.aborted) {
      throw new MediaError(`Downloading the ${what} at ${url} timed out after ${Math.round(timeoutMs / 100) / 10} s; pass a smaller file, a local path, or a URL GLM can reach itself.`);
    }
    const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new MediaError(`Downloading the ${what} at ${url} failed (${reason}); check that the URL is reachable from the MCP server, or pass a local file.`);
  }
}

function tooBig(what: string, url: string, size: number | undefined, max: number, hint: string | undefined): MediaError {
  const is = size === undefined ? "is larger than" : `is ${formatBytes(size)}, over`;
  return new MediaError(`The ${what} at ${url} ${is} the ${formatBytes(max)} download limit; ${hint ?? "pass a smaller file or a URL GLM can fetch itself"}.`);
}
