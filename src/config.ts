// The only module that reads the environment. Everything else receives a frozen Config.
import os from "node:os";
import path from "node:path";
import { maskUrlCredentials } from "./util/url-credentials.js";

export const REGION_BASE_URLS = {
  cn: "https://open.bigmodel.cn/api/paas/v4",
  intl: "https://api.z.ai/api/paas/v4",
} as const;
export const CODING_PLAN_BASE_URLS = {
  cn: "https://open.bigmodel.cn/api/coding/paas/v4",
  intl: "https://api.z.ai/api/coding/paas/v4",
} as const;
export const REALTIME_URLS = {
  cn: "wss://open.bigmodel.cn/api/paas/v4/realtime",
  // No international realtime URL is documented; z.ai mirrors the path of its REST API.
  intl: "wss://api.z.ai/api/paas/v4/realtime",
} as const;

export type Region = keyof typeof REGION_BASE_URLS;
/** The vision tools' model unless GLM_VISION_MODEL / Z_AI_VISION_MODEL says otherwise (why: loadConfig). */
export const DEFAULT_VISION_MODEL = "glm-4.6v";
export type LogLevel = "debug" | "info" | "warning" | "error" | "silent";

/** Values the CLI can set; each overrides the matching environment variable. */
export interface CliOverrides {
  baseUrl?: string;
  codingBaseUrl?: string;
  region?: string;
  codingPlan?: boolean;
  timeoutMs?: string;
  maxRetries?: string;
  model?: string;
  logLevel?: string;
  outputDir?: string;
  allowDirs?: string[];
  inlineUrls?: boolean;
  allowPrivateUrls?: boolean;
  allowSecretFiles?: boolean;
  http?: boolean;
  host?: string;
  port?: string;
  httpToken?: string;
  allowedHosts?: string[];
  maxConcurrency?: string;
  imageMaxEdge?: string;
  imageMaxMb?: string;
  videoMaxMb?: string;
  mediaMaxMb?: string;
  embedCacheDir?: string;
  redisUrl?: string;
  workers?: string;
}

export interface Config {
  readonly apiKey: string | undefined;
  /** Which variable the key came from, for diagnostics (never the key itself). */
  readonly apiKeySource: string | undefined;
  readonly region: Region;
  readonly codingPlan: boolean;
  /** The standard endpoint, including /api/paas/v4, without trailing slash: every non-chat call. */
  readonly baseUrl: string;
  /**
   * With the coding plan on: where chat models go (…/api/coding/paas/v4, derived from baseUrl unless
   * GLM_CODING_BASE_URL says otherwise). Undefined without the plan: chat uses baseUrl too.
   */
  readonly codingBaseUrl: string | undefined;
  readonly realtimeUrl: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly defaultModel: string;
  /** Default model of the vision tools (GLM_VISION_MODEL, alias Z_AI_VISION_MODEL). */
  readonly defaultVisionModel: string;
  readonly logLevel: LogLevel;
  readonly outputDir: string;
  readonly allowDirs: readonly string[];
  readonly inlineUrls: boolean;
  /** Downloads for clients may reach loopback/private/reserved hosts (over HTTP only with this set). */
  readonly allowPrivateUrls: boolean;
  /** Key-like local files (private keys, .env, credentials) may be sent as documents. */
  readonly allowSecretFiles: boolean;
  /** Upper bound of requests in flight toward GLM from this process (GLM limits concurrency). */
  readonly maxConcurrency: number;
  readonly embedConcurrency: number;
  /** Media intake limits (vision, video, document tools). */
  readonly media: {
    /** Longest side sent for photos (screenshots get 1.25x); GLM's own limit is 6000. */
    readonly imageMaxEdge: number;
    /** Byte budget per sent image (GLM's own limit is 5 MB). */
    readonly imageMaxBytes: number;
    /** Largest local/downloaded video sent inline as base64. */
    readonly videoMaxBytes: number;
    /** Largest local file or download read at all (before any shrinking). */
    readonly inputMaxBytes: number;
    readonly fetchTimeoutMs: number;
  };
  /** embed_text cache: memory bound in bytes (0 = off), and an optional directory that persists it. */
  readonly embedCacheMaxBytes: number;
  readonly embedCacheDir: string | undefined;
  /** Proxy URL for display (credentials masked), or undefined. */
  readonly proxy: string | undefined;
  /** Raw proxy settings handed to undici's EnvHttpProxyAgent. */
  readonly proxyEnv: { readonly httpProxy?: string; readonly httpsProxy?: string; readonly noProxy?: string };
  /**
   * Where state shared by replicas lives: conversations, usage, the GLM concurrency budget and
   * cancellations. Without a Redis URL everything stays in this process's memory (the default).
   */
  readonly store: {
    /** redis:// or rediss:// URL (GLM_MCP_REDIS_URL), or undefined for the in-memory store. */
    readonly redisUrl: string | undefined;
    /** The same URL with its password masked, for logs and doctor. */
    readonly redisDisplay: string | undefined;
    /** Key prefix, so several deployments can share one Redis (GLM_MCP_REDIS_PREFIX). */
    readonly prefix: string;
    /** How long a concurrency slot outlives a replica that stopped renewing it (GLM_MCP_LEASE_MS). */
    readonly leaseMs: number;
  };
  /** HTTP worker processes on one port (--workers / GLM_MCP_WORKERS); more than 1 needs Redis. */
  readonly workers: number;
  readonly http: {
    readonly enabled: boolean;
    readonly host: string;
    readonly port: number;
    readonly token: string | undefined;
    readonly allowedHosts: readonly string[];
    /** Open connections at most; more are dropped at accept (GLM_MCP_HTTP_MAX_CONNECTIONS). */
    readonly maxConnections: number;
    /** Time a client has to send one whole request, headers and body (GLM_MCP_HTTP_REQUEST_TIMEOUT_MS). */
    readonly requestTimeoutMs: number;
  };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/** mcpb passes an optional user_config left empty as the literal "${user_config.x}": treat as unset. */
function clean(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "" || /^\$\{user_config\.[^}]*\}$/.test(trimmed)) return undefined;
  return trimmed;
}

function flag(value: string | undefined, name: string): boolean | undefined {
  const v = clean(value)?.toLowerCase();
  if (v === undefined) return undefined;
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`${name} must be 1/true or 0/false, got "${value}"`);
}

function list(value: string | undefined): string[] {
  const v = clean(value);
  if (!v) return [];
  return v
    .split(/[,;]|\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function expandHome(p: string): string {
  if (p === "~") return os.homedir();
  if (p.startsWith("~/")) return path.join(os.homedir(), p.slice(2));
  return p;
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  const v = clean(value);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

function url(value: string, name: string, protocols: string[]): string {
  // URL.canParse is what z.url() checks; zod itself would cost ~50 ms and 14 MB at start.
  if (!URL.canParse(value.trim()))
    throw new ConfigError(
      `${name} must be a full URL such as ${protocols[0]}//host/path, got "${maskUrlCredentials(value)}"`,
    );
  const u = new URL(value);
  if (!protocols.includes(u.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(" or ")}, got "${u.protocol}"`);
  }
  return value.replace(/\/+$/, "");
}

const LOG_LEVELS: LogLevel[] = ["debug", "info", "warning", "error", "silent"];
const KEY_VARS = ["GLM_API_KEY", "ZHIPUAI_API_KEY", "Z_AI_API_KEY"] as const;

export function loadConfig(env: Env = process.env, cli: CliOverrides = {}): Config {
  // The key is read from the environment only: a flag would show it in `ps` output.
  let apiKey: string | undefined;
  let apiKeySource: string | undefined;
  for (const name of KEY_VARS) {
    apiKey = clean(env[name]);
    if (apiKey) {
      apiKeySource = name;
      break;
    }
  }

  const regionRaw = (
    clean(cli.region) ??
    clean(env.GLM_REGION) ??
    regionForZaiMode(clean(env.PLATFORM_MODE), "PLATFORM_MODE") ??
    regionForZaiMode(clean(env.Z_AI_MODE), "Z_AI_MODE") ??
    "cn"
  ).toLowerCase();
  if (regionRaw !== "cn" && regionRaw !== "intl") {
    throw new ConfigError(
      `GLM_REGION must be "cn" (open.bigmodel.cn) or "intl" (api.z.ai), got "${regionRaw}"`,
    );
  }
  const region: Region = regionRaw;
  const codingPlan = cli.codingPlan ?? flag(env.GLM_CODING_PLAN, "GLM_CODING_PLAN") ?? false;

  const baseOverride = clean(cli.baseUrl) ?? clean(env.GLM_BASE_URL);
  let baseUrl = baseOverride
    ? url(baseOverride, "GLM_BASE_URL", ["https:", "http:"])
    : REGION_BASE_URLS[region];
  // Older setups point GLM_BASE_URL at the coding endpoint itself: keep it for chat, use the standard
  // endpoint beside it for everything else (the coding endpoint serves chat models only).
  const pointsAtCoding = CODING_PATH.test(baseUrl);
  const codingOverride = clean(cli.codingBaseUrl) ?? clean(env.GLM_CODING_BASE_URL);
  const codingBaseUrl = !codingPlan
    ? undefined
    : codingOverride
      ? url(codingOverride, "GLM_CODING_BASE_URL", ["https:", "http:"])
      : pointsAtCoding
        ? baseUrl
        : codingUrlFor(baseUrl);
  if (pointsAtCoding) baseUrl = baseUrl.replace(CODING_PATH, "/api/paas/v4");
  const rtOverride = clean(env.GLM_REALTIME_URL);
  const realtimeUrl = rtOverride
    ? url(rtOverride, "GLM_REALTIME_URL", ["wss:", "ws:"])
    : REALTIME_URLS[region];

  const timeoutMs = integer(cli.timeoutMs ?? env.GLM_TIMEOUT_MS, "GLM_TIMEOUT_MS", 1, 3_600_000);
  const maxRetries = integer(cli.maxRetries ?? env.GLM_MAX_RETRIES, "GLM_MAX_RETRIES", 0, 10) ?? 3;
  // glm-4.7 (text) and glm-4.6v (vision) stay the defaults although GLM-5.x is newer: their limits,
  // thinking switch and (4.6V) file_url and 50 images are documented in the vendored spec, and both
  // honour thinking=false. glm-5.3-flash, the official @z_ai/mcp-server's vision default, cannot
  // turn thinking off and has one public source for its figures; its users carry their
  // Z_AI_VISION_MODEL over unchanged (docs/tools.md "Choosing a model").
  const defaultModel = clean(cli.model) ?? clean(env.GLM_MODEL) ?? "glm-4.7";
  const defaultVisionModel =
    clean(env.GLM_VISION_MODEL) ?? clean(env.Z_AI_VISION_MODEL) ?? DEFAULT_VISION_MODEL;

  const logRaw = (clean(cli.logLevel) ?? clean(env.GLM_MCP_LOG_LEVEL) ?? "info").toLowerCase();
  const logLevel = (logRaw === "warn" ? "warning" : logRaw) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`GLM_MCP_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logRaw}"`);
  }

  const outputDir = path.resolve(
    expandHome(clean(cli.outputDir) ?? clean(env.GLM_MCP_OUTPUT_DIR) ?? path.join(os.tmpdir(), "glm-mcp")),
  );
  const allowDirs = [...(cli.allowDirs ?? []), ...list(env.GLM_MCP_ALLOW_DIRS)].map((d) =>
    path.resolve(expandHome(d)),
  );
  const inlineUrls = cli.inlineUrls ?? flag(env.GLM_MCP_INLINE_URLS, "GLM_MCP_INLINE_URLS") ?? false;
  const allowPrivateUrls =
    cli.allowPrivateUrls ?? flag(env.GLM_MCP_ALLOW_PRIVATE_URLS, "GLM_MCP_ALLOW_PRIVATE_URLS") ?? false;
  const allowSecretFiles =
    cli.allowSecretFiles ?? flag(env.GLM_MCP_ALLOW_SECRET_FILES, "GLM_MCP_ALLOW_SECRET_FILES") ?? false;
  const maxConcurrency =
    integer(cli.maxConcurrency ?? env.GLM_MCP_MAX_CONCURRENCY, "GLM_MCP_MAX_CONCURRENCY", 1, 1000) ?? 8;
  const embedConcurrency = integer(env.GLM_MCP_EMBED_CONCURRENCY, "GLM_MCP_EMBED_CONCURRENCY", 1, 64) ?? 4;
  const MB = 1024 * 1024;
  const media = Object.freeze({
    imageMaxEdge:
      integer(cli.imageMaxEdge ?? env.GLM_MCP_IMAGE_MAX_EDGE, "GLM_MCP_IMAGE_MAX_EDGE", 256, 6000) ?? 2048,
    imageMaxBytes:
      (integer(cli.imageMaxMb ?? env.GLM_MCP_IMAGE_MAX_MB, "GLM_MCP_IMAGE_MAX_MB", 1, 5) ?? 4) * MB,
    // 8 MB by default, the local-video cap of the official @z_ai/mcp-server (as read in issue #12):
    // base64 grows it by a third and GLM's request body limit is not documented.
    videoMaxBytes:
      (integer(cli.videoMaxMb ?? env.GLM_MCP_VIDEO_MAX_MB, "GLM_MCP_VIDEO_MAX_MB", 1, 200) ?? 8) * MB,
    inputMaxBytes:
      (integer(cli.mediaMaxMb ?? env.GLM_MCP_MEDIA_MAX_MB, "GLM_MCP_MEDIA_MAX_MB", 1, 2048) ?? 100) * MB,
    fetchTimeoutMs:
      integer(env.GLM_MCP_FETCH_TIMEOUT_MS, "GLM_MCP_FETCH_TIMEOUT_MS", 1000, 600_000) ?? 30_000,
  });
  const embedCacheMb = integer(env.GLM_MCP_EMBED_CACHE_MB, "GLM_MCP_EMBED_CACHE_MB", 0, 65_536) ?? 64;
  const embedCacheDirRaw = clean(cli.embedCacheDir) ?? clean(env.GLM_MCP_EMBED_CACHE_DIR);
  const embedCacheDir = embedCacheDirRaw ? path.resolve(expandHome(embedCacheDirRaw)) : undefined;

  const host = clean(cli.host) ?? clean(env.GLM_MCP_HOST) ?? "127.0.0.1";
  const port = integer(cli.port ?? env.GLM_MCP_PORT, "GLM_MCP_PORT", 0, 65535) ?? 3000;
  const token = clean(cli.httpToken) ?? clean(env.GLM_MCP_HTTP_TOKEN);
  const allowedHosts = [...(cli.allowedHosts ?? []), ...list(env.GLM_MCP_ALLOWED_HOSTS)];
  const httpEnabled = cli.http ?? flag(env.GLM_MCP_HTTP, "GLM_MCP_HTTP") ?? false;
  if (httpEnabled && !isLoopbackHost(host) && !token) {
    throw new ConfigError(
      `refusing to listen on non-loopback host "${host}" without a token: set GLM_MCP_HTTP_TOKEN or --http-token`,
    );
  }

  const redisRaw = clean(cli.redisUrl) ?? clean(env.GLM_MCP_REDIS_URL);
  const redisUrl = redisRaw ? url(redisRaw, "GLM_MCP_REDIS_URL", ["redis:", "rediss:"]) : undefined;
  const workers = integer(cli.workers ?? env.GLM_MCP_WORKERS, "GLM_MCP_WORKERS", 1, 256) ?? 1;
  if (workers > 1 && !httpEnabled)
    throw new ConfigError(`--workers ${workers} needs --http: stdio serves one client from one process`);
  if (workers > 1 && !redisUrl)
    throw new ConfigError(
      `--workers ${workers} needs a shared store: set GLM_MCP_REDIS_URL (conversations, usage, the GLM concurrency budget and cancellations must be shared by every worker)`,
    );

  const httpsProxy = clean(env.HTTPS_PROXY) ?? clean(env.https_proxy);
  const httpProxy = clean(env.HTTP_PROXY) ?? clean(env.http_proxy);
  const noProxy = clean(env.NO_PROXY) ?? clean(env.no_proxy);
  const proxy = baseUrl.startsWith("https:") ? (httpsProxy ?? httpProxy) : httpProxy;

  return Object.freeze({
    apiKey,
    apiKeySource,
    region,
    codingPlan,
    baseUrl,
    codingBaseUrl,
    realtimeUrl,
    timeoutMs: timeoutMs ?? 300_000,
    maxRetries,
    defaultModel,
    defaultVisionModel,
    logLevel,
    outputDir,
    allowDirs: Object.freeze(allowDirs),
    inlineUrls,
    allowPrivateUrls,
    allowSecretFiles,
    maxConcurrency,
    embedConcurrency,
    media,
    embedCacheMaxBytes: embedCacheMb * 1024 * 1024,
    embedCacheDir,
    proxy: proxy ? maskUrlCredentials(proxy) : undefined,
    proxyEnv: Object.freeze({ httpProxy, httpsProxy, noProxy }),
    store: Object.freeze({
      redisUrl,
      redisDisplay: redisUrl ? maskUrlCredentials(redisUrl) : undefined,
      prefix: clean(env.GLM_MCP_REDIS_PREFIX) ?? "glm-mcp",
      leaseMs: integer(env.GLM_MCP_LEASE_MS, "GLM_MCP_LEASE_MS", 1000, 3_600_000) ?? 30_000,
    }),
    workers,
    http: Object.freeze({
      enabled: httpEnabled,
      host,
      port,
      token,
      allowedHosts: Object.freeze(allowedHosts),
      maxConnections:
        integer(env.GLM_MCP_HTTP_MAX_CONNECTIONS, "GLM_MCP_HTTP_MAX_CONNECTIONS", 1, 65_535) ?? 512,
      requestTimeoutMs:
        integer(env.GLM_MCP_HTTP_REQUEST_TIMEOUT_MS, "GLM_MCP_HTTP_REQUEST_TIMEOUT_MS", 1000, 3_600_000) ??
        60_000,
    }),
  });
}

const CODING_PATH = /\/api\/coding\/paas\/v4$/;

/**
 * PLATFORM_MODE / Z_AI_MODE as the official @z_ai/mcp-server 0.1.5 reads them (build/core/
 * environment.js, PLATFORM_MODE first): ZAI / Z_AI / Z mean api.z.ai, ZHIPU / ZHIPUAI / ZHIPU_AI /
 * BIGMODEL mean open.bigmodel.cn. Case is ignored; any other value is an error rather than a silent
 * fall back to cn.
 */
function regionForZaiMode(mode: string | undefined, variable: string): Region | undefined {
  if (mode === undefined) return undefined;
  const m = mode.toUpperCase();
  if (["ZAI", "Z_AI", "Z"].includes(m)) return "intl";
  if (["ZHIPU", "ZHIPUAI", "ZHIPU_AI", "BIGMODEL"].includes(m)) return "cn";
  throw new ConfigError(
    `${variable} must be ZAI (api.z.ai, region intl) or ZHIPU (open.bigmodel.cn, region cn), got "${mode}"; or set GLM_REGION instead`,
  );
}

/** …/api/paas/v4 → …/api/coding/paas/v4 (REF §1: the coding plan's OpenAI-protocol endpoints). */
export function codingUrlFor(standard: string): string {
  if (!/\/api\/paas\/v4$/.test(standard))
    throw new ConfigError(
      `GLM_CODING_PLAN is on but GLM_BASE_URL (${standard}) does not end in /api/paas/v4, so the coding endpoint cannot be derived from it: set GLM_CODING_BASE_URL too`,
    );
  return standard.replace(/\/api\/paas\/v4$/, "/api/coding/paas/v4");
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

export const ENV_VARS_FOR_KEY = KEY_VARS;
