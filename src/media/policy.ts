// Where local media may be read from, for one tool call: configured --allow-dir trees, plus the
// client's MCP roots over stdio. Over HTTP the operator's --allow-dir is the only authority.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Dispatcher } from "undici";
import type { AppContext } from "../state/context.js";
import { proxyDispatcher } from "../glm/proxy.js";
import { resolveLocalPath, type LoadOptions } from "./sources.js";
import type { ImageBudget } from "./image.js";

export interface MediaPolicy {
  allowDirs: readonly string[];
  localReadsAllowed: boolean;
  /** Why local reads are off for this call when it is not the HTTP rule (a clause, e.g. roots that could not be read). */
  localReadsBlocked?: string;
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

export interface ClientRoots {
  /** The usable roots as local directories. */
  dirs: string[];
  /** Set when the client declared roots but none could be used: local reads must then be refused. */
  unreadable?: string;
}

/**
 * The client's file:// roots as directories. A client without the roots capability, or one that
 * lists an explicitly EMPTY set, gets no restriction beyond --allow-dir (today's behaviour).
 * Failing open is the danger here ([] means "anywhere"), so a declared capability whose list
 * cannot be fetched, or whose roots are all unusable, comes back as `unreadable` instead.
 */
export async function clientRoots(server: McpServer | undefined, signal?: AbortSignal): Promise<ClientRoots> {
  const inner = server?.server;
  if (!inner?.getClientCapabilities()?.roots) return { dirs: [] };
  let listed: { uri: string }[];
  try {
    listed = (await inner.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS, ...(signal ? { signal } : {}) }))
      .roots;
  } catch (err) {
    return {
      dirs: [],
      unreadable: `the client declared MCP roots but listing them failed (${rootsFailure(err)})`,
    };
  }
  if (listed.length === 0) return { dirs: [] };
  const dirs: string[] = [];
  for (const root of listed) {
    if (!/^file:\/\//i.test(root.uri)) continue;
    // One bad root (e.g. file://fileserver/share on Linux, which has no UNC paths) is skipped alone.
    try {
      dirs.push(resolveLocalPath(root.uri));
    } catch {
      continue;
    }
  }
  if (dirs.length === 0) {
    return {
      dirs,
      unreadable: `the client declared MCP roots but none of them is a folder on this machine (${listed
        .map((r) => r.uri)
        .join(", ")
        .slice(0, 200)})`,
    };
  }
  return { dirs };
}

/** A short reason for a failed roots/list: never a multi-line schema dump. */
function rootsFailure(err: unknown): string {
  if (!(err instanceof Error)) return "no usable answer";
  if (/timed? ?out/i.test(err.message)) return `no answer within ${ROOTS_TIMEOUT_MS / 1000} s`;
  if (err.name === "ZodError" || err.message.trimStart().startsWith("["))
    return "its answer is not a valid roots list";
  return (
    (err.message.replace(/^MCP error -?\d+: /, "").split("\n")[0] ?? "").slice(0, 120) || "no usable answer"
  );
}

export async function mediaPolicy(
  ctx: AppContext,
  server?: McpServer,
  signal?: AbortSignal,
): Promise<MediaPolicy> {
  const { config } = ctx;
  const overHttp = config.http.enabled;
  const roots = overHttp ? { dirs: [] } : await clientRoots(server, signal);
  if (roots.dirs.length)
    ctx.logger.debug(`media reads limited to client roots and allow dirs`, { roots: roots.dirs.length });
  // Roots that could not be read only widen nothing: with --allow-dir set, those dirs still bound
  // reads; without it, the fallback would be "anywhere", so local reads are refused for this call.
  const rootsBlock = roots.unreadable !== undefined && config.allowDirs.length === 0;
  if (roots.unreadable !== undefined)
    ctx.logger.warning("client roots unusable; local reads refused unless --allow-dir is set", {
      reason: roots.unreadable,
    });
  return {
    allowDirs: [...config.allowDirs, ...roots.dirs],
    localReadsAllowed: (!overHttp || config.allowDirs.length > 0) && !rootsBlock,
    ...(rootsBlock ? { localReadsBlocked: roots.unreadable } : {}),
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

/** The loadSourceBytes options this policy implies; callers override maxBytes, expect, hints. */
export function loadOptions(policy: MediaPolicy, what: string): LoadOptions {
  return {
    allowDirs: policy.allowDirs,
    localReadsAllowed: policy.localReadsAllowed,
    ...(policy.localReadsBlocked !== undefined ? { localReadsBlocked: policy.localReadsBlocked } : {}),
    // The one place every intake (image, video, document, audio) gets the SSRF rule from.
    allowPrivate: policy.privateUrlDownloads,
    maxBytes: policy.inputMaxBytes,
    what,
    timeoutMs: policy.fetchTimeoutMs,
    ...(policy.dispatcher ? { dispatcher: policy.dispatcher } : {}),
    ...(policy.signal ? { signal: policy.signal } : {}),
  };
}
