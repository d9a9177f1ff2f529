// Typed GLM errors: built once from HTTP status + business code, never wrapped twice.
// Each class carries one actionable sentence for the agent (what failed, why, what to do).
import { redactKnown } from "../util/redact.js";

export interface GlmErrorInit {
  status?: number;
  code?: string;
  upstreamMessage?: string;
  requestId?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class GlmError extends Error {
  override name = "GlmError";
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly upstreamMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** Whether repeating the same request can succeed. */
  readonly retryable: boolean = false;

  constructor(message: string, init: GlmErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    // GLM may echo the request (Authorization header included): redact before anything cuts it.
    this.upstreamMessage = init.upstreamMessage === undefined ? undefined : redactKnown(init.upstreamMessage);
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The sentence shown to the agent in an isError result. */
  toolMessage(): string {
    const tag = [this.status && `HTTP ${this.status}`, this.code && `code ${this.code}`]
      .filter(Boolean)
      .join(", ");
    const upstream = this.upstreamMessage ? ` GLM said: "${truncate(this.upstreamMessage, 300)}".` : "";
    return `${this.message}${tag ? ` (${tag})` : ""}.${upstream}`;
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + "…" : s;
}

export class MissingApiKeyError extends GlmError {
  override name = "MissingApiKeyError";
  constructor() {
    super(
      "No GLM API key is configured: set GLM_API_KEY (or ZHIPUAI_API_KEY / Z_AI_API_KEY) in the MCP server's environment and restart it; keys come from open.bigmodel.cn (region cn) or z.ai (region intl)",
    );
  }
}

export class AuthenticationError extends GlmError {
  override name = "AuthenticationError";
  constructor(init: GlmErrorInit) {
    super(
      "GLM rejected the API key: check GLM_API_KEY, and that the key matches the region (GLM_REGION=cn for open.bigmodel.cn keys, intl for z.ai keys) and plan (GLM_CODING_PLAN)",
      init,
    );
  }
}

export class InsufficientBalanceError extends GlmError {
  override name = "InsufficientBalanceError";
  constructor(init: GlmErrorInit) {
    super(
      "The GLM account has no balance or resource package for this model: top up the account, use a free model (e.g. glm-4.7-flash, glm-4.6v-flash), or check that a Coding Plan key is used with GLM_CODING_PLAN=1",
      init,
    );
  }
}

export class QuotaExceededError extends GlmError {
  override name = "QuotaExceededError";
  constructor(init: GlmErrorInit) {
    super(
      "A GLM usage quota or plan limit was reached: wait for the quota window to reset or use another model or plan",
      init,
    );
  }
}

export class PermissionDeniedError extends GlmError {
  override name = "PermissionDeniedError";
  constructor(init: GlmErrorInit) {
    super(
      "The GLM account has no permission for this API or model: enable it in the GLM console or pick another model",
      init,
    );
  }
}

export class BadRequestError extends GlmError {
  override name = "BadRequestError";
  constructor(
    init: GlmErrorInit,
    message = "GLM rejected the request parameters: fix the arguments named in GLM's message and call again",
  ) {
    super(message, init);
  }
}

export class ModelNotFoundError extends BadRequestError {
  override name = "ModelNotFoundError";
  constructor(
    init: GlmErrorInit,
    message = "GLM does not know this model (or the key cannot use it): pick a model listed in the glm://models resource",
  ) {
    super(init, message);
  }
}

export class PromptTooLongError extends BadRequestError {
  override name = "PromptTooLongError";
  constructor(init: GlmErrorInit) {
    super(
      init,
      "The prompt is longer than the model's context window: shorten the input, send fewer or smaller files, or start a new conversation",
    );
  }
}

export class ContentFilteredError extends GlmError {
  override name = "ContentFilteredError";
  constructor(init: GlmErrorInit) {
    super(
      "GLM's content safety filter blocked this request or its answer: rephrase the prompt or remove the flagged content; repeating it unchanged will fail again",
      init,
    );
  }
}

export class RateLimitError extends GlmError {
  override name = "RateLimitError";
  override readonly retryable = true;
  constructor(init: GlmErrorInit) {
    super(
      "GLM's rate or concurrency limit for this account was hit and retries did not get through: wait a minute, lower GLM_MCP_MAX_CONCURRENCY, or use a higher account tier",
      init,
    );
  }
}

export class OverloadedError extends GlmError {
  override name = "OverloadedError";
  override readonly retryable = true;
  constructor(init: GlmErrorInit) {
    super(
      "The GLM model is overloaded right now and retries did not get through: try again in a minute or use a lighter model (e.g. glm-4.5-air)",
      init,
    );
  }
}

export class ServerError extends GlmError {
  override name = "ServerError";
  override readonly retryable = true;
  constructor(init: GlmErrorInit) {
    super("GLM had an internal error and retries did not get through: try again shortly", init);
  }
}

export class InvalidResponseError extends GlmError {
  override name = "InvalidResponseError";
  override readonly retryable = true;
  constructor(detail: string, init: GlmErrorInit = {}) {
    super(
      `GLM sent a response that could not be read (${detail}): try again; if it persists, check GLM_BASE_URL and any proxy in between`,
      init,
    );
  }
}

/** A response of the wrong kind (e.g. HTML from a gateway where an SSE stream was asked for): retrying will not help. */
export class UnexpectedResponseError extends GlmError {
  override name = "UnexpectedResponseError";
  constructor(detail: string, init: GlmErrorInit = {}) {
    super(
      `GLM's endpoint answered with something other than the API (${detail}): check GLM_BASE_URL (it must end in /api/paas/v4) and any proxy or gateway in between`,
      init,
    );
  }
}

export class TimeoutError extends GlmError {
  override name = "TimeoutError";
  override readonly retryable = true;
  constructor(timeoutMs: number, init: GlmErrorInit = {}) {
    const within =
      timeoutMs <= 0
        ? "in time"
        : timeoutMs < 1000
          ? `within ${timeoutMs} ms`
          : `within ${Math.round(timeoutMs / 1000)} s`;
    super(
      `GLM did not answer ${within}: try a smaller input or a faster model, or raise GLM_TIMEOUT_MS`,
      init,
    );
  }
}

export class ConnectionError extends GlmError {
  override name = "ConnectionError";
  override readonly retryable = true;
  constructor(detail: string, init: GlmErrorInit = {}) {
    super(
      `Could not reach GLM (${detail}): check the network, HTTPS_PROXY and GLM_BASE_URL / GLM_REGION`,
      init,
    );
  }
}

export class StreamInterruptedError extends GlmError {
  override name = "StreamInterruptedError";
  constructor(detail: string, init: GlmErrorInit = {}) {
    super(`The GLM stream broke off before it finished (${detail}): call the tool again`, init);
  }
}

export class CancelledError extends GlmError {
  override name = "CancelledError";
  constructor() {
    super("The call was cancelled by the client before GLM answered");
  }
}

const AUTH_CODES = new Set(["1000", "1001", "1002", "1003", "1004", "1005"]);
const SERVER_CODES = new Set(["1200", "1230", "1234"]);
const BAD_PARAM_CODES = new Set(["1210", "1212", "1213", "1214", "1215", "1221", "1222"]);

/**
 * The Web Search API's own codes (openapi-2026-07-11.json, /paas/v4/web_search, default response):
 * 1701 search concurrency limit reached (retry later), 1702 no search engine service available,
 * 1703 the engine returned no valid data ("请调整查询条件").
 */
export class SearchUnavailableError extends GlmError {
  override name = "SearchUnavailableError";
  constructor(init: GlmErrorInit) {
    super(
      "GLM has no search engine service available for this key right now: try another engine (search_std, search_pro) or check that web search is enabled for the account",
      init,
    );
  }
}

export class SearchNoResultsError extends BadRequestError {
  override name = "SearchNoResultsError";
  constructor(init: GlmErrorInit) {
    super(
      init,
      "GLM's search engine returned no usable results for this query: rephrase or shorten it, or drop the domain and recency filters",
    );
  }
}

interface ErrorFields {
  code?: string;
  message?: string;
  requestId?: string;
}

/** The code, message and request id of a parsed GLM error body (tolerating other shapes). */
function errorFields(body: Record<string, unknown>): ErrorFields {
  const err = (body.error ?? body) as Record<string, unknown>;
  const code = err.code ?? body.code;
  const message = err.message ?? body.message ?? body.msg;
  return {
    code: code === undefined || code === null ? undefined : String(code),
    message: typeof message === "string" ? message : undefined,
    requestId: typeof body.request_id === "string" ? body.request_id : undefined,
  };
}

/** Parses a GLM error body `{"error":{"code","message"}}` (tolerating other shapes). */
export function parseErrorBody(text: string): ErrorFields {
  try {
    return errorFields(JSON.parse(text) as Record<string, unknown>);
  } catch {
    return { message: text.trim() ? redactKnown(text.trim()).slice(0, 500) : undefined };
  }
}

/**
 * The typed error of an answer that parsed as JSON but carries `{"error": {...}}` (a 200 JSON
 * answer, an SSE request answered with JSON, an error chunk inside a stream); undefined otherwise.
 * `status` is the HTTP status when the error came as a whole answer, absent inside a stream.
 */
export function errorInBody(parsed: unknown, status?: number): GlmError | undefined {
  const body = parsed as { error?: unknown } | null | undefined;
  if (!body || typeof body !== "object" || body.error === undefined || body.error === null) return undefined;
  // A gateway's `{"error": "Service Unavailable"}` is an error too, its text the message.
  const { code, message } =
    typeof body.error === "object"
      ? errorFields(body as Record<string, unknown>)
      : { code: undefined, message: String(body.error) };
  return errorFromCode(code, status ?? 200, {
    ...(status === undefined ? {} : { status }),
    code,
    upstreamMessage: message,
  });
}

type HeaderBag = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

/** Retry-After (seconds or HTTP date) and retry-after-ms, in milliseconds. */
export function parseRetryAfter(headers: HeaderBag): number | undefined {
  const get = (name: string): string | undefined => {
    // Duck-typed: undici's Headers is not the global Headers class.
    if (typeof headers.get === "function")
      return (headers as { get(n: string): string | null }).get(name) ?? undefined;
    const v = (headers as Record<string, string | string[] | undefined>)[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const ms = get("retry-after-ms");
  if (ms !== undefined && ms !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = get("retry-after");
  if (ra === undefined || ra === "") return undefined;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Picks the error class for an HTTP error response (or an in-stream error object). */
export function errorFromResponse(status: number, bodyText: string, headers?: HeaderBag): GlmError {
  const { code, message, requestId } = parseErrorBody(bodyText);
  const init: GlmErrorInit = {
    status: status || undefined,
    code,
    upstreamMessage: message,
    requestId,
    retryAfterMs: headers ? parseRetryAfter(headers) : undefined,
  };
  return errorFromCode(code, status, init);
}

export function errorFromCode(code: string | undefined, status: number, init: GlmErrorInit): GlmError {
  if (code && AUTH_CODES.has(code)) return new AuthenticationError(init);
  if (code === "1113") return new InsufficientBalanceError(init);
  if (code === "1211") return new ModelNotFoundError(init);
  if (code === "1261") return new PromptTooLongError(init);
  if (code === "1301") return new ContentFilteredError(init);
  if (code === "1302" || code === "1303" || code === "1701") return new RateLimitError(init);
  if (code === "1702") return new SearchUnavailableError(init);
  if (code === "1703") return new SearchNoResultsError(init);
  if (code === "1305") return new OverloadedError(init);
  if (code === "1220") return new PermissionDeniedError(init);
  if (code && SERVER_CODES.has(code)) return new ServerError(init);
  if (code && BAD_PARAM_CODES.has(code)) return new BadRequestError(init);
  if (code && /^13(0[4-9]|1\d|2[01])$/.test(code)) return new QuotaExceededError(init);
  if (status === 401) return new AuthenticationError(init);
  if (status === 403) return new PermissionDeniedError(init);
  if (status === 429) return new RateLimitError(init);
  if (status >= 500) return new ServerError(init);
  if (status === 408) return new TimeoutError(0, init);
  return new BadRequestError(init);
}

/** Maps anything thrown inside a tool to one agent-facing sentence; never includes the key. */
export function describeError(err: unknown): string {
  if (err instanceof GlmError) return err.toolMessage();
  if (err instanceof Error) return `${err.message}`;
  return String(err);
}

/** GLM (or something posing as it) sent far more than any legitimate answer: reading stopped at the cap. */
export class ResponseTooLargeError extends GlmError {
  override name = "ResponseTooLargeError";
  constructor(what: string, limitBytes: number, init: GlmErrorInit = {}) {
    super(
      `GLM's ${what} was larger than ${Math.round(limitBytes / 1024)} KB, far beyond any legitimate answer, so reading stopped: check GLM_BASE_URL and any proxy in between, then try again`,
      init,
    );
  }
}
