// The HTTP server: routing (/api/paas/v4 and /api/coding/paas/v4), auth, request recording,
// latency, scripted faults, and dispatch to the chat, embeddings and file-parser handlers.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { completionBody, markSensitive, planChat, streamChunks } from "./answer.js";
import { validateChat } from "./chat.js";
import { IssuedCalls, streamToolCalls } from "./function-calling.js";
import { embeddingsResponse } from "./embeddings.js";
import { FakeApiError, defaultCodeForStatus, messageForCode, statusForCode } from "./errors.js";
import { parseFileSync } from "./parser.js";
import { layoutParsingResponse } from "./ocr.js";
import { rerankResponse } from "./rerank.js";
import { ScriptQueue } from "./queue.js";
import { specValidators } from "./spec.js";
import { SSE_HEADERS, writeMalformedSse, writeSse, type SseSink } from "./sse.js";
import type { Fault, FakeGlm, RecordedRequest, ScriptedAnswer, ScriptedTurn, StartOptions } from "./types.js";
import { AudioRegistry } from "./voice.js";
import { readerResponse, webSearchResponse } from "./web.js";
import { drawImage, FAKE_IMAGE_PATH, imageResponse, ImageStore, validateImageRequest } from "./images.js";
import { transcriptionEvents, transcriptionResponse, validateTranscription } from "./transcriptions.js";

export const FAKE_API_KEY = "fake-glm-key-0123456789abcdef";
export const API_PREFIXES = ["/api/paas/v4", "/api/coding/paas/v4"] as const;
const CODING_PREFIX = API_PREFIXES[1];
const ROUTES = new Set([
  "/chat/completions",
  "/embeddings",
  "/files/parser/sync",
  "/web_search",
  "/reader",
  "/images/generations",
  "/audio/transcriptions",
  "/layout_parsing",
  "/rerank",
]);
const JSON_HEADERS = { "content-type": "application/json; charset=UTF-8" } as const;
/**
 * What a wrong base URL (a path outside the API prefixes) gets: the gateway's HTML 404 page, not
 * GLM's JSON error body. Unknown routes under a real prefix keep the JSON 1222 answer.
 */
export const HTML_404 =
  "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/** One request/response pair while it is open. */
class Exchange implements SseSink {
  ended = false;
  /** Set when the fake itself destroys the socket (reset / stream-cut / close()): not a client abort. */
  serverKilled = false;
  private readonly waiters = new Set<() => void>();
  /**
   * With `latencyIncludesWork`: when the answer may start. Everything written waits for it, in the
   * order it was written, so the fake's own work happens inside the latency instead of after it.
   */
  due?: Promise<void>;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly record: RecordedRequest,
  ) {}

  markEnded(): void {
    this.ended = true;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  sleep(ms: number): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (timer) clearTimeout(timer);
        else clearImmediate(immediate);
        this.waiters.delete(done);
        resolve();
      };
      const timer = ms > 0 ? setTimeout(done, ms) : undefined;
      const immediate = ms > 0 ? undefined : setImmediate(done);
      this.waiters.add(done);
    });
  }

  /** Resolves when the response closes (used by the `hang` fault). */
  untilEnded(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /** Runs `send` now, or once the answer is due (see `due`). */
  whenDue(send: () => void): void {
    if (this.due) void this.due.then(send);
    else send();
  }

  async write(text: string): Promise<void> {
    if (this.due) await this.due;
    if (this.ended || this.res.destroyed) return;
    return new Promise((resolve) => this.res.write(text, () => resolve()));
  }

  head(status: number, headers: Record<string, string>): void {
    this.whenDue(() => {
      if (!this.ended && !this.res.headersSent) this.res.writeHead(status, headers);
    });
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (this.ended || this.res.headersSent) return;
    const text = JSON.stringify(body);
    this.whenDue(() => {
      if (this.ended || this.res.headersSent) return;
      this.res.writeHead(status, {
        ...JSON_HEADERS,
        "content-length": String(Buffer.byteLength(text)),
        ...headers,
      });
      this.res.end(text);
    });
  }

  error(err: FakeApiError, headers: Record<string, string> = {}): void {
    this.json(err.status, err.body(), headers);
  }

  html404(): void {
    this.whenDue(() => {
      if (this.ended || this.res.headersSent) return;
      this.res.writeHead(404, {
        "content-type": "text/html",
        "content-length": String(Buffer.byteLength(HTML_404)),
      });
      this.res.end(HTML_404);
    });
  }

  /** Kill the connection from the server side (no proper end of the response). */
  destroy(): void {
    this.serverKilled = true;
    this.req.socket.destroy();
  }
}

export async function startFakeGlm(opts: StartOptions = {}): Promise<FakeGlm> {
  specValidators(); // compile the OpenAPI schemas once, before the first request
  const apiKey = opts.apiKey ?? FAKE_API_KEY;
  const requests: RecordedRequest[] = [];
  const faults = new ScriptQueue<Fault>();
  const answers = new ScriptQueue<ScriptedAnswer | ScriptedTurn>();
  const issued = new IssuedCalls();
  const audio = new AudioRegistry();
  const images = new ImageStore();
  const sockets = new Set<Socket>();
  const open = new Set<Exchange>();
  let latency: number | (() => number) = opts.latencyMs ?? 0;
  let chunkDelayMs = opts.chunkDelayMs ?? 0;
  let closing = false;

  const server = createServer((req, res) => {
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: new URL(req.url ?? "/", "http://fake").pathname,
      headers: { ...req.headers },
      body: undefined,
      rawBody: "",
      at: Date.now(),
      aborted: false,
    };
    requests.push(record);
    const ex = new Exchange(req, res, record);
    open.add(ex);
    res.on("close", () => {
      if (!res.writableFinished && !ex.serverKilled && !closing) record.aborted = true;
      open.delete(ex);
      ex.markEnded();
    });
    handle(ex).catch((e: unknown) => {
      console.error("[fake-glm] handler crashed:", e);
      ex.json(500, { error: { code: "500", message: messageForCode("500") } });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of req) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  async function handle(ex: Exchange): Promise<void> {
    const { req, record } = ex;
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      return; // client went away mid-upload; 'close' marks it aborted
    }
    record.rawBody = raw.toString("utf8");
    try {
      record.body = record.rawBody ? JSON.parse(record.rawBody) : undefined;
    } catch {
      record.body = undefined;
    }

    const ms = typeof latency === "function" ? latency() : latency;
    if (ms > 0 && opts.latencyIncludesWork) ex.due = ex.sleep(ms);
    else if (ms > 0) await ex.sleep(ms);
    if (ex.ended) return;

    // The generated images' temporary links (the platform's CDN): GET, no auth, like a signed URL.
    if (record.method === "GET" && record.path.startsWith(FAKE_IMAGE_PATH)) return serveImage(ex);
    const prefix = API_PREFIXES.find((p) => record.path.startsWith(p + "/"));
    if (!prefix) return ex.html404();
    const route = record.path.slice(prefix.length);
    if (!ROUTES.has(route)) {
      ex.json(404, { error: { code: "1222", message: messageForCode("1222", record.path) } });
      return;
    }
    const coding = prefix === CODING_PREFIX;

    const fault = faults.take(record.path);
    if (fault && (await applyImmediateFault(ex, fault))) return;

    if (record.method !== "POST") {
      ex.json(
        405,
        { error: { code: "405", message: `Request method '${record.method}' is not supported` } },
        { allow: "POST" },
      );
      return;
    }
    const auth = req.headers.authorization;
    if (!auth) return ex.error(new FakeApiError(401, "1001", messageForCode("1001")));
    if (auth !== `Bearer ${apiKey}`) return ex.error(new FakeApiError(401, "1000", messageForCode("1000")));

    try {
      if (route === "/files/parser/sync") {
        // The coding endpoint serves its chat models only (FakeModel.coding); no report says the
        // parser is there either [I], so the fake refuses it and clients use the standard endpoint.
        if (coding) throw new FakeApiError(404, "1222", messageForCode("1222", record.path));
        return await finishJson(ex, await parseFileSync(raw, req.headers["content-type"]), fault);
      }
      if (route === "/audio/transcriptions") return await transcriptions(ex, raw, fault, coding);
      const body: unknown = record.body;
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new FakeApiError(400, "1210", `${messageForCode("1210")}：请求体必须是 JSON 对象`);
      }
      if (route === "/images/generations")
        return await generateImage(ex, body as Record<string, unknown>, fault, coding);
      if (route === "/layout_parsing")
        return await jsonRoute(
          ex,
          () => layoutParsingResponse(body as Record<string, unknown>, { coding }),
          fault,
        );
      if (route === "/rerank")
        return await jsonRoute(ex, () => rerankResponse(body as Record<string, unknown>, { coding }), fault);
      if (route === "/chat/completions") await chat(ex, body as Record<string, unknown>, fault, coding);
      else if (route === "/web_search" || route === "/reader") await web(ex, route, body, fault, coding);
      else await jsonRoute(ex, () => embeddingsResponse(body as Record<string, unknown>, { coding }), fault);
    } catch (e) {
      if (e instanceof FakeApiError) return ex.error(e);
      throw e;
    }
  }

  /** Faults that replace the whole answer; returns true when the exchange is handled. */
  async function applyImmediateFault(ex: Exchange, fault: Fault): Promise<boolean> {
    const wantsStream = (ex.record.body as { stream?: unknown } | undefined)?.stream === true;
    switch (fault.kind) {
      case "status": {
        const code = fault.code ?? defaultCodeForStatus(fault.status);
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
        if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = fault.retryAfterMs;
        const extra = code === "1301" ? { contentFilter: [{ level: 1, role: "user" }] } : {};
        ex.json(
          fault.status,
          { error: { code, message: fault.message ?? messageForCode(code) }, ...extra },
          headers,
        );
        return true;
      }
      case "reset":
        ex.destroy();
        return true;
      case "html-404":
        ex.html404();
        return true;
      case "hang":
        await ex.untilEnded();
        return true;
      case "malformed-json":
        if (wantsStream) {
          ex.head(200, SSE_HEADERS);
          await writeMalformedSse(ex);
          ex.res.end();
        } else {
          const text = '{"id":"broken","choices":[{"message":';
          ex.head(200, { ...JSON_HEADERS, "content-length": String(text.length) });
          ex.res.end(text);
        }
        return true;
      case "stream-error":
        if (wantsStream) return false;
        ex.json(statusForCode(fault.code), {
          error: { code: fault.code, message: fault.message ?? messageForCode(fault.code) },
        });
        return true;
      default:
        return false; // stream-cut, sensitive, slow: applied to a valid answer
    }
  }

  async function chat(
    ex: Exchange,
    body: Record<string, unknown>,
    fault: Fault | undefined,
    coding: boolean,
  ): Promise<void> {
    const valid = await validateChat(body, audio, {
      coding,
      issued,
      ...(opts.models ? { models: opts.models } : {}),
    });
    const script = answers.take();
    const plan = planChat(valid, typeof script === "function" ? script(body) : script, audio);
    issued.record(plan.toolCalls);
    if (fault?.kind === "sensitive") markSensitive(plan);
    if (ex.ended) return;
    if (valid.stream) {
      ex.head(200, SSE_HEADERS);
      const outcome = await writeSse(ex, streamToolCalls(streamChunks(plan), body.tool_stream === true), {
        chunkDelayMs: fault?.kind === "slow" ? fault.chunkDelayMs : chunkDelayMs,
        cutAfter: fault?.kind === "stream-cut" ? fault.afterChunks : undefined,
        errorAfter:
          fault?.kind === "stream-error"
            ? {
                afterChunks: fault.afterChunks,
                code: fault.code,
                message: fault.message ?? messageForCode(fault.code),
              }
            : undefined,
      });
      if (outcome === "cut") ex.destroy();
      else if (!ex.ended) ex.res.end();
      return;
    }
    await finishJson(ex, completionBody(plan), fault);
  }

  /** The 工具 API (web.ts): standard endpoint only [I, like the parser]. */
  async function web(
    ex: Exchange,
    route: string,
    body: object,
    fault: Fault | undefined,
    coding: boolean,
  ): Promise<void> {
    if (coding) throw new FakeApiError(404, "1222", messageForCode("1222", ex.record.path));
    const b = body as Record<string, unknown>;
    await jsonRoute(ex, () => (route === "/web_search" ? webSearchResponse(b) : readerResponse(b)), fault);
  }

  /**
   * A plain JSON route (embeddings, web, OCR, rerank): the answer is built first (so invalid input is
   * refused as GLM refuses it), `sensitive` is GLM's 1301, other faults as usual.
   */
  async function jsonRoute(ex: Exchange, answer: () => unknown, fault: Fault | undefined): Promise<void> {
    const response = answer();
    if (fault?.kind === "sensitive") return ex.error(sensitiveInput());
    await finishJson(ex, response, fault);
  }

  async function generateImage(
    ex: Exchange,
    body: Record<string, unknown>,
    fault: Fault | undefined,
    coding: boolean,
  ): Promise<void> {
    const plan = validateImageRequest(body, { coding });
    if (fault?.kind === "sensitive") return ex.error(sensitiveInput());
    const script = answers.take();
    const scripted = typeof script === "function" ? script(body) : script;
    // A scripted `content` replaces the image link (e.g. one that cannot be downloaded).
    const url = scripted?.content ?? `${fake.url}${FAKE_IMAGE_PATH}${images.add(await drawImage(plan))}.png`;
    await finishJson(ex, imageResponse(url), fault);
  }

  function serveImage(ex: Exchange): void {
    const png = images.get(ex.record.path);
    if (!png) return ex.json(404, { error: { code: "404", message: "图片不存在或链接已过期" } });
    ex.whenDue(() => {
      if (ex.ended || ex.res.headersSent) return;
      // connection: close, so a test's download leaves no idle keep-alive socket behind.
      ex.res.writeHead(200, {
        "content-type": "image/png",
        "content-length": String(png.length),
        connection: "close",
      });
      ex.res.end(png);
    });
  }

  async function transcriptions(
    ex: Exchange,
    raw: Buffer,
    fault: Fault | undefined,
    coding: boolean,
  ): Promise<void> {
    const plan = await validateTranscription(raw, ex.req.headers["content-type"], { coding });
    ex.record.body = plan.fields; // the form as an object, for wire audits
    if (fault?.kind === "sensitive") return ex.error(sensitiveInput());
    const script = answers.take();
    const scripted = typeof script === "function" ? script(plan.fields) : script;
    if (scripted?.content !== undefined) plan.text = scripted.content;
    if (!plan.stream) return finishJson(ex, transcriptionResponse(plan), fault);
    ex.head(200, SSE_HEADERS);
    const outcome = await writeSse(ex, transcriptionEvents(plan), {
      chunkDelayMs: fault?.kind === "slow" ? fault.chunkDelayMs : chunkDelayMs,
      cutAfter: fault?.kind === "stream-cut" ? fault.afterChunks : undefined,
    });
    if (outcome === "cut") ex.destroy();
    else if (!ex.ended) ex.res.end();
  }

  /** 1301 on the input, as GLM answers a prompt or audio its content filter stops. */
  function sensitiveInput(): FakeApiError {
    return new FakeApiError(400, "1301", messageForCode("1301"), {
      contentFilter: [{ level: 1, role: "user" }],
    });
  }

  /** A 200 JSON answer, honouring the `slow` and `stream-cut` faults for non-stream requests. */
  async function finishJson(ex: Exchange, body: unknown, fault: Fault | undefined): Promise<void> {
    if (fault?.kind === "slow") await ex.sleep(fault.chunkDelayMs);
    if (ex.ended) return;
    if (fault?.kind === "stream-cut") {
      const text = JSON.stringify(body);
      ex.head(200, { ...JSON_HEADERS, "content-length": String(Buffer.byteLength(text)) });
      await ex.write(text.slice(0, Math.floor(text.length / 2)));
      ex.destroy();
      return;
    }
    ex.json(200, body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeGlm = {
    url,
    baseUrl: url + API_PREFIXES[0],
    apiKey,
    requests,
    fail(fault, o = {}) {
      faults.push(fault, o.times ?? 1, o.path);
    },
    answer(a, o = {}) {
      answers.push(a, o.times ?? 1);
    },
    setLatency(ms) {
      latency = ms;
    },
    setChunkDelay(ms) {
      chunkDelayMs = ms;
    },
    reset() {
      requests.length = 0;
      faults.clear();
      answers.clear();
      latency = opts.latencyMs ?? 0;
      chunkDelayMs = opts.chunkDelayMs ?? 0;
    },
    get openRequests() {
      return open.size;
    },
    close() {
      closing = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const ex of open) ex.serverKilled = true;
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
  return fake;
}
