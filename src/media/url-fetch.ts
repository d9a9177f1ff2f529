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
 */
export function isPrivateUrl(input: string): boolean {
  let host: string;
  try {
    host = new URL(input).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, "");
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

function isPrivateIPv6(ip: string): boolean {
  if (ip === "::1" || ip === "::") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return isPrivateIPv4(mapped[1]);
  // The URL parser writes IPv4-mapped addresses in hex: ::ffff:c0a8:1 is 192.168.0.1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (hex?.[1] && hex[2]) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return isPrivateIPv4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const first = parseInt(ip.split(":")[0] || "0", 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80; // fc00::/7 unique-local, fe80::/10 link-local
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
}

export interface FetchedUrl {
  bytes: Buffer;
  finalUrl: string;
  contentType: string | undefined;
}

/** Downloads a URL with a size cap, a timeout, at most MAX_REDIRECTS redirects, http(s) only. */
export async function fetchUrlBytes(url: string, opts: FetchOptions): Promise<FetchedUrl> {
  const what = opts.what ?? "file";
  const timeoutMs = opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
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
