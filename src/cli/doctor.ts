// `glm-mcp doctor`: checks the setup a user is most likely to get wrong (key, endpoint, proxy,
// output dir) with one cheap request, and never prints the key (only where it came from and its length).
import { randomBytes } from "node:crypto";
import { rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config.js";
import { ENV_VARS_FOR_KEY, REALTIME_URLS, REGION_BASE_URLS } from "../config.js";
import { dispatcherFromConfig, GlmClient } from "../glm/client.js";
import { describeError } from "../glm/errors.js";
import { redact } from "../log.js";
import { ensureOutputDir, OutputDirError } from "../output/files.js";
import { VERSION } from "../version.js";
import { secretsOf } from "../state/secrets.js";
import { toolEndpointsLine } from "../server/tool-endpoints.js";
import { maskUrlCredentials } from "../util/url-credentials.js";
import { formatLive, liveOk, runLiveChecks, type LiveOptions } from "./doctor-live.js";

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
}

/** The free model pinged on the pay-as-you-go endpoints; coding-plan endpoints get the configured model. */
export const DOCTOR_MODEL = "glm-4.7-flash";
const PING_TIMEOUT_MS = 30_000;

export interface DoctorOptions {
  /** For tests: the client used for the ping (default: one built from config, without retries). */
  glm?: GlmClient;
  now?: () => number;
}

export function doctorModel(config: Config): string {
  return config.codingPlan ? config.defaultModel : DOCTOR_MODEL;
}

/** The tools' own check (0700, ours, not a symlink, not world-writable), then a real write. */
async function checkOutputDir(dir: string): Promise<DoctorCheck> {
  const name = "Output dir";
  try {
    await ensureOutputDir(dir);
  } catch (err) {
    return { name, status: "fail", detail: err instanceof OutputDirError ? err.message : describeError(err) };
  }
  const probe = path.join(dir, `.doctor-${randomBytes(4).toString("hex")}`);
  try {
    await writeFile(probe, "ok", { flag: "wx", mode: 0o600 });
    await rm(probe, { force: true });
    return { name, status: "ok", detail: `${dir} (private to you, writable)` };
  } catch (err) {
    return {
      name,
      status: "fail",
      detail: `${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? describeError(err)}): set GLM_MCP_OUTPUT_DIR or --output-dir to a writable folder`,
    };
  }
}

/** Where requests really go: the region's endpoint, or the override that replaces it. */
export function endpointDetail(config: Config): string {
  const api =
    config.baseUrl === REGION_BASE_URLS[config.region]
      ? `${config.baseUrl} (region ${config.region}${config.codingPlan ? ", coding plan" : ""})`
      : `${config.baseUrl} (GLM_BASE_URL / --base-url; overrides region ${config.region}${config.codingPlan ? ", coding plan" : ""})`;
  const realtime =
    config.realtimeUrl === REALTIME_URLS[config.region]
      ? config.realtimeUrl
      : `${config.realtimeUrl} (GLM_REALTIME_URL)`;
  return `${api}; realtime ${realtime}; ${toolEndpointsLine(config)}`;
}

async function checkAllowDirs(config: Config): Promise<DoctorCheck> {
  if (config.allowDirs.length === 0) {
    return {
      name: "Allowed dirs",
      status: "ok",
      detail: config.http.enabled
        ? "none: over HTTP, local media paths are refused (add --allow-dir to allow a folder)"
        : "none: over stdio, local media paths are read anywhere the client's roots allow",
    };
  }
  const missing: string[] = [];
  for (const d of config.allowDirs) {
    const st = await stat(d).catch(() => undefined);
    if (!st?.isDirectory()) missing.push(d);
  }
  return {
    name: "Allowed dirs",
    status: missing.length ? "warn" : "ok",
    detail: config.allowDirs.join(", ") + (missing.length ? ` (not found: ${missing.join(", ")})` : ""),
  };
}

async function checkEndpoint(config: Config, opts: DoctorOptions): Promise<DoctorCheck> {
  const name = "GLM answers";
  if (!config.apiKey) return { name, status: "skip", detail: "skipped: no API key" };
  const model = doctorModel(config);
  const glm =
    opts.glm ??
    new GlmClient({
      baseUrl: config.baseUrl,
      codingBaseUrl: config.codingBaseUrl,
      apiKey: config.apiKey,
      timeoutMs: Math.min(config.timeoutMs, PING_TIMEOUT_MS),
      maxRetries: 0,
      dispatcher: dispatcherFromConfig(config),
    });
  const now = opts.now ?? Date.now;
  const started = now();
  try {
    const res = await glm.chat({
      model,
      messages: [{ role: "user", content: "ping" }],
      max_tokens: 1,
      thinking: { type: "disabled" },
    });
    return {
      name,
      status: "ok",
      detail: `${res.model ?? model} replied in ${now() - started} ms (POST /chat/completions, max_tokens 1)`,
    };
  } catch (err) {
    return { name, status: "fail", detail: `${model} did not answer: ${describeError(err)}` };
  }
}

export async function runDoctorChecks(config: Config, opts: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  checks.push(
    config.apiKey
      ? {
          name: "API key",
          status: "ok",
          detail: `set from ${config.apiKeySource ?? "?"} (${config.apiKey.length} characters)`,
        }
      : {
          name: "API key",
          status: "fail",
          detail: `not set: export ${ENV_VARS_FOR_KEY[0]} (or ${ENV_VARS_FOR_KEY.slice(1).join(" / ")}) with a key from open.bigmodel.cn or z.ai`,
        },
  );
  checks.push({
    name: "Endpoint",
    status: "ok",
    detail: endpointDetail(config),
  });
  checks.push({
    name: "Models",
    status: "ok",
    // Which models a call without `model` uses, and the settings that change them.
    detail: `glm_reason ${config.defaultModel} (GLM_MODEL), vision tools ${config.defaultVisionModel} (GLM_VISION_MODEL); any other name is sent to GLM as given`,
  });
  checks.push({
    name: "Proxy",
    status: "ok",
    detail: config.proxy
      ? `${config.proxy}${config.proxyEnv.noProxy ? ` (NO_PROXY ${config.proxyEnv.noProxy})` : ""}`
      : "none (HTTPS_PROXY / HTTP_PROXY not set)",
  });
  checks.push(await checkEndpoint(config, opts));
  checks.push(await checkOutputDir(config.outputDir));
  checks.push(await checkAllowDirs(config));
  checks.push(await checkStore(config));
  return checks;
}

/** Where conversations, usage and the GLM budget live; with Redis, one PING through the store's client. */
async function checkStore(config: Config): Promise<DoctorCheck> {
  const name = "State store";
  const { redisUrl, redisDisplay } = config.store;
  if (!redisUrl)
    return {
      name,
      status: "ok",
      detail: "this process's memory (GLM_MCP_REDIS_URL shares it between replicas)",
    };
  const { Redis } = await import("ioredis");
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: 3_000,
    commandTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return { name, status: "ok", detail: `Redis at ${redisDisplay}, reachable` };
  } catch (err) {
    return {
      name,
      status: "fail",
      detail: `Redis at ${redisDisplay} is unreachable (${maskUrlCredentials((err as Error).message)}): start it or fix GLM_MCP_REDIS_URL; conversations cannot be continued across replicas meanwhile`,
    };
  } finally {
    client.disconnect();
  }
}

const MARK: Record<CheckStatus, string> = { ok: "ok  ", warn: "warn", fail: "FAIL", skip: "skip" };

export function formatDoctor(checks: readonly DoctorCheck[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `[${MARK[c.status]}] ${c.name.padEnd(width)}  ${c.detail}`);
  const failed = checks.filter((c) => c.status === "fail").length;
  return (
    [
      `glm-mcp ${VERSION} doctor`,
      ...lines,
      failed ? `${failed} check(s) failed.` : "All checks passed.",
    ].join("\n") + "\n"
  );
}

/** Runs the checks, writes the report to `write`, and returns the exit code (0 = all passed). */
export async function doctor(
  config: Config,
  write: (text: string) => void,
  opts: DoctorOptions & { json?: boolean; live?: boolean; all?: LiveOptions["all"] } = {},
): Promise<number> {
  const checks = await runDoctorChecks(config, opts);
  const live = opts.live && config.apiKey ? await runLiveChecks(config, opts) : undefined;
  const ok = !checks.some((c) => c.status === "fail") && (!live || liveOk(live));
  const text = opts.json
    ? JSON.stringify({ ok, version: VERSION, checks, ...(live ? { live } : {}) }, null, 2) + "\n"
    : formatDoctor(checks) + (live ? formatLive(live) : "");
  // Belt and braces: no check prints the key, and an upstream message cannot smuggle it out either.
  write(redact(text, secretsOf(config)));
  return ok ? 0 : 1;
}
