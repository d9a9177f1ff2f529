// The one place that speaks HTTP to GLM: auth, timeouts, retries, cancellation, SSE.
import { Agent, FormData, type Dispatcher } from "undici";
import type { Config } from "../config.js";
import { silentLogger, type Logger } from "../log.js";
import { VERSION } from "../version.js";
import {
  CancelledError,
  ConnectionError,
  GlmError,
  InvalidResponseError,
  MissingApiKeyError,
  StreamInterruptedError,
  TimeoutError,
  UnexpectedResponseError,
  errorInBody,
  errorFromResponse,
} from "./errors.js";
import { Limiter } from "./limiter.js";
import type { ConcurrencyGate } from "../store/types.js";
import { retryDelayMs, shouldRetry, sleep } from "./retry.js";
import { sseData } from "./sse.js";
import {
  cappedSse,
  embeddingsBodyCap,
  MAX_CHAT_BODY_BYTES,
  MAX_ERROR_BODY_BYTES,
  readCapped,
} from "./body-cap.js";
import type { ChatChunk, ChatCompletion, ChatRequest, EmbeddingRequest, EmbeddingResponse } from "./types.js";
import { postToGlm, type GlmResponse } from "./post.js";
import { proxyDispatcher } from "./proxy.js";
import { endpointFor, isWrongEndpoint, WrongEndpointError } from "./endpoints.js";
import { requestKind } from "./models.js";
import {
  realtimeTurn,
  type RealtimeOptions,
  type RealtimeTurnRequest,
  type RealtimeTurnResult,
} from "./realtime.js";

export interface GlmClientOptions {
  /** The standard endpoint (…/api/paas/v4). */
  baseUrl: string;
  /** Coding plan: where chat models go (…/api/coding/paas/v4); everything else uses baseUrl. */
  codingBaseUrl?: string | undefined;
  apiKey: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  maxConcurrency?: number;
  /** A shared concurrency budget (the state store's gate) instead of a per-client Limiter. */
  gate?: ConcurrencyGate;
  dispatcher?: Dispatcher;
  logger?: Logger;
  /** GLM-Realtime WebSocket URL (wss://…/realtime). */
  realtimeUrl?: string;
  /** Proxy for the realtime WebSocket (undefined = direct). */
  realtimeDispatcher?: Dispatcher;
  /** For tests: replaces Math.random in backoff jitter. */
  random?: () => number;
  /** For tests: multiplies every backoff delay (e.g. 0.01 to keep retry tests fast). */
  backoffScale?: number;
}

/** What a retry notice carries: which attempt comes next, after how long, and why. */
export interface RetryInfo {
  attempt: number;
  delayMs: number;
  error: GlmError;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call (ms without a byte from GLM). */
  timeoutMs?: number;
  /** Called before each retry, e.g. to tell the agent through a progress/log notification. */
  onRetry?: (info: RetryInfo) => void;
  /** Largest answer body read (default MAX_CHAT_BODY_BYTES); more ends in ResponseTooLargeError. */
  maxResponseBytes?: number;
}

/** The one proxy agent when a proxy is configured (shared with realtime and media), else direct. */
export function dispatcherFromConfig(config: Config): Dispatcher {
  return proxyDispatcher(config) ?? new Agent({ keepAliveTimeout: 10_000 });
}

export class GlmClient {
  /** The GLM concurrency budget: this process's, or the cluster's (store/redis-gate.ts). */
  readonly limiter: ConcurrencyGate;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly logger: Logger;

  constructor(private readonly opts: GlmClientOptions) {
    this.limiter = opts.gate ?? new Limiter(opts.maxConcurrency ?? 8);
    this.dispatcher = opts.dispatcher;
    this.logger = opts.logger ?? silentLogger;
  }

  static fromConfig(config: Config, logger?: Logger, gate?: ConcurrencyGate): GlmClient {
    return new GlmClient({
      ...(gate ? { gate } : {}),
      baseUrl: config.baseUrl,
      codingBaseUrl: config.codingBaseUrl,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      maxConcurrency: config.maxConcurrency,
      dispatcher: dispatcherFromConfig(config),
      realtimeUrl: config.realtimeUrl,
      ...(proxyDispatcher(config) ? { realtimeDispatcher: proxyDispatcher(config) } : {}),
      logger,
    });
  }

  /**
   * One GLM-Realtime turn over its WebSocket. Realtime sessions count against the account's
   * concurrency like any other call, so the turn holds one limiter slot.
   */
  async realtimeTurn(
    turn: RealtimeTurnRequest,
    opts: { signal?: AbortSignal | undefined; onProgress?: RealtimeOptions["onProgress"] } = {},
  ): Promise<RealtimeTurnResult> {
    if (!this.opts.realtimeUrl) throw new Error("GlmClient has no realtimeUrl");
    await this.limiter.acquire(opts.signal).catch(() => {
      throw new CancelledError();
    });
    try {
      return await realtimeTurn(
        {
          url: this.opts.realtimeUrl,
          apiKey: this.opts.apiKey,
          silenceMs: this.opts.timeoutMs,
          ...(this.opts.realtimeDispatcher ? { dispatcher: this.opts.realtimeDispatcher } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        },
        turn,
      );
    } finally {
      this.limiter.release();
    }
  }

  get hasApiKey(): boolean {
    return Boolean(this.opts.apiKey);
  }

  /** The endpoint a chat body goes to: the coding endpoint for chat models when the plan is on. */
  baseFor(model: string | undefined, messages?: ChatRequest["messages"]): string {
    return endpointFor(requestKind(model, messages), this.opts);
  }

  /** Non-streaming chat completion. */
  chat(body: ChatRequest, opts: CallOptions = {}): Promise<ChatCompletion> {
    return this.postJson<ChatCompletion>(
      "/chat/completions",
      { ...body, stream: false },
      opts,
      this.baseFor(body.model, body.messages),
    );
  }

  embeddings(body: EmbeddingRequest, opts: CallOptions = {}): Promise<EmbeddingResponse> {
    return this.postJson<EmbeddingResponse>("/embeddings", body, {
      maxResponseBytes: embeddingsBodyCap(body),
      ...opts,
    });
  }

  /** POST a multipart form (the file parser) to the standard endpoint; same retries, caps and errors. */
  postForm<T>(path: string, form: FormData, opts: CallOptions = {}): Promise<T> {
    return this.postJson<T>(path, form, opts);
  }

  /** POST a JSON body and parse a JSON answer, retrying what can succeed on retry. */
  async postJson<T>(
    path: string,
    body: unknown,
    opts: CallOptions = {},
    base = this.opts.baseUrl,
  ): Promise<T> {
    return this.withRetries(opts, async () => {
      const attempt = await this.send(base + path, body, opts, false);
      try {
        const text = await readCapped(attempt.res, opts.maxResponseBytes ?? MAX_CHAT_BODY_BYTES, {
          what: "answer",
          status: attempt.res.status,
        });
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          if (isWrongEndpoint(0, attempt.res.headers.get("content-type") ?? "", text))
            throw new WrongEndpointError(attempt.url, "an HTML page", { status: attempt.res.status });
          throw new InvalidResponseError("malformed JSON", { status: attempt.res.status });
        }
        const upstream = errorInBody(parsed, attempt.res.status);
        if (upstream) throw upstream;
        return parsed as T;
      } catch (e) {
        throw this.mapFailure(e, attempt.controller, opts);
      } finally {
        attempt.done();
      }
    });
  }

  /**
   * Streaming chat completion as an async iterable of chunks; ends at `data: [DONE]` and throws on
   * an in-stream error. Retries only while no chunk has been handed to the caller.
   */
  async *chatStream(body: ChatRequest, opts: CallOptions = {}): AsyncGenerator<ChatChunk> {
    this.requireKey();
    for (let attempt = 0; ; attempt++) {
      let yielded = false;
      let sawFinish = false;
      let current: Awaited<ReturnType<GlmClient["send"]>> | undefined;
      await this.limiter.acquire(opts.signal).catch((e) => {
        throw this.mapAbort(e, opts);
      });
      let holdsSlot = true;
      try {
        current = await this.send(
          this.baseFor(body.model, body.messages) + "/chat/completions",
          { ...body, stream: true },
          opts,
          true,
        );
        if (!current.res.body) throw new StreamInterruptedError("empty body");
        const contentType = current.res.headers.get("content-type") ?? "";
        if (!contentType.includes("text/event-stream")) {
          // Some gateways answer a stream request with plain JSON (e.g. an error body with HTTP 200).
          const text = await readCapped(current.res, MAX_ERROR_BODY_BYTES, {
            what: "answer",
            truncate: true,
          });
          const upstream = errorInBody(safeJson(text), current.res.status);
          if (upstream) throw upstream;
          if (isWrongEndpoint(0, contentType, text))
            throw new WrongEndpointError(current.url, "an HTML page", { status: current.res.status });
          throw new UnexpectedResponseError(
            `expected an SSE stream, got ${contentType || "no content type"}`,
            { status: current.res.status },
          );
        }
        for await (const data of sseData(cappedSse(current.bytes()))) {
          if (data.trim() === "[DONE]") return;
          const chunk = safeJson(data) as ChatChunk | undefined;
          if (!chunk) throw new InvalidResponseError("malformed JSON in the stream");
          const upstream = errorInBody(chunk);
          if (upstream) throw upstream;
          if (chunk.choices?.some((c) => c.finish_reason)) sawFinish = true;
          yielded = true;
          yield chunk;
        }
        if (!sawFinish) throw new StreamInterruptedError("the connection closed before the last chunk");
        return; // finished without [DONE]: everything needed (finish_reason, usage) arrived
      } catch (e) {
        let err = current ? this.mapFailure(e, current.controller, opts) : this.mapAbort(e, opts);
        // Nothing reached the caller yet, so a broken stream is as retryable as a failed connection.
        if (err instanceof StreamInterruptedError && !yielded)
          err = new ConnectionError("the stream closed before any chunk arrived");
        if (yielded && !(err instanceof CancelledError) && err.retryable) {
          // A consumed stream cannot be replayed: surface it as interrupted.
          err = new StreamInterruptedError(err.upstreamMessage ?? err.name, { cause: err, code: err.code });
        }
        if (!yielded && shouldRetry(err, attempt, this.opts.maxRetries)) {
          current?.done();
          current = undefined;
          this.limiter.release();
          holdsSlot = false;
          await this.backoff(attempt, err, opts);
          continue;
        }
        throw err;
      } finally {
        current?.done();
        if (holdsSlot) this.limiter.release();
      }
    }
  }

  private async withRetries<T>(opts: CallOptions, fn: () => Promise<T>): Promise<T> {
    this.requireKey();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiter.run(fn, opts.signal).catch((e) => {
          throw e instanceof GlmError ? e : this.mapAbort(e, opts);
        });
      } catch (e) {
        const err = e instanceof GlmError ? e : new ConnectionError(String(e));
        if (!shouldRetry(err, attempt, this.opts.maxRetries)) throw err;
        await this.backoff(attempt, err, opts);
      }
    }
  }

  private async backoff(attempt: number, error: GlmError, opts: CallOptions): Promise<void> {
    const delayMs = Math.round(
      retryDelayMs(attempt, error.retryAfterMs, this.opts.random) * (this.opts.backoffScale ?? 1),
    );
    this.logger.info(`GLM ${error.name}, retrying in ${delayMs} ms`, {
      attempt: attempt + 1,
      code: error.code,
      status: error.status,
    });
    opts.onRetry?.({ attempt: attempt + 1, delayMs, error });
    try {
      await sleep(delayMs, opts.signal);
    } catch {
      throw new CancelledError();
    }
  }

  private requireKey(): void {
    if (!this.opts.apiKey) throw new MissingApiKeyError();
  }

  /**
   * One HTTP attempt. The timer measures silence: it runs until the headers arrive and, for
   * streams, restarts on every chunk, so a long answer that keeps streaming never times out.
   */
  private async send(url: string, body: unknown, opts: CallOptions, stream: boolean) {
    const controller = new AbortController();
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new TimeoutError(timeoutMs)), timeoutMs);
    };
    const onAbort = () => controller.abort(new CancelledError());
    if (opts.signal?.aborted) throw new CancelledError();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    let res: GlmResponse | undefined;
    const done = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      if (controller.signal.aborted) return;
      // A body read to its end (or nearly) returns its connection to the pool; aborting would close it.
      if (res) res.drain();
      else controller.abort(RELEASED);
    };
    arm();
    const form = body instanceof FormData; // undici sets the multipart boundary itself
    try {
      res = await postToGlm(url, {
        headers: {
          authorization: `Bearer ${this.opts.apiKey}`,
          ...(form ? {} : { "content-type": "application/json; charset=UTF-8" }),
          accept: stream ? "text/event-stream" : "application/json",
          "user-agent": `glm-mcp/${VERSION}`,
          "x-source-channel": "glm-mcp",
        },
        body: form ? body : JSON.stringify(body),
        signal: controller.signal,
        dispatcher: this.dispatcher,
      });
    } catch (e) {
      const err = this.mapFailure(e, controller, opts);
      done();
      throw err;
    }
    if (!res.ok) {
      const text = await readCapped(res, MAX_ERROR_BODY_BYTES, { what: "error page", truncate: true }).catch(
        () => "",
      );
      done();
      if (isWrongEndpoint(res.status, res.headers.get("content-type") ?? "", text))
        throw new WrongEndpointError(url, `HTTP ${res.status}`, { status: res.status });
      throw errorFromResponse(res.status, text, res.headers);
    }
    // Non-stream bodies stay under the same timer: headers followed by a stalled body still time out.
    if (!stream) arm();
    const received = res.body;
    const bytes = async function* (): AsyncGenerator<Uint8Array> {
      for await (const chunk of received) {
        arm();
        yield chunk;
      }
    };
    return { res: res as GlmResponse, controller, done, bytes, url };
  }

  private mapAbort(e: unknown, opts: CallOptions): GlmError {
    if (e instanceof GlmError) return e;
    if (opts.signal?.aborted) return new CancelledError();
    return new ConnectionError(describeCause(e));
  }

  /** Turns whatever the request or the body stream threw into one typed error. */
  private mapFailure(e: unknown, controller: AbortController, opts: CallOptions): GlmError {
    if (e instanceof GlmError) return e;
    if (opts.signal?.aborted) return new CancelledError();
    if (controller.signal.aborted && controller.signal.reason instanceof TimeoutError)
      return controller.signal.reason;
    return new ConnectionError(describeCause(e));
  }
}

/** Abort reason used when we release a finished or failed attempt (not a failure in itself). */
const RELEASED = new Error("request released");

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeCause(e: unknown): string {
  const err = e as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  return err?.cause?.code ?? err?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}
