// Where local media may be read from, for one tool call: configured --allow-dir trees, plus the
// client's MCP roots over stdio. Over HTTP the operator's --allow-dir is the only authority.
import { fileURLToPath } from "node:url";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Dispatcher } from "undici";
import type { AppContext } from "../context.js";
import { proxyDispatcher } from "../glm/proxy.js";
import { MediaError } from "./errors.js";
import type { LoadOptions } from "./sources.js";
import type { ImageBudget } from "./image.js";
import { isPrivateUrl } from "./url-fetch.js";

export interface MediaPolicy {
  allowDirs: readonly string[];
  localReadsAllowed: boolean;
  inlineUrls: boolean;
  /** Largest local file / download read at all. */
  inputMaxBytes: number;
  videoMaxBytes: number;
  imageBudget: ImageBudget;
  fetchTimeoutMs: number;
  /** Whether the server may download from loopback/private hosts (off over HTTP unless --inline-urls). */
  privateUrlDownloads: boolean;
  /** Outbound proxy (HTTPS_PROXY…) for downloads from public hosts; undefined = direct. */
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
}

const ROOTS_TIMEOUT_MS = 3_000;

/** The client's file:// roots as directories; [] when the client has none or does not answer in time. */
export async function clientRootDirs(server: McpServer | undefined, signal?: AbortSignal): Promise<string[]> {
  const inner = server?.server;
  if (!inner?.getClientCapabilities()?.roots) return [];
  try {
    const { roots } = await inner.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS, ...(signal ? { signal } : {}) });
    return roots.filter((r) => r.uri.startsWith("file://")).map((r) => fileURLToPath(r.uri));
  } catch {
    return [];
  }
}

export async function mediaPolicy(ctx: AppContext, server?: McpServer, signal?: AbortSignal): Promise<MediaPolicy> {
  const { config } = ctx;
  const overHttp = config.http.enabled;
  const roots = overHttp ? [] : await clientRootDirs(server, signal);
  if (roots.length) ctx.logger.debug(`media reads limited to client roots and allow dirs`, { roots: roots.length });
  return {
    allowDirs: [...config.allowDirs, ...roots],
    localReadsAllowed: !overHttp || config.allowDirs.length > 0,
    inlineUrls: config.inlineUrls,
    inputMaxBytes: config.media.inputMaxBytes,
    videoMaxBytes: config.media.videoMaxBytes,
    imageBudget: { maxEdge: config.media.imageMaxEdge, maxBytes: config.media.imageMaxBytes },
    fetchTimeoutMs: config.media.fetchTimeoutMs,
    // Over HTTP a remote client could otherwise make this server fetch its own network (SSRF).
    privateUrlDownloads: !overHttp || config.inlineUrls,
    dispatcher: proxyDispatcher(config),
    ...(signal ? { signal } : {}),
  };
}

/** Refuses a download from a local/private host when the policy does not allow it. */
export function assertDownloadAllowed(url: string, policy: MediaPolicy, what: string): void {
  if (policy.privateUrlDownloads || !isPrivateUrl(url)) return;
  throw new MediaError(
    `This server runs over HTTP and does not download ${what}s from local or private hosts (${new URL(url).hostname}): pass a public URL, a data: URI or base64 instead, or start the server with --inline-urls to allow it.`,
  );
}

/** The loadSourceBytes options this policy implies; callers override maxBytes, expect, hints. */
export function loadOptions(policy: MediaPolicy, what: string): LoadOptions {
  return {
    allowDirs: policy.allowDirs,
    localReadsAllowed: policy.localReadsAllowed,
    maxBytes: policy.inputMaxBytes,
    what,
    timeoutMs: policy.fetchTimeoutMs,
    ...(policy.dispatcher ? { dispatcher: policy.dispatcher } : {}),
    ...(policy.signal ? { signal: policy.signal } : {}),
  };
}
