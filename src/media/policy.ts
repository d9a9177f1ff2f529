// Where local media may be read from, for one tool call: configured --allow-dir trees, plus the
// client's MCP roots over stdio (handed in as plain data). Over HTTP the operator's --allow-dir is
// the only authority. The working directory is a text root only when neither roots nor --allow-dir
// say anything, and never when it is "/" or the home folder itself (that would be every file).
import os from "node:os";
import path from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { ProxyEnv } from "../glm/outbound.js";
import type { LoadOptions } from "./sources.js";
import type { ImageBudget } from "./image.js";

export interface MediaPolicy {
  /** Where any local file may be read (text included): --allow-dir, plus over stdio the roots, or else the working directory. */
  allowDirs: readonly string[];
  /** Why no folder holds readable text for this call (stdio started in / or the home folder, no roots): a clause. */
  noTextDirs?: string;
  /** Over stdio without --allow-dir: files whose bytes are an image, audio or video may come from anywhere the user can read. */
  mediaAnywhere: boolean;
  /** Key-like files (private keys, .env, credentials) may be read (--allow-secret-files). */
  allowSecretFiles: boolean;
  localReadsAllowed: boolean;
  /** Why local reads are off for this call when it is not the HTTP rule (a clause, e.g. roots that could not be read). */
  localReadsBlocked?: string;
  inlineUrls: boolean;
  /** Largest local file / download read at all. */
  inputMaxBytes: number;
  videoMaxBytes: number;
  imageBudget: ImageBudget;
  fetchTimeoutMs: number;
  /** Whether the server may download from loopback/private/reserved hosts (over HTTP only with --allow-private-urls). */
  privateUrlDownloads: boolean;
  /** Proxy settings (HTTPS_PROXY…) for downloads; the outbound factory applies the host rule on every path. */
  proxy: ProxyEnv;
  signal?: AbortSignal;
}

/** The client's MCP roots as plain data, listed by the server layer (src/server/roots.ts). */
export interface ClientRoots {
  /** The usable roots as local directories. */
  dirs: string[];
  /** Set when the client declared roots but none could be used: local reads must then be refused. */
  unreadable?: string;
}

/** The policy for one call. `roots` is ignored over HTTP, where --allow-dir is the only authority. */
export function mediaPolicy(
  config: Config,
  logger: Logger,
  clientRoots: ClientRoots,
  signal?: AbortSignal,
): MediaPolicy {
  const overHttp = config.http.enabled;
  const roots = overHttp ? { dirs: [] } : clientRoots;
  if (roots.dirs.length)
    logger.debug(`media reads limited to client roots and allow dirs`, { roots: roots.dirs.length });
  // Roots that could not be read only widen nothing: with --allow-dir set, those dirs still bound
  // reads; without it, the fallback would be "anywhere", so local reads are refused for this call.
  const rootsBlock = roots.unreadable !== undefined && config.allowDirs.length === 0;
  if (roots.unreadable !== undefined)
    logger.warning("client roots unusable; local reads refused unless --allow-dir is set", {
      reason: roots.unreadable,
    });
  // Over stdio the server runs as the user who started it: media may come from anywhere that user
  // can read (the screenshot on the Desktop), text only from the roots, allow-dirs or the working
  // directory. An operator's --allow-dir is a deliberate bound, so it keeps bounding everything.
  const stdioDefault = !overHttp && config.allowDirs.length === 0;
  // Roots the client sends are its statement of the sandbox: cwd joins only when there are none.
  const cwd = process.cwd();
  const cwdFallback = stdioDefault && roots.dirs.length === 0 && roots.unreadable === undefined;
  const cwdTooBroad = cwdFallback && isTooBroad(cwd);
  return {
    allowDirs: [...config.allowDirs, ...roots.dirs, ...(cwdFallback && !cwdTooBroad ? [cwd] : [])],
    ...(cwdTooBroad
      ? {
          noTextDirs: `the server runs in ${cwd}, ${cwd === os.homedir() ? "your home folder" : "the file system root"}, which is too broad to read text from, and the client sent no roots`,
        }
      : {}),
    mediaAnywhere: stdioDefault,
    allowSecretFiles: config.allowSecretFiles,
    localReadsAllowed: (!overHttp || config.allowDirs.length > 0) && !rootsBlock,
    ...(rootsBlock ? { localReadsBlocked: roots.unreadable } : {}),
    inlineUrls: config.inlineUrls,
    inputMaxBytes: config.media.inputMaxBytes,
    videoMaxBytes: config.media.videoMaxBytes,
    imageBudget: { maxEdge: config.media.imageMaxEdge, maxBytes: config.media.imageMaxBytes },
    fetchTimeoutMs: config.media.fetchTimeoutMs,
    // Over HTTP a remote client could otherwise make this server fetch its own network (SSRF):
    // only the flag of that name allows it (--inline-urls is about how URLs are sent, not where).
    privateUrlDownloads: !overHttp || config.allowPrivateUrls,
    proxy: config.proxyEnv,
    ...(signal ? { signal } : {}),
  };
}

/** "/" (or a drive root) and the home folder itself: as a text root they would expose every key and history file. */
function isTooBroad(dir: string): boolean {
  const d = path.resolve(dir);
  return d === path.parse(d).root || d === path.resolve(os.homedir());
}

/** The loadSourceBytes options this policy implies; callers override maxBytes, expect, hints. */
export function loadOptions(policy: MediaPolicy, what: string): LoadOptions {
  return {
    allowDirs: policy.allowDirs,
    mediaAnywhere: policy.mediaAnywhere,
    allowSecretFiles: policy.allowSecretFiles,
    localReadsAllowed: policy.localReadsAllowed,
    ...(policy.localReadsBlocked !== undefined ? { localReadsBlocked: policy.localReadsBlocked } : {}),
    ...(policy.noTextDirs !== undefined ? { noTextDirs: policy.noTextDirs } : {}),
    // The one place every intake (image, video, document, audio) gets the SSRF rule from.
    allowPrivate: policy.privateUrlDownloads,
    maxBytes: policy.inputMaxBytes,
    what,
    timeoutMs: policy.fetchTimeoutMs,
    proxy: policy.proxy,
    ...(policy.signal ? { signal: policy.signal } : {}),
  };
}
