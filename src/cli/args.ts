// Command-line flags (node:util parseArgs) and the --help text.
import { parseArgs } from "node:util";
import type { CliOverrides } from "../config.js";
import { nearest } from "../util/nearest.js";

export const HELP = `glm-mcp — MCP server for Zhipu GLM models (GLM-4.7/5.x, GLM-4.6V/5.3-Flash, GLM-OCR, Embedding-3 + rerank,
          GLM-4-Voice, GLM-Realtime, GLM-ASR, GLM-Image, web search and reader)

Usage:
  glm-mcp [options]            run the MCP server on stdio (default)
  glm-mcp --http [options]     run the MCP server over streamable HTTP at http://HOST:PORT/mcp
  glm-mcp doctor [--json]      check key, endpoint (one tiny request), region, proxy, output dir; exit 0/1
  glm-mcp doctor --live [--all]
                               also one minimal real request per capability, as a table of what your key,
                               plan and region can use: glm-4.7-flash and glm-4.6v-flash (free), one
                               256-d embedding-3 vector (0.5 元 per million tokens: one word), the realtime
                               handshake (no input, free), one 512 px cogview-3-flash image (free tier);
                               --all adds glm-4-voice (paid, 80 元 per million tokens) and glm-asr-2512 (paid)
  glm-mcp call <tool> --args '<json>' [--json]
                               run one tool once and print its result (text, or structuredContent
                               as JSON with --json); exit 0 on success, 1 on an error result

Options:
  --http                 serve streamable HTTP instead of stdio (env GLM_MCP_HTTP=1)
  --host <host>          HTTP bind address (default 127.0.0.1; env GLM_MCP_HOST)
  --port <port>          HTTP port (default 3000; env GLM_MCP_PORT)
  --http-token <token>   require "Authorization: Bearer <token>" on every HTTP request (env GLM_MCP_HTTP_TOKEN);
                         mandatory when --host is not a loopback address
  --allowed-hosts <h>    extra Host/Origin names accepted over HTTP, comma-separated or repeated (env GLM_MCP_ALLOWED_HOSTS)
                         HTTP limits: env GLM_MCP_HTTP_MAX_CONNECTIONS (open connections, default 512) and
                         GLM_MCP_HTTP_REQUEST_TIMEOUT_MS (time to send one whole request, default 60000)
  --workers <n>          HTTP worker processes sharing the port, one per core (default 1; env GLM_MCP_WORKERS);
                         more than 1 needs --redis-url
  --redis-url <url>      keep conversations, usage, the GLM concurrency budget and cancellations in Redis,
                         shared by every worker and replica (env GLM_MCP_REDIS_URL; key prefix GLM_MCP_REDIS_PREFIX);
                         prefer the env var when the URL holds a password (a flag shows in ps until start-up masks it)
  --region <cn|intl>     cn = open.bigmodel.cn (default), intl = api.z.ai (env GLM_REGION; the official server's
                         PLATFORM_MODE / Z_AI_MODE = ZAI or ZHIPU are read too)
  --coding-plan          use the GLM Coding Plan endpoint of the region (env GLM_CODING_PLAN=1)
  --base-url <url>       full API base URL incl. /api/paas/v4; overrides region (env GLM_BASE_URL)
  --model <name>         default model for glm_reason (default glm-4.7; env GLM_MODEL); vision tools' default:
                         env GLM_VISION_MODEL (or Z_AI_VISION_MODEL), default glm-4.6v. Any name goes to GLM as given
  --timeout-ms <ms>      max silence from GLM before a call fails (default 300000; env GLM_TIMEOUT_MS)
  --max-retries <n>      retries for rate limits, overload, 5xx and network faults (default 3; env GLM_MAX_RETRIES)
  --max-concurrency <n>  requests in flight to GLM at once; more calls queue (default 8; env GLM_MCP_MAX_CONCURRENCY)
  --output-dir <dir>     where audio, embeddings and other files are written (env GLM_MCP_OUTPUT_DIR)
  --embed-cache-dir <d>  persist embed_text's vector cache in this directory (env GLM_MCP_EMBED_CACHE_DIR;
                         memory bound env GLM_MCP_EMBED_CACHE_MB, default 64, 0 = memory cache off)
  --allow-dir <dir>      allow local media reads only under this directory; repeatable (env GLM_MCP_ALLOW_DIRS)
  --inline-urls          download media URLs and send the bytes instead of the URL (env GLM_MCP_INLINE_URLS=1)
  --allow-private-urls   over HTTP, let clients' URLs reach loopback/private/reserved hosts (env GLM_MCP_ALLOW_PRIVATE_URLS=1)
  --allow-secret-files   let key-like files (private keys, .env, credentials) be sent as documents (env GLM_MCP_ALLOW_SECRET_FILES=1)
  --image-max-edge <px>  longest side of images sent to GLM (photos; screenshots get 1.25x) (default 2048; env GLM_MCP_IMAGE_MAX_EDGE)
  --image-max-mb <n>     byte budget per image sent, 1-5 MB (default 4; env GLM_MCP_IMAGE_MAX_MB)
  --video-max-mb <n>     largest local video sent inline as base64 (default 8; env GLM_MCP_VIDEO_MAX_MB)
  --media-max-mb <n>     largest local file or download read at all (default 100; env GLM_MCP_MEDIA_MAX_MB)
  --log-level <level>    debug, info, warning, error or silent (default info; env GLM_MCP_LOG_LEVEL)
  --args <json>          call: the tool's arguments as one JSON object ("-" = read it from stdin)
  --json                 call/doctor: print JSON instead of text
  -h, --help             print this help
  -v, --version          print the version

The API key is read from GLM_API_KEY (or ZHIPUAI_API_KEY / Z_AI_API_KEY), never from a flag.
Proxies: HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured.
`;

export interface ParsedCli {
  help: boolean;
  version: boolean;
  command: string | undefined;
  rest: string[];
  /** `call --args`: the tool arguments as JSON text. */
  toolArgs: string | undefined;
  /** `call`/`doctor --json`. */
  json: boolean;
  /** `doctor --live` (real requests per capability) and `--all` (paid ones too). */
  live: boolean;
  all: boolean;
  overrides: CliOverrides;
}

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
  args: { type: "string" },
  json: { type: "boolean" },
  live: { type: "boolean" },
  all: { type: "boolean" },
  http: { type: "boolean" },
  host: { type: "string" },
  port: { type: "string" },
  "http-token": { type: "string" },
  "allowed-hosts": { type: "string", multiple: true },
  region: { type: "string" },
  "coding-plan": { type: "boolean" },
  "base-url": { type: "string" },
  model: { type: "string" },
  "timeout-ms": { type: "string" },
  "max-retries": { type: "string" },
  "max-concurrency": { type: "string" },
  "output-dir": { type: "string" },
  "embed-cache-dir": { type: "string" },
  "allow-dir": { type: "string", multiple: true },
  "inline-urls": { type: "boolean" },
  "allow-private-urls": { type: "boolean" },
  "allow-secret-files": { type: "boolean" },
  "image-max-edge": { type: "string" },
  "image-max-mb": { type: "string" },
  "video-max-mb": { type: "string" },
  "media-max-mb": { type: "string" },
  "log-level": { type: "string" },
  workers: { type: "string" },
  "redis-url": { type: "string" },
} as const;

/** node's "Unknown option '--arg'…" as one line naming the nearest real flag. */
function withSuggestion(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  const flag = /'(-{1,2}[^']+)'/.exec(err.message)?.[1];
  if (code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION" || !flag) return err.message;
  const near = nearest(flag.replace(/^-+/, "").split("=")[0]!, Object.keys(OPTIONS));
  return near ? `unknown option ${flag} (did you mean --${near}?)` : `unknown option ${flag}`;
}

const parseOptions = (argv: string[]) =>
  parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });

export function parseCli(argv: string[]): ParsedCli {
  let parsed;
  try {
    // No flags (how most clients spawn it): parseArgs's module is not even loaded (~1 ms at start).
    parsed =
      argv.length === 0
        ? { values: {} as ReturnType<typeof parseOptions>["values"], positionals: [] as string[] }
        : parseOptions(argv);
  } catch (err) {
    throw new Error(withSuggestion(err as Error));
  }
  const { values, positionals } = parsed;
  const splitList = (v: string[] | undefined) =>
    v
      ?.flatMap((s) => s.split(","))
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    help: values.help ?? false,
    version: values.version ?? false,
    command: positionals[0],
    rest: positionals.slice(1),
    toolArgs: values.args,
    json: values.json ?? false,
    live: values.live ?? false,
    all: values.all ?? false,
    overrides: {
      http: values.http,
      host: values.host,
      port: values.port,
      httpToken: values["http-token"],
      allowedHosts: splitList(values["allowed-hosts"]),
      region: values.region,
      codingPlan: values["coding-plan"],
      baseUrl: values["base-url"],
      model: values.model,
      timeoutMs: values["timeout-ms"],
      maxRetries: values["max-retries"],
      maxConcurrency: values["max-concurrency"],
      outputDir: values["output-dir"],
      embedCacheDir: values["embed-cache-dir"],
      allowDirs: values["allow-dir"],
      inlineUrls: values["inline-urls"],
      allowPrivateUrls: values["allow-private-urls"],
      allowSecretFiles: values["allow-secret-files"],
      imageMaxEdge: values["image-max-edge"],
      imageMaxMb: values["image-max-mb"],
      videoMaxMb: values["video-max-mb"],
      mediaMaxMb: values["media-max-mb"],
      logLevel: values["log-level"],
      workers: values.workers,
      redisUrl: values["redis-url"],
    },
  };
}
