// Downloading media the GLM cloud cannot reach itself (loopback/private hosts, or --inline-urls):
// bounded in time, size and redirects, and only http(s) at every hop.
import net from "node:net";
import { fetch, type Dispatcher } from "undici";
import { MediaError } from "./errors.js";
import { downloadDispatcher, type ProxyEnv } from "../glm/outbound.js";
import { isPrivateAddress, PrivateAddressError } from "./safe-lookup.js";
import { formatBytes } from "../util/format.js";

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
export const MAX_REDIRECTS = 5;

export function isHttpUrl(input: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(input.trim());
}

/**
 * True when GLM's servers cannot fetch this URL: a loopback, private, link-local or otherwise
 * local host. Decided from the URL alone (no DNS lookup, so it is instant and deterministic).
 * A public-looking name whose DNS answer is a private address (or that rebinds between check and
 * connect) is caught by the outbound factory's public-only dispatcher (glm/outbound.ts).
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
  if (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal") ||
    host.endsWith(".lan")
  )
    return true;
  if (net.isIP(host)) return isPrivateAddress(host);
  // A single-label name ("nas", "devbox") only resolves inside a local network.
  return !host.includes(".");
}

/**
 * The sentence for a refused download from a local/private host (first URL or a redirect target);
 * `resolvedTo` is the private address a public-looking name resolved to, when that was the reason.
 */
export function privateDownloadRefusal(
  url: string,
  what: string,
  redirectedFrom?: string,
  resolvedTo?: string,
): MediaError {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    host = url;
  }
  if (resolvedTo) host += ` resolved to the private address ${resolvedTo}`;
  const where = redirectedFrom ? `${host}, reached by a redirect from ${redirectedFrom}` : host;
  return new MediaError(
    `This server does not download ${what}s from local, private or reserved addresses (${where}): pass a public URL, a data: URI or base64 instead, or start the server with --allow-private-urls (GLM_MCP_ALLOW_PRIVATE_URLS=1) to allow it.`,
  );
}

/** The per-hop SSRF check: refuses `url` when private hosts are off and it names one. */
export function assertUrlHostAllowed(
  url: string,
  opts: { allowPrivate: boolean; what: string; redirectedFrom?: string },
): void {
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
  /**
   * Proxy settings (HTTPS_PROXY…). The outbound factory applies the public-only rule on the
   * proxied and the direct path alike when private hosts are off.
   */
  proxy?: ProxyEnv;
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
  let hop = 0;
  try {
    for (; ; hop++) {
      assertUrlHostAllowed(current, {
        allowPrivate: opts.allowPrivate,
        what,
        ...(hop > 0 ? { redirectedFrom: url } : {}),
      });
      const res = await fetch(current, {
        redirect: "manual",
        signal,
        headers: { accept: "*/*", "user-agent": "glm-mcp" },
        ...dispatcherFor(current, opts),
      });
      if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
        await res.body?.cancel().catch(() => {});
        if (hop >= MAX_REDIRECTS) {
          throw new MediaError(
            `Downloading the ${what} at ${url} failed: more than ${MAX_REDIRECTS} redirects; pass the final URL or a local file instead.`,
          );
        }
        const next = new URL(res.headers.get("location") ?? "", current).toString();
        if (!isHttpUrl(next))
          throw new MediaError(
            `Downloading the ${what} at ${url} failed: it redirects to a non-http(s) location; pass a direct http(s) URL.`,
          );
        current = next;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        throw new MediaError(
          `Downloading the ${what} at ${current} failed with HTTP ${res.status}; check that the URL is reachable from the MCP server.`,
        );
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
      return {
        bytes: Buffer.concat(chunks, total),
        finalUrl: current,
        contentType: res.headers.get("content-type") ?? undefined,
      };
    }
  } catch (err) {
    if (err instanceof MediaError) throw err;
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    const resolvedPrivate = findPrivateAddressError(err);
    if (resolvedPrivate)
      throw privateDownloadRefusal(current, what, hop > 0 ? url : undefined, resolvedPrivate.address);
    if (timeout.aborted) {
      throw new MediaError(
        `Downloading the ${what} at ${url} timed out after ${Math.round(timeoutMs / 100) / 10} s; pass a smaller file, a local path, or a URL GLM can reach itself.`,
      );
    }
    const reason =
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new MediaError(
      `Downloading the ${what} at ${url} failed (${reason}); check that the URL is reachable from the MCP server, or pass a local file.`,
    );
  }
}

/** The dispatcher for one hop, from the one outbound factory (undefined = undici's global one). */
function dispatcherFor(url: string, opts: FetchOptions): { dispatcher?: Dispatcher } {
  const dispatcher = downloadDispatcher(opts.proxy ?? {}, opts.allowPrivate, isPrivateUrl(url));
  return dispatcher ? { dispatcher } : {};
}

/** The PrivateAddressError behind a failed fetch ("fetch failed" wraps the socket error in `cause`). */
function findPrivateAddressError(err: unknown): PrivateAddressError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof PrivateAddressError) return e;
  }
  return undefined;
}

function tooBig(
  what: string,
  url: string,
  size: number | undefined,
  max: number,
  hint: string | undefined,
): MediaError {
  const is = size === undefined ? "is larger than" : `is ${formatBytes(size)}, over`;
  return new MediaError(
    `The ${what} at ${url} ${is} the ${formatBytes(max)} download limit; ${hint ?? "pass a smaller file or a URL GLM can fetch itself"}.`,
  );
}
