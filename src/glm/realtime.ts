// One conversational turn with GLM-Realtime over a WebSocket (REFERENCE.md §6, asyncapi spec):
// connect with a Bearer key, wait for session.created, configure the session, send the input,
// then collect the streamed reply until response.done. Silence, drops and cancellation end the
// turn with a typed error and the socket is always closed.
import { rememberSecrets } from "../util/redact.js";
import { randomUUID } from "node:crypto";
import { WebSocket, type Dispatcher } from "undici";
import { CancelledError, GlmError, MissingApiKeyError } from "./errors.js";
import {
  RealtimeClosedError,
  RealtimeConnectError,
  RealtimeResponseError,
  RealtimeSilenceError,
  errorFromRealtimeEvent,
} from "./realtime-errors.js";
import { PcmFormat } from "../util/wav-encode.js";
import { wavFromPcm } from "../util/wav-encode.js";

export const REALTIME_MODELS = ["glm-realtime-flash", "glm-realtime-air"] as const;
/** CN-AAS enum plus `xiaochen` (general male voice), listed on the seed model page. */
export const REALTIME_VOICES = [
  "tongtong",
  "xiaochen",
  "female-tianmei",
  "female-shaonv",
  "male-qn-daxuesheng",
  "male-qn-jingying",
  "lovely_girl",
] as const;
/** output_audio_format "pcm" is 24 kHz, mono, 16-bit little-endian [V CN-AAS]. */
export const REALTIME_OUTPUT_FORMAT: PcmFormat = { sampleRate: 24_000, channels: 1, bitsPerSample: 16 };
/** Input is sent as 16 kHz mono 16-bit WAV frames (the documented default rate). */
export const REALTIME_INPUT_FORMAT: PcmFormat = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 };
/** Client-VAD turns take at most 30 s of audio ("最长可上传30秒"). */
export const REALTIME_MAX_INPUT_SEC = 30;
/** The platform drops audio sent faster than 50 events/s; stay well below it. */
export const DEFAULT_APPENDS_PER_SEC = 40;

export interface RealtimeTurnRequest {
  model: string;
  voice?: string;
  instructions?: string;
  temperature?: number;
  text?: string;
  /** beta_fields.auto_search: the platform's built-in web search (default true, asyncapi L558). */
  autoSearch?: boolean;
  /** Mono 16-bit little-endian PCM at 16 kHz (see src/audio/pcm.ts). */
  audioPcm?: Uint8Array;
}

export interface RealtimeProgress {
  phase: "connecting" | "sending" | "waiting" | "receiving";
  framesSent: number;
  framesTotal: number;
  audioBytes: number;
  transcriptChars: number;
}

export interface RealtimeOptions {
  url: string;
  apiKey: string | undefined;
  /** Milliseconds without any event (heartbeats do not count) before the turn is abandoned. */
  silenceMs: number;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  appendsPerSec?: number;
  /** Length of each audio frame sent in one input_audio_buffer.append (ms). */
  frameMs?: number;
  /** How long to wait after response.done for the input transcription if it has not arrived. */
  transcriptGraceMs?: number;
  /** How long close() waits for the server to answer the close frame before giving up (default 2000 ms). */
  closeWaitMs?: number;
  /** How long an error that may be the refusal of our response waits for the response to start. */
  errorGraceMs?: number;
  onProgress?: (p: RealtimeProgress) => void;
}

export interface RealtimeUsage {
  total_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
  input_token_details?: { cached_tokens?: number; text_tokens?: number; audio_tokens?: number };
  output_token_details?: { text_tokens?: number; audio_tokens?: number };
}

export interface RealtimeTurnResult {
  sessionId: string | undefined;
  responseId: string | undefined;
  status: string;
  /** Transcript of the spoken reply (response.audio_transcript.*). */
  transcript: string;
  /** Text reply (response.text.*), when the model sends one. */
  text: string;
  /** What GLM heard (asynchronous input transcription), when it arrived in time. */
  inputTranscript: string | undefined;
  /** Raw PCM of the reply in REALTIME_OUTPUT_FORMAT. */
  audio: Buffer;
  usage: RealtimeUsage | undefined;
  framesSent: number;
  /** Recoverable error events GLM sent during the turn, which went on (one sentence each). */
  notes: string[];
  /** Built-in web searches GLM ran in this turn (response.function_call.simple_browser). */
  searches: RealtimeSearch[];
}

/** One response.function_call.simple_browser event: the stalling line, and citations when sent. */
export interface RealtimeSearch {
  description: string;
  citation?: string;
}

type ServerEvent = { type: string; [key: string]: unknown };

/** Queue of server events with one consumer; failure (error event, close, silence, abort) wins. */
class RealtimeConnection {
  private readonly queue: ServerEvent[] = [];
  private waiter: { resolve: (e: ServerEvent) => void; reject: (e: unknown) => void } | undefined;
  private wakers = new Set<() => void>();
  private failure: GlmError | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private opened = false;
  private closed = false;
  /** Set by close(): the turn is over, later events are ignored and arm no timer. */
  private finished = false;
  private abortListener: (() => void) | undefined;
  private closedWaiters: (() => void)[] = [];
  phase = "before the session started";
  /** Set once session.updated arrived: from then on an error event fails the turn only if it is ours. */
  setUp = false;
  /** event_id of our response.create and the id GLM gave the response, to tie error events to it. */
  responseEventId: string | undefined;
  responseId: string | undefined;
  /** Recoverable error events, for the result's notes. */
  readonly recovered: string[] = [];
  private pending: { note: string; timer: NodeJS.Timeout } | undefined;
  /** Called on abort, before the socket closes (e.g. to send response.cancel). */
  onAbort: (() => void) | undefined;

  private constructor(
    private readonly ws: WebSocket,
    private readonly opts: RealtimeOptions,
  ) {}

  static open(opts: RealtimeOptions): Promise<RealtimeConnection> {
    if (!opts.apiKey) return Promise.reject(new MissingApiKeyError());
    // Close reasons and error events are GLM's text: make sure the key is redacted from them.
    rememberSecrets([opts.apiKey]);
    if (opts.signal?.aborted) return Promise.reject(new CancelledError());
    const ws = new WebSocket(opts.url, {
      headers: { authorization: `Bearer ${opts.apiKey}` },
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    const conn = new RealtimeConnection(ws, opts);
    return conn.start();
  }

  private start(): Promise<RealtimeConnection> {
    const { ws, opts } = this;
    const onAbort = () => {
      if (this.opened && !this.closed) {
        try {
          this.onAbort?.();
        } catch {
          // best effort: the socket is closing anyway
        }
      }
      this.fail(new CancelledError());
    };
    this.abortListener = onAbort;
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    this.armSilence();
    return new Promise((resolve, reject) => {
      ws.addEventListener("open", () => {
        this.opened = true;
        resolve(this);
      });
      ws.addEventListener("message", (ev) => {
        if (this.finished) return; // the turn is over: nothing may restart the silence timer
        if (typeof ev.data !== "string") return; // the protocol is JSON text frames only
        let event: ServerEvent;
        try {
          event = JSON.parse(ev.data) as ServerEvent;
        } catch {
          return;
        }
        if (typeof event?.type !== "string") return;
        if (event.type === "heartbeat") return; // keep-alive only: it says nothing about our turn
        this.armSilence();
        if (event.type === "error") {
          const err = errorFromRealtimeEvent(event.error as Record<string, unknown> | undefined);
          // "Most errors are recoverable; the session stays open" (REF §6, PAGE GLM-Realtime): only
          // one during set-up or tied to this response ends the turn; others become notes.
          if (this.isFatal(event)) this.fail(err);
          else this.holdOrNote(err);
          return;
        }
        if (event.type.startsWith("response.")) this.releaseHeld();
        this.push(event);
      });
      ws.addEventListener("close", (ev) => {
        this.closed = true;
        this.detachAbort();
        clearTimeout(this.silenceTimer);
        const err = this.opened
          ? new RealtimeClosedError(this.phase, ev.code, ev.reason)
          : new RealtimeConnectError(opts.url, ev.reason || "handshake failed or the network is unreachable");
        this.fail(err);
        if (!this.opened) reject(this.failure);
        for (const w of this.closedWaiters) w();
        this.closedWaiters = [];
      });
      // An "error" event is always followed by "close", which carries the outcome.
      ws.addEventListener("error", () => {});
    });
  }

  /**
   * Whether an error event ends the turn: during set-up; with a platform business code (content
   * filter, balance, auth: nothing the session can recover from); naming our response or its
   * response.create; or while response.create waits for response.created (the response was refused).
   */
  private isFatal(event: ServerEvent): boolean {
    if (!this.setUp) return true;
    const e = (event.error ?? {}) as Record<string, unknown>;
    if (/^\d{4}$/.test(String(e.code ?? ""))) return true;
    const ids = [e.event_id, e.response_id, event.event_id, event.response_id].filter((x) => x !== undefined);
    if (this.responseEventId !== undefined && ids.includes(this.responseEventId)) return true;
    if (this.responseId !== undefined && ids.includes(this.responseId)) return true;
    return false;
  }

  /**
   * An error while response.create waits for response.created may be the refusal of our response or
   * a late answer to an earlier event (the platform names neither): it fails the turn unless the
   * response starts within the grace period, in which case it becomes a note.
   */
  private holdOrNote(err: GlmError): void {
    const note = `[GLM-Realtime reported an error and the turn went on: ${err.toolMessage()}]`;
    if (this.responseEventId === undefined || this.responseId !== undefined) {
      this.recovered.push(note);
      return;
    }
    // A later error is the likelier refusal: the one held before it becomes a note.
    this.releaseHeld();
    const timer = setTimeout(() => this.fail(err), this.opts.errorGraceMs ?? 2000);
    timer.unref();
    this.pending = { note, timer };
  }

  /** A response event arrived: a held error was not about our response after all. */
  private releaseHeld(): void {
    if (!this.pending) return;
    clearTimeout(this.pending.timer);
    this.recovered.push(this.pending.note);
    this.pending = undefined;
  }

  private armSilence(): void {
    clearTimeout(this.silenceTimer);
    if (this.finished) return;
    this.silenceTimer = setTimeout(
      () => this.fail(new RealtimeSilenceError(this.opts.silenceMs, this.phase)),
      this.opts.silenceMs,
    );
    // The open socket keeps the process alive during a turn; this timer alone never should.
    this.silenceTimer.unref();
  }

  private detachAbort(): void {
    if (this.abortListener) this.opts.signal?.removeEventListener("abort", this.abortListener);
    this.abortListener = undefined;
  }

  private push(event: ServerEvent): void {
    if (this.failure) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(event);
    } else {
      this.queue.push(event);
    }
  }

  /** Records the first failure, wakes every waiter and starts closing the socket. */
  private fail(err: GlmError): void {
    if (!this.failure) this.failure = err;
    if (this.pending) clearTimeout(this.pending.timer);
    clearTimeout(this.silenceTimer);
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
    for (const wake of this.wakers) wake();
    this.wakers.clear();
    if (!this.closed && this.ws.readyState !== WebSocket.CLOSING) this.ws.close(1000, "turn ended");
  }

  get failed(): GlmError | undefined {
    return this.failure;
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** Sends a client event; returns its event_id. */
  send(event: Record<string, unknown>): string {
    this.throwIfFailed();
    const eventId = randomUUID();
    this.ws.send(JSON.stringify({ event_id: eventId, client_timestamp: Date.now(), ...event }));
    return eventId;
  }

  /** The next server event (heartbeats and errors never reach here); events that arrived before a failure come first. */
  next(): Promise<ServerEvent> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Skips events until one of `type` arrives. */
  async expect(type: string): Promise<ServerEvent> {
    for (;;) {
      const ev = await this.next();
      if (ev.type === type) return ev;
    }
  }

  /** Waits `ms`, returning early if the turn fails. */
  sleep(ms: number): Promise<void> {
    if (this.failure || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /** Like next(), but gives up (undefined) after `ms` without failing the turn. */
  async nextWithin(ms: number): Promise<ServerEvent | undefined> {
    const queued = this.queue.shift();
    if (queued || this.failure) return queued;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>(
      (resolve) =>
        (timer = setTimeout(() => {
          this.waiter = undefined;
          resolve(undefined);
        }, ms)),
    );
    try {
      return await Promise.race([this.next().catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Ends the turn: from here on no event is handled, no timer runs and the caller's signal is
   * released, even when the server never answers the close frame (we stop waiting for it after
   * closeWaitMs and the socket is left to the runtime).
   */
  async close(): Promise<void> {
    this.finished = true;
    if (this.pending) clearTimeout(this.pending.timer);
    clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    this.detachAbort();
    if (this.closed) return;
    if (this.ws.readyState !== WebSocket.CLOSING) this.ws.close(1000, "turn complete");
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.opts.closeWaitMs ?? 2000);
      timer.unref();
      this.closedWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Splits PCM into WAV files of `frameMs` each: every append carries a complete WAV, as the official TS SDK sends. */
export function wavFrames(pcm: Uint8Array, fmt: PcmFormat, frameMs: number): Buffer[] {
  const frameBytes =
    Math.max(2, Math.round((fmt.sampleRate * frameMs) / 1000)) * (fmt.bitsPerSample / 8) * fmt.channels;
  const frames: Buffer[] = [];
  for (let at = 0; at < pcm.byteLength; at += frameBytes)
    frames.push(wavFromPcm(pcm.subarray(at, at + frameBytes), fmt));
  return frames;
}

export async function realtimeTurn(
  opts: RealtimeOptions,
  req: RealtimeTurnRequest,
): Promise<RealtimeTurnResult> {
  const frames = req.audioPcm?.byteLength
    ? wavFrames(req.audioPcm, REALTIME_INPUT_FORMAT, opts.frameMs ?? 100)
    : [];
  const progress: RealtimeProgress = {
    phase: "connecting",
    framesSent: 0,
    framesTotal: frames.length,
    audioBytes: 0,
    transcriptChars: 0,
  };
  const report = () => opts.onProgress?.({ ...progress });
  report();

  const conn = await RealtimeConnection.open(opts);
  const audioParts: Buffer[] = [];
  const result: RealtimeTurnResult = {
    sessionId: undefined,
    responseId: undefined,
    status: "",
    transcript: "",
    text: "",
    inputTranscript: undefined,
    audio: Buffer.alloc(0),
    usage: undefined,
    framesSent: 0,
    notes: conn.recovered,
    searches: [],
  };
  let responding = false;
  conn.onAbort = () => {
    if (responding) conn.send({ type: "response.cancel" });
  };
  try {
    conn.phase = "before session.created";
    const created = await conn.expect("session.created");
    result.sessionId = (created.session as { id?: string } | undefined)?.id;

    conn.phase = "while configuring the session";
    conn.send({
      type: "session.update",
      session: {
        model: req.model,
        modalities: ["text", "audio"],
        voice: req.voice ?? "tongtong",
        input_audio_format: "wav",
        output_audio_format: "pcm",
        turn_detection: { type: "client_vad" },
        beta_fields: { chat_mode: "audio", tts_source: "e2e", auto_search: req.autoSearch ?? true },
        tools: [],
        ...(req.instructions ? { instructions: req.instructions } : {}),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      },
    });
    await conn.expect("session.updated");
    conn.setUp = true;

    conn.phase = "while sending the input";
    progress.phase = "sending";
    report();
    if (req.text) {
      conn.send({
        type: "conversation.item.create",
        item: {
          type: "message",
          role: "user",
          object: "realtime.item",
          content: [{ type: "input_text", text: req.text }],
        },
      });
    }
    if (frames.length) {
      const interval = 1000 / (opts.appendsPerSec ?? DEFAULT_APPENDS_PER_SEC);
      let lastSent = -Infinity;
      for (const [i, frame] of frames.entries()) {
        // Spaced from the previous send (never catching up in a burst after a stall), so no
        // 1 s window ever holds more than appendsPerSec events.
        await conn.sleep(lastSent + interval - Date.now());
        conn.throwIfFailed();
        lastSent = Date.now();
        conn.send({ type: "input_audio_buffer.append", audio: frame.toString("base64") });
        progress.framesSent = result.framesSent = i + 1;
        if (i % 10 === 9) report();
      }
      conn.send({ type: "input_audio_buffer.commit" });
    }
    conn.responseEventId = conn.send({ type: "response.create" });
    responding = true;

    conn.phase = "before the reply finished";
    progress.phase = "waiting";
    report();
    let sawInputTranscript = false;
    for (;;) {
      const ev = await conn.next();
      switch (ev.type) {
        case "response.created":
          result.responseId = (ev.response as { id?: string } | undefined)?.id;
          conn.responseId = result.responseId;
          break;
        case "response.audio.delta":
          if (typeof ev.delta === "string") {
            const chunk = Buffer.from(ev.delta, "base64");
            audioParts.push(chunk);
            progress.audioBytes += chunk.length;
            progress.phase = "receiving";
            report();
          }
          break;
        case "response.audio_transcript.delta":
          if (typeof ev.delta === "string") result.transcript += ev.delta;
          progress.transcriptChars = result.transcript.length + result.text.length;
          break;
        case "response.audio_transcript.done":
          if (typeof ev.transcript === "string" && ev.transcript) result.transcript = ev.transcript;
          break;
        case "response.text.delta":
          if (typeof ev.delta === "string") result.text += ev.delta;
          progress.transcriptChars = result.transcript.length + result.text.length;
          break;
        case "response.text.done":
          if (typeof ev.text === "string" && ev.text) result.text = ev.text;
          break;
        case "response.function_call.simple_browser":
          result.searches.push(searchOf(ev));
          break;
        case "conversation.item.input_audio_transcription.completed":
          sawInputTranscript = true;
          if (typeof ev.transcript === "string") result.inputTranscript = ev.transcript;
          break;
        case "conversation.item.input_audio_transcription.failed":
          sawInputTranscript = true;
          break;
      }
      if (ev.type === "response.done") {
        responding = false;
        const response = (ev.response ?? {}) as { id?: string; status?: string; usage?: RealtimeUsage };
        result.responseId ??= response.id;
        result.status = response.status ?? "completed";
        result.usage = response.usage;
        break;
      }
    }
    // The input transcription runs asynchronously and may land just after response.done.
    if (frames.length && !sawInputTranscript) {
      const deadline = Date.now() + (opts.transcriptGraceMs ?? 1500);
      while (Date.now() < deadline) {
        const ev = await conn.nextWithin(deadline - Date.now());
        if (!ev) break;
        if (ev.type === "conversation.item.input_audio_transcription.completed") {
          if (typeof ev.transcript === "string") result.inputTranscript = ev.transcript;
          break;
        }
        if (ev.type === "conversation.item.input_audio_transcription.failed") break;
      }
    }
    result.audio = Buffer.concat(audioParts);
    if (
      (result.status === "failed" || result.status === "cancelled") &&
      !result.audio.length &&
      !result.transcript &&
      !result.text
    ) {
      throw new RealtimeResponseError(result.status);
    }
    return result;
  } finally {
    await conn.close();
  }
}

/** session.beta_fields.simple_browser of a search event (seed doc; every field a string, maybe empty). */
function searchOf(ev: ServerEvent): RealtimeSearch {
  const session = (ev.session ?? {}) as { beta_fields?: { simple_browser?: Record<string, unknown> } };
  const sb = session.beta_fields?.simple_browser ?? {};
  const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
  const citation = str(sb.text_citation);
  return { description: str(sb.description), ...(citation ? { citation } : {}) };
}
